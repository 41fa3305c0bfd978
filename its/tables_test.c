// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: KVM_DEV_ARM_ITS_SAVE_TABLES / RESTORE_TABLES in table ABI rev 0,
 * and KVM_DEV_ARM_ITS_CTRL_RESET.
 */
#include <kunit/test.h>
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define V	BIT_ULL(63)

/*
 * The entries of ABI rev 0, written out by hand (not with the module's
 * encoders): constant expressions, so that tables of cases can hold them.
 */
#define DTE(next, itt, nbits) \
	(V | (u64)(next) << 49 | ((u64)(itt) >> 8) << 5 | ((nbits) - 1))
#define ITE(next, intid, icid) \
	((u64)(next) << 48 | (u64)(intid) << 16 | (u16)(icid))
#define CTE(target, icid) \
	(V | (u64)(u32)(target) << 16 | (u16)(icid))

static int save(struct vgic3_its *its)
{
	return its_ctrl_attr(its, KVM_DEV_ARM_ITS_SAVE_TABLES);
}

static int restore(struct vgic3_its *its)
{
	return its_ctrl_attr(its, KVM_DEV_ARM_ITS_RESTORE_TABLES);
}

/* Two devices, three ITEs, two collections in creation order 3, 1. */
static void fx_populate(struct its_fx *fx)
{
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapc(3, 1, true)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapc(1, 0, true)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapd(2, 4, FX_ITT(2), true)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapd(7, 2, FX_ITT(7), true)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapti(2, 5, 8201, 1)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapti(2, 1, 8200, 3)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapti(7, 0, 8300, 3)));
	KUNIT_ASSERT_EQ(fx->test, 0ULL, fx->its->nr_cmd_errors);
}

/* A fresh ITS on the same VM, registers restored, ready for RESTORE. */
static struct vgic3_its *fx_restore_target(struct its_fx *fx, bool two_level)
{
	struct vgic3_its *its = fx_new_its(fx);

	KUNIT_ASSERT_EQ(fx->test, 0, its_set_reg(its, GITS_IIDR, 0x4b00043b));
	fx_program(fx, its, two_level);
	return its;
}

static void save_writes_abi_rev0_entries(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fake_poke64(fx->vm, FX_CT + 16, ~0ULL);
	fx_populate(fx);
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));

	KUNIT_EXPECT_EQ(test, DTE(5, FX_ITT(2), 4),
			fake_peek64(fx->vm, FX_DT + 2 * 8));
	KUNIT_EXPECT_EQ(test, DTE(0, FX_ITT(7), 2),
			fake_peek64(fx->vm, FX_DT + 7 * 8));
	KUNIT_EXPECT_EQ(test, ITE(4, 8200, 3),
			fake_peek64(fx->vm, FX_ITT(2) + 1 * 8));
	KUNIT_EXPECT_EQ(test, ITE(0, 8201, 1),
			fake_peek64(fx->vm, FX_ITT(2) + 5 * 8));
	KUNIT_EXPECT_EQ(test, ITE(0, 8300, 3), fake_peek64(fx->vm, FX_ITT(7)));
	KUNIT_EXPECT_EQ(test, CTE(1, 3), fake_peek64(fx->vm, FX_CT));
	KUNIT_EXPECT_EQ(test, CTE(0, 1), fake_peek64(fx->vm, FX_CT + 8));
}

static void save_ends_the_collection_table_with_a_zero_entry(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fake_poke64(fx->vm, FX_CT, ~0ULL);
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_CT));
}

static void save_caps_next_offsets(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 0, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(0, 1, FX_ITT(0), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(8000, 1, FX_ITT(1), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 16, FX_ITT(2), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0xffff, 8201, 0)));
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));
	/* DeviceID 1 -> 8000: 7999, within 2^14 - 1. */
	KUNIT_EXPECT_EQ(test, DTE(7999, FX_ITT(2), 16),
			fake_peek64(fx->vm, FX_DT + 8));
	KUNIT_EXPECT_EQ(test, ITE(0xffff, 8200, 0),
			fake_peek64(fx->vm, FX_ITT(2)));
}

static void save_zeroes_ites_of_dropped_collections(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_populate(fx);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(1, 0, false)));
	fake_poke64(fx->vm, FX_ITT(2) + 5 * 8, ~0ULL);
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_ITT(2) + 5 * 8));
	KUNIT_EXPECT_EQ(test, ITE(4, 8200, 3),
			fake_peek64(fx->vm, FX_ITT(2) + 1 * 8));
}

