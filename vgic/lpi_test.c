// SPDX-License-Identifier: GPL-2.0
/* KUnit: the LPI layer (property and pending tables). */
#include <kunit/test.h>
#include <linux/module.h>
#include "vgic_test.h"
#include "internal.h"
#include "lpi.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define PROP	0x10000
#define PEND	0x20000

/* @n vCPUs with an ITS; vCPU 0's pending table at PEND, LPIs off. */
static struct vgic_t lpi_vm_n(struct kunit *test, unsigned int n)
{
	struct vgic_t t = vgic_t_new(test, n, true);

	vgic3_its_attached(t.gic);
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PROPBASER, PROP | 15));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PENDBASER, PEND));
	return t;
}

static struct vgic_t lpi_vm(struct kunit *test)
{
	return lpi_vm_n(test, 2);
}

/* The model's state of LPI @intid; NULL when it does not exist. */
static struct vgic_irq *lpi_state(struct vgic_t *t, u32 intid)
{
	return xa_load(t->gic->lpis, intid);
}

/* The vCPU LPI @intid is routed to, by index. */
static int lpi_target(struct vgic_t *t, u32 intid)
{
	return fake_vcpu_index(&t->vm->host, lpi_state(t, intid)->target_vcpu);
}

/* vgic3_lpi_get() by its errno: 0 or the error. */
static int lpi_map(struct vgic_t *t, u32 intid, unsigned int vcpu)
{
	return PTR_ERR_OR_ZERO(vgic3_lpi_get(t->gic, intid, vcpu, NULL));
}

/* vgic3_lpi_pend() on LPI @intid, -ENOENT when it does not exist. */
static int lpi_pend(struct vgic_t *t, u32 intid, bool pending)
{
	struct vgic_irq *irq = lpi_state(t, intid);

	return irq ? vgic3_lpi_pend(t->gic, irq, pending) : -ENOENT;
}

/* As lpi_vm(), with EnableLPIs set on vCPU 0. */
static struct vgic_t lpi_vm_on(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_ASSERT_EQ(test, 0,
			rd_set(&t, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS));
	return t;
}

static void map_reads_priority_and_enable_from_property_table(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);
	struct vgic_irq *irq;

	t.vm->mem[PROP + 5] = 0xa1;	/* priority 0xa0, enabled */
	t.vm->mem[PROP + 6] = 0x5e;	/* priority 0x5c, disabled */
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 5, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 6, 0));
	irq = lpi_state(&t, 8192 + 5);
	KUNIT_ASSERT_NOT_NULL(test, irq);
	KUNIT_EXPECT_EQ(test, 0xa0, irq->priority);
	KUNIT_EXPECT_TRUE(test, irq->enabled);
	irq = lpi_state(&t, 8192 + 6);
	KUNIT_ASSERT_NOT_NULL(test, irq);
	KUNIT_EXPECT_EQ(test, 0x5c, irq->priority);
	KUNIT_EXPECT_FALSE(test, irq->enabled);
}

static void map_takes_the_pending_bit_with_lpis_disabled(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	t.vm->mem[PEND + 1024 + 1] = 0x02;	/* LPI 8201 */
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8201, 0));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8201));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8202, 0));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8202));
}

static void map_clears_the_pending_bit_it_takes(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	t.vm->mem[PEND + 1024 + 1] = 0x06;	/* LPIs 8201 and 8202 */
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8201, 0));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8201));
	KUNIT_EXPECT_EQ(test, 0x04, t.vm->mem[PEND + 1024 + 1]);
}

static void map_fails_when_the_pending_table_is_unreadable(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	/* Beyond the fake VM's 1MB of memory. */
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PENDBASER, SZ_4M));
	KUNIT_EXPECT_EQ(test, -EFAULT, lpi_map(&t, 8192, 0));
	KUNIT_EXPECT_NULL(test, lpi_state(&t, 8192));
	/* vCPU 1's table (at 0) is readable. */
	KUNIT_EXPECT_EQ(test, 0, lpi_map(&t, 8192, 1));
}

