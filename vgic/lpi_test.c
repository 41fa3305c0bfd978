// SPDX-License-Identifier: GPL-2.0
/* KUnit: the LPI layer (property and pending tables). */
#include <kunit/test.h>
#include <linux/module.h>
#include "vgic_test.h"
#include "lpi.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define PROP	0x10000
#define PEND	0x20000

static struct vgic_t lpi_vm(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, true);

	vgic3_its_attached(t.gic);
	rd_set(&t, 0, GICR_PROPBASER, PROP | 15);
	rd_set(&t, 0, GICR_PENDBASER, PEND);
	return t;
}

/* As lpi_vm(), with EnableLPIs set on vCPU 0. */
static struct vgic_t lpi_vm_on(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	rd_set(&t, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	return t;
}

static void map_reads_priority_and_enable_from_property_table(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	t.vm->mem[PROP + 5] = 0xa1;
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_map(t.gic, 8192 + 5, 0));
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_set_pending(t.gic, 8192 + 5, true));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 5));
	vgic3_lpi_unmap(t.gic, 8192 + 5);
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 5));
	KUNIT_EXPECT_EQ(test, -ENOENT, vgic3_lpi_set_pending(t.gic, 8192 + 5, true));
}

static void map_refuses_non_lpi_intids(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_EXPECT_EQ(test, -EINVAL, vgic3_lpi_map(t.gic, 8191, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, vgic3_lpi_map(t.gic, 1 << 16, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, vgic3_lpi_map(t.gic, 8192, 7));
}

static void lpis_are_refcounted_by_mappings(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	vgic3_lpi_map(t.gic, 8200, 0);
	vgic3_lpi_map(t.gic, 8200, 0);
	vgic3_lpi_set_pending(t.gic, 8200, true);
	vgic3_lpi_unmap(t.gic, 8200);
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8200));
	vgic3_lpi_unmap(t.gic, 8200);
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8200));
}

static void save_pending_tables_writes_bits_not_first_kb(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	memset(t.vm->mem + PEND, 0x5a, SZ_1K);
	vgic3_lpi_map(t.gic, 8192 + 9, 0);
	vgic3_lpi_set_pending(t.gic, 8192 + 9, true);
	KUNIT_EXPECT_EQ(test, 0, vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL));
	KUNIT_EXPECT_EQ(test, 0x02, t.vm->mem[PEND + 1024 + 1]);
	KUNIT_EXPECT_EQ(test, 0x5a, t.vm->mem[PEND + 1023]);
	KUNIT_EXPECT_EQ(test, 0x5a, t.vm->mem[PEND]);
}

static void enable_lpis_reads_the_pending_table(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	vgic3_lpi_map(t.gic, 8192 + 3, 0);
	t.vm->mem[PEND + 1024] = 0x08;
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 3));
	rd_set(&t, 0, GICR_CTLR, 1);
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 3));
}

static void lpi_to_a_redistributor_without_enable_lpis_is_dropped(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_ASSERT_EQ(test, 0, vgic3_lpi_map(t.gic, 8192 + 7, 0));
	KUNIT_EXPECT_EQ(test, -EBUSY, vgic3_lpi_set_pending(t.gic, 8192 + 7, true));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 7));
	/* Clearing needs no EnableLPIs. */
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_set_pending(t.gic, 8192 + 7, false));
	rd_set(&t, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_set_pending(t.gic, 8192 + 7, true));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 7));
}

static void movall_moves_only_the_source_vcpus_lpis(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	vgic3_lpi_map(t.gic, 8192, 0);
	vgic3_lpi_map(t.gic, 8193, 1);
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_movall(t.gic, 0, 1));
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_invall(t.gic, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, vgic3_lpi_movall(t.gic, 0, 9));
}

static struct kunit_case lpi_cases[] = {
	KUNIT_CASE(map_reads_priority_and_enable_from_property_table),
	KUNIT_CASE(map_refuses_non_lpi_intids),
	KUNIT_CASE(lpis_are_refcounted_by_mappings),
	KUNIT_CASE(save_pending_tables_writes_bits_not_first_kb),
	KUNIT_CASE(enable_lpis_reads_the_pending_table),
	KUNIT_CASE(lpi_to_a_redistributor_without_enable_lpis_is_dropped),
	KUNIT_CASE(movall_moves_only_the_source_vcpus_lpis),
	{}
};

static struct kunit_suite lpi_suite = {
	.name = "kvm_vgic3_lpi",
	.test_cases = lpi_cases,
};
kunit_test_suite(lpi_suite);
