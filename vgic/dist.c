// SPDX-License-Identifier: GPL-2.0
/*
 * The distributor frame (64K): its register table and the handlers only
 * the distributor has (GICD_CTLR/TYPER/IIDR/TYPER2, IROUTER).
 */
#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include "regs.h"

/* INTID bits GICD_TYPER.IDbits reports without and with an ITS. */
#define VGIC3_ID_BITS_SPIS	10
#define VGIC3_ID_BITS_LPIS	16

static u64 read_misc(const struct vgic3_access *a)
{
	struct vgic3 *gic = a->gic;
	u32 v = 0;

	switch (a->offset & 0xc) {
	case GICD_CTLR:
		if (gic->enabled)
			v |= GICD_CTLR_ENABLE_SS_G1;
		v |= GICD_CTLR_ARE_NS | GICD_CTLR_DS;
		break;
	case GICD_TYPER:
		v = (vgic3_nr_irqs(gic) >> 5) - 1;
		if (gic->has_its)
			v |= (VGIC3_ID_BITS_LPIS - 1) << 19 | GICD_TYPER_LPIS;
		else
			v |= (VGIC3_ID_BITS_SPIS - 1) << 19;
		break;
	case GICD_TYPER2:
		/* No GICv4.1 vSGIs: nASSGIcap is 0. */
		break;
	case GICD_IIDR:
		v = VGIC3_PRODUCT_ID_KVM << GICD_IIDR_PRODUCT_ID_SHIFT |
		    gic->implementation_rev << GICD_IIDR_REVISION_SHIFT |
		    VGIC3_IMPLEMENTER_ARM << GICD_IIDR_IMPLEMENTER_SHIFT;
		break;
	}
	return v;
}

/*
 * While the distributor is disabled, KVM's core queues nothing and prunes
 * what was queued, and its own enable path only kicks vCPUs that still
 * have queued work: an interrupt that was pending all along would wait for
 * some unrelated event to be queued again. The architecture delivers it
 * once EnableGrp1 is set, so every interrupt is offered to the core again.
 */
static void requeue_all(struct vgic3 *gic)
{
	unsigned int i, j;

	for (i = 0; i < gic->nr_cpus; i++)
		for (j = 0; j < VGIC3_NR_PRIVATE; j++)
			vgic3_irq_requeue(&gic->host, &gic->cpus[i].priv[j]);
	for (i = 0; gic->spis && i < gic->nr_spis; i++)
		vgic3_irq_requeue(&gic->host, &gic->spis[i]);
}

/* KVM's core reads EnableGrp1 (dist->enabled) when it delivers. */
static void set_enabled(struct vgic3 *gic, bool enabled)
{
	bool was = gic->enabled;

	gic->enabled = enabled;
	gic->host.ops->core_enable(&gic->host, enabled);
	if (enabled && !was && gic->initialized)
		requeue_all(gic);
}

static void write_misc(const struct vgic3_access *a, u64 val)
{
	/* TYPER, TYPER2 and IIDR are read-only for the guest. */
	if ((a->offset & 0xc) != GICD_CTLR)
		return;
	set_enabled(a->gic, val & GICD_CTLR_ENABLE_SS_G1);
}

/*
 * Userspace may restore GICD_IIDR with another revision (2 or 3) to pick
 * the behaviour the source VM had; every other field must match, and
 * TYPER2 must be written back unchanged.
 */
static int uwrite_misc(const struct vgic3_access *a, u64 val)
{
	struct vgic3 *gic = a->gic;
	u32 rev;

	switch (a->offset & 0xc) {
	case GICD_CTLR:
		set_enabled(gic, val & GICD_CTLR_ENABLE_SS_G1);
		return 0;
	case GICD_TYPER2:
		return val == read_misc(a) ? 0 : -EINVAL;
	case GICD_IIDR:
		if ((read_misc(a) ^ val) & ~GICD_IIDR_REVISION_MASK)
			return -EINVAL;
		rev = FIELD_GET(GICD_IIDR_REVISION_MASK, val);
		if (rev != VGIC3_IMP_REV_2 && rev != VGIC3_IMP_REV_3)
			return -EINVAL;
		gic->implementation_rev = rev;
		return 0;
	}
	return 0;
}

/* IROUTER: Aff2..Aff0 kept; Aff3 and IRM are not implemented (RAZ/WI). */
static u64 read_irouter(const struct vgic3_access *a)
{
	struct vgic_irq *irq = vgic3_get_irq(a->gic, NULL, a->intid);
	struct vgic3_irq_view view;

	if (!irq || (a->offset & 4))
		return 0;
	vgic3_irq_read(irq, &view);
	return vgic3_reg_extract(view.mpidr, 0, a->len);
}

/* An affinity no vCPU has leaves the SPI with no target: never delivered. */
static void write_irouter(const struct vgic3_access *a, u64 val)
{
	struct vgic_irq *irq = vgic3_get_irq(a->gic, NULL, a->intid);
	u32 mpidr = val & GENMASK(23, 0);
	int idx;

	if (!irq || (a->offset & 4))
		return;
	idx = vgic3_mpidr_to_vcpu(a->gic, mpidr);
	vgic3_irq_set_route(&a->gic->host, irq, mpidr,
			    idx < 0 ? NULL : a->gic->cpus[idx].vcpu);
}

