// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ITS commands, one test per architected check or effect, and
 * the command queue.
 */
#include <kunit/test.h>
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* --- MAPD --- */

static void mapd_device_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	/* One 64K page of 8-byte DTEs: DeviceIDs 0..8191. */
	KUNIT_EXPECT_EQ(test, E_ITS_MAPD_DEVICE_OOR,
			fx_run(fx, c_mapd(8192, 4, FX_ITT(0), true)));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPD_DEVICE_OOR,
			fx_run(fx, c_mapd(BIT(16), 4, FX_ITT(0), true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(8191, 4, FX_ITT(0), true)));
}

static void mapd_unbacked_level2_slot_is_device_oor(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, true, true);

	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(5, 4, FX_ITT(5), true)));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPD_DEVICE_OOR,
			fx_run(fx, c_mapd(ITS_L2_DTES, 4, FX_ITT(6), true)));
}

static void mapd_unbacked_flat_slot_is_device_oor(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	/* A device table at the end of guest memory: half of it unbacked. */
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_BASER,
					     GITS_BASER_VALID |
					     (FX_MEM - SZ_64K) | 1));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(8191, 4, FX_ITT(0), true)));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPD_DEVICE_OOR,
			fx_run(fx, c_mapd(8192, 4, FX_ITT(0), true)));
}

static void mapd_ittsize_above_16_bits_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, E_ITS_MAPD_ITTSIZE_OOR,
			fx_run(fx, c_mapd(1, 17, FX_ITT(1), true)));
	KUNIT_EXPECT_NULL(test, fx_find_dev(fx->its, 1));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(1, 16, FX_ITT(1), true)));
}

static void mapd_v0_clears_the_dte_in_memory(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fake_poke64(fx->vm, FX_DT + 3 * 8, ~0ULL);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(3, 4, FX_ITT(3), true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(3, 0, 0, false)));
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_DT + 3 * 8));
	KUNIT_EXPECT_NULL(test, fx_find_dev(fx->its, 3));
}

static void mapd_remap_frees_the_old_ites(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 2, 8200, 0)));
	KUNIT_ASSERT_EQ(test, 1, fx_refs(fx, 8200));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapd(1, 8, FX_ITT(9), true)));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8200));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 2));
	KUNIT_EXPECT_EQ(test, FX_ITT(9), fx_find_dev(fx->its, 1)->itt);
}

/* --- MAPC --- */

static void mapc_procnum_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 2, false, true);

	KUNIT_EXPECT_EQ(test, E_ITS_MAPC_PROCNUM_OOR,
			fx_run(fx, c_mapc(0, 2, true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapc(0, 1, true)));
}

static void mapc_collection_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, E_ITS_MAPC_COLLECTION_OOR,
			fx_run(fx, c_mapc(8192, 0, true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapc(8191, 0, true)));
}

static void mapc_v0_leaves_ites_with_a_dangling_icid(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct its_ite *ite;

	fx_map_dev_coll(fx, 1, 4, 7, 1);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 7)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapc(7, 0, false)));
	KUNIT_EXPECT_NULL(test, fx_find_coll(fx->its, 7));
	ite = fx_find_ite(fx->its, 1, 0);
	KUNIT_ASSERT_NOT_NULL(test, ite);
	KUNIT_EXPECT_NULL(test, ite->coll);
	KUNIT_EXPECT_EQ(test, E_ITS_INT_UNMAPPED_INTERRUPT,
			fx_run(fx, c_dev_ev(GITS_CMD_INT, 1, 0, 0)));
	/* A new collection 7 does not adopt the orphan. */
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(7, 2, true)));
	KUNIT_EXPECT_EQ(test, -ENOENT, its_inject_msi(fx->its, 1, 0));
}

static void mapc_remap_retargets_its_ites(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 3, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 3)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapc(3, 2, true)));
	KUNIT_EXPECT_EQ(test, 2U, fx_target(fx, 8200));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8200));
}

/* --- MAPTI / MAPI --- */

static void mapti_unmapped_device_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_UNMAPPED_DEVICE,
			fx_run(fx, c_mapti(1, 0, 8200, 0)));
}