static void map_refuses_non_lpi_intids(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_EXPECT_EQ(test, -EINVAL, lpi_map(&t, 8191, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, lpi_map(&t, 1 << 16, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, lpi_map(&t, 8192, 7));
}

static void lpis_are_refcounted_by_mappings(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8200, true));
	vgic3_lpi_put(t.gic, lpi_state(&t, 8200));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8200));
	vgic3_lpi_put(t.gic, lpi_state(&t, 8200));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8200));
}

/*
 * vgic3_lpi_put_later(): the last reference kills the LPI at once (no
 * lookup finds it), and it leaves lpi_xa at the flush, after which its
 * INTID makes a new LPI.
 */
static void a_put_later_kills_at_once_and_erases_at_the_flush(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);
	struct vgic3_lpi_puts p = {};
	struct vgic_irq *irq;

	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8200, true));
	irq = lpi_state(&t, 8200);
	vgic3_lpi_put_later(t.gic, &p, irq);
	KUNIT_EXPECT_EQ(test, 0U, p.nr);
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8200));
	vgic3_lpi_put_later(t.gic, &p, irq);
	KUNIT_EXPECT_EQ(test, 1U, p.nr);
	KUNIT_EXPECT_PTR_EQ(test, irq, lpi_state(&t, 8200));
	KUNIT_EXPECT_EQ(test, 0U, kref_read(&irq->refcount));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8200));
	vgic3_lpi_put_flush(t.gic, &p);
	KUNIT_EXPECT_EQ(test, 0U, p.nr);
	KUNIT_EXPECT_NULL(test, lpi_state(&t, 8200));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200, 0));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8200));
	vgic3_lpi_put(t.gic, lpi_state(&t, 8200));
}

/* At most VGIC3_LPI_PUTS wait: the one that fills the batch flushes it. */
static void put_later_flushes_a_full_batch(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);
	struct vgic3_lpi_puts p = {};
	u32 i;

	for (i = 0; i <= VGIC3_LPI_PUTS; i++)
		KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8200 + i, 0));
	for (i = 0; i <= VGIC3_LPI_PUTS; i++)
		vgic3_lpi_put_later(t.gic, &p, lpi_state(&t, 8200 + i));
	KUNIT_EXPECT_EQ(test, 1U, p.nr);
	for (i = 0; i < VGIC3_LPI_PUTS; i++)
		KUNIT_EXPECT_NULL_MSG(test, lpi_state(&t, 8200 + i), "LPI %u",
				      8200 + i);
	KUNIT_EXPECT_NOT_NULL(test, lpi_state(&t, 8200 + VGIC3_LPI_PUTS));
	vgic3_lpi_put_flush(t.gic, &p);
	KUNIT_EXPECT_NULL(test, lpi_state(&t, 8200 + VGIC3_LPI_PUTS));
}

static void save_pending_tables_writes_bits_not_first_kb(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	memset(t.vm->mem + PEND, 0x5a, SZ_1K);
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 9, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8192 + 9, true));
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				       NULL));
	KUNIT_EXPECT_EQ(test, 0x02, t.vm->mem[PEND + 1024 + 1]);
	KUNIT_EXPECT_EQ(test, 0x5a, t.vm->mem[PEND + 1023]);
	KUNIT_EXPECT_EQ(test, 0x5a, t.vm->mem[PEND]);
}

