// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ITS registers and attribute groups, for the guest (MMIO) and
 * for userspace (KVM_DEV_ARM_VGIC_GRP_*), per arm-vgic-its.rst and the
 * in-kernel ITS of Linux 6.12.
 */
#include <kunit/test.h>
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void iidr_reads_0x4b00043b(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, 0x4b00043bULL, its_get_reg(fx->its, GITS_IIDR));
	KUNIT_EXPECT_EQ(test, 0x4b00043bULL,
			fx_mmio_read(fx->its, GITS_IIDR, 4));
}

static void iidr_write_with_revision_1_is_einval(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			its_set_reg(fx->its, GITS_IIDR, 0x4b00143b));
	KUNIT_EXPECT_EQ(test, 0, its_set_reg(fx->its, GITS_IIDR, 0x4b00043b));
}

static void typer_reads_0x1ef71(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, 0x1ef71ULL, its_get_reg(fx->its, GITS_TYPER));
	KUNIT_EXPECT_EQ(test, 0x1ef71ULL,
			fx_mmio_read(fx->its, GITS_TYPER, 4));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_mmio_read(fx->its, GITS_TYPER + 4, 4));
}

static void ctlr_enable_needs_valid_cbaser_and_basers(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER + 8, FX_CT));
	KUNIT_EXPECT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_EQ(test, (u64)GITS_CTLR_QUIESCENT,
			its_get_reg(fx->its, GITS_CTLR));

	fx_program(fx, fx->its, false);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CBASER, FX_CMDQ));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_FALSE(test, its_get_reg(fx->its, GITS_CTLR) &
			   GITS_CTLR_ENABLE);

	fx_program(fx, fx->its, false);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_TRUE(test, its_get_reg(fx->its, GITS_CTLR) &
			  GITS_CTLR_ENABLE);
}

static void ctlr_is_not_quiescent_with_commands_pending(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fx_queue(fx, c_invall(0));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CTLR));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_EQ(test, (u64)(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT),
			its_get_reg(fx->its, GITS_CTLR));
	KUNIT_EXPECT_EQ(test, 32ULL, its_get_reg(fx->its, GITS_CREADR));
}

static void cbaser_write_resets_creadr_and_cwriter(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fx_queue(fx, c_invall(0));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CREADR, 0x40));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | FX_CMDQ | 1));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CWRITER));
	KUNIT_EXPECT_EQ(test, GITS_CBASER_VALID | FX_CMDQ | 1,
			its_get_reg(fx->its, GITS_CBASER) &
			~(GITS_CBASER_SHAREABILITY_MASK |
			  GITS_CBASER_INNER_CACHEABILITY_MASK |
			  GITS_CBASER_OUTER_CACHEABILITY_MASK));
}

static void cbaser_is_read_only_while_enabled(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 old = its_get_reg(fx->its, GITS_CBASER);

	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | 0x50000));
	KUNIT_EXPECT_EQ(test, old, its_get_reg(fx->its, GITS_CBASER));
}

static void cbaser_address_is_64k_aligned(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | 0x1f000));
	KUNIT_EXPECT_EQ(test, 0x10000ULL,
			GITS_CBASER_ADDRESS(its_get_reg(fx->its, GITS_CBASER)));
}

static void cwriter_at_or_beyond_queue_size_is_ignored(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_mmio_write(fx->its, GITS_CWRITER, 8, SZ_4K);
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CWRITER));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CWRITER, SZ_64K));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CWRITER));
	KUNIT_EXPECT_EQ(test, 0ULL,
			its_info_attr(fx->its,
				      KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
}

static void cwriter_attribute_write_processes_commands(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd c = c_mapc(1, 0, true);
	unsigned int i;

	for (i = 0; i < 4; i++)
		fake_poke64(fx->vm, FX_CMDQ + i * 8, c.w[i]);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CWRITER, 32));
	KUNIT_EXPECT_EQ(test, 32ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 1));
}

