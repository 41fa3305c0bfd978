// SPDX-License-Identifier: GPL-2.0
/*
 * The redistributors: RD_base + SGI_base frames (128K per vCPU), their
 * register table, and how vCPUs are laid out in the redistributor regions.
 */
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <asm/kvm.h>
#include "regs.h"
#include "lpi.h"

#define PROPBASER_RES0_MASK						\
	(GENMASK_ULL(63, 59) | GENMASK_ULL(55, 52) | GENMASK_ULL(6, 5))
#define PENDBASER_RES0_MASK						\
	(BIT_ULL(63) | GENMASK_ULL(61, 59) | GENMASK_ULL(55, 52) |	\
	 GENMASK_ULL(15, 12) | GENMASK_ULL(6, 0))

/*
 * vCPUs fill the regions in index order, each taking the next free slot,
 * which is the order KVM registers redistributors in.
 */
unsigned int vgic3_rdreg_used(struct vgic3 *gic, struct vgic3_rdreg *rd)
{
	unsigned int left = vgic3_nr_vcpus_locked(gic), used = 0;
	struct vgic3_rdreg *r;

	list_for_each_entry(r, &gic->rdregs, list) {
		used = r->count ? min(r->count, left) : left;
		if (r == rd)
			return used;
		left -= used;
	}
	return 0;
}

struct vgic3_rdreg *vgic3_rdreg_of_cpu(struct vgic3 *gic, unsigned int idx,
				       unsigned int *slot)
{
	unsigned int left = vgic3_nr_vcpus_locked(gic), first = 0, used;
	struct vgic3_rdreg *r;

	if (idx >= left)
		return NULL;
	list_for_each_entry(r, &gic->rdregs, list) {
		used = r->count ? min(r->count, left - first) : left - first;
		if (idx < first + used) {
			*slot = idx - first;
			return r;
		}
		first += used;
	}
	return NULL;
}

/*
 * GICR_TYPER.Last: the last populated redistributor of a region, unless the
 * region is full and another populated region follows it contiguously.
 */
bool vgic3_redist_is_last(struct vgic3 *gic, unsigned int idx)
{
	struct vgic3_rdreg *rd, *r;
	unsigned int slot;
	u64 end;

	rd = vgic3_rdreg_of_cpu(gic, idx, &slot);
	if (!rd)
		return false;
	if (slot + 1 < vgic3_rdreg_used(gic, rd))
		return false;
	if (rd->count && slot == rd->count - 1) {
		end = rd->base + (u64)rd->count * KVM_VGIC_V3_REDIST_SIZE;
		list_for_each_entry(r, &gic->rdregs, list)
			if (r->base == end && vgic3_rdreg_used(gic, r))
				return false;
	}
	return true;
}

static u64 read_ctlr(const struct vgic3_access *a)
{
	u64 v = a->cpu->enable_lpis ? GICR_CTLR_ENABLE_LPIS : 0;

	if (a->gic->implementation_rev >= VGIC3_IMP_REV_3)
		v |= GICR_CTLR_IR | GICR_CTLR_CES;
	return v;
}

/* EnableLPIs reads the pending table in; it only moves with an ITS. */
static void write_ctlr(const struct vgic3_access *a, u64 val)
{
	struct vgic3_cpu *cpu = a->cpu;

	if (!a->gic->has_its)
		return;
	if (!(val & GICR_CTLR_ENABLE_LPIS)) {
		if (cpu->enable_lpis)
			vgic3_lpi_disable(a->gic, cpu);
		return;
	}
	if (!cpu->enable_lpis)
		vgic3_lpi_enable(a->gic, cpu);
}

static u64 read_iidr(const struct vgic3_access *a)
{
	return VGIC3_PRODUCT_ID_KVM << 24 | VGIC3_IMPLEMENTER_ARM;
}

/*
 * Processor_Number is the id userspace created the vCPU with, as in KVM;
 * Last follows the redistributor layout, which is in creation (index)
 * order. The ITS names vCPUs by index (RDbase, GITS_TYPER.PTA = 0): the
 * two agree only when the VMM numbers its vCPUs 0, 1, 2...
 */
static u64 read_typer(const struct vgic3_access *a)
{
	struct vgic3_cpu *cpu = a->cpu;
	u64 v;

	v = (cpu->mpidr & GENMASK_ULL(23, 0)) << 32;
	v |= (u64)(cpu->vcpu_id & 0xffff) << 8;
	if (a->gic->has_its)
		v |= GICR_TYPER_PLPIS;
	if (vgic3_redist_is_last(a->gic, cpu->idx))
		v |= GICR_TYPER_LAST;
	return vgic3_reg_extract(v, a->offset, a->len);
}

