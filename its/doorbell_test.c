// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the translations KVM's core delivers MSIs through (doorbell.c)
 * are exactly the ITS's: one per ITE of an enabled ITS whose collection is
 * mapped to a redistributor that takes LPIs, and none other.
 */
#include <kunit/test.h>
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define DEV	3
#define LPI(n)	(FX_LPI + (n))

/* Device DEV with events 0 and 1 on collection 0 (vCPU 1). */
static struct its_fx *fx_two_events(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, DEV, 4, 0, 1);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(DEV, 0, LPI(0), 0)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(DEV, 1, LPI(1), 0)));
	return fx;
}

static struct vgic_irq *delivers(struct its_fx *fx, u32 dev, u32 event)
{
	return fake_msi_lookup(fx->vm, dev, event);
}

static void mapti_publishes_the_translation(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_EXPECT_PTR_EQ(test, fake_lpi_token(&fx->lpi, LPI(0)),
			    delivers(fx, DEV, 0));
	KUNIT_EXPECT_PTR_EQ(test, fake_lpi_token(&fx->lpi, LPI(1)),
			    delivers(fx, DEV, 1));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 2));
	KUNIT_EXPECT_TRUE(test, fx->vm->msi_enabled);
}

static void discard_withdraws_the_translation(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_DISCARD, DEV, 0, 0)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 1));
}

static void mapd_v0_withdraws_the_device(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(DEV, 4, FX_ITT(DEV), false)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 1));
}

static void mapc_v0_withdraws_and_a_new_mapc_does_not_revive(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 1, false)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	/* The ITEs' ICID dangles: a new collection 0 is not theirs. */
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 2, true)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
}

static void mapti_on_an_unmapped_collection_publishes_at_mapc(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_mapd(DEV, 4, FX_ITT(DEV), true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(DEV, 0, LPI(0), 7)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(7, 0, true)));
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 0));
}

static void disabling_the_its_withdraws_all_enabling_restores(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 0));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 1));
	KUNIT_EXPECT_FALSE(test, fx->vm->msi_enabled);
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 1));
}

static void a_target_without_enable_lpis_gets_none(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx->lpi.lpis_off = true;
	fx_map_dev_coll(fx, DEV, 4, 0, 1);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(DEV, 0, LPI(0), 0)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	/* What the vGICv3 tells an ITS when an EnableLPIs moves. */
	fx->lpi.lpis_off = false;
	mutex_lock(&fx->its->lock);
	KUNIT_EXPECT_EQ(test, 0, its_doorbell_sync(fx->its));
	mutex_unlock(&fx->its->lock);
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 0));
}

static void reset_withdraws_everything(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, its_ctrl_attr(fx->its,
					       KVM_DEV_ARM_ITS_CTRL_RESET));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 1));
	KUNIT_EXPECT_FALSE(test, fx->vm->msi_enabled);
}

static void movi_keeps_the_translation(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(5, 2, true)));
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, DEV, 0, 5)));
	KUNIT_EXPECT_PTR_EQ(test, fake_lpi_token(&fx->lpi, LPI(0)),
			    delivers(fx, DEV, 0));
	KUNIT_EXPECT_EQ(test, 2U, fx_target(fx, LPI(0)));
}

/*
 * The translation names the same LPI before and after: the cache is not
 * asked again (its xarray is pages an exit pays for), nor when the ITE
 * goes back; DISCARD still withdraws it.
 */
static void movi_leaves_the_cache_alone(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);
	unsigned int routes;

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(5, 2, true)));
	routes = fx->vm->msi_routes;
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, DEV, 0, 5)));
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, DEV, 0, 0)));
	KUNIT_EXPECT_EQ(test, routes, fx->vm->msi_routes);
	KUNIT_EXPECT_PTR_EQ(test, fake_lpi_token(&fx->lpi, LPI(0)),
			    delivers(fx, DEV, 0));
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_DISCARD, DEV, 0, 0)));
	KUNIT_EXPECT_EQ(test, routes + 1, fx->vm->msi_routes);
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
}

/* A MOVI learns from the move itself whether the new target takes LPIs. */
static void movi_follows_the_targets_enable_lpis(struct kunit *test)
{
	struct its_fx *fx = fx_two_events(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(5, 2, true)));
	fx->lpi.lpis_off = true;
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, DEV, 0, 5)));
	KUNIT_EXPECT_NULL(test, delivers(fx, DEV, 0));
	KUNIT_EXPECT_NOT_NULL(test, delivers(fx, DEV, 1));
	fx->lpi.lpis_off = false;
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, DEV, 0, 0)));
	KUNIT_EXPECT_PTR_EQ(test, fake_lpi_token(&fx->lpi, LPI(0)),
			    delivers(fx, DEV, 0));
}

static struct kunit_case its_doorbell_cases[] = {
	KUNIT_CASE(mapti_publishes_the_translation),
	KUNIT_CASE(discard_withdraws_the_translation),
	KUNIT_CASE(mapd_v0_withdraws_the_device),
	KUNIT_CASE(mapc_v0_withdraws_and_a_new_mapc_does_not_revive),
	KUNIT_CASE(mapti_on_an_unmapped_collection_publishes_at_mapc),
	KUNIT_CASE(disabling_the_its_withdraws_all_enabling_restores),
	KUNIT_CASE(a_target_without_enable_lpis_gets_none),
	KUNIT_CASE(movi_leaves_the_cache_alone),
	KUNIT_CASE(movi_follows_the_targets_enable_lpis),
	KUNIT_CASE(reset_withdraws_everything),
	KUNIT_CASE(movi_keeps_the_translation),
	{}
};

static struct kunit_suite its_doorbell_suite = {
	.name = "kvm_vgic3_its_doorbell",
	.test_cases = its_doorbell_cases,
};

kunit_test_suite(its_doorbell_suite);