/*
 * A per-IRQ register family: the part covering SGIs and PPIs is RAZ/WI in
 * the distributor (they live in the redistributors), the rest covers SPIs.
 * (checkpatch: COMPLEX_MACRO and MACRO_ARG_REUSE: it expands to two table
 * entries, which no parentheses can enclose, from constant arguments.)
 */
#define DIST_PER_IRQ(off, bpi, acc, rd, wr, urd, uwr)			\
	{								\
		.offset = (off), .len = (bpi) * VGIC3_NR_PRIVATE / 8,	\
		.bits_per_irq = (bpi), .access = (acc),			\
		.read = vgic3_read_raz, .write = vgic3_write_wi,	\
	}, {								\
		.offset = (off) + (bpi) * VGIC3_NR_PRIVATE / 8,		\
		.len = (bpi) * (1024 - VGIC3_NR_PRIVATE) / 8,		\
		.bits_per_irq = (bpi), .intid0 = VGIC3_NR_PRIVATE,	\
		.access = (acc), .read = (rd), .write = (wr),		\
		.uread = (urd), .uwrite = (uwr),			\
	}

static const struct vgic3_reg dist_regs[] = {
	{ .offset = GICD_CTLR, .len = 16, .access = VGIC3_ACC_32,
	  .read = read_misc, .write = write_misc, .uwrite = uwrite_misc },
	/* KVM reads GICD_STATUSR as all ones. */
	{ .offset = GICD_STATUSR, .len = 4, .access = VGIC3_ACC_32,
	  .read = vgic3_read_rao, .write = vgic3_write_wi },
	DIST_PER_IRQ(GICD_IGROUPR, 1, VGIC3_ACC_32,
		     vgic3_read_group, vgic3_write_group, NULL, NULL),
	DIST_PER_IRQ(GICD_ISENABLER, 1, VGIC3_ACC_32,
		     vgic3_read_enable, vgic3_write_senable, NULL, NULL),
	DIST_PER_IRQ(GICD_ICENABLER, 1, VGIC3_ACC_32,
		     vgic3_read_enable, vgic3_write_cenable, NULL, NULL),
	DIST_PER_IRQ(GICD_ISPENDR, 1, VGIC3_ACC_32,
		     vgic3_read_pending, vgic3_write_spending,
		     vgic3_uread_pending, vgic3_uwrite_pending),
	DIST_PER_IRQ(GICD_ICPENDR, 1, VGIC3_ACC_32,
		     vgic3_read_pending, vgic3_write_cpending,
		     vgic3_read_raz, vgic3_uwrite_wi),
	DIST_PER_IRQ(GICD_ISACTIVER, 1, VGIC3_ACC_32,
		     vgic3_read_active, vgic3_write_sactive, NULL, NULL),
	DIST_PER_IRQ(GICD_ICACTIVER, 1, VGIC3_ACC_32,
		     vgic3_read_active, vgic3_write_cactive, NULL, NULL),
	DIST_PER_IRQ(GICD_IPRIORITYR, 8, VGIC3_ACC_32 | VGIC3_ACC_8,
		     vgic3_read_priority, vgic3_write_priority, NULL, NULL),
	DIST_PER_IRQ(GICD_ITARGETSR, 8, VGIC3_ACC_32 | VGIC3_ACC_8,
		     vgic3_read_raz, vgic3_write_wi, NULL, NULL),
	DIST_PER_IRQ(GICD_ICFGR, 2, VGIC3_ACC_32,
		     vgic3_read_config, vgic3_write_config, NULL, NULL),
	DIST_PER_IRQ(GICD_IGRPMODR, 1, VGIC3_ACC_32,
		     vgic3_read_raz, vgic3_write_wi, NULL, NULL),
	DIST_PER_IRQ(GICD_IROUTER, 64, VGIC3_ACC_32 | VGIC3_ACC_64,
		     read_irouter, write_irouter, NULL, NULL),
	{ .offset = GICD_IDREGS, .len = 48, .access = VGIC3_ACC_32,
	  .read = vgic3_read_idregs, .write = vgic3_write_wi },
};

const struct vgic3_frame vgic3_dist_frame = {
	.regs = dist_regs,
	.nr = ARRAY_SIZE(dist_regs),
};

static struct vgic3 *dist_gic(struct vgic3_mmio_region *r)
{
	return container_of(r, struct vgic3, dist_mmio);
}

static void dist_mmio_read(struct vgic3_mmio_region *r, int vcpu,
			   u64 offset, unsigned int len, void *val)
{
	vgic3_mmio_bus_read(dist_gic(r), &vgic3_dist_frame, NULL, vcpu, offset, len,
			    val);
}

static void dist_mmio_write(struct vgic3_mmio_region *r, int vcpu,
			    u64 offset, unsigned int len, const void *val)
{
	vgic3_mmio_bus_write(dist_gic(r), &vgic3_dist_frame, NULL, vcpu, offset,
			     len, val);
}

void vgic3_dist_mmio_init(struct vgic3 *gic)
{
	gic->dist_mmio.base = gic->dist_base;
	gic->dist_mmio.size = SZ_64K;
	gic->dist_mmio.read = dist_mmio_read;
	gic->dist_mmio.write = dist_mmio_write;
}
