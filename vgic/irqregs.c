// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers of the per-IRQ registers the distributor (SPIs) and the SGI
 * frame (SGIs, PPIs) share: IGROUPR, IS/ICENABLER, IS/ICPENDR,
 * IS/ICACTIVER, IPRIORITYR, ICFGR. Every handler runs under gic->lock.
 */
#include <linux/bitops.h>
#include <linux/irqchip/arm-gic-v3.h>
#include "regs.h"

static struct vgic3_irq *irq_at(const struct vgic3_access *a, unsigned int i)
{
	return vgic3_get_irq(a->gic, a->cpu, a->intid + i);
}

u64 vgic3_read_raz(const struct vgic3_access *a)
{
	return 0;
}

u64 vgic3_read_rao(const struct vgic3_access *a)
{
	return ~0ULL;
}

void vgic3_write_wi(const struct vgic3_access *a, u64 val)
{
}

int vgic3_uwrite_wi(const struct vgic3_access *a, u64 val)
{
	return 0;
}

/* Collect one bit per INTID from @get over the access. */
static u64 read_bits(const struct vgic3_access *a,
		     bool (*get)(const struct vgic3_irq *irq))
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if (irq && get(irq))
			v |= BIT_ULL(i);
	}
	return v;
}

/* Apply @set to the INTIDs whose bit is @val's. */
static void write_set_bits(const struct vgic3_access *a, u64 val,
			   void (*set)(struct vgic3_irq *irq))
{
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic3_irq *irq;

		if (!(val & BIT_ULL(i)))
			continue;
		irq = irq_at(a, i);
		if (irq)
			set(irq);
	}
}

static void kick_target(const struct vgic3_access *a, struct vgic3_irq *irq)
{
	int t = irq->target;

	if (irq->intid < VGIC3_NR_PRIVATE && a->cpu)
		t = a->cpu->idx;
	if (t >= 0 && a->gic->host.ops->kick)
		a->gic->host.ops->kick(&a->gic->host, t);
}

static bool get_group(const struct vgic3_irq *irq)
{
	return irq->group;
}

u64 vgic3_read_group(const struct vgic3_access *a)
{
	return read_bits(a, get_group);
}

void vgic3_write_group(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if (irq)
			irq->group = !!(val & BIT_ULL(i));
	}
}

static bool get_enabled(const struct vgic3_irq *irq)
{
	return irq->enabled;
}

static void set_enabled(struct vgic3_irq *irq)
{
	irq->enabled = true;
}

static void clear_enabled(struct vgic3_irq *irq)
{
	irq->enabled = false;
}

u64 vgic3_read_enable(const struct vgic3_access *a)
{
	return read_bits(a, get_enabled);
}

void vgic3_write_senable(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	write_set_bits(a, val, set_enabled);
	for (i = 0; i < a->len * 8; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if ((val & BIT_ULL(i)) && irq && vgic3_irq_pending(irq))
			kick_target(a, irq);
	}
}

void vgic3_write_cenable(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, clear_enabled);
}

static bool get_pending(const struct vgic3_irq *irq)
{
	return vgic3_irq_pending(irq);
}

static bool get_latch(const struct vgic3_irq *irq)
{
	return irq->pending_latch;
}

static void set_latch(struct vgic3_irq *irq)
{
	irq->pending_latch = true;
}

static void clear_latch(struct vgic3_irq *irq)
{
	irq->pending_latch = false;
}

/* The guest sees the line of a level interrupt as pending too. */
u64 vgic3_read_pending(const struct vgic3_access *a)
{
	return read_bits(a, get_pending);
}

/* Userspace saves and restores the latch and the line level apart. */
u64 vgic3_uread_pending(const struct vgic3_access *a)
{
	return read_bits(a, get_latch);
}

void vgic3_write_spending(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	write_set_bits(a, val, set_latch);
	for (i = 0; i < a->len * 8; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if ((val & BIT_ULL(i)) && irq && irq->enabled)
			kick_target(a, irq);
	}
}

void vgic3_write_cpending(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, clear_latch);
}

/* A userspace ISPENDR write restores the latch of all 32 INTIDs. */
int vgic3_uwrite_pending(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, set_latch);
	write_set_bits(a, ~val, clear_latch);
	return 0;
}

static bool get_active(const struct vgic3_irq *irq)
{
	return irq->active;
}

static void set_active(struct vgic3_irq *irq)
{
	irq->active = true;
}

static void clear_active(struct vgic3_irq *irq)
{
	irq->active = false;
}

u64 vgic3_read_active(const struct vgic3_access *a)
{
	return read_bits(a, get_active);
}

void vgic3_write_sactive(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, set_active);
}

void vgic3_write_cactive(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, clear_active);
}

u64 vgic3_read_priority(const struct vgic3_access *a)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if (irq)
			v |= (u64)irq->priority << (i * 8);
	}
	return v;
}

/* Only the implemented priority bits are kept (5, as in KVM). */
void vgic3_write_priority(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	for (i = 0; i < a->len; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if (irq)
			irq->priority = (val >> (i * 8)) &
					GENMASK(7, 8 - VGIC3_PRI_BITS);
	}
}

u64 vgic3_read_config(const struct vgic3_access *a)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len * 4; i++) {
		struct vgic3_irq *irq = irq_at(a, i);

		if (irq && irq->edge)
			v |= 2ULL << (i * 2);
	}
	return v;
}

/*
 * SGIs are edge by architecture; PPIs are level in KVM (the timers rely on
 * it), so ICFGR0/1 are read-only and only SPIs change.
 */
void vgic3_write_config(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	for (i = 0; i < a->len * 4; i++) {
		struct vgic3_irq *irq;

		if (a->intid + i < VGIC3_NR_PRIVATE)
			continue;
		irq = vgic3_get_irq(a->gic, a->cpu, a->intid + i);
		if (irq)
			irq->edge = !!(val & BIT_ULL(i * 2 + 1));
	}
}

/* GICD/GICR_PIDR2 report an architecture version 3 implementation. */
u64 vgic3_read_idregs(const struct vgic3_access *a)
{
	if ((a->offset & 0xffff) == GICD_PIDR2)
		return 0x3b;
	return 0;
}