static void mapti_eventid_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_ID_OOR,
			fx_run(fx, c_mapti(1, 4, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapti(1, 3, 8200, 0)));
}

static void mapti_unbacked_itt_entry_is_id_oor(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, FX_MEM, true)));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_ID_OOR,
			fx_run(fx, c_mapti(1, 0, 8200, 0)));
}

static void mapti_lpi_below_8192_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run(fx, c_mapti(1, 0, 8191, 0)));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run(fx, c_mapi(1, 5, 0)));
}

static void mapti_lpi_above_intid_range_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run(fx, c_mapti(1, 0, BIT(16), 0)));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
}

/* The bound is the LPI layer's GICR_PROPBASER.IDbits, not only 16 bits. */
static void mapti_lpi_beyond_propbaser_idbits_is_physicalid_oor(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx->lpi.nr_intids = FX_LPI + 16;
	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run(fx, c_mapti(1, 0, FX_LPI + 16, 0)));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, FX_LPI + 15, 0)));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, FX_LPI + 15));
}

static void mapti_of_a_mapped_event_is_a_noop(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8300, 0)));
	KUNIT_EXPECT_EQ(test, 8200U, (u32)fx_find_ite(fx->its, 1, 0)->intid);
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8300));
}

static void mapti_collection_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPC_COLLECTION_OOR,
			fx_run(fx, c_mapti(1, 0, 8200, 9000)));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
}

static void mapti_routes_to_the_collection_target(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 5, 3);
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapti(1, 2, 8210, 5)));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8210));
	KUNIT_EXPECT_EQ(test, 3U, fx_target(fx, 8210));
}

static void mapti_before_mapc_routes_at_mapc(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, FX_ITT(1), true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapti(1, 2, 8210, 5)));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8210));
	KUNIT_EXPECT_EQ(test, -ENOENT, its_inject_msi(fx->its, 1, 2));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(5, 1, true)));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8210));
	KUNIT_EXPECT_EQ(test, 1U, fx_target(fx, 8210));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(fx->its, 1, 2));
}

static void mapi_uses_the_eventid_as_lpi(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 16, 0, 0);
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_mapi(1, 8300, 0)));
	KUNIT_EXPECT_EQ(test, 8300U, (u32)fx_find_ite(fx->its, 1, 8300)->intid);
}

/* --- MOVI --- */

static void movi_to_unmapped_collection_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, E_ITS_MOVI_UNMAPPED_COLLECTION,
			fx_run(fx, c_dev_ev(GITS_CMD_MOVI, 1, 0, 4)));
}

static void movi_moves_the_lpi_to_the_new_target(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(1, 3, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_dev_ev(GITS_CMD_MOVI, 1, 0, 1)));
	KUNIT_EXPECT_EQ(test, 3U, fx_target(fx, 8200));
	KUNIT_EXPECT_EQ(test, 1U, fx_find_ite(fx->its, 1, 0)->coll->icid);
	/* MAPC of the old collection no longer moves it. */
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 2, true)));
	KUNIT_EXPECT_EQ(test, 3U, fx_target(fx, 8200));
}

/* --- DISCARD, CLEAR, INT, INV --- */

static void discard_clears_the_ite_in_memory(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 2, 8200, 0)));
	fake_poke64(fx->vm, FX_ITT(1) + 2 * 8, ~0ULL);
	KUNIT_EXPECT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_DISCARD, 1, 2, 0)));
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_ITT(1) + 2 * 8));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 2));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, 8200));
}

static void clear_removes_the_pending_state(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_dev_ev(GITS_CMD_INT, 1, 0, 0)));
	KUNIT_EXPECT_TRUE(test, fx_pending(fx, 8200));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_dev_ev(GITS_CMD_CLEAR, 1, 0, 0)));
	KUNIT_EXPECT_FALSE(test, fx_pending(fx, 8200));
}

static void inv_rereads_the_lpi_configuration(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_dev_ev(GITS_CMD_INV, 1, 0, 0)));
	KUNIT_EXPECT_EQ(test, 1U, fx->lpi.nr_inv);
	KUNIT_EXPECT_EQ(test, 8200U, fx->lpi.last_inv);
}

