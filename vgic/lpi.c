// SPDX-License-Identifier: GPL-2.0
/*
 * The LPI layer: LPIs exist while ITEs map them (refcounted, in an xarray
 * keyed by INTID); their configuration comes from the property table
 * (GICR_PROPBASER), their pending state from the target vCPU's pending
 * table (GICR_PENDBASER) when they are created and when EnableLPIs is set,
 * and goes back to it on SAVE_PENDING_TABLES.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/slab.h>
#include "internal.h"
#include "lpi.h"

#define LPI_MAX_INTID	(BIT(VGIC3_INTID_BITS) - 1)
#define LPI_PRIORITY(p)	((p) & 0xfc)

void vgic3_its_attached(struct vgic3 *gic)
{
	mutex_lock(&gic->lock);
	gic->has_its = true;
	gic->propbaser =
		GIC_BASER_CACHEABILITY(GICR_PROPBASER, INNER, RaWb) |
		GIC_BASER_CACHEABILITY(GICR_PROPBASER, OUTER, SameAsInner) |
		GIC_BASER_SHAREABILITY(GICR_PROPBASER, InnerShareable);
	mutex_unlock(&gic->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_attached);

static unsigned int nr_vcpus_locked(struct vgic3 *gic)
{
	return gic->initialized ? gic->nr_cpus :
	       gic->host.ops->nr_vcpus(&gic->host);
}

static struct vgic3_cpu *lpi_cpu(struct vgic3 *gic, struct vgic3_irq *irq)
{
	if (!gic->initialized || irq->target < 0 ||
	    irq->target >= gic->nr_cpus)
		return NULL;
	return &gic->cpus[irq->target];
}

/* Priority and enable from the LPI's byte of the property table. */
static int read_config(struct vgic3 *gic, struct vgic3_irq *irq)
{
	u64 gpa = GICR_PROPBASER_ADDRESS(gic->propbaser) + irq->intid -
		  VGIC3_LPI_BASE;
	u8 prop;
	int ret;

	ret = vgic3_read_guest(&gic->host, gpa, &prop, 1);
	if (ret)
		return ret;
	irq->priority = LPI_PRIORITY(prop);
	irq->enabled = prop & LPI_PROP_ENABLED;
	return 0;
}

/**
 * vgic3_lpi_config_readable - can @intid's property byte be read?
 * @gic: the vGICv3
 * @intid: an LPI
 *
 * KVM reads an LPI's configuration when an ITE names it, routed or not;
 * the model creates the LPI only once it is routed, and asks this for an
 * ITE that is not, so that MAPTI and RESTORE_TABLES fail alike.
 *
 * Return: 0 or -EFAULT.
 */
int vgic3_lpi_config_readable(struct vgic3 *gic, u32 intid)
{
	u64 gpa;
	u8 prop;

	mutex_lock(&gic->lock);
	gpa = GICR_PROPBASER_ADDRESS(gic->propbaser) + intid - VGIC3_LPI_BASE;
	mutex_unlock(&gic->lock);
	return vgic3_read_guest(&gic->host, gpa, &prop, 1);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_config_readable);

static int pending_byte(struct vgic3 *gic, struct vgic3_cpu *cpu, u32 intid,
			u64 *gpa, u8 *val)
{
	*gpa = GICR_PENDBASER_ADDRESS(cpu->pendbaser) + intid / 8;
	return vgic3_read_guest(&gic->host, *gpa, val, 1);
}

/*
 * A new LPI takes its pending bit from its target's pending table and
 * clears it there: the bit now lives in the LPI, and SAVE_PENDING_TABLES
 * writes it back. This happens whatever EnableLPIs and PTZ say, because
 * KVM does so when it creates an LPI (MAPTI, MAPI, RESTORE_TABLES): both
 * then leave the same pending state and the same table behind.
 */
static int take_pending_bit(struct vgic3 *gic, struct vgic3_cpu *cpu,
			    struct vgic3_irq *irq)
{
	u8 bit = BIT(irq->intid % 8);
	u64 gpa;
	u8 pend;
	int ret;

	ret = pending_byte(gic, cpu, irq->intid, &gpa, &pend);
	if (ret)
		return ret;
	irq->pending_latch = pend & bit;
	if (!irq->pending_latch)
		return 0;
	pend &= ~bit;
	return vgic3_write_guest(&gic->host, gpa, &pend, 1);
}

static void kick_vcpu(struct vgic3 *gic, int target)
{
	if (target >= 0 && gic->host.ops->kick)
		gic->host.ops->kick(&gic->host, target);
}

static void kick(struct vgic3 *gic, struct vgic3_irq *irq)
{
	kick_vcpu(gic, irq->target);
}

static bool lpi_intid_valid(u32 intid)
{
	return intid >= VGIC3_LPI_BASE && intid <= LPI_MAX_INTID;
}

