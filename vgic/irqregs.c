// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers of the per-IRQ registers the distributor (SPIs) and the SGI
 * frame (SGIs, PPIs) share: IGROUPR, IS/ICENABLER, IS/ICPENDR,
 * IS/ICACTIVER, IPRIORITYR, ICFGR. Every handler runs under gic->lock and
 * reaches KVM's struct vgic_irq through the accessor layer (irq.h) only.
 */
#include <linux/bitops.h>
#include <linux/irqchip/arm-gic-v3.h>
#include "regs.h"

static struct vgic_irq *irq_at(const struct vgic3_access *a, unsigned int i)
{
	return vgic3_get_irq(a->gic, a->cpu, a->intid + i);
}

static struct vgic3_host *host_of(const struct vgic3_access *a)
{
	return &a->gic->host;
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
		     bool (*get)(const struct vgic3_access *a,
				 struct vgic_irq *irq,
				 const struct vgic3_irq_view *v))
{
	struct vgic3_irq_view view;
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq)
			continue;
		vgic3_irq_read(irq, &view);
		if (get(a, irq, &view))
			v |= BIT_ULL(i);
	}
	return v;
}

/* Apply @set to the INTIDs whose bit is set in @val. */
static void write_set_bits(const struct vgic3_access *a, u64 val,
			   void (*set)(const struct vgic3_access *a,
				       struct vgic_irq *irq))
{
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic_irq *irq;

		if (!(val & BIT_ULL(i)))
			continue;
		irq = irq_at(a, i);
		if (irq)
			set(a, irq);
	}
}

static bool get_group(const struct vgic3_access *a, struct vgic_irq *irq,
		      const struct vgic3_irq_view *v)
{
	return v->group;
}

u64 vgic3_read_group(const struct vgic3_access *a)
{
	return read_bits(a, get_group);
}

void vgic3_write_group(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	for (i = 0; i < a->len * 8; i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq)
			vgic3_irq_set_group(host_of(a), irq,
					    val & BIT_ULL(i));
	}
}

static bool get_enabled(const struct vgic3_access *a, struct vgic_irq *irq,
			const struct vgic3_irq_view *v)
{
	return v->enabled;
}

static void set_enabled(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_set_enabled(host_of(a), irq, true, !a->user);
}

static void clear_enabled(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_set_enabled(host_of(a), irq, false, !a->user);
}

u64 vgic3_read_enable(const struct vgic3_access *a)
{
	return read_bits(a, get_enabled);
}

void vgic3_write_senable(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, set_enabled);
}

void vgic3_write_cenable(const struct vgic3_access *a, u64 val)
{
	write_set_bits(a, val, clear_enabled);
}

static bool get_pending(const struct vgic3_access *a, struct vgic_irq *irq,
			const struct vgic3_irq_view *v)
{
	return vgic3_irq_get_pending(host_of(a), irq, !a->user);
}

static bool get_latch(const struct vgic3_access *a, struct vgic_irq *irq,
		      const struct vgic3_irq_view *v)
{
	return v->latch;
}

static void set_latch(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_set_pending(host_of(a), irq, !a->user);
}

static void clear_latch(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_clear_pending(host_of(a), irq, !a->user);
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
	write_set_bits(a, val, set_latch);
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

static bool get_active(const struct vgic3_access *a, struct vgic_irq *irq,
		       const struct vgic3_irq_view *v)
{
	return v->active;
}

static void set_active(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_set_active(host_of(a), irq, true, !a->user);
}

static void clear_active(const struct vgic3_access *a, struct vgic_irq *irq)
{
	vgic3_irq_set_active(host_of(a), irq, false, !a->user);
}

/*
 * A running vCPU may hold the interrupt in a list register, where its
 * active state changes without the vGIC seeing it: a guest access to an
 * active register stops every vCPU first (their list registers are synced
 * back), unless it is a vCPU reaching its own SGIs and PPIs, which cannot
 * be in another's list registers. Userspace accesses need none of this:
 * no vCPU runs.
 */
static bool active_needs_halt(const struct vgic3_access *a)
{
	if (a->user)
		return false;
	return !a->cpu || a->cpu->idx != a->requester;
}

static void active_access(const struct vgic3_access *a, u64 val,
			  void (*set)(const struct vgic3_access *a,
				      struct vgic_irq *irq))
{
	bool halt = active_needs_halt(a);

	if (halt)
		a->gic->host.ops->halt(host_of(a));
	write_set_bits(a, val, set);
	if (halt)
		a->gic->host.ops->resume(host_of(a));
}

u64 vgic3_read_active(const struct vgic3_access *a)
{
	bool halt = active_needs_halt(a);
	u64 v;

	if (halt)
		a->gic->host.ops->halt(host_of(a));
	v = read_bits(a, get_active);
	if (halt)
		a->gic->host.ops->resume(host_of(a));
	return v;
}

void vgic3_write_sactive(const struct vgic3_access *a, u64 val)
{
	active_access(a, val, set_active);
}

void vgic3_write_cactive(const struct vgic3_access *a, u64 val)
{
	active_access(a, val, clear_active);
}

u64 vgic3_read_priority(const struct vgic3_access *a)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len; i++) {
		struct vgic_irq *irq = irq_at(a, i);

		struct vgic3_irq_view view;

		if (!irq)
			continue;
		vgic3_irq_read(irq, &view);
		v |= (u64)view.priority << (i * 8);
	}
	return v;
}

/* Only the implemented priority bits are kept (5, as in KVM). */
void vgic3_write_priority(const struct vgic3_access *a, u64 val)
{
	unsigned int i;

	for (i = 0; i < a->len; i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq)
			vgic3_irq_set_priority(irq, (val >> (i * 8)) &
					       GENMASK(7, 8 - VGIC3_PRI_BITS));
	}
}

u64 vgic3_read_config(const struct vgic3_access *a)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < a->len * 4; i++) {
		struct vgic_irq *irq = irq_at(a, i);
		struct vgic3_irq_view view;

		if (!irq)
			continue;
		vgic3_irq_read(irq, &view);
		if (view.edge)
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
		struct vgic_irq *irq;

		if (a->intid + i < VGIC3_NR_PRIVATE)
			continue;
		irq = irq_at(a, i);
		if (irq)
			vgic3_irq_set_edge(irq, val & BIT_ULL(i * 2 + 1));
	}
}

/* GICD/GICR_PIDR2 report an architecture version 3 implementation. */
u64 vgic3_read_idregs(const struct vgic3_access *a)
{
	if ((a->offset & 0xffff) == GICD_PIDR2)
		return 0x3b;
	return 0;
}