/*
 * Each command naming an (DeviceID, EventID) that no ITE maps fails with
 * its own UNMAPPED_INTERRUPT error, whether the device is mapped or not.
 */
struct unmapped_case {
	const char *name;
	u8 cmd;
	int err;
	bool map_dev;
	u32 event;
};

static const struct unmapped_case unmapped_cases[] = {
	{ "MOVI", GITS_CMD_MOVI, E_ITS_MOVI_UNMAPPED_INTERRUPT, true },
	{ "DISCARD", GITS_CMD_DISCARD, E_ITS_DISCARD_UNMAPPED_INTERRUPT,
	  .event = 2 },
	{ "CLEAR", GITS_CMD_CLEAR, E_ITS_CLEAR_UNMAPPED_INTERRUPT },
	{ "INT", GITS_CMD_INT, E_ITS_INT_UNMAPPED_INTERRUPT, true },
	{ "INV", GITS_CMD_INV, E_ITS_INV_UNMAPPED_INTERRUPT },
};

static void unmapped_case_desc(const struct unmapped_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(unmapped, unmapped_cases, unmapped_case_desc);

static void unmapped_interrupt_is_rejected(struct kunit *test)
{
	const struct unmapped_case *c = test->param_value;
	struct its_fx *fx = fx_simple(test);

	if (c->map_dev)
		fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, c->err,
			fx_run(fx, c_dev_ev(c->cmd, 1, c->event, 0)));
}

/* --- INVALL, MOVALL, SYNC, unknown --- */

static void invall_unmapped_collection_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_EXPECT_EQ(test, E_ITS_INVALL_UNMAPPED_COLLECTION,
			fx_run(fx, c_invall(2)));
	KUNIT_EXPECT_EQ(test, 0U, fx->lpi.nr_invall);
}

static void invall_rereads_the_target_vcpu_lpis(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(2, 3, true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_invall(2)));
	KUNIT_EXPECT_EQ(test, 1U, fx->lpi.nr_invall);
	KUNIT_EXPECT_EQ(test, 3U, fx->lpi.invall_vcpu);
}

static void movall_procnum_oor_is_rejected(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 2, false, true);

	KUNIT_EXPECT_EQ(test, E_ITS_MOVALL_PROCNUM_OOR,
			fx_run(fx, c_movall(0, 2)));
	KUNIT_EXPECT_EQ(test, E_ITS_MOVALL_PROCNUM_OOR,
			fx_run(fx, c_movall(2, 0)));
}

static void movall_moves_only_the_source_lpis(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(1, 1, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 1, 8201, 1)));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_movall(0, 2)));
	KUNIT_EXPECT_EQ(test, 2U, fx_target(fx, 8200));
	KUNIT_EXPECT_EQ(test, 1U, fx_target(fx, 8201));
	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c_movall(1, 1)));
	KUNIT_EXPECT_EQ(test, 1U, fx->lpi.nr_movall);
}

static void sync_is_a_noop(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd c = { { GITS_CMD_SYNC, 0, 0 } };

	KUNIT_EXPECT_EQ(test, 0, fx_run(fx, c));
}

/* The commands that failed so far (KVM_DEV_ARM_VGIC3_INFO_ITS_CMD_ERRORS). */
static u64 fx_cmd_errors(struct its_fx *fx)
{
	return its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_CMD_ERRORS);
}

static void unknown_and_gicv4_commands_are_skipped(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd vmapti = { { GITS_CMD_VMAPTI, ~0ULL, ~0ULL, ~0ULL } };
	struct fx_cmd junk = { { 0xff, ~0ULL, ~0ULL, ~0ULL } };

	fx_queue(fx, vmapti);
	fx_queue(fx, junk);
	fx_queue(fx, c_mapc(0, 0, true));
	KUNIT_EXPECT_EQ(test, 96ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 0));
	KUNIT_EXPECT_EQ(test, 3ULL,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
	KUNIT_EXPECT_EQ(test, 2ULL, fx_cmd_errors(fx));
}