static void creadr_userspace_write_while_enabled_is_ebusy(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, -EBUSY, its_set_reg(fx->its, GITS_CREADR, 32));
}

static void creadr_userspace_write_beyond_queue_is_einval(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			its_set_reg(fx->its, GITS_CREADR, SZ_4K));
	KUNIT_EXPECT_EQ(test, 0, its_set_reg(fx->its, GITS_CREADR, 0xfe0));
	KUNIT_EXPECT_EQ(test, 0xfe0ULL, its_get_reg(fx->its, GITS_CREADR));
}

static void creadr_guest_write_is_ignored(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fx_mmio_write(fx->its, GITS_CREADR, 8, 0x40);
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CREADR));
}

static void baser_type_and_entry_size_are_read_only(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);
	u64 dt, ct;

	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER,
					     GITS_BASER_VALID | FX_DT |
					     GENMASK_ULL(58, 48)));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_BASER + 8,
				    GITS_BASER_VALID | FX_CT));
	dt = its_get_reg(fx->its, GITS_BASER);
	ct = its_get_reg(fx->its, GITS_BASER + 8);
	KUNIT_EXPECT_EQ(test, (u64)GITS_BASER_TYPE_DEVICE, GITS_BASER_TYPE(dt));
	KUNIT_EXPECT_EQ(test, 8, (int)GITS_BASER_ENTRY_SIZE(dt));
	KUNIT_EXPECT_EQ(test, (u64)GITS_BASER_TYPE_COLLECTION,
			GITS_BASER_TYPE(ct));
	KUNIT_EXPECT_EQ(test, 8, (int)GITS_BASER_ENTRY_SIZE(ct));
}

static void baser_page_size_is_64k(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER,
					     GITS_BASER_VALID | FX_DT |
					     GITS_BASER_PAGE_SIZE_4K));
	KUNIT_EXPECT_EQ(test, GITS_BASER_PAGE_SIZE_64K,
			its_get_reg(fx->its, GITS_BASER) &
			GITS_BASER_PAGE_SIZE_MASK);
}

static void baser_collection_table_is_flat_only(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, true, false);

	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER + 8,
					     GITS_BASER_VALID |
					     GITS_BASER_INDIRECT | FX_CT));
	KUNIT_EXPECT_FALSE(test, its_get_reg(fx->its, GITS_BASER + 8) &
			   GITS_BASER_INDIRECT);
	KUNIT_EXPECT_TRUE(test, its_get_reg(fx->its, GITS_BASER) &
			  GITS_BASER_INDIRECT);
}

static void baser2_to_7_are_raz_wi(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);
	unsigned int n;

	for (n = 2; n < GITS_BASER_NR_REGS; n++) {
		KUNIT_ASSERT_EQ(test, 0,
				its_set_reg(fx->its, GITS_BASER + n * 8,
					    ~0ULL));
		KUNIT_EXPECT_EQ(test, 0ULL,
				its_get_reg(fx->its, GITS_BASER + n * 8));
	}
}

static void baser_write_is_ignored_while_enabled(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 old = its_get_reg(fx->its, GITS_BASER);

	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_BASER, FX_DT + SZ_64K));
	KUNIT_EXPECT_EQ(test, old, its_get_reg(fx->its, GITS_BASER));
}

static void baser_change_drops_devices_rewrite_keeps_them(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 dt;

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 0));
	dt = its_get_reg(fx->its, GITS_BASER);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER, dt));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_dev(fx->its, 1));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER, dt | 1));
	KUNIT_EXPECT_NULL(test, fx_find_dev(fx->its, 1));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 0));
}

static void guest_32bit_write_updates_one_half(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fx_mmio_write(fx->its, GITS_BASER + 4, 4, 0x80000000);
	fx_mmio_write(fx->its, GITS_BASER, 4, FX_DT);
	KUNIT_EXPECT_EQ(test, GITS_BASER_VALID | FX_DT,
			its_get_reg(fx->its, GITS_BASER) &
			(GITS_BASER_VALID | GENMASK_ULL(47, 16)));
}

