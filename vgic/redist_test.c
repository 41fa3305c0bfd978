// SPDX-License-Identifier: GPL-2.0
/* KUnit: redistributor RD and SGI frames, region layout. */
#include <kunit/test.h>
#include <linux/module.h>
#include "vgic_test.h"
#include "lpi.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void typer_last_on_last_vcpu_of_legacy_region(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 3, true);

	KUNIT_ASSERT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x100000));
	KUNIT_EXPECT_EQ(test, 0x000, rd_get(test, &t, 0, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 0x100, rd_get(test, &t, 1, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 0x210, rd_get(test, &t, 2, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 2, rd_get(test, &t, 2, GICR_TYPER + 4));
}

/*
 * Two regions of two redistributors each, the second at @base2: Last is
 * set on the last redistributor of each region (vCPUs 1 and 2), unless the
 * next region starts where it ends.
 */
struct last_case {
	const char *layout;
	u64 base2;
	bool last[3];
};

static const struct last_case last_cases[] = {
	{ "apart", 0x400000, { false, true, true } },
	{ "contiguous", 0x140000, { false, false, true } },
};

static void last_case_desc(const struct last_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "regions %s", c->layout);
}

KUNIT_ARRAY_PARAM(last, last_cases, last_case_desc);

static void typer_last_on_last_redist_of_each_region(struct kunit *test)
{
	const struct last_case *c = test->param_value;
	struct vgic_t t = vgic_t_new(test, 3, true);
	u64 r = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;
	int i;

	KUNIT_ASSERT_EQ(test, 0,
			addr_set(&t, r, region_attr(2, 0x100000, 0, 0)));
	KUNIT_ASSERT_EQ(test, 0,
			addr_set(&t, r, region_attr(2, c->base2, 0, 1)));
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, c->last[i],
				    !!(rd_get(test, &t, i, GICR_TYPER) &
				       GICR_TYPER_LAST), "vCPU %d", i);
}

/* A VM whose vCPUs were created with the ids @ids, in that order. */
static struct vgic_t sparse_id_vm(struct kunit *test, const u32 *ids,
				  unsigned int n)
{
	struct vgic_t t = vgic_t_new(test, n, false);

	t.vm->vcpu_ids = ids;
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	return t;
}

/* REDIST_REGS of the vCPU created with id @id (its MPIDR names it). */
static u32 rd_get_by_id(struct kunit *test, struct vgic_t *t, u32 id, u32 off)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				       fake_mpidr_of_id(id) << 32 | off, &v));
	return v;
}

static void typer_processor_number_is_the_vcpu_id(struct kunit *test)
{
	static const u32 ids[] = { 0, 5, 17 };
	struct vgic_t t = sparse_id_vm(test, ids, ARRAY_SIZE(ids));
	struct vgic3_mmio_region *r;

	KUNIT_ASSERT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x100000));
	KUNIT_EXPECT_EQ(test, 0x500, rd_get_by_id(test, &t, 5, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 5, rd_get_by_id(test, &t, 5, GICR_TYPER + 4));
	KUNIT_EXPECT_EQ(test, 0x1100 | GICR_TYPER_LAST,
			rd_get_by_id(test, &t, 17, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 0x101,
			rd_get_by_id(test, &t, 17, GICR_TYPER + 4));
	r = vgic_t_region(&t, 0x100000);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, 5ULL << 32 | 0x500,
			mmio_rd(r, KVM_VGIC_V3_REDIST_SIZE + GICR_TYPER, 8));
}

static void typer_last_follows_the_creation_order_not_the_id(struct kunit *test)
{
	static const u32 ids[] = { 7, 2 };
	struct vgic_t t = sparse_id_vm(test, ids, ARRAY_SIZE(ids));

	KUNIT_ASSERT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x100000));
	KUNIT_EXPECT_EQ(test, 0x700, rd_get_by_id(test, &t, 7, GICR_TYPER));
	KUNIT_EXPECT_EQ(test, 0x200 | GICR_TYPER_LAST,
			rd_get_by_id(test, &t, 2, GICR_TYPER));
}

static void redist_frames_are_laid_out_in_creation_order(struct kunit *test)
{
	static const u32 ids[] = { 3, 0 };
	struct vgic_t t = sparse_id_vm(test, ids, ARRAY_SIZE(ids));
	struct vgic3_mmio_region *r;
	u64 v = 1;

	r = vgic_t_place(test, &t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x100000);
	/* The attribute names the vCPU by MPIDR: id 3 is the first frame. */
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				       fake_mpidr_of_id(3) << 32 | SZ_64K |
					       GICR_ICENABLER0,
				       &v));
	KUNIT_EXPECT_EQ(test, 0xfffe, mmio_rd(r, SZ_64K + GICR_ISENABLER0, 4));
	KUNIT_EXPECT_EQ(test, 0xffff, mmio_rd(r, KVM_VGIC_V3_REDIST_SIZE +
					      SZ_64K + GICR_ISENABLER0, 4));
	KUNIT_EXPECT_EQ(test, 3ULL << 32 | 0x300, mmio_rd(r, GICR_TYPER, 8));
}