static void error_names_are_the_architected_ones(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, "E_ITS_MAPD_DEVICE_OOR",
			   its_error_name(E_ITS_MAPD_DEVICE_OOR));
	KUNIT_EXPECT_STREQ(test, "E_ITS_MOVALL_PROCNUM_OOR",
			   its_error_name(E_ITS_MOVALL_PROCNUM_OOR));
}

/* --- The queue --- */

static void commands_complete_before_the_cwriter_write_returns(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_queue(fx, c_mapd(1, 4, FX_ITT(1), true));
	fx_queue(fx, c_mapc(0, 1, true));
	fx_queue(fx, c_mapti(1, 0, 8200, 0));
	KUNIT_EXPECT_EQ(test, its_get_reg(fx->its, GITS_CWRITER),
			its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, 8200));
	KUNIT_EXPECT_EQ(test, 1U, fx_target(fx, 8200));
}

static void queue_wraps_at_its_end(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd sync = { { GITS_CMD_SYNC } };
	unsigned int i;

	for (i = 0; i < SZ_4K / ITS_CMD_SIZE - 1; i++)
		fx_queue(fx, sync);
	fx_queue(fx, c_mapc(4, 0, true));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(test, 0ULL, its_get_reg(fx->its, GITS_CWRITER));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 4));
	KUNIT_EXPECT_EQ(test, 128ULL,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
}

static void unreadable_queue_entries_are_skipped(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);

	/* A queue past the end of guest memory. */
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | FX_MEM));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	fx_mmio_write(fx->its, GITS_CWRITER, 8, 64);
	KUNIT_EXPECT_EQ(test, 64ULL, its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(test, 0ULL,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
}

/*
 * MAPD 1 with its ITT at @itt, MAPC 0, MAPTI 1/0, DISCARD 1/0, four
 * SYNCs, MAPC 1: one batch, which the ITS reads a window at a time.
 */
static void fx_discard_batch(struct its_fx *fx, u64 itt)
{
	struct fx_cmd sync = { { GITS_CMD_SYNC } };
	struct fx_cmd c[] = {
		c_mapd(1, 4, itt, true), c_mapc(0, 0, true),
		c_mapti(1, 0, 8200, 0), c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0),
		sync, sync, sync, sync, c_mapc(1, 0, true),
	};

	fx_queue_batch(fx, c, ARRAY_SIZE(c));
	KUNIT_EXPECT_EQ(fx->test, its_get_reg(fx->its, GITS_CWRITER),
			its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_EQ(fx->test, 0, fx_refs(fx, 8200));
}

static void a_batch_runs_every_command(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_discard_batch(fx, FX_ITT(1));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 1));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_cmd_errors(fx));
}

/*
 * The ITT lies in the queue: event 0's entry is the first word of the
 * batch's last command (slot 8), which the DISCARD in slot 3 clears after
 * the ITS read slots 0-8 together. Slot 8 runs as the queue holds it when
 * its turn comes (command 0, unknown), as it would had it been read then:
 * collection 1 is not mapped.
 */
static void a_command_overwritten_by_an_earlier_one_runs_as_written(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_discard_batch(fx, FX_CMDQ + 8 * ITS_CMD_SIZE);
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_CMDQ + 8 * ITS_CMD_SIZE));
	KUNIT_EXPECT_NULL(test, fx_find_coll(fx->its, 1));
	KUNIT_EXPECT_EQ(test, 1ULL, fx_cmd_errors(fx));
}

/*
 * A queue of 17 4K pages whose last page is not guest memory: a batch
 * across the two runs the backed commands and skips the rest, as when each
 * command was read on its own (the window that straddles the end of guest
 * memory cannot be read whole).
 */