static void save_to_unwritable_itt_is_efault(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 0, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, FX_ITT(1), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	/* The ITT moves beyond guest memory behind the ITS's back. */
	fx_find_dev(fx->its, 1)->itt = FX_MEM;
	KUNIT_EXPECT_EQ(test, -EFAULT, save(fx->its));
}

static void save_after_reset_writes_nothing(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u8 *before;

	fx_populate(fx);
	KUNIT_ASSERT_EQ(test, 0, its_ctrl_attr(fx->its,
					       KVM_DEV_ARM_ITS_CTRL_RESET));
	memset(fx->vm->mem, 0x5a, FX_MEM);
	before = kunit_kmalloc(test, FX_MEM, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, fx->vm->mem, FX_MEM);
	KUNIT_EXPECT_EQ(test, 0, save(fx->its));
	KUNIT_EXPECT_EQ(test, 0, memcmp(before, fx->vm->mem, FX_MEM));
}

static void save_restore_save_is_byte_identical(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct vgic3_its *its2;
	u8 *snap;

	fx_populate(fx);
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));
	snap = kunit_kmalloc(test, FX_MEM, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	memcpy(snap, fx->vm->mem, FX_MEM);

	/* The LPI references of the first ITS go with it. */
	its_reset(fx->its);
	its2 = fx_restore_target(fx, false);
	KUNIT_ASSERT_EQ(test, 0, restore(its2));
	KUNIT_EXPECT_EQ(test, 2U, its2->nr_devs);
	KUNIT_EXPECT_EQ(test, 2U, its2->nr_colls);
	KUNIT_EXPECT_EQ(test, 1U, fx_find_coll(its2, 3)->target);
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8300));
	KUNIT_EXPECT_EQ(test, 0U, fx_target(fx, 8201));

	memset(fx->vm->mem + FX_DT, 0, SZ_128K);
	memset(fx->vm->mem + FX_ITT(0), 0, 8 * SZ_4K);
	KUNIT_ASSERT_EQ(test, 0, save(its2));
	KUNIT_EXPECT_EQ(test, 0, memcmp(snap, fx->vm->mem, FX_MEM));
}

static void two_level_device_table_round_trips(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 2, true, true);
	struct vgic3_its *its2;

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 1, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(9, 4, FX_ITT(9), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(9, 3, 8209, 0)));
	KUNIT_ASSERT_EQ(test, 0, save(fx->its));
	KUNIT_EXPECT_EQ(test, DTE(0, FX_ITT(9), 4),
			fake_peek64(fx->vm, FX_L2 + 9 * 8));

	its_reset(fx->its);
	its2 = fx_restore_target(fx, true);
	KUNIT_ASSERT_EQ(test, 0, restore(its2));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_ite(its2, 9, 3));
	KUNIT_EXPECT_EQ(test, 1U, fx_target(fx, 8209));
}

static void restore_treats_zero_pintid_as_invalid(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fake_poke64(fx->vm, FX_CT, CTE(0, 0));
	fake_poke64(fx->vm, FX_DT + 8, DTE(0, FX_ITT(1), 3));
	fake_poke64(fx->vm, FX_ITT(1), ITE(0, 0, 5));
	fake_poke64(fx->vm, FX_ITT(1) + 8, ITE(0, 8200, 0));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_IIDR, 0x4b00043b));
	KUNIT_EXPECT_EQ(test, 0, restore(fx->its));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_ite(fx->its, 1, 1));
}

/* Restore with a valid device 1 and collection 0, plus @bad entries. */
static int restore_with(struct kunit *test, u64 gpa, u64 bad,
			struct its_fx **out)
{
	struct its_fx *fx = fx_new(test, 2, false, false);
	int ret;

	fake_poke64(fx->vm, FX_CT, CTE(0, 0));
	fake_poke64(fx->vm, FX_DT + 8, DTE(2, FX_ITT(1), 3));
	fake_poke64(fx->vm, FX_ITT(1), ITE(0, 8200, 0));
	fake_poke64(fx->vm, FX_DT + 3 * 8, DTE(0, FX_ITT(3), 3));
	if (gpa)
		fake_poke64(fx->vm, gpa, bad);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_IIDR, 0x4b00043b));
	ret = restore(fx->its);
	if (out)
		*out = fx;
	return ret;
}

static void restore_of_consistent_tables_succeeds(struct kunit *test)
{
	struct its_fx *fx;

	KUNIT_EXPECT_EQ(test, 0, restore_with(test, 0, 0, &fx));
	KUNIT_EXPECT_EQ(test, 2U, fx->its->nr_devs);
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8200));
}