/* One bit per LPI, set, cleared or kept, across bytes of the table. */
static void save_pending_tables_writes_each_lpis_bit(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);
	u32 i;

	for (i = 0; i < 24; i++) {
		KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + i, 0));
		if (i % 3 == 0)
			KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8192 + i, true));
	}
	t.vm->mem[PEND + 1024 + 0] = 0x00;
	t.vm->mem[PEND + 1024 + 1] = 0xff;
	t.vm->mem[PEND + 1024 + 2] = 0x24;	/* already as saved */
	t.vm->mem[PEND + 1024 + 3] = 0xa5;	/* no LPI there: kept */
	KUNIT_EXPECT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				       NULL));
	KUNIT_EXPECT_EQ(test, 0x49, t.vm->mem[PEND + 1024 + 0]);
	KUNIT_EXPECT_EQ(test, 0x92, t.vm->mem[PEND + 1024 + 1]);
	KUNIT_EXPECT_EQ(test, 0x24, t.vm->mem[PEND + 1024 + 2]);
	KUNIT_EXPECT_EQ(test, 0xa5, t.vm->mem[PEND + 1024 + 3]);
}

/* A run of maps reads and takes what one map each would. */
static void a_run_of_maps_loads_each_lpi_from_the_tables(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);
	struct vgic_irq *irqs[16];
	u32 intids[16], i;
	int err;

	for (i = 0; i < 16; i++) {
		intids[i] = 8192 + 4 + i;
		t.vm->mem[PROP + 4 + i] = (i * 8) | (i & 1);
	}
	t.vm->mem[PEND + 1024 + 0] = 0x30;	/* LPIs 8196, 8197 */
	t.vm->mem[PEND + 1024 + 2] = 0x09;	/* LPIs 8208, 8211 */
	KUNIT_ASSERT_EQ(test, 16, vgic3_lpi_get_run(t.gic, intids, 16, 0,
						     irqs, &err));
	KUNIT_EXPECT_EQ(test, 0, err);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_PTR_EQ(test, irqs[i], lpi_state(&t, intids[i]));
		KUNIT_EXPECT_EQ(test, i * 8, irqs[i]->priority);
		KUNIT_EXPECT_EQ(test, (bool)(i & 1), irqs[i]->enabled);
		KUNIT_EXPECT_EQ(test, i == 0 || i == 1 || i == 12 || i == 15,
				vgic3_lpi_is_pending(t.gic, intids[i]));
	}
	KUNIT_EXPECT_EQ(test, 0x00, t.vm->mem[PEND + 1024 + 0]);
	KUNIT_EXPECT_EQ(test, 0x00, t.vm->mem[PEND + 1024 + 2]);
}

/* It stops at the first INTID that fails, holding the ones before. */
static void a_run_of_maps_stops_at_the_first_failure(struct kunit *test)
{
	u32 intids[] = { 8192, 8193, 8191, 8194 };
	struct vgic_t t = lpi_vm_on(test);
	struct vgic_irq *irqs[4];
	int err;

	KUNIT_EXPECT_EQ(test, 2, vgic3_lpi_get_run(t.gic, intids, 4, 0, irqs,
						    &err));
	KUNIT_EXPECT_EQ(test, -EINVAL, err);
	KUNIT_EXPECT_NOT_NULL(test, lpi_state(&t, 8192));
	KUNIT_EXPECT_NOT_NULL(test, lpi_state(&t, 8193));
	KUNIT_EXPECT_NULL(test, lpi_state(&t, 8194));
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_get_run(t.gic, intids, 4, 7, irqs,
						    &err));
	KUNIT_EXPECT_EQ(test, -EINVAL, err);
}

static void enable_lpis_reads_the_pending_table(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 3, 0));
	t.vm->mem[PEND + 1024] = 0x08;
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 3));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_CTLR, 1));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 3));
}

static void enable_lpis_with_ptz_leaves_the_pending_table_unread(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	t.vm->mem[PEND + 1024] = 0x10;		/* LPI 8196, taken by map */
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 4, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 3, 0));
	t.vm->mem[PEND + 1024] = 0x08;		/* LPI 8195 */
	/* PTZ is bit 62: the upper word's bit 30. */
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_PENDBASER + 4, BIT(30)));
	KUNIT_ASSERT_EQ(test, 0,
			rd_set(&t, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 3));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 4));
}