static void guest_bad_width_access_is_raz_wi(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, 0ULL, fx_mmio_read(fx->its, GITS_CTLR, 8));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_mmio_read(fx->its, GITS_IIDR, 2));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_mmio_read(fx->its, 0x40, 4));
	fx_mmio_write(fx->its, GITS_CTLR, 1, 0);
	KUNIT_EXPECT_TRUE(test, its_get_reg(fx->its, GITS_CTLR) &
			  GITS_CTLR_ENABLE);
}

static void pidr2_reports_gicv3(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, 0x3bULL, its_get_reg(fx->its, GITS_PIDR2));
	KUNIT_EXPECT_EQ(test, 0xb1ULL, fx_mmio_read(fx->its, GITS_CIDR3, 4));
}

static void regs_attr_misaligned_is_einval(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 val;

	KUNIT_EXPECT_EQ(test, -EINVAL, its_set_reg(fx->its, GITS_CTLR + 2, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_its_get_attr(fx->its,
					   KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_CBASER + 4, &val));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_its_has_attr(fx->its,
					   KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_TYPER + 4));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_has_attr(fx->its,
					   KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_PIDR2));
}

static void regs_attr_unknown_offset_is_enxio(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, -ENXIO, its_set_reg(fx->its, 0x10, 0));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_has_attr(fx->its,
					   KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_TRANSLATER));
}

static void regs_attr_before_address_is_enxio(struct kunit *test)
{
	struct its_fx *fx = fx_unplaced(test);
	struct vgic3_its *its = fx->its;
	u64 val;

	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_get_attr(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_IIDR, &val));
	KUNIT_EXPECT_EQ(test, VGIC3_ADDR_UNDEF, its_addr_attr(test, its));
}

static void state_changing_attrs_with_running_vcpu_are_ebusy(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx->vm->vcpu_running = true;
	KUNIT_EXPECT_EQ(test, -EBUSY, its_set_reg(fx->its, GITS_CTLR, 0));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			its_ctrl_attr(fx->its, KVM_DEV_ARM_ITS_CTRL_RESET));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			its_ctrl_attr(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			its_ctrl_attr(fx->its, KVM_DEV_ARM_ITS_RESTORE_TABLES));
	KUNIT_EXPECT_EQ(test, 0,
			its_ctrl_attr(fx->its, KVM_DEV_ARM_VGIC_CTRL_INIT));
	fx->vm->vcpu_running = false;
	KUNIT_EXPECT_TRUE(test, its_get_reg(fx->its, GITS_CTLR) &
			  GITS_CTLR_ENABLE);
}

static void addr_maps_the_128k_frame(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 1U, fx->vm->nr_regions);
	KUNIT_EXPECT_EQ(test, FX_BASE, fx->vm->regions[0]->base);
	KUNIT_EXPECT_EQ(test, (u64)SZ_128K, fx->vm->regions[0]->size);
	KUNIT_EXPECT_EQ(test, FX_BASE, its_addr_attr(test, fx->its));
}

static void addr_set_twice_is_eexist(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 addr = FX_BASE + SZ_1M;

	KUNIT_EXPECT_EQ(test, -EEXIST,
			vgic3_its_set_attr(fx->its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &addr));
}

static void addr_rules_einval_e2big_enodev(struct kunit *test)
{
	struct its_fx *fx = fx_unplaced(test);
	struct vgic3_its *its = fx->its;
	struct fake_vm *vm = fx->vm;
	u64 addr;

	addr = FX_BASE + SZ_4K;
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &addr));
	addr = BIT_ULL(40) - SZ_64K;
	KUNIT_EXPECT_EQ(test, -E2BIG,
			vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &addr));
	addr = FX_BASE;
	KUNIT_EXPECT_EQ(test, -ENODEV,
			vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_V3_ADDR_TYPE_DIST, &addr));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_has_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_V3_ADDR_TYPE_DIST));
	KUNIT_EXPECT_EQ(test, 0U, vm->nr_regions);
	addr = BIT_ULL(40) - SZ_128K;
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &addr));
	/* Destroyed now, not at the test's end: its frame goes with it. */
	kunit_release_action(test, fx_destroy_its, its);
	KUNIT_EXPECT_EQ(test, 0U, vm->nr_regions);
}

