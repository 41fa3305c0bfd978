// SPDX-License-Identifier: GPL-2.0
/* KUnit: distributor registers, through userspace and guest MMIO. */
#include <kunit/test.h>
#include <linux/module.h>
#include "vgic_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void typer_reports_nr_irqs_and_10_id_bits(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, (9 << 19) | 3, dist_get(test, &t, GICD_TYPER));
}

static void ctlr_reports_are_and_ds_and_keeps_grp1(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0x50, dist_get(test, &t, GICD_CTLR));
	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_CTLR, 0xff));
	KUNIT_EXPECT_EQ(test, 0x52, dist_get(test, &t, GICD_CTLR));
}

static void iidr_write_back_selects_revision(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	u32 iidr = dist_get(test, &t, GICD_IIDR);

	KUNIT_EXPECT_EQ(test, 0x4b00343b, iidr);
	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_IIDR, 0x4b00243b));
	KUNIT_EXPECT_EQ(test, 0x4b00243b, dist_get(test, &t, GICD_IIDR));
	KUNIT_EXPECT_EQ(test, -EINVAL, dist_set(&t, GICD_IIDR, 0x4b00143b));
	KUNIT_EXPECT_EQ(test, -EINVAL, dist_set(&t, GICD_IIDR, 0x4c00343b));
	KUNIT_EXPECT_EQ(test, -EINVAL, dist_set(&t, GICD_TYPER2, 1));
}

static void statusr_reads_as_ones_like_kvm(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0xffffffff, dist_get(test, &t, GICD_STATUSR));
}

static void icpendr_is_raz_wi_from_userspace(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_ISPENDR + 4, 0xf));
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, GICD_ICPENDR + 4));
	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_ICPENDR + 4, 0xf));
	KUNIT_EXPECT_EQ(test, 0xf, dist_get(test, &t, GICD_ISPENDR + 4));
}

static void ispendr_userspace_write_restores_the_latch(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, GICD_ISPENDR + 4, 0xff));
	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, GICD_ISPENDR + 4, 0x0f));
	KUNIT_EXPECT_EQ(test, 0x0f, dist_get(test, &t, GICD_ISPENDR + 4));
}

static void level_line_and_latch_are_kept_apart(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	struct vgic3_mmio_region *d;
	u64 v = 1;

	d = vgic_t_place(test, &t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x80000);
	/* SPIs reset to edge: make SPI 32 level (ICFGR 0b00), line high */
	mmio_wr(d, GICD_ICFGR + 8, 4, 0);
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				       32, &v));
	KUNIT_EXPECT_EQ(test, 1, mmio_rd(d, GICD_ISPENDR + 4, 4));
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, GICD_ISPENDR + 4));
	mmio_wr(d, GICD_ICPENDR + 4, 4, 1);
	KUNIT_EXPECT_EQ(test, 1, mmio_rd(d, GICD_ISPENDR + 4, 4));
}

static void ipriorityr_keeps_5_bits_and_allows_byte_access(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	struct vgic3_mmio_region *d;

	d = vgic_t_place(test, &t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x80000);
	mmio_wr(d, GICD_IPRIORITYR + 33, 1, 0xff);
	KUNIT_EXPECT_EQ(test, 0xf800, dist_get(test, &t, GICD_IPRIORITYR + 32));
	/* SGI/PPI part of the distributor is RAZ/WI */
	mmio_wr(d, GICD_IPRIORITYR, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, 0, mmio_rd(d, GICD_IPRIORITYR, 4));
}

static void forbidden_widths_and_unaligned_accesses_are_ignored(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);
	struct vgic3_mmio_region *d;

	d = vgic_t_place(test, &t, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x80000);
	mmio_wr(d, GICD_ISENABLER + 4, 1, 0xff);
	mmio_wr(d, GICD_ISENABLER + 6, 4, 0xff);
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, GICD_ISENABLER + 4));
	KUNIT_EXPECT_EQ(test, 0, mmio_rd(d, GICD_TYPER, 1));
}

static void icfgr_spis_are_configurable(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	/* SPIs reset to edge (0xaaaaaaaa): make every other one level. */
	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_ICFGR + 8, 0x22222222));
	KUNIT_EXPECT_EQ(test, 0x22222222, dist_get(test, &t, GICD_ICFGR + 8));
	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_ICFGR + 8, 0xaaaaaaaa));
	KUNIT_EXPECT_EQ(test, 0xaaaaaaaa, dist_get(test, &t, GICD_ICFGR + 8));
}

static void irouter_keeps_aff2_to_aff0_upper_word_raz(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, true);
	u32 off = GICD_IROUTER + 8 * 40;

	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, off, 0x80010203));
	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, off + 4, 0xff));
	KUNIT_EXPECT_EQ(test, 0x010203, dist_get(test, &t, off));
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, off + 4));
}

static void registers_beyond_nr_irqs_are_raz_wi(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0, dist_set(&t, GICD_ISENABLER + 16, ~0U));
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, GICD_ISENABLER + 16));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_has_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				       GICD_ISENABLER + 16));
}

static void spis_reset_to_group_1(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 1, true);

	KUNIT_EXPECT_EQ(test, 0xffffffff, dist_get(test, &t, GICD_IGROUPR + 4));
	KUNIT_EXPECT_EQ(test, 0, dist_get(test, &t, GICD_IGROUPR));
}

/*
 * A change to an interrupt neither active nor pending and enabled goes
 * nowhere, and the core's queueing is not asked (host/irq.h); the change
 * that makes it pending and enabled is.
 */
static void an_idle_spi_is_not_queued(struct kunit *test)
{
	struct vgic_t t = vgic_t_new(test, 2, true);
	unsigned int calls = t.vm->queue_calls, queued = t.vm->queued;

	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, GICD_IROUTER + 32 * 8, 1));
	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, GICD_ISENABLER + 4, 1));
	KUNIT_EXPECT_EQ(test, calls, t.vm->queue_calls);
	KUNIT_ASSERT_EQ(test, 0, dist_set(&t, GICD_ISPENDR + 4, 1));
	KUNIT_EXPECT_EQ(test, calls + 1, t.vm->queue_calls);
	KUNIT_EXPECT_EQ(test, queued + 1, t.vm->queued);
}

static struct kunit_case dist_cases[] = {
	KUNIT_CASE(typer_reports_nr_irqs_and_10_id_bits),
	KUNIT_CASE(ctlr_reports_are_and_ds_and_keeps_grp1),
	KUNIT_CASE(iidr_write_back_selects_revision),
	KUNIT_CASE(statusr_reads_as_ones_like_kvm),
	KUNIT_CASE(icpendr_is_raz_wi_from_userspace),
	KUNIT_CASE(ispendr_userspace_write_restores_the_latch),
	KUNIT_CASE(level_line_and_latch_are_kept_apart),
	KUNIT_CASE(ipriorityr_keeps_5_bits_and_allows_byte_access),
	KUNIT_CASE(forbidden_widths_and_unaligned_accesses_are_ignored),
	KUNIT_CASE(icfgr_spis_are_configurable),
	KUNIT_CASE(irouter_keeps_aff2_to_aff0_upper_word_raz),
	KUNIT_CASE(registers_beyond_nr_irqs_are_raz_wi),
	KUNIT_CASE(spis_reset_to_group_1),
	KUNIT_CASE(an_idle_spi_is_not_queued),
	{}
};

static struct kunit_suite dist_suite = {
	.name = "kvm_vgic3_dist",
	.test_cases = dist_cases,
};

kunit_test_suite(dist_suite);