struct vgic3_irq *vgic3_lpi_get(struct vgic3 *gic, u32 intid,
				unsigned int vcpu)
{
	struct vgic3_irq *irq;
	struct vgic3_cpu *cpu;
	int ret;

	if (!lpi_intid_valid(intid))
		return ERR_PTR(-EINVAL);
	mutex_lock(&gic->lock);
	if (vcpu >= nr_vcpus_locked(gic)) {
		irq = ERR_PTR(-EINVAL);
		goto out;
	}
	irq = xa_load(&gic->lpis, intid);
	if (irq) {
		irq->refs++;
		irq->target = vcpu;
		goto out;
	}
	irq = kzalloc(sizeof(*irq), GFP_KERNEL_ACCOUNT);
	if (!irq) {
		irq = ERR_PTR(-ENOMEM);
		goto out;
	}
	irq->intid = intid;
	irq->group = true;
	irq->edge = true;
	irq->target = vcpu;
	irq->refs = 1;
	ret = read_config(gic, irq);
	if (ret)
		goto free;
	cpu = lpi_cpu(gic, irq);
	if (cpu) {
		ret = take_pending_bit(gic, cpu, irq);
		if (ret)
			goto free;
	}
	ret = xa_err(xa_store(&gic->lpis, intid, irq, GFP_KERNEL_ACCOUNT));
	if (ret)
		goto free;
	if (irq->pending_latch && irq->enabled)
		kick(gic, irq);
	goto out;
free:
	kfree(irq);
	irq = ERR_PTR(ret);
out:
	mutex_unlock(&gic->lock);
	return irq;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_get);

