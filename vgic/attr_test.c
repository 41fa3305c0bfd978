// SPDX-License-Identifier: GPL-2.0
/* KUnit: attribute groups of the vGICv3 device, with KVM's errnos. */
#include <kunit/test.h>
#include <linux/kvm_vgic3.h>
#include <linux/module.h>
#include "vgic_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void second_v3_device_is_eexist(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);

	KUNIT_EXPECT_EQ(test, -EEXIST, vgic3_dev_create(t.gic));
}

/* NR_IRQS: a multiple of 32, from 64 to 1024 - 32 (ITLinesNumber). */
struct nr_irqs_case {
	u64 nr_irqs;
	int ret;
};

static const struct nr_irqs_case nr_irqs_cases[] = {
	{ 100, -EINVAL }, { 32, -EINVAL }, { 1024, -EINVAL }, { 992, 0 },
};

static void nr_irqs_case_desc(const struct nr_irqs_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "NR_IRQS %llu", c->nr_irqs);
}

KUNIT_ARRAY_PARAM(nr_irqs, nr_irqs_cases, nr_irqs_case_desc);

static void nr_irqs_rejects_non_multiple_of_32(struct kunit *test)
{
	const struct nr_irqs_case *c = test->param_value;
	struct vgic_t t = vgic_t_new(test, 1, false);
	u64 v = c->nr_irqs;

	KUNIT_EXPECT_EQ(test, c->ret,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				       &v));
}

static void nr_irqs_is_ebusy_once_set_or_initialised(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v = 64;

	KUNIT_EXPECT_EQ(test, -EBUSY,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				       &v));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				       &v));
	KUNIT_EXPECT_EQ(test, 128, v);
}

static void init_defaults_to_256_irqs_and_twice_is_harmless(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				       &v));
	KUNIT_EXPECT_EQ(test, 256, v);
}

static void addr_set_twice_is_eexist(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);

	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x80000));
	KUNIT_EXPECT_EQ(test, -EEXIST,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x90000));
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0xa0000));
	KUNIT_EXPECT_EQ(test, -EEXIST,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0xe0000));
}

static void addr_misaligned_is_einval_beyond_ipa_is_e2big(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x81000));
	KUNIT_EXPECT_EQ(test, -E2BIG,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_DIST, 1ULL << 40));
	KUNIT_EXPECT_EQ(test, -ENXIO, addr_set(&t, 42, 0));
}

static void redist_region_index_must_be_next(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, false);
	u64 r = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;

	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, r, region_attr(1, 0x100000, 0, 1)));
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, r, region_attr(1, 0x100000, 0, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, r, region_attr(1, 0x200000, 0, 2)));
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, r, region_attr(1, 0x200000, 0, 1)));
}

static void redist_region_count_0_flags_or_overlap_is_einval(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, false);
	u64 r = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;

	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, r, region_attr(0, 0x100000, 0, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, r, region_attr(1, 0x100000, 1, 0)));
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, r, region_attr(2, 0x100000, 0, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, r, region_attr(1, 0x120000, 0, 1)));
}

static void redist_region_read_back_by_index(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, false);
	u64 r = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;
	u64 v;

	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, r, region_attr(1, 0x100000, 0, 0)));
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, r, region_attr(3, 0x300000, 0, 1)));
	v = 1;
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_ADDR, r,
				       &v));
	KUNIT_EXPECT_EQ(test, region_attr(3, 0x300000, 0, 1), v);
	v = 2;
	KUNIT_EXPECT_EQ(test, -ENOENT,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_ADDR, r,
				       &v));
}

static void redist_and_redist_region_do_not_mix(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, false);

	KUNIT_EXPECT_EQ(test, 0, addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				 region_attr(2, 0x100000, 0, 0)));
	t = vgic_t_new(test, 2, false);
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				 region_attr(2, 0x100000, 0, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x400000));
}

static void frames_are_mapped_once_initialised_and_placed(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, false);

	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x80000));
	KUNIT_EXPECT_EQ(test, 0, t.vm->nr_regions);
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	KUNIT_EXPECT_EQ(test, 1, t.vm->nr_regions);
	/* QEMU: redistributors placed after INIT */
	KUNIT_EXPECT_EQ(test, 0,
			addr_set(&t, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0xa0000));
	KUNIT_EXPECT_EQ(test, 2, t.vm->nr_regions);
	KUNIT_EXPECT_NOT_NULL(test, vgic_t_region(&t, 0xa0000));
	KUNIT_EXPECT_EQ(test, 2 * KVM_VGIC_V3_REDIST_SIZE,
			vgic_t_region(&t, 0xa0000)->size);
}

static void regs_are_ebusy_before_init_or_while_running(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);
	u64 v;

	KUNIT_EXPECT_EQ(test, -EBUSY,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				       GICD_CTLR, &v));
	t = vgic_t_new(test, 1, true);
	t.vm->vcpu_running = true;
	KUNIT_EXPECT_EQ(test, -EBUSY,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				       GICD_CTLR, &v));
	KUNIT_EXPECT_EQ(test, -EBUSY, vgic3_set_attr(t.gic,
						     KVM_DEV_ARM_VGIC_GRP_CTRL,
			KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL));
}

