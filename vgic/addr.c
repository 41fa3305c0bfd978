// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_ARM_VGIC_GRP_ADDR: the distributor base, the legacy REDIST base
 * (one region sized by the vCPUs) and REDIST_REGION (u64: count[63:52]
 * base[51:16] flags[15:12] index[11:0]), with KVM's checks and errnos.
 */
#include <linux/bitfield.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <asm/kvm.h>
#include "internal.h"

#define RDIST_INDEX_MASK	GENMASK_ULL(11, 0)
#define RDIST_FLAGS_MASK	GENMASK_ULL(15, 12)
#define RDIST_BASE_MASK		GENMASK_ULL(51, 16)
#define RDIST_COUNT_MASK	GENMASK_ULL(63, 52)

/* EEXIST, then alignment/wrap (EINVAL), then the IPA space (E2BIG). */
static int check_iorange(struct vgic3 *gic, u64 cur, u64 addr, u64 align,
			 u64 size)
{
	unsigned int ipa = gic->host.ops->ipa_bits(&gic->host);
	u64 limit = ipa >= 64 ? ~0ULL : BIT_ULL(ipa);

	if (cur != VGIC3_ADDR_UNDEF)
		return -EEXIST;
	if (!IS_ALIGNED(addr, align) || !IS_ALIGNED(size, align))
		return -EINVAL;
	if (addr + size < addr)
		return -EINVAL;
	if (addr >= limit || addr + size > limit)
		return -E2BIG;
	return 0;
}

static u64 rdreg_size(struct vgic3 *gic, struct vgic3_rdreg *rd)
{
	u64 n = rd->count ? rd->count : vgic3_nr_vcpus_locked(gic);

	return n * KVM_VGIC_V3_REDIST_SIZE;
}

static bool overlaps_rdregs(struct vgic3 *gic, u64 base, u64 size)
{
	struct vgic3_rdreg *rd;

	list_for_each_entry(rd, &gic->rdregs, list)
		if (base + size > rd->base &&
		    base < rd->base + rdreg_size(gic, rd))
			return true;
	return false;
}

static bool overlaps_dist(struct vgic3 *gic, u64 base, u64 size)
{
	return gic->dist_base != VGIC3_ADDR_UNDEF &&
	       base + size > gic->dist_base &&
	       base < gic->dist_base + KVM_VGIC_V3_DIST_SIZE;
}

static struct vgic3_rdreg *rdreg_by_index(struct vgic3 *gic, u32 index)
{
	struct vgic3_rdreg *rd;

	list_for_each_entry(rd, &gic->rdregs, list)
		if (rd->index == index)
			return rd;
	return NULL;
}

/*
 * A new region: index 0 first, then each index the next one; the legacy
 * REDIST (count 0) once and never mixed with REDIST_REGION; no overlap.
 * Called with gic->lock held.
 */
static int add_rdreg(struct vgic3 *gic, u32 index, u64 base, u32 count,
		     struct vgic3_rdreg **out)
{
	u64 size = count ? (u64)count * KVM_VGIC_V3_REDIST_SIZE :
		   (u64)vgic3_nr_vcpus_locked(gic) * KVM_VGIC_V3_REDIST_SIZE;
	struct vgic3_rdreg *rd, *last;
	int ret;

	lockdep_assert_held(&gic->lock);
	if (base + size < base)
		return -EINVAL;
	if (list_empty(&gic->rdregs)) {
		if (index != 0)
			return -EINVAL;
	} else {
		last = list_last_entry(&gic->rdregs, struct vgic3_rdreg, list);
		if (!count && last->count)
			return -EINVAL;
		if (!count)
			return -EEXIST;
		if (index != last->index + 1)
			return -EINVAL;
	}
	if (!count && overlaps_dist(gic, base, size))
		return -EINVAL;
	if (overlaps_rdregs(gic, base, size))
		return -EINVAL;
	ret = check_iorange(gic, VGIC3_ADDR_UNDEF, base, SZ_64K, size);
	if (ret)
		return ret;