/* PROPBASER is one register shared by all redistributors, as in KVM. */
static u64 read_propbaser(const struct vgic3_access *a)
{
	return vgic3_reg_extract(a->gic->propbaser, a->offset, a->len);
}

/*
 * A write of part of GICR_PROPBASER or GICR_PENDBASER (whose memory
 * attribute fields sit at the same places): the new value of @reg, which
 * is unchanged with LPIs enabled (writing it then is UNPREDICTABLE).
 */
static_assert(GICR_PROPBASER_SHAREABILITY_SHIFT ==
	      GICR_PENDBASER_SHAREABILITY_SHIFT &&
	      GICR_PROPBASER_INNER_CACHEABILITY_SHIFT ==
	      GICR_PENDBASER_INNER_CACHEABILITY_SHIFT &&
	      GICR_PROPBASER_OUTER_CACHEABILITY_SHIFT ==
	      GICR_PENDBASER_OUTER_CACHEABILITY_SHIFT);

static u64 write_lpi_base(const struct vgic3_access *a, u64 reg, u64 val,
			  u64 res0)
{
	if (a->cpu->enable_lpis)
		return reg;
	reg = vgic3_reg_update(reg, a->offset, a->len, val);
	reg = vgic3_baser_sanitise(reg, GICR_PROPBASER_SHAREABILITY_SHIFT,
				   GICR_PROPBASER_INNER_CACHEABILITY_SHIFT,
				   GICR_PROPBASER_OUTER_CACHEABILITY_SHIFT);
	return reg & ~res0;
}

static void write_propbaser(const struct vgic3_access *a, u64 val)
{
	/* Read without the lock too: vgic3_lpi_nr_intids(). */
	WRITE_ONCE(a->gic->propbaser, write_lpi_base(a, a->gic->propbaser, val,
						     PROPBASER_RES0_MASK));
}

static u64 read_pendbaser(const struct vgic3_access *a)
{
	return vgic3_reg_extract(a->cpu->pendbaser & ~GICR_PENDBASER_PTZ,
				 a->offset, a->len);
}

static void write_pendbaser(const struct vgic3_access *a, u64 val)
{
	a->cpu->pendbaser = write_lpi_base(a, a->cpu->pendbaser, val,
					   PENDBASER_RES0_MASK);
}

/* The upper words address vPEs, which the model has none of. */
static void write_invlpir(const struct vgic3_access *a, u64 val)
{
	u32 intid = lower_32_bits(val);

	if ((a->offset & 4) || !a->cpu->enable_lpis || intid < VGIC3_LPI_BASE)
		return;
	vgic3_lpi_inv_locked(a->gic, intid);
}

static void write_invallr(const struct vgic3_access *a, u64 val)
{
	if ((a->offset & 4) || !a->cpu->enable_lpis)
		return;
	vgic3_lpi_invall_locked(a->gic, a->cpu->idx);
}

#define RD_REG(off, l, acc, rd, wr)					\
	{ .offset = (off), .len = (l), .access = (acc),			\
	  .read = (rd), .write = (wr) }
/* SGI frame per-IRQ registers: SGIs and PPIs of the redistributor's vCPU. */
#define SGI_REG(off, l, bpi, acc, rd, wr, urd, uwr)			\
	{ .offset = SZ_64K + (off), .len = (l), .bits_per_irq = (bpi),	\
	  .access = (acc), .read = (rd), .write = (wr),			\
	  .uread = (urd), .uwrite = (uwr) }