static void regs_naming_no_vcpu_are_einval(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v;

	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				       vgic_t_attr_mpidr(5) | GICR_TYPER, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_has_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       vgic_t_attr_mpidr(5)));
}

static void has_attr_unknown_or_unaligned_offset_is_enxio(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	struct vgic3 *g = t.gic;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				       GICD_CTLR));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 2));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				       0x20));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				       SZ_64K + GICR_ISENABLER0));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				       SZ_64K + 0x4));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_has_attr(g, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES));
	KUNIT_EXPECT_EQ(test, -ENXIO, vgic3_has_attr(g, 99, 0));
}

static void save_pending_tables_before_init_is_enxio(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);

	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				       NULL));
}

static void level_info_needs_multiple_of_32_and_info_0(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       33, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       1 << 10 | 32, &v));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       1 << 10));
}

static void level_info_sgis_and_beyond_nr_irqs_are_raz_wi(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v = ~0ULL;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       0, &v));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       0, &v));
	KUNIT_EXPECT_EQ(test, 0xffff0000, v);	/* PPIs are level */
	v = ~0ULL;
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       128, &v));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       128, &v));
	KUNIT_EXPECT_EQ(test, 0, v);
}

static u64 sysreg_attr(unsigned int vcpu, u32 op0, u32 op1, u32 crn, u32 crm,
		       u32 op2)
{
	return vgic_t_attr_mpidr(vcpu) | op0 << 14 | op1 << 11 | crn << 7 |
	       crm << 3 | op2;
}

static void cpu_sysregs_match_kvm_reset_values(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 5), &v));
	KUNIT_EXPECT_EQ(test, 7, v); /* ICC_SRE */
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 4), &v));
	KUNIT_EXPECT_EQ(test, 0x8c00, v);		/* ICC_CTLR */
	/* 5 priority bits: only AP0R0/AP1R0 */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 8, 5), &v));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_has_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 8, 5)));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 0)));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 0), &v));
}

static void icc_sre_write_without_sre_is_einval(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v = 6;

	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 5), &v));
}

static void icc_bpr1_aliases_bpr0_plus_1_with_cbpr(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u64 v = 3;

	/* BPR0 */
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 8, 3), &v));
	v = 0x8c00 | ICC_CTLR_EL1_CBPR_MASK;
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 4), &v));
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				       sysreg_attr(0, 3, 0, 12, 12, 3), &v));
	KUNIT_EXPECT_EQ(test, 4, v);
}

static void info_group_reports_abi_version(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, false);
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 8,
			vgic3_attr_width(KVM_DEV_ARM_VGIC3_GRP_INFO, 0));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_get_attr(t.gic, KVM_DEV_ARM_VGIC3_GRP_INFO,
				       KVM_DEV_ARM_VGIC3_INFO_VERSION, &v));
	KUNIT_EXPECT_EQ(test, KVM_VGIC3_INFO_ABI_VERSION, v);
}

static void attr_widths_follow_the_abi(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 4,
			vgic3_attr_width(KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0));
	KUNIT_EXPECT_EQ(test, 8,
			vgic3_attr_width(KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, 0));
	KUNIT_EXPECT_EQ(test, 8,
			vgic3_attr_width(KVM_DEV_ARM_VGIC_GRP_ADDR, 0));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_attr_width(KVM_DEV_ARM_VGIC_GRP_CTRL, 0));
}

static struct kunit_case attr_cases[] = {
	KUNIT_CASE(second_v3_device_is_eexist),
	KUNIT_CASE_PARAM(nr_irqs_rejects_non_multiple_of_32, nr_irqs_gen_params),
	KUNIT_CASE(nr_irqs_is_ebusy_once_set_or_initialised),
	KUNIT_CASE(init_defaults_to_256_irqs_and_twice_is_harmless),
	KUNIT_CASE(addr_set_twice_is_eexist),
	KUNIT_CASE(addr_misaligned_is_einval_beyond_ipa_is_e2big),
	KUNIT_CASE(redist_region_index_must_be_next),
	KUNIT_CASE(redist_region_count_0_flags_or_overlap_is_einval),
	KUNIT_CASE(redist_region_read_back_by_index),
	KUNIT_CASE(redist_and_redist_region_do_not_mix),
	KUNIT_CASE(frames_are_mapped_once_initialised_and_placed),
	KUNIT_CASE(regs_are_ebusy_before_init_or_while_running),
	KUNIT_CASE(regs_naming_no_vcpu_are_einval),
	KUNIT_CASE(has_attr_unknown_or_unaligned_offset_is_enxio),
	KUNIT_CASE(save_pending_tables_before_init_is_enxio),
	KUNIT_CASE(level_info_needs_multiple_of_32_and_info_0),
	KUNIT_CASE(level_info_sgis_and_beyond_nr_irqs_are_raz_wi),
	KUNIT_CASE(cpu_sysregs_match_kvm_reset_values),
	KUNIT_CASE(icc_sre_write_without_sre_is_einval),
	KUNIT_CASE(icc_bpr1_aliases_bpr0_plus_1_with_cbpr),
	KUNIT_CASE(info_group_reports_abi_version),
	KUNIT_CASE(attr_widths_follow_the_abi),
	{}
};

static struct kunit_suite attr_suite = {
	.name = "kvm_vgic3_attr",
	.test_cases = attr_cases,
};

kunit_test_suite(attr_suite);
