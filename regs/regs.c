// SPDX-License-Identifier: GPL-2.0
/* Register helpers both models share (regs.h). */
#include <kunit/visibility.h>
#include <linux/irqchip/arm-gic-v3.h>
#include "regs.h"

/*
 * The register of frame @f that covers byte @offset, NULL if none. A
 * binary search written out rather than bsearch(): every guest access to
 * a frame runs it (inlined in vgic3_reg_find()), and bsearch() makes an
 * indirect call per step.
 */
static inline const struct vgic3_reg *reg_search(const struct vgic3_frame *f,
						 u32 offset)
{
	unsigned int lo = 0, hi = f->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct vgic3_reg *r = &f->regs[mid];

		if (offset < r->offset)
			hi = mid;
		else if (offset - r->offset >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* What reg_search() finds, for the attribute paths. */
const struct vgic3_reg *vgic3_reg_at(const struct vgic3_frame *f, u32 offset)
{
	return reg_search(f, offset);
}

/**
 * vgic3_reg_find - the register an access of @len bytes at @offset hits
 * @f: the frame
 * @offset: byte offset in the frame
 * @len: access width
 *
 * Return: the descriptor, or NULL when nothing is there, the width is not
 * one the register allows, or the access is unaligned (all of which the
 * architecture makes RAZ/WI).
 */
const struct vgic3_reg *vgic3_reg_find(const struct vgic3_frame *f,
				       u32 offset, unsigned int len)
{
	const struct vgic3_reg *r;

	if (!vgic3_acc_allows(VGIC3_ACC_8 | VGIC3_ACC_32 | VGIC3_ACC_64, len) ||
	    offset & (len - 1))
		return NULL;
	r = reg_search(f, offset);
	if (!r || !vgic3_acc_allows(r->access, len))
		return NULL;
	return r;
}

/* Per-IRQ registers: the first INTID the byte at @offset covers. */
u32 vgic3_reg_intid(const struct vgic3_reg *r, u32 offset)
{
	if (!r->bits_per_irq)
		return 0;
	return r->intid0 + (offset - r->offset) * 8 / r->bits_per_irq;
}

/**
 * vgic3_baser_sanitise - the memory attributes KVM keeps in a base register
 * @reg: GICR_PROPBASER, GICR_PENDBASER, GITS_CBASER or GITS_BASER<n>
 * @shareability_shift: where the register's Shareability field is
 * @inner_shift: where its InnerCache field is
 * @outer_shift: where its OuterCache field is
 *
 * (checkpatch CAMELCASE: GIC_BASER_CACHE_nCnB and its kin are
 * <linux/irqchip/arm-gic-v3.h>'s names.)
 *
 * Outer Shareable reads back as Inner Shareable, an inner non-cacheable
 * mapping as read-allocate write-back, and an outer cacheability other
 * than Non-cacheable as Same as inner, as in the in-kernel vgic.
 *
 * Return: @reg with those fields sanitised.
 */
u64 vgic3_baser_sanitise(u64 reg, unsigned int shareability_shift,
			 unsigned int inner_shift, unsigned int outer_shift)
{
	u64 sh = (reg >> shareability_shift) & GIC_BASER_SHAREABILITY_MASK;
	u64 ic = (reg >> inner_shift) & GIC_BASER_CACHE_MASK;
	u64 oc = (reg >> outer_shift) & GIC_BASER_CACHE_MASK;

	if (sh == GIC_BASER_OuterShareable)
		sh = GIC_BASER_InnerShareable;
	if (ic == GIC_BASER_CACHE_nCnB || ic == GIC_BASER_CACHE_nC)
		ic = GIC_BASER_CACHE_RaWb;
	if (oc != GIC_BASER_CACHE_SameAsInner && oc != GIC_BASER_CACHE_nC)
		oc = GIC_BASER_CACHE_SameAsInner;
	reg &= ~((GIC_BASER_SHAREABILITY_MASK << shareability_shift) |
		 (GIC_BASER_CACHE_MASK << inner_shift) |
		 (GIC_BASER_CACHE_MASK << outer_shift));
	return reg | sh << shareability_shift | ic << inner_shift |
	       oc << outer_shift;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_baser_sanitise);