/*
 * Each entry a restore reads is checked as the command that made it was:
 * one entry of the tables of restore_with() made wrong (or right) in one
 * way, and the error the restore answers. A refused restore restores
 * nothing.
 */
struct restore_case {
	const char *rule;
	u64 gpa;
	u64 entry;
	int err;
};

static const struct restore_case restore_cases[] = {
	{ "CTE target beyond the vCPUs", FX_CT + 8, CTE(2, 1), -EINVAL },
	{ "CTE without target", FX_CT + 8, CTE(ITS_TARGET_NONE, 1), 0 },
	{ "CTE of an ICID twice", FX_CT + 8, CTE(1, 0), -EEXIST },
	{ "CTE ICID outside the collection table", FX_CT + 8, CTE(1, 8192),
	  -EINVAL },
	{ "DTE size above 16 bits", FX_DT + 3 * 8, DTE(0, FX_ITT(3), 17),
	  -EINVAL },
	{ "ITE pINTID below 8192", FX_ITT(3), ITE(0, 8191, 0), -EINVAL },
	{ "ITE pINTID beyond the INTID bits", FX_ITT(3), ITE(0, BIT(16), 0),
	  -EINVAL },
	{ "ITE next beyond the EventID range", FX_ITT(3) + 6 * 8,
	  ITE(2, 8206, 0), -EINVAL },
	{ "ITE of an unrestored ICID", FX_ITT(3), ITE(0, 8203, 4), -EINVAL },
	{ "DTE of an unreadable ITT", FX_DT + 3 * 8, DTE(0, FX_MEM, 3),
	  -EFAULT },
};

static void restore_case_desc(const struct restore_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->rule);
}

KUNIT_ARRAY_PARAM(restore, restore_cases, restore_case_desc);

static void restore_checks_each_entry(struct kunit *test)
{
	const struct restore_case *c = test->param_value;
	struct its_fx *fx;

	KUNIT_EXPECT_EQ(test, c->err, restore_with(test, c->gpa, c->entry, &fx));
	if (c->err)
		KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_devs);
}

/*
 * Beyond the 16 INTID bits even when its collection has no target (the
 * LPI would not even be routed; restore_cases has the mapped one).
 */
static void restore_rejects_ite_pintid_beyond_intid_bits_unrouted(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	fake_poke64(fx->vm, FX_CT, CTE(ITS_TARGET_NONE, 1));
	fake_poke64(fx->vm, FX_DT + 8, DTE(0, FX_ITT(1), 3));
	fake_poke64(fx->vm, FX_ITT(1), ITE(0, BIT(16), 1));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_IIDR, 0x4b00043b));
	KUNIT_EXPECT_EQ(test, -EINVAL, restore(fx->its));
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_devs);
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_colls);
}

static void restore_failure_leaves_nothing_restored(struct kunit *test)
{
	struct its_fx *fx;

	KUNIT_ASSERT_EQ(test, -EINVAL, restore_with(test, FX_ITT(3),
						    ITE(0, 8191, 0), &fx));
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_devs);
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_colls);
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8200));
}

/* A failed restore says which entry it stopped at, and why. */
static void restore_failure_names_the_entry(struct kunit *test)
{
	const struct its_restore_err *e;
	char where[ITS_RESTORE_ERR_LEN];
	struct its_fx *fx;

	KUNIT_ASSERT_EQ(test, -EINVAL, restore_with(test, FX_ITT(3) + 2 * 8,
						    ITE(0, 8191, 0), &fx));
	e = &fx->its->restore_err;
	KUNIT_EXPECT_EQ(test, -EINVAL, e->err);
	KUNIT_EXPECT_STREQ(test, "ITE", e->entry);
	KUNIT_EXPECT_EQ(test, 3U, e->devid);
	KUNIT_EXPECT_EQ(test, 2U, e->id);
	KUNIT_EXPECT_EQ(test, (u64)FX_ITT(3) + 2 * 8, e->gpa);
	KUNIT_EXPECT_EQ(test, ITE(0, 8191, 0), e->raw);
	its_restore_err_print(e, where, sizeof(where));
	KUNIT_EXPECT_PTR_EQ(test, &where[0],
			    strstr(where, ": ITE of DeviceID 3 EventID 2 at GPA 0x"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(where, ": pINTID not an LPI of 16 bits"));

	KUNIT_ASSERT_EQ(test, -EINVAL, restore_with(test, FX_CT + 8,
						    CTE(2, 1), &fx));
	e = &fx->its->restore_err;
	KUNIT_EXPECT_STREQ(test, "CTE", e->entry);
	KUNIT_EXPECT_EQ(test, 1U, e->id);
	KUNIT_EXPECT_EQ(test, (u64)FX_CT + 8, e->gpa);

	KUNIT_ASSERT_EQ(test, -EFAULT, restore_with(test, FX_DT + 3 * 8,
						    DTE(0, FX_MEM, 3), &fx));
	e = &fx->its->restore_err;
	KUNIT_EXPECT_STREQ(test, "ITE", e->entry);
	KUNIT_EXPECT_EQ(test, (u64)FX_MEM, e->gpa);

	/* The entry mended, the next restore succeeds and clears it. */
	fake_poke64(fx->vm, FX_DT + 3 * 8, DTE(0, FX_ITT(3), 3));
	KUNIT_ASSERT_EQ(test, 0, restore(fx->its));
	KUNIT_EXPECT_EQ(test, 0, fx->its->restore_err.err);
}

static void restore_without_valid_basers_restores_nothing(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	KUNIT_ASSERT_EQ(test, 0,
			its_ctrl_attr(fx->its, KVM_DEV_ARM_ITS_CTRL_RESET));
	fake_poke64(fx->vm, FX_CT, CTE(0, 0));
	KUNIT_EXPECT_EQ(test, 0, restore(fx->its));
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_colls);
}