	rd = kzalloc(sizeof(*rd), GFP_KERNEL_ACCOUNT);
	if (!rd)
		return -ENOMEM;
	rd->gic = gic;
	rd->base = base;
	rd->count = count;
	rd->index = index;
	list_add_tail(&rd->list, &gic->rdregs);
	/*
	 * vCPUs that get their redistributor here must not sit on top of the
	 * distributor (KVM checks when it registers them).
	 */
	if (vgic3_rdreg_used(gic, rd) && gic->dist_base != VGIC3_ADDR_UNDEF &&
	    overlaps_rdregs(gic, gic->dist_base, KVM_VGIC_V3_DIST_SIZE)) {
		list_del(&rd->list);
		kfree(rd);
		return -EINVAL;
	}
	*out = rd;
	return 0;
}

/* Undo a region whose frames could not go on the bus. */
static void drop_rdreg(struct vgic3 *gic, struct vgic3_rdreg *rd)
{
	mutex_lock(&gic->lock);
	if (!rd->mapped) {
		list_del(&rd->list);
		kfree(rd);
	}
	mutex_unlock(&gic->lock);
}

static int set_redist(struct vgic3 *gic, u32 index, u64 base, u32 count)
{
	struct vgic3_rdreg *rd = NULL;
	int ret;

	mutex_lock(&gic->lock);
	ret = add_rdreg(gic, index, base, count, &rd);
	mutex_unlock(&gic->lock);
	if (ret)
		return ret;
	ret = vgic3_map_frames(gic);
	if (ret)
		drop_rdreg(gic, rd);
	return ret;
}

static int set_dist(struct vgic3 *gic, u64 addr)
{
	int ret;

	mutex_lock(&gic->lock);
	ret = check_iorange(gic, gic->dist_base, addr, SZ_64K,
			    KVM_VGIC_V3_DIST_SIZE);
	if (!ret)
		gic->dist_base = addr;
	mutex_unlock(&gic->lock);
	if (ret)
		return ret;
	ret = vgic3_map_frames(gic);
	if (ret) {
		mutex_lock(&gic->lock);
		if (!gic->dist_mapped)
			gic->dist_base = VGIC3_ADDR_UNDEF;
		mutex_unlock(&gic->lock);
	}
	return ret;
}

int vgic3_addr_set(struct vgic3 *gic, u64 attr, u64 val)
{
	/* KVM keeps the region index in a u8: the upper index bits vanish. */
	u8 index = val & RDIST_INDEX_MASK;

	switch (attr) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		return set_dist(gic, val);
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		return set_redist(gic, 0, val, 0);
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		if (!FIELD_GET(RDIST_COUNT_MASK, val) ||
		    FIELD_GET(RDIST_FLAGS_MASK, val))
			return -EINVAL;
		return set_redist(gic, index, val & RDIST_BASE_MASK,
				  FIELD_GET(RDIST_COUNT_MASK, val));
	}
	return -ENXIO;
}

int vgic3_addr_get(struct vgic3 *gic, u64 attr, u64 *val)
{
	struct vgic3_rdreg *rd;
	u8 index = *val & RDIST_INDEX_MASK;
	int ret = 0;

	mutex_lock(&gic->lock);
	switch (attr) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		*val = gic->dist_base;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		rd = list_first_entry_or_null(&gic->rdregs,
					      struct vgic3_rdreg, list);
		*val = rd ? rd->base : VGIC3_ADDR_UNDEF;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		rd = rdreg_by_index(gic, index);
		if (!rd) {
			ret = -ENOENT;
			break;
		}
		*val = index | rd->base |
		       FIELD_PREP(RDIST_COUNT_MASK, (u64)rd->count);
		break;
	default:
		ret = -ENXIO;
	}
	mutex_unlock(&gic->lock);
	return ret;
}