static const struct vgic3_reg redist_regs[] = {
	RD_REG(GICR_CTLR, 4, VGIC3_ACC_32, read_ctlr, write_ctlr),
	RD_REG(GICR_IIDR, 4, VGIC3_ACC_32, read_iidr, vgic3_write_wi),
	{ .offset = GICR_TYPER, .len = 8,
	  .access = VGIC3_ACC_32 | VGIC3_ACC_64,
	  .read = read_typer, .write = vgic3_write_wi,
	  .uwrite = vgic3_uwrite_wi },
	RD_REG(GICR_STATUSR, 4, VGIC3_ACC_32, vgic3_read_raz, vgic3_write_wi),
	RD_REG(GICR_WAKER, 4, VGIC3_ACC_32, vgic3_read_raz, vgic3_write_wi),
	RD_REG(GICR_PROPBASER, 8, VGIC3_ACC_32 | VGIC3_ACC_64,
	       read_propbaser, write_propbaser),
	RD_REG(GICR_PENDBASER, 8, VGIC3_ACC_32 | VGIC3_ACC_64,
	       read_pendbaser, write_pendbaser),
	RD_REG(GICR_INVLPIR, 8, VGIC3_ACC_32 | VGIC3_ACC_64,
	       vgic3_read_raz, write_invlpir),
	RD_REG(GICR_INVALLR, 8, VGIC3_ACC_32 | VGIC3_ACC_64,
	       vgic3_read_raz, write_invallr),
	/* Invalidations complete synchronously: never busy. */
	RD_REG(GICR_SYNCR, 4, VGIC3_ACC_32, vgic3_read_raz, vgic3_write_wi),
	RD_REG(GICR_IDREGS, 48, VGIC3_ACC_32, vgic3_read_idregs,
	       vgic3_write_wi),
	SGI_REG(GICR_IGROUPR0, 4, 1, VGIC3_ACC_32,
		vgic3_read_group, vgic3_write_group, NULL, NULL),
	SGI_REG(GICR_ISENABLER0, 4, 1, VGIC3_ACC_32,
		vgic3_read_enable, vgic3_write_senable, NULL, NULL),
	SGI_REG(GICR_ICENABLER0, 4, 1, VGIC3_ACC_32,
		vgic3_read_enable, vgic3_write_cenable, NULL, NULL),
	SGI_REG(GICR_ISPENDR0, 4, 1, VGIC3_ACC_32,
		vgic3_read_pending, vgic3_write_spending,
		vgic3_uread_pending, vgic3_uwrite_pending),
	SGI_REG(GICR_ICPENDR0, 4, 1, VGIC3_ACC_32,
		vgic3_read_pending, vgic3_write_cpending,
		vgic3_read_raz, vgic3_uwrite_wi),
	SGI_REG(GICR_ISACTIVER0, 4, 1, VGIC3_ACC_32,
		vgic3_read_active, vgic3_write_sactive, NULL, NULL),
	SGI_REG(GICR_ICACTIVER0, 4, 1, VGIC3_ACC_32,
		vgic3_read_active, vgic3_write_cactive, NULL, NULL),
	SGI_REG(GICR_IPRIORITYR0, 32, 8, VGIC3_ACC_32 | VGIC3_ACC_8,
		vgic3_read_priority, vgic3_write_priority, NULL, NULL),
	SGI_REG(GICR_ICFGR0, 8, 2, VGIC3_ACC_32,
		vgic3_read_config, vgic3_write_config, NULL, NULL),
	SGI_REG(GICR_IGRPMODR0, 4, 1, VGIC3_ACC_32,
		vgic3_read_raz, vgic3_write_wi, NULL, NULL),
	SGI_REG(GICR_NSACR, 4, 2, VGIC3_ACC_32,
		vgic3_read_raz, vgic3_write_wi, NULL, NULL),
};

const struct vgic3_frame vgic3_redist_frame = {
	.regs = redist_regs,
	.nr = ARRAY_SIZE(redist_regs),
};

/* The vCPU whose frames sit at @offset of region @rd, NULL if none. */
static struct vgic3_cpu *rd_cpu(struct vgic3_rdreg *rd, u64 offset)
{
	struct vgic3 *gic = rd->gic;
	unsigned int idx;

	for (idx = 0; idx < gic->nr_cpus; idx++) {
		unsigned int slot;

		if (vgic3_rdreg_of_cpu(gic, idx, &slot) == rd &&
		    slot == offset / KVM_VGIC_V3_REDIST_SIZE)
			return &gic->cpus[idx];
	}
	return NULL;
}

static void rd_mmio_read(struct vgic3_mmio_region *r, int vcpu, u64 offset,
			 unsigned int len, void *val)
{
	struct vgic3_rdreg *rd = container_of(r, struct vgic3_rdreg, mmio);
	struct vgic3_cpu *cpu;

	mutex_lock(&rd->gic->lock);
	cpu = rd_cpu(rd, offset);
	mutex_unlock(&rd->gic->lock);
	if (!cpu) {
		memset(val, 0, len);
		return;
	}
	vgic3_mmio_bus_read(rd->gic, &vgic3_redist_frame, cpu, vcpu,
			    offset % KVM_VGIC_V3_REDIST_SIZE, len, val);
}

static void rd_mmio_write(struct vgic3_mmio_region *r, int vcpu, u64 offset,
			  unsigned int len, const void *val)
{
	struct vgic3_rdreg *rd = container_of(r, struct vgic3_rdreg, mmio);
	struct vgic3_cpu *cpu;

	mutex_lock(&rd->gic->lock);
	cpu = rd_cpu(rd, offset);
	mutex_unlock(&rd->gic->lock);
	if (!cpu)
		return;
	vgic3_mmio_bus_write(rd->gic, &vgic3_redist_frame, cpu, vcpu,
			     offset % KVM_VGIC_V3_REDIST_SIZE, len, val);
}

void vgic3_rdreg_mmio_init(struct vgic3_rdreg *rd, u64 size)
{
	rd->mmio.base = rd->base;
	rd->mmio.size = size;
	rd->mmio.read = rd_mmio_read;
	rd->mmio.write = rd_mmio_write;
}