static void sgi_frame_resets_sgis_enabled_edge_ppis_level(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0xffff,
			rd_get(test, &t, 0, SZ_64K + GICR_ISENABLER0));
	KUNIT_EXPECT_EQ(test, 0xaaaaaaaa,
			rd_get(test, &t, 0, SZ_64K + GICR_ICFGR0));
	KUNIT_EXPECT_EQ(test, 0, rd_get(test, &t, 0, SZ_64K + GICR_ICFGR0 + 4));
	KUNIT_EXPECT_EQ(test, 0xffffffff,
			rd_get(test, &t, 0, SZ_64K + GICR_IGROUPR0));
}

static void icfgr0_and_icfgr1_are_read_only(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_ASSERT_EQ(test, 0,
			rd_set(&t, 0, SZ_64K + GICR_IPRIORITYR0 + 4,
			       0xf8f8f8f8));
	KUNIT_EXPECT_EQ(test, 0,
			rd_get(test, &t, 0, SZ_64K + GICR_IPRIORITYR0));
	KUNIT_EXPECT_EQ(test, 0xf8f8f8f8,
			rd_get(test, &t, 0, SZ_64K + GICR_IPRIORITYR0 + 4));
	KUNIT_ASSERT_EQ(test, 0,
			rd_set(&t, 0, SZ_64K + GICR_ICFGR0 + 4, 0xaaaaaaaa));
	KUNIT_EXPECT_EQ(test, 0, rd_get(test, &t, 0, SZ_64K + GICR_ICFGR0 + 4));
}

static void iidr_and_pidr2_identify_kvm_gicv3(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0x4b00043b, rd_get(test, &t, 0, GICR_IIDR));
	KUNIT_EXPECT_EQ(test, 0x3b, rd_get(test, &t, 0, GICD_PIDR2));
}

static void ctlr_enable_lpis_needs_an_its(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_CTLR, 1));
	KUNIT_EXPECT_EQ(test, 0x6, rd_get(test, &t, 0, GICR_CTLR));
	vgic3_its_attached(t.gic);
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_CTLR, 1));
	KUNIT_EXPECT_EQ(test, 0x7, rd_get(test, &t, 0, GICR_CTLR));
}

static void bases_are_ignored_with_lpis_enabled(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	vgic3_its_attached(t.gic);
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PENDBASER, 0x10000));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_CTLR, 1));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PENDBASER, 0x20000));
	KUNIT_EXPECT_EQ(test, 0x10000, rd_get(test, &t, 0, GICR_PENDBASER) &
			~0xfffULL);
}

static void pendbaser_resets_to_kvm_value(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0x580, rd_get(test, &t, 0, GICR_PENDBASER));
}

static void redistributor_frames_reach_their_vcpu(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, true);
	struct vgic3_mmio_region *r;

	r = vgic_t_place(test, &t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x100000);
	KUNIT_EXPECT_EQ(test, 1ULL << 32 | 0x110,
			mmio_rd(r, KVM_VGIC_V3_REDIST_SIZE + GICR_TYPER, 8));
	mmio_wr(r, KVM_VGIC_V3_REDIST_SIZE + SZ_64K + GICR_ICENABLER0, 4, 1);
	KUNIT_EXPECT_EQ(test, 0xfffe,
			rd_get(test, &t, 1, SZ_64K + GICR_ISENABLER0));
	KUNIT_EXPECT_EQ(test, 0xffff,
			rd_get(test, &t, 0, SZ_64K + GICR_ISENABLER0));
}

static struct kunit_case redist_cases[] = {
	KUNIT_CASE(typer_last_on_last_vcpu_of_legacy_region),
	KUNIT_CASE_PARAM(typer_last_on_last_redist_of_each_region,
			 last_gen_params),
	KUNIT_CASE(typer_processor_number_is_the_vcpu_id),
	KUNIT_CASE(typer_last_follows_the_creation_order_not_the_id),
	KUNIT_CASE(redist_frames_are_laid_out_in_creation_order),
	KUNIT_CASE(sgi_frame_resets_sgis_enabled_edge_ppis_level),
	KUNIT_CASE(icfgr0_and_icfgr1_are_read_only),
	KUNIT_CASE(iidr_and_pidr2_identify_kvm_gicv3),
	KUNIT_CASE(ctlr_enable_lpis_needs_an_its),
	KUNIT_CASE(bases_are_ignored_with_lpis_enabled),
	KUNIT_CASE(pendbaser_resets_to_kvm_value),
	KUNIT_CASE(redistributor_frames_reach_their_vcpu),
	{}
};

static struct kunit_suite redist_suite = {
	.name = "kvm_vgic3_redist",
	.test_cases = redist_cases,
};

kunit_test_suite(redist_suite);