static void disabling_lpis_drops_the_enabled_pending_lpis(struct kunit *test)
{
	struct vgic_t t = lpi_vm_on(test);

	t.vm->mem[PROP + 5] = LPI_PROP_ENABLED;
	t.vm->mem[PROP + 6] = 0;
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 5, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 6, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8192 + 5, true));
	KUNIT_ASSERT_EQ(test, 0, lpi_pend(&t, 8192 + 6, true));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&t, 0, GICR_CTLR, 0));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 5));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 6));
}

static void lpi_to_a_redistributor_without_enable_lpis_is_dropped(struct kunit *test)
{
	struct vgic_t t = lpi_vm(test);

	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192 + 7, 0));
	KUNIT_EXPECT_EQ(test, -EBUSY, lpi_pend(&t, 8192 + 7, true));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(t.gic, 8192 + 7));
	/* Clearing needs no EnableLPIs. */
	KUNIT_EXPECT_EQ(test, 0, lpi_pend(&t, 8192 + 7, false));
	KUNIT_ASSERT_EQ(test, 0,
			rd_set(&t, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS));
	KUNIT_EXPECT_EQ(test, 0, lpi_pend(&t, 8192 + 7, true));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(t.gic, 8192 + 7));
}

static void movall_moves_only_the_source_vcpus_lpis(struct kunit *test)
{
	struct vgic_t t = lpi_vm_n(test, 3);

	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8192, 0));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8193, 1));
	KUNIT_ASSERT_EQ(test, 0, lpi_map(&t, 8194, 0));
	KUNIT_EXPECT_EQ(test, 0, vgic3_lpi_movall(t.gic, 0, 2));
	KUNIT_EXPECT_EQ(test, 2, lpi_target(&t, 8192));
	KUNIT_EXPECT_EQ(test, 1, lpi_target(&t, 8193));
	KUNIT_EXPECT_EQ(test, 2, lpi_target(&t, 8194));
	KUNIT_EXPECT_EQ(test, -EINVAL, vgic3_lpi_movall(t.gic, 1, 9));
	KUNIT_EXPECT_EQ(test, 1, lpi_target(&t, 8193));
}

static struct kunit_case lpi_cases[] = {
	KUNIT_CASE(map_reads_priority_and_enable_from_property_table),
	KUNIT_CASE(map_takes_the_pending_bit_with_lpis_disabled),
	KUNIT_CASE(map_clears_the_pending_bit_it_takes),
	KUNIT_CASE(map_fails_when_the_pending_table_is_unreadable),
	KUNIT_CASE(map_refuses_non_lpi_intids),
	KUNIT_CASE(lpis_are_refcounted_by_mappings),
	KUNIT_CASE(a_put_later_kills_at_once_and_erases_at_the_flush),
	KUNIT_CASE(put_later_flushes_a_full_batch),
	KUNIT_CASE(save_pending_tables_writes_bits_not_first_kb),
	KUNIT_CASE(save_pending_tables_writes_each_lpis_bit),
	KUNIT_CASE(a_run_of_maps_loads_each_lpi_from_the_tables),
	KUNIT_CASE(a_run_of_maps_stops_at_the_first_failure),
	KUNIT_CASE(enable_lpis_reads_the_pending_table),
	KUNIT_CASE(enable_lpis_with_ptz_leaves_the_pending_table_unread),
	KUNIT_CASE(disabling_lpis_drops_the_enabled_pending_lpis),
	KUNIT_CASE(lpi_to_a_redistributor_without_enable_lpis_is_dropped),
	KUNIT_CASE(movall_moves_only_the_source_vcpus_lpis),
	{}
};

static struct kunit_suite lpi_suite = {
	.name = "kvm_vgic3_lpi",
	.test_cases = lpi_cases,
};

kunit_test_suite(lpi_suite);