/* --- Reset --- */

static void reset_returns_to_the_its_reset_state(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_populate(fx);
	fx_queue(fx, c_invall(1));
	KUNIT_ASSERT_EQ(test, 0, its_ctrl_attr(fx->its,
					       KVM_DEV_ARM_ITS_CTRL_RESET));
	KUNIT_EXPECT_EQ(test, (u64)GITS_CTLR_QUIESCENT,
			its_get_reg(fx->its, GITS_CTLR));
	KUNIT_EXPECT_FALSE(test, its_get_reg(fx->its, GITS_BASER) &
			   GITS_BASER_VALID);
	KUNIT_EXPECT_FALSE(test, its_get_reg(fx->its, GITS_BASER + 8) &
			   GITS_BASER_VALID);
	KUNIT_EXPECT_EQ(test, 8,
			(int)GITS_BASER_ENTRY_SIZE(its_get_reg(fx->its,
							       GITS_BASER)));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CBASER));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CWRITER));
	KUNIT_EXPECT_EQ(test, 0x4b00043bULL, its_get_reg(fx->its, GITS_IIDR));
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_devs);
	KUNIT_EXPECT_EQ(test, 0U, fx->its->nr_colls);
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8200));
	KUNIT_EXPECT_EQ(test, FX_BASE, its_addr_attr(test, fx->its));
}

static void destroy_releases_every_lpi(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct vgic3_its *its = fx_new_its(fx);

	fx_program(fx, its, false);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(its, GITS_CTLR, 1));
	fx->its = its;
	fx_populate(fx);
	kunit_release_action(test, fx_destroy_its, its);
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8200));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8201));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8300));
	KUNIT_EXPECT_EQ(test, 1U, fx->vm->nr_regions);
}

static struct kunit_case its_tables_cases[] = {
	KUNIT_CASE(save_writes_abi_rev0_entries),
	KUNIT_CASE(save_ends_the_collection_table_with_a_zero_entry),
	KUNIT_CASE(save_caps_next_offsets),
	KUNIT_CASE(save_zeroes_ites_of_dropped_collections),
	KUNIT_CASE(save_to_unwritable_itt_is_efault),
	KUNIT_CASE(save_after_reset_writes_nothing),
	KUNIT_CASE(save_restore_save_is_byte_identical),
	KUNIT_CASE(two_level_device_table_round_trips),
	KUNIT_CASE(restore_treats_zero_pintid_as_invalid),
	KUNIT_CASE(restore_of_consistent_tables_succeeds),
	KUNIT_CASE_PARAM(restore_checks_each_entry, restore_gen_params),
	KUNIT_CASE(restore_rejects_ite_pintid_beyond_intid_bits_unrouted),
	KUNIT_CASE(restore_failure_leaves_nothing_restored),
	KUNIT_CASE(restore_failure_names_the_entry),
	KUNIT_CASE(restore_without_valid_basers_restores_nothing),
	KUNIT_CASE(reset_returns_to_the_its_reset_state),
	KUNIT_CASE(destroy_releases_every_lpi),
	{}
};

static struct kunit_suite its_tables_suite = {
	.name = "kvm_vgic3_its_tables",
	.test_cases = its_tables_cases,
};

kunit_test_suite(its_tables_suite);