static void a_batch_across_an_unbacked_page_runs_the_backed_part(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, false, false);
	struct fx_cmd sync = { { GITS_CMD_SYNC } }, mapc = c_mapc(5, 0, true);
	u64 q = FX_MEM - SZ_64K, n = SZ_64K / ITS_CMD_SIZE, i;
	unsigned int j;

	/* The queue is 64K aligned; its size is in 4K pages, minus one. */
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | q | 16));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	for (i = 0; i < n; i++)
		for (j = 0; j < 4; j++)
			fake_poke64(fx->vm, q + i * ITS_CMD_SIZE + j * 8,
				    (i == n - 1 ? mapc : sync).w[j]);
	/* Up to 768 bytes short of the end first: a window then straddles. */
	fx_mmio_write(fx->its, GITS_CWRITER, 8, SZ_64K - 768);
	fx_mmio_write(fx->its, GITS_CWRITER, 8, SZ_64K + 2 * ITS_CMD_SIZE);
	KUNIT_EXPECT_EQ(test, (u64)SZ_64K + 2 * ITS_CMD_SIZE,
			its_get_reg(fx->its, GITS_CREADR));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_coll(fx->its, 5));
	KUNIT_EXPECT_EQ(test, n,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_cmd_errors(fx));
}

/*
 * @n commands into a 64K queue from CREADR 0, then one CWRITER store:
 * one batch of up to 2047 commands.
 */
static void fx_big_batch(struct its_fx *fx, const struct fx_cmd *c,
			 unsigned int n)
{
	KUNIT_ASSERT_EQ(fx->test, 0, its_set_reg(fx->its, GITS_CTLR, 0));
	KUNIT_ASSERT_EQ(fx->test, 0,
			its_set_reg(fx->its, GITS_CBASER,
				    GITS_CBASER_VALID | FX_CMDQ | 15));
	KUNIT_ASSERT_EQ(fx->test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
	fx_queue_batch(fx, c, n);
	KUNIT_EXPECT_EQ(fx->test, (u64)n * ITS_CMD_SIZE,
			its_get_reg(fx->its, GITS_CREADR));
}

/*
 * 300 DISCARDs in one batch, 200 in order (their clears written together,
 * more than ITS_CLEAR_MAX bytes of them) and 100 in reverse: every entry
 * they free is cleared, none other.
 */
static void discards_in_a_batch_clear_their_entries_and_no_other(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd *c = kunit_kcalloc(test, 300, sizeof(*c), GFP_KERNEL);
	u32 ev;

	KUNIT_ASSERT_NOT_NULL(test, c);
	fx_map_dev_coll(fx, 1, 9, 0, 0);
	for (ev = 0; ev < 400; ev++) {
		KUNIT_ASSERT_EQ(test, 0,
				fx_run(fx, c_mapti(1, ev, FX_LPI + ev, 0)));
		fake_poke64(fx->vm, FX_ITT(1) + ev * 8, ~0ULL);
	}
	for (ev = 0; ev < 200; ev++)
		c[ev] = c_dev_ev(GITS_CMD_DISCARD, 1, ev, 0);
	for (ev = 0; ev < 100; ev++)
		c[200 + ev] = c_dev_ev(GITS_CMD_DISCARD, 1, 399 - ev, 0);
	fx_big_batch(fx, c, 300);
	for (ev = 0; ev < 400; ev++) {
		bool gone = ev < 200 || ev >= 300;

		KUNIT_EXPECT_EQ_MSG(test, gone ? 0ULL : ~0ULL,
				    fake_peek64(fx->vm, FX_ITT(1) + ev * 8),
				    "event %u", ev);
		KUNIT_EXPECT_EQ_MSG(test, !gone,
				    !!fx_find_ite(fx->its, 1, ev),
				    "event %u", ev);
		KUNIT_EXPECT_EQ_MSG(test, !gone, fx_refs(fx, FX_LPI + ev),
				    "event %u", ev);
	}
	KUNIT_EXPECT_EQ(test, 0ULL, fx_cmd_errors(fx));
}

/*
 * A DISCARD's ITE leaves its device, and its LPI reference goes, with the
 * batch's other DISCARDs (its_ite_discard()), but before any other
 * command: a second DISCARD of the event finds it unmapped, and a MAPTI
 * after it in the same batch maps the event anew.
 */
static void a_discarded_event_is_gone_for_the_rest_of_its_batch(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd c[] = {
		c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0),
		c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0),
		c_dev_ev(GITS_CMD_DISCARD, 1, 1, 0),
		c_mapti(1, 0, FX_LPI + 5, 0),
	};

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, FX_LPI, 0)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 1, FX_LPI + 1, 0)));
	fx_big_batch(fx, c, ARRAY_SIZE(c));
	KUNIT_EXPECT_EQ(test, 1ULL, fx_cmd_errors(fx));
	KUNIT_ASSERT_NOT_NULL(test, fx_find_ite(fx->its, 1, 0));
	KUNIT_EXPECT_EQ(test, FX_LPI + 5,
			(u32)fx_find_ite(fx->its, 1, 0)->intid);
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 1));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, FX_LPI));
	KUNIT_EXPECT_EQ(test, 0, fx_refs(fx, FX_LPI + 1));
	KUNIT_EXPECT_EQ(test, 1, fx_refs(fx, FX_LPI + 5));
}