void vgic3_lpi_put(struct vgic3 *gic, struct vgic3_irq *irq)
{
	mutex_lock(&gic->lock);
	if (!--irq->refs) {
		xa_erase(&gic->lpis, irq->intid);
		kfree(irq);
	}
	mutex_unlock(&gic->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_put);

int vgic3_lpi_retarget(struct vgic3 *gic, struct vgic3_irq *irq,
		       unsigned int vcpu)
{
	int ret = -EINVAL;

	mutex_lock(&gic->lock);
	if (vcpu < nr_vcpus_locked(gic)) {
		irq->target = vcpu;
		if (irq->pending_latch && irq->enabled)
			kick(gic, irq);
		ret = 0;
	}
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_retarget);

/*
 * INT, CLEAR and every MSI: the lock covers the latch only; the kick (an
 * IPI to a running vCPU) goes after it. A kick is a hint to re-evaluate:
 * one that reaches a vCPU the LPI has just moved away from is harmless,
 * and the move itself kicks the new target (vgic3_lpi_retarget()).
 */
static bool lpis_enabled_on(struct vgic3_cpu *cpu)
{
	return cpu && cpu->enable_lpis;
}

/**
 * vgic3_lpi_pend - set or clear the pending latch of a held LPI
 * @gic: the vGICv3
 * @irq: from vgic3_lpi_get(), reference still held
 * @pending: the new latch
 *
 * The MSI path: no lookup, one lock.
 *
 * Return: 0, or -EBUSY when @pending and the target's EnableLPIs is clear.
 */
int vgic3_lpi_pend(struct vgic3 *gic, struct vgic3_irq *irq, bool pending)
{
	int target = -1;
	int ret = 0;

	mutex_lock(&gic->lock);
	if (pending && !lpis_enabled_on(lpi_cpu(gic, irq))) {
		/*
		 * A redistributor with EnableLPIs clear takes no LPI: the
		 * interrupt is dropped (INT, MSI), as KVM does; CLEAR works.
		 */
		ret = -EBUSY;
	} else {
		irq->pending_latch = pending;
		if (pending && irq->enabled)
			target = irq->target;
	}
	mutex_unlock(&gic->lock);
	kick_vcpu(gic, target);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_pend);

bool vgic3_lpi_is_pending(struct vgic3 *gic, u32 intid)
{
	struct vgic3_irq *irq;
	bool pending;

	mutex_lock(&gic->lock);
	irq = xa_load(&gic->lpis, intid);
	pending = irq && irq->pending_latch;
	mutex_unlock(&gic->lock);
	return pending;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_is_pending);

int vgic3_lpi_inv_locked(struct vgic3 *gic, u32 intid)
{
	struct vgic3_irq *irq = xa_load(&gic->lpis, intid);

	return irq ? read_config(gic, irq) : -ENOENT;
}

int vgic3_lpi_reload(struct vgic3 *gic, struct vgic3_irq *irq)
{
	int ret;

	mutex_lock(&gic->lock);
	ret = read_config(gic, irq);
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_reload);

int vgic3_lpi_invall_locked(struct vgic3 *gic, unsigned int vcpu)
{
	struct vgic3_irq *irq;
	unsigned long intid;
	int ret;

	xa_for_each(&gic->lpis, intid, irq) {
		if (irq->target != vcpu)
			continue;
		ret = read_config(gic, irq);
		if (ret)
			return ret;
	}
	return 0;
}

int vgic3_lpi_invall(struct vgic3 *gic, unsigned int vcpu)
{
	int ret;

	mutex_lock(&gic->lock);
	ret = vgic3_lpi_invall_locked(gic, vcpu);
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_invall);

int vgic3_lpi_movall(struct vgic3 *gic, unsigned int from, unsigned int to)
{
	struct vgic3_irq *irq;
	unsigned long intid;
	int ret = 0;

	mutex_lock(&gic->lock);
	if (from >= nr_vcpus_locked(gic) || to >= nr_vcpus_locked(gic)) {
		ret = -EINVAL;
		goto out;
	}
	xa_for_each(&gic->lpis, intid, irq)
		if (irq->target == from)
			irq->target = to;
out:
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_movall);

u32 vgic3_lpi_nr_intids(struct vgic3 *gic)
{
	u32 idbits;

	mutex_lock(&gic->lock);
	idbits = FIELD_GET(GICR_PROPBASER_IDBITS_MASK, gic->propbaser) + 1;
	mutex_unlock(&gic->lock);
	return BIT(min_t(u32, idbits, VGIC3_INTID_BITS));
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_nr_intids);

/*
 * EnableLPIs 0 -> 1: the pending table of @cpu is read in, unless
 * GICR_PENDBASER.PTZ says it is all zeroes; then it is not read at all and
 * the LPIs keep the pending state they have, as in KVM. Unlike a new LPI's
 * bit, these bits are left in the table.
 */
int vgic3_lpi_enable(struct vgic3 *gic, struct vgic3_cpu *cpu)
{
	struct vgic3_irq *irq;
	unsigned long intid;
	u64 gpa, last = ~0ULL;
	u8 pend = 0;
	int ret;

	cpu->enable_lpis = true;
	if (cpu->pendbaser & GICR_PENDBASER_PTZ)
		return 0;
	xa_for_each(&gic->lpis, intid, irq) {
		if (irq->target != cpu->idx)
			continue;
		if (GICR_PENDBASER_ADDRESS(cpu->pendbaser) + intid / 8 != last) {
			ret = pending_byte(gic, cpu, intid, &gpa, &pend);
			if (ret)
				return ret;
			last = gpa;
		}
		irq->pending_latch = pend & BIT(intid % 8);
		if (irq->pending_latch && irq->enabled)
			kick(gic, irq);
	}
	return 0;
}

/*
 * EnableLPIs 1 -> 0: KVM drops the LPIs queued on the vCPU, which are the
 * enabled ones pending for it (nothing is ever delivered here, so none has
 * been acknowledged); pending disabled ones stay pending.
 */
void vgic3_lpi_disable(struct vgic3 *gic, struct vgic3_cpu *cpu)
{
	struct vgic3_irq *irq;
	unsigned long intid;

	cpu->enable_lpis = false;
	xa_for_each(&gic->lpis, intid, irq)
		if (irq->target == cpu->idx && irq->enabled)
			irq->pending_latch = false;
}

/*
 * SAVE_PENDING_TABLES: each LPI's pending bit goes to its vCPU's table.
 * Only bytes of mapped LPIs (INTID >= 8192) are touched, so the first 1KB
 * of each table stays as it was. Called with gic->lock held.
 */
int vgic3_save_pending_tables(struct vgic3 *gic)
{
	struct vgic3_irq *irq;
	unsigned long intid;
	u64 gpa, last = ~0ULL;
	u8 val = 0;
	int ret;

	if (!gic->initialized)
		return -ENXIO;
	xa_for_each(&gic->lpis, intid, irq) {
		struct vgic3_cpu *cpu = lpi_cpu(gic, irq);
		bool stored;

		if (!cpu)
			continue;
		gpa = GICR_PENDBASER_ADDRESS(cpu->pendbaser) + intid / 8;
		if (gpa != last) {
			ret = vgic3_read_guest(&gic->host, gpa, &val, 1);
			if (ret)
				return ret;
			last = gpa;
		}
		stored = val & BIT(intid % 8);
		if (stored == irq->pending_latch)
			continue;
		if (irq->pending_latch)
			val |= BIT(intid % 8);
		else
			val &= ~BIT(intid % 8);
		ret = vgic3_write_guest(&gic->host, gpa, &val, 1);
		if (ret)
			return ret;
	}
	return 0;
}

void vgic3_lpi_free_all(struct vgic3 *gic)
{
	struct vgic3_irq *irq;
	unsigned long intid;

	xa_for_each(&gic->lpis, intid, irq) {
		xa_erase(&gic->lpis, intid);
		kfree(irq);
	}
}