static void ctrl_get_is_enxio(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 val;

	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_get_attr(fx->its, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_SAVE_TABLES, &val));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_has_attr(fx->its, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_CTRL_RESET));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_attr_width(KVM_DEV_ARM_VGIC_GRP_CTRL,
					     KVM_DEV_ARM_ITS_CTRL_RESET));
	KUNIT_EXPECT_EQ(test, 8,
			vgic3_its_attr_width(KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					     GITS_CTLR));
}

static void info_group_is_read_only(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 val = 0;

	KUNIT_EXPECT_EQ(test, (u64)KVM_VGIC3_INFO_ABI_VERSION,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_VERSION));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_has_attr(fx->its, KVM_DEV_ARM_VGIC3_GRP_INFO,
					   KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			vgic3_its_set_attr(fx->its, KVM_DEV_ARM_VGIC3_GRP_INFO,
					   KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS,
					   &val));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_get_attr(fx->its, KVM_DEV_ARM_VGIC3_GRP_INFO,
					   99, &val));
}

static struct kunit_case its_regs_cases[] = {
	KUNIT_CASE(iidr_reads_0x4b00043b),
	KUNIT_CASE(iidr_write_with_revision_1_is_einval),
	KUNIT_CASE(typer_reads_0x1ef71),
	KUNIT_CASE(ctlr_enable_needs_valid_cbaser_and_basers),
	KUNIT_CASE(ctlr_is_not_quiescent_with_commands_pending),
	KUNIT_CASE(cbaser_write_resets_creadr_and_cwriter),
	KUNIT_CASE(cbaser_is_read_only_while_enabled),
	KUNIT_CASE(cbaser_address_is_64k_aligned),
	KUNIT_CASE(cwriter_at_or_beyond_queue_size_is_ignored),
	KUNIT_CASE(cwriter_attribute_write_processes_commands),
	KUNIT_CASE(creadr_userspace_write_while_enabled_is_ebusy),
	KUNIT_CASE(creadr_userspace_write_beyond_queue_is_einval),
	KUNIT_CASE(creadr_guest_write_is_ignored),
	KUNIT_CASE(baser_type_and_entry_size_are_read_only),
	KUNIT_CASE(baser_page_size_is_64k),
	KUNIT_CASE(baser_collection_table_is_flat_only),
	KUNIT_CASE(baser2_to_7_are_raz_wi),
	KUNIT_CASE(baser_write_is_ignored_while_enabled),
	KUNIT_CASE(baser_change_drops_devices_rewrite_keeps_them),
	KUNIT_CASE(guest_32bit_write_updates_one_half),
	KUNIT_CASE(guest_bad_width_access_is_raz_wi),
	KUNIT_CASE(pidr2_reports_gicv3),
	KUNIT_CASE(regs_attr_misaligned_is_einval),
	KUNIT_CASE(regs_attr_unknown_offset_is_enxio),
	KUNIT_CASE(regs_attr_before_address_is_enxio),
	KUNIT_CASE(state_changing_attrs_with_running_vcpu_are_ebusy),
	KUNIT_CASE(addr_maps_the_128k_frame),
	KUNIT_CASE(addr_set_twice_is_eexist),
	KUNIT_CASE(addr_rules_einval_e2big_enodev),
	KUNIT_CASE(ctrl_get_is_enxio),
	KUNIT_CASE(info_group_is_read_only),
	{}
};

static struct kunit_suite its_regs_suite = {
	.name = "kvm_vgic3_its_regs",
	.test_cases = its_regs_cases,
};

kunit_test_suite(its_regs_suite);