/*
 * A careless guest's ITT over its level-1 device table: DISCARD 1/0
 * clears level-1 entry 0, and the MAPD after it in the same batch finds
 * DeviceID 2's slot unbacked, as it would have had the clear been written
 * by the DISCARD itself.
 */
static void a_discard_clear_reaches_memory_before_the_next_command(struct kunit *test)
{
	struct its_fx *fx = fx_new(test, 1, true, true);
	struct fx_cmd c[] = {
		c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0), c_mapd(2, 4, FX_ITT(2), true),
	};

	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, FX_DT, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 0, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, FX_LPI, 0)));
	fx_big_batch(fx, c, ARRAY_SIZE(c));
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_DT));
	KUNIT_EXPECT_NULL(test, fx_find_dev(fx->its, 2));
	KUNIT_EXPECT_EQ(test, 1ULL, fx_cmd_errors(fx));
}

/*
 * Two DISCARDs read in one window, the first clearing the second's first
 * word (an ITT over the queue): the clear is written at once and the
 * second runs as the queue then holds it, command 0 (unknown), so event
 * 1 stays mapped. A clear that waited would leave the second a DISCARD.
 */
static void a_discard_clear_over_the_next_discard_is_written_at_once(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd c[10] = {
		[7] = c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0),
		[8] = c_dev_ev(GITS_CMD_DISCARD, 1, 1, 0),
	};
	u64 itt = FX_CMDQ + 8 * ITS_CMD_SIZE;	/* slot 8 */
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		if (i != 7 && i != 8)
			c[i].w[0] = GITS_CMD_SYNC;
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, itt, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 0, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, FX_LPI, 0)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 1, FX_LPI + 1, 0)));
	fx_big_batch(fx, c, ARRAY_SIZE(c));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_ite(fx->its, 1, 1));
	KUNIT_EXPECT_EQ(test, 1ULL, fx_cmd_errors(fx));
}

/*
 * Clears that wait over commands the next window will read (an ITT over
 * the queue, ahead): slots 14-15 DISCARD events 0-1, whose entries are
 * slot 24's first two words; slots 16-23 DISCARD an unmapped event, which
 * writes nothing; slot 24 (DISCARD 1/5) is read with the window of slots
 * 16-25, after the clears were written: command 0 (unknown), event 5
 * stays mapped.
 */
static void discard_clears_reach_the_commands_before_they_are_read(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	u64 itt = FX_CMDQ + 24 * ITS_CMD_SIZE;	/* slot 24 */
	static const u32 mapped[] = { 0, 1, 5 };
	struct fx_cmd c[26];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		c[i] = (struct fx_cmd){ { GITS_CMD_SYNC } };
	c[14] = c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0);
	c[15] = c_dev_ev(GITS_CMD_DISCARD, 1, 1, 0);
	for (i = 16; i < 24; i++)
		c[i] = c_dev_ev(GITS_CMD_DISCARD, 1, 15, 0);
	c[24] = c_dev_ev(GITS_CMD_DISCARD, 1, 5, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapd(1, 4, itt, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapc(0, 0, true)));
	for (i = 0; i < ARRAY_SIZE(mapped); i++)
		KUNIT_ASSERT_EQ(test, 0,
				fx_run(fx, c_mapti(1, mapped[i],
						   FX_LPI + mapped[i], 0)));
	fx_big_batch(fx, c, ARRAY_SIZE(c));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 0));
	KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, 1));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_ite(fx->its, 1, 5));
	KUNIT_EXPECT_EQ(test, 9ULL, fx_cmd_errors(fx));
}

/*
 * Guest memory that ends inside the ITT after the MAPTIs (a memslot gone):
 * each DISCARD whose clear finds no memory is one command error, as when
 * each DISCARD wrote its own; the backed entry is cleared.
 */
static void discard_clears_that_fail_are_one_error_each(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);
	struct fx_cmd c[3];
	u64 mem_size = fx->vm->mem_size;
	u32 ev;

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	for (ev = 0; ev < ARRAY_SIZE(c); ev++) {
		KUNIT_ASSERT_EQ(test, 0,
				fx_run(fx, c_mapti(1, ev, FX_LPI + ev, 0)));
		fake_poke64(fx->vm, FX_ITT(1) + ev * 8, ~0ULL);
		c[ev] = c_dev_ev(GITS_CMD_DISCARD, 1, ev, 0);
	}
	fx->vm->mem_size = FX_ITT(1) + 8;
	fx_big_batch(fx, c, ARRAY_SIZE(c));
	fx->vm->mem_size = mem_size;
	KUNIT_EXPECT_EQ(test, 0ULL, fake_peek64(fx->vm, FX_ITT(1)));
	KUNIT_EXPECT_EQ(test, ~0ULL, fake_peek64(fx->vm, FX_ITT(1) + 8));
	for (ev = 0; ev < ARRAY_SIZE(c); ev++)
		KUNIT_EXPECT_NULL(test, fx_find_ite(fx->its, 1, ev));
	KUNIT_EXPECT_EQ(test, 2ULL, fx_cmd_errors(fx));
}

/* --- Translation --- */

static void translation_needs_an_enabled_its(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(fx->its, 1, 0));
	KUNIT_EXPECT_TRUE(test, fx_pending(fx, 8200));
	fx->lpi.pending[8200 - FX_LPI] = false;
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 0));
	KUNIT_EXPECT_EQ(test, -EBUSY, its_inject_msi(fx->its, 1, 0));
	KUNIT_EXPECT_FALSE(test, fx_pending(fx, 8200));
}

/*
 * An MSI that KVM's MSI paths would translate (the ITS enabled, the ITE's
 * collection mapped) is taken through those translations, without the ITS
 * lock; any other gets the ITS's own answer. Both count as MSIs.
 */
static void a_published_translation_takes_the_lock_free_path(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 1, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(fx->its, 1, 0));
	KUNIT_EXPECT_EQ(test, 1U, fx->vm->msi_signals);
	KUNIT_EXPECT_TRUE(test, fx_pending(fx, 8200));
	KUNIT_EXPECT_EQ(test, 1ULL,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS));

	KUNIT_EXPECT_EQ(test, -ENOENT, its_inject_msi(fx->its, 1, 1));
	KUNIT_ASSERT_EQ(test, 0,
			fx_run(fx, c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0)));
	KUNIT_EXPECT_EQ(test, -ENOENT, its_inject_msi(fx->its, 1, 0));
	KUNIT_EXPECT_EQ(test, 1U, fx->vm->msi_signals);
	KUNIT_EXPECT_EQ(test, 1ULL,
			its_info_attr(fx->its, KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS));
}

static void translater_store_is_an_msi_from_deviceid_0(struct kunit *test)
{
	struct its_fx *fx = fx_simple(test);

	fx_map_dev_coll(fx, 0, 4, 0, 2);
	KUNIT_ASSERT_EQ(test, 0, fx_run(fx, c_mapti(0, 3, 8203, 0)));
	fx_mmio_write(fx->its, GITS_TRANSLATER, 4, 3);
	KUNIT_EXPECT_TRUE(test, fx_pending(fx, 8203));
	KUNIT_EXPECT_EQ(test, 0ULL, fx_mmio_read(fx->its, GITS_TRANSLATER, 4));
}

static struct kunit_case its_cmd_cases[] = {
	KUNIT_CASE(mapd_device_oor_is_rejected),
	KUNIT_CASE(mapd_unbacked_level2_slot_is_device_oor),
	KUNIT_CASE(mapd_unbacked_flat_slot_is_device_oor),
	KUNIT_CASE(mapd_ittsize_above_16_bits_is_rejected),
	KUNIT_CASE(mapd_v0_clears_the_dte_in_memory),
	KUNIT_CASE(mapd_remap_frees_the_old_ites),
	KUNIT_CASE(mapc_procnum_oor_is_rejected),
	KUNIT_CASE(mapc_collection_oor_is_rejected),
	KUNIT_CASE(mapc_v0_leaves_ites_with_a_dangling_icid),
	KUNIT_CASE(mapc_remap_retargets_its_ites),
	KUNIT_CASE(mapti_unmapped_device_is_rejected),
	KUNIT_CASE(mapti_eventid_oor_is_rejected),
	KUNIT_CASE(mapti_unbacked_itt_entry_is_id_oor),
	KUNIT_CASE(mapti_lpi_below_8192_is_rejected),
	KUNIT_CASE(mapti_lpi_above_intid_range_is_rejected),
	KUNIT_CASE(mapti_lpi_beyond_propbaser_idbits_is_physicalid_oor),
	KUNIT_CASE(mapti_of_a_mapped_event_is_a_noop),
	KUNIT_CASE(mapti_collection_oor_is_rejected),
	KUNIT_CASE(mapti_routes_to_the_collection_target),
	KUNIT_CASE(mapti_before_mapc_routes_at_mapc),
	KUNIT_CASE(mapi_uses_the_eventid_as_lpi),
	KUNIT_CASE_PARAM(unmapped_interrupt_is_rejected, unmapped_gen_params),
	KUNIT_CASE(movi_to_unmapped_collection_is_rejected),
	KUNIT_CASE(movi_moves_the_lpi_to_the_new_target),
	KUNIT_CASE(discard_clears_the_ite_in_memory),
	KUNIT_CASE(clear_removes_the_pending_state),
	KUNIT_CASE(inv_rereads_the_lpi_configuration),
	KUNIT_CASE(invall_unmapped_collection_is_rejected),
	KUNIT_CASE(invall_rereads_the_target_vcpu_lpis),
	KUNIT_CASE(movall_procnum_oor_is_rejected),
	KUNIT_CASE(movall_moves_only_the_source_lpis),
	KUNIT_CASE(sync_is_a_noop),
	KUNIT_CASE(unknown_and_gicv4_commands_are_skipped),
	KUNIT_CASE(error_names_are_the_architected_ones),
	KUNIT_CASE(commands_complete_before_the_cwriter_write_returns),
	KUNIT_CASE(queue_wraps_at_its_end),
	KUNIT_CASE(unreadable_queue_entries_are_skipped),
	KUNIT_CASE(a_batch_runs_every_command),
	KUNIT_CASE(a_command_overwritten_by_an_earlier_one_runs_as_written),
	KUNIT_CASE(a_batch_across_an_unbacked_page_runs_the_backed_part),
	KUNIT_CASE(discards_in_a_batch_clear_their_entries_and_no_other),
	KUNIT_CASE(a_discarded_event_is_gone_for_the_rest_of_its_batch),
	KUNIT_CASE(a_discard_clear_reaches_memory_before_the_next_command),
	KUNIT_CASE(a_discard_clear_over_the_next_discard_is_written_at_once),
	KUNIT_CASE(discard_clears_reach_the_commands_before_they_are_read),
	KUNIT_CASE(discard_clears_that_fail_are_one_error_each),
	KUNIT_CASE(translation_needs_an_enabled_its),
	KUNIT_CASE(a_published_translation_takes_the_lock_free_path),
	KUNIT_CASE(translater_store_is_an_msi_from_deviceid_0),
	{}
};

static struct kunit_suite its_cmd_suite = {
	.name = "kvm_vgic3_its_cmds",
	.test_cases = its_cmd_cases,
};

kunit_test_suite(its_cmd_suite);
