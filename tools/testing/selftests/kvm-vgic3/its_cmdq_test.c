// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS command queue, driven from the attribute API (commands written into
 * guest memory, CWRITER set through ITS_REGS: CREADR == CWRITER when the set
 * returns) and from a guest vCPU (GITS_CWRITER written by MMIO, as the guest
 * library gic_v3_its.c does). Effects are observed through SAVE_TABLES (DTE,
 * ITE, CTE bytes in guest memory) and the vGICv3's SAVE_PENDING_TABLES.
 * Command errors are invisible: CREADR advances, nothing changes.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "gic_v3_its.h"
#include "impl.h"
#include <linux/kvm_vgic3.h>
#include "common_its.h"

static struct its_env *setup(int nr_vcpus)
{
	struct its_env *e = its_env_create(nr_vcpus, NULL);

	its_env_setup_its(e);
	return e;
}

static void save(struct __test_metadata *_metadata, struct its_env *e)
{
	memset(its_hva(e, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(e, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	ASSERT_EQ(0, __its_save(e->its_fd));
}

static bool pending(struct __test_metadata *_metadata, struct its_env *e,
		    int vcpu, uint32_t lpi)
{
	EXPECT_EQ(0, __gic_save_pending(e->gic_fd));
	return its_lpi_pending_bit(e, vcpu, lpi);
}

TEST(its_cmdq_mapd_maps_a_device_and_v0_clears_its_dte)
{
	struct its_env *e = setup(1);

	its_send(e, its_cmd_mapd(5, its_itt_gpa(e, 5), 3, true));
	its_send(e, its_cmd_mapd(7, its_itt_gpa(e, 7), 0, true));
	save(_metadata, e);
	EXPECT_EQ(mk_dte(2, its_itt_gpa(e, 5), 3), its_dte(e, 5));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 7), 0), its_dte(e, 7));
	/* V=0 writes a zero DTE at once, without a save */
	((uint64_t *)its_hva(e, ITS_OFF_DT))[7] = ~0ULL;
	its_send(e, its_cmd_mapd(7, 0, 0, false));
	EXPECT_EQ(0, its_dte(e, 7));
	/* unmapping a device never mapped writes the zero entry as well */
	((uint64_t *)its_hva(e, ITS_OFF_DT))[9] = ~0ULL;
	its_send(e, its_cmd_mapd(9, 0, 0, false));
	EXPECT_EQ(0, its_dte(e, 9));
	save(_metadata, e);
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 5), 3), its_dte(e, 5));
	EXPECT_EQ(0, its_dte(e, 7));
	its_env_free(e);
}

TEST(its_cmdq_mapd_remap_frees_the_old_ites)
{
	struct its_env *e = setup(1);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 1), 3, true));
	its_send(e, its_cmd_mapti(1, 2, ITS_LPI(2), 0));
	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 2), 4, true));
	save(_metadata, e);
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 2), 4), its_dte(e, 1));
	EXPECT_EQ(0, its_ite(e, 1, 2));
	EXPECT_EQ(0, its_ite(e, 2, 2));
	/* the LPI number is free again */
	its_send(e, its_cmd_mapti(1, 3, ITS_LPI(2), 0));
	save(_metadata, e);
	EXPECT_EQ(mk_ite(0, ITS_LPI(2), 0), its_ite(e, 2, 3));
	its_env_free(e);
}

TEST(its_cmdq_mapd_device_oor_and_ittsize_oor_are_ignored)
{
	struct its_env *e = setup(1);

	/* flat device table of 2 pages: 16384 DeviceIDs */
	its_send(e, its_cmd_mapd(16384, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapd(65536, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapd(0xffffffff, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapd(2, its_itt_gpa(e, 2), 16, true));	/* 17 bits */
	its_send(e, its_cmd_mapd(3, its_itt_gpa(e, 3), 31, true));
	its_send(e, its_cmd_mapd(4, its_itt_gpa(e, 4), 15, true));	/* 16 bits: ok */
	save(_metadata, e);
	EXPECT_EQ(0, its_dte(e, 2));
	EXPECT_EQ(0, its_dte(e, 3));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 4), 15), its_dte(e, 4));
	for (int i = 0; i < 2 * SZ_64K / 8; i++) {
		if (i != 4 && ((uint64_t *)its_hva(e, ITS_OFF_DT))[i]) {
			EXPECT_EQ(-1, i);
			break;
		}
	}
	its_env_free(e);
}

TEST(its_cmdq_mapc_maps_collections_and_rejects_missing_vcpu_and_oor_icid)
{
	struct its_env *e = setup(2);

	its_send(e, its_cmd_mapc(3, 1, true));
	its_send(e, its_cmd_mapc(4, 0, true));
	its_send(e, its_cmd_mapc(6, 2, true));		/* no vCPU 2 */
	its_send(e, its_cmd_mapc(8192, 0, true));	/* CT of 1 page: 8192 ICIDs */
	its_send(e, its_cmd_mapc(0xffff, 0, true));
	its_send(e, its_cmd_mapc(4, 1, true));		/* remap to vCPU 1 */
	save(_metadata, e);
	EXPECT_EQ(mk_cte(1, 3), its_cte(e, 0));
	EXPECT_EQ(mk_cte(1, 4), its_cte(e, 1));
	EXPECT_EQ(0, its_cte(e, 2));
	/* V=0 unmaps; unmapping an unknown ICID is harmless */
	its_send(e, its_cmd_mapc(3, 0, false));
	its_send(e, its_cmd_mapc(100, 0, false));
	save(_metadata, e);
	EXPECT_EQ(mk_cte(1, 4), its_cte(e, 0));
	EXPECT_EQ(0, its_cte(e, 1));
	its_env_free(e);
}

/* Measured on 6.12.117: after MAPC V=0 the ITEs of that collection stay
 * mapped without a collection and are saved as zero entries. */
TEST(its_cmdq_mapc_v0_keeps_ites_which_save_as_zero)
{
	struct its_env *e = setup(1);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapc(1, 0, true));
	its_send(e, its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(0), 0));
	its_send(e, its_cmd_mapti(0, 1, ITS_LPI(1), 1));
	its_send(e, its_cmd_mapc(1, 0, false));
	save(_metadata, e);
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 0, 0));
	EXPECT_EQ(0, its_ite(e, 0, 1));
	/* the ITE still exists: MAPTI on it is a no-op */
	its_send(e, its_cmd_mapc(1, 0, true));
	its_send(e, its_cmd_mapti(0, 1, ITS_LPI(9), 1));
	save(_metadata, e);
	EXPECT_EQ(0, its_ite(e, 0, 1));
	/* DISCARD needs a mapped collection; MOVI too */
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 1));
	its_send(e, its_cmd_mapti(0, 1, ITS_LPI(9), 1));
	save(_metadata, e);
	EXPECT_EQ(0, its_ite(e, 0, 1));
	its_env_free(e);
}

TEST(its_cmdq_mapti_maps_and_rejects_bad_device_event_and_lpi)
{
	struct its_env *e = setup(1);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(0), 0));
	its_send(e, its_cmd_mapti(1, 0, ITS_LPI(1), 0));	/* unmapped device */
	its_send(e, its_cmd_mapti(0, 16, ITS_LPI(2), 0));	/* event >= 2^4 */
	its_send(e, its_cmd_mapti(0, 3, 8191, 0));		/* LPI < 8192 */
	its_send(e, its_cmd_mapti(0, 4, 65536, 0));		/* > PROPBASER IDbits */
	its_send(e, its_cmd_mapti(0, 5, 65535, 0));		/* last LPI: ok */
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(7), 0));	/* existing: no-op */
	its_send(e, its_cmd_mapti(0, 6, ITS_LPI(6), 8192));	/* ICID OOR */
	its_send(e, its_cmd_mapti(0, 7, ITS_LPI(8), 3));	/* unmapped ICID: ok */
	save(_metadata, e);
	EXPECT_EQ(mk_ite(5, ITS_LPI(0), 0), its_ite(e, 0, 0));
	EXPECT_EQ(0, its_ite(e, 0, 3));
	EXPECT_EQ(0, its_ite(e, 0, 4));
	EXPECT_EQ(mk_ite(2, 65535, 0), its_ite(e, 0, 5));
	EXPECT_EQ(0, its_ite(e, 0, 6));
	/* an ITE on a collection never mapped by MAPC: the collection exists
	 * unmapped, its ITE and CTE are saved (RDbase all ones) */
	EXPECT_EQ(mk_ite(0, ITS_LPI(8), 3), its_ite(e, 0, 7));
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	EXPECT_EQ(mk_cte(0xffffffff, 3), its_cte(e, 1));
	EXPECT_EQ(0, its_ite(e, 1, 0));
	its_env_free(e);
}

TEST(its_cmdq_mapi_uses_the_eventid_as_lpi)
{
	struct its_env *e = setup(1);
	uint64_t *itt = its_hva(e, ITS_OFF_L2);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapd(0, its_gpa(e, ITS_OFF_L2), 13, true));	/* 14 bits */
	its_send(e, its_cmd_mapi(0, 8192, 0));
	its_send(e, its_cmd_mapi(0, 5, 0));		/* LPI 5: rejected */
	memset(itt, 0, 4 * SZ_64K);
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(mk_ite(0, 8192, 0), itt[8192]);
	EXPECT_EQ(0, itt[5]);
	its_env_free(e);
}

TEST(its_cmdq_movi_changes_the_collection)
{
	struct its_env *e = setup(2);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapc(1, 1, true));
	its_send(e, its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(0), 0));
	its_send(e, its_cmd_movi(0, 0, 1));
	its_send(e, its_cmd_movi(0, 0, 7));	/* unmapped collection: ignored */
	its_send(e, its_cmd_movi(0, 1, 0));	/* no such ITE */
	its_send(e, its_cmd_movi(3, 0, 0));	/* no such device */
	save(_metadata, e);
	EXPECT_EQ(mk_ite(0, ITS_LPI(0), 1), its_ite(e, 0, 0));
	EXPECT_EQ(0, its_ite(e, 0, 1));
	/* a pending LPI follows it to vCPU 1 */
	its_env_enable_lpis(e);
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 0));
	EXPECT_TRUE(pending(_metadata, e, 1, ITS_LPI(0)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 0, ITS_LPI(0)));
	its_env_free(e);
}

TEST(its_cmdq_discard_clears_the_ite_in_memory)
{
	struct its_env *e = setup(1);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(0), 0));
	its_send(e, its_cmd_mapti(0, 1, ITS_LPI(1), 0));
	save(_metadata, e);
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 0, 0));
	/* DISCARD writes the zero ITE at once */
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 1));
	EXPECT_EQ(0, its_ite(e, 0, 1));
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 9));	/* unmapped */
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 6, 0));
	save(_metadata, e);
	EXPECT_EQ(mk_ite(0, ITS_LPI(0), 0), its_ite(e, 0, 0));
	EXPECT_EQ(0, its_ite(e, 0, 1));
	its_env_free(e);
}

TEST(its_cmdq_int_makes_pending_and_clear_removes_it)
{
	struct its_env *e = setup(2);

	its_env_program_std(e, 2, 2);
	/* LPIs not enabled on the redistributor: INT is dropped */
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 0));
	EXPECT_FALSE(pending(_metadata, e, 0, ITS_LPI(0)));
	its_env_enable_lpis(e);
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 0));	/* ICID 0 -> vCPU 0 */
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 1, 1));	/* ICID 0 */
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 1));	/* ICID 1 -> vCPU 1 */
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 5));	/* unmapped event */
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 9, 0));	/* unmapped device */
	EXPECT_TRUE(pending(_metadata, e, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(e, 0, ITS_LPI(17)));
	EXPECT_TRUE(its_lpi_pending_bit(e, 1, ITS_LPI(1)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 0, ITS_LPI(1)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 0, ITS_LPI(16)));
	its_send(e, its_cmd_dev_ev(GITS_CMD_CLEAR, 0, 0));
	its_send(e, its_cmd_dev_ev(GITS_CMD_CLEAR, 0, 7));	/* unmapped */
	EXPECT_FALSE(pending(_metadata, e, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(e, 0, ITS_LPI(17)));
	its_env_free(e);
}

TEST(its_cmdq_inv_invall_sync_change_no_table_state)
{
	struct its_env *e = setup(2);
	uint8_t *before = malloc(ITS_OFF_CMDQ);

	its_env_program_std(e, 2, 2);
	save(_metadata, e);
	memcpy(before, e->mem, ITS_OFF_CMDQ);
	its_send(e, its_cmd_dev_ev(GITS_CMD_INV, 0, 0));
	its_send(e, its_cmd_dev_ev(GITS_CMD_INV, 0, 9));	/* unmapped */
	its_send(e, its_cmd_invall(0));
	its_send(e, its_cmd_invall(1));
	its_send(e, its_cmd_invall(77));			/* unmapped */
	its_send(e, its_cmd_sync(0));
	its_send(e, its_cmd_sync(1));
	its_send(e, its_cmd_sync(12345));
	save(_metadata, e);
	EXPECT_EQ(0, memcmp(before, e->mem, ITS_OFF_CMDQ));
	free(before);
	its_env_free(e);
}

TEST(its_cmdq_movall_moves_pending_lpis_of_the_source_redistributor)
{
	struct its_env *e = setup(2);

	its_env_program_std(e, 1, 2);	/* ev0 -> vCPU 0, ev1 -> vCPU 1 */
	its_env_enable_lpis(e);
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, 0));
	its_send(e, its_cmd_movall(0, 1));
	its_send(e, its_cmd_movall(0, 5));	/* no vCPU 5: ignored */
	EXPECT_TRUE(pending(_metadata, e, 1, ITS_LPI(0)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 0, ITS_LPI(0)));
	/* the ITE keeps its collection */
	save(_metadata, e);
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 0, 0));
	its_env_free(e);
}

TEST(its_cmdq_commands_queued_while_disabled_run_when_enabled)
{
	struct its_env *e = its_env_create(1, NULL);
	struct its_cmd c[2] = { its_cmd_mapc(0, 0, true),
				its_cmd_mapd(2, its_itt_gpa(e, 2), 3, true) };

	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 2));
	its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	memcpy(its_hva(e, ITS_OFF_CMDQ), c, sizeof(c));
	its_reg_set(e->its_fd, GITS_CWRITER, 64);
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CTLR));	/* not quiescent */
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	EXPECT_EQ(64, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	save(_metadata, e);
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 2), 3), its_dte(e, 2));
	its_env_free(e);
}

TEST(its_cmdq_queue_wraps_around)
{
	struct its_env *e = its_env_create(1, NULL);
	struct its_cmd c[4] = { its_cmd_mapc(0, 0, true),
				its_cmd_mapd(1, its_itt_gpa(e, 1), 3, true),
				its_cmd_mapti(1, 0, ITS_LPI(0), 0),
				its_cmd_mapti(1, 1, ITS_LPI(1), 0) };
	uint8_t *q = its_hva(e, ITS_OFF_CMDQ);

	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 2));
	its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 1));	/* 4K queue */
	its_reg_set(e->its_fd, GITS_CREADR, 0x1000 - 64);
	its_reg_set(e->its_fd, GITS_CWRITER, 0x1000 - 64);
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	memcpy(q + 0x1000 - 64, c, 64);
	memcpy(q, c + 2, 64);
	its_reg_set(e->its_fd, GITS_CWRITER, 64);
	EXPECT_EQ(64, its_reg_get(e->its_fd, GITS_CREADR));
	save(_metadata, e);
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 1, 0));
	EXPECT_EQ(mk_ite(0, ITS_LPI(1), 0), its_ite(e, 1, 1));
	/* CWRITER == queue size is ignored; CWRITER == CREADR does nothing */
	its_reg_set(e->its_fd, GITS_CWRITER, 0x1000);
	EXPECT_EQ(64, its_reg_get(e->its_fd, GITS_CWRITER));
	its_reg_set(e->its_fd, GITS_CWRITER, 64);
	EXPECT_EQ(64, its_reg_get(e->its_fd, GITS_CREADR));
	its_env_free(e);
}

TEST(its_cmdq_unknown_and_gicv4_opcodes_are_skipped)
{
	struct its_env *e = setup(1);
	struct its_cmd c = {};

	for (int op = 0; op < 256; op++) {
		switch (op) {
		case GITS_CMD_MAPD: case GITS_CMD_MAPC: case GITS_CMD_MAPTI:
		case GITS_CMD_MAPI: case GITS_CMD_MOVI: case GITS_CMD_DISCARD:
		case GITS_CMD_INV: case GITS_CMD_MOVALL: case GITS_CMD_INVALL:
		case GITS_CMD_INT: case GITS_CMD_CLEAR: case GITS_CMD_SYNC:
			continue;
		}
		c.raw[0] = op | (1ULL << 32);
		c.raw[1] = ITS_LPI(0) | (3ULL << 32);
		c.raw[2] = (1ULL << 63) | its_itt_gpa(e, 1);
		c.raw[3] = ~0ULL;
		its_send(e, c);
	}
	save(_metadata, e);
	for (int i = 0; i < ITS_OFF_CMDQ / 8; i++) {
		if (((uint64_t *)e->mem)[i]) {
			EXPECT_EQ(-1, i);
			break;
		}
	}
	its_env_free(e);
}

/* --- from a guest vCPU --- */

static struct {
	vm_paddr_t dt, ct, cmdq, itt;
} gd;

static void guest_program_its(void)
{
	its_init(gd.ct, SZ_64K, gd.dt, SZ_64K, gd.cmdq, SZ_64K);
	its_send_mapc_cmd((void *)gd.cmdq, 0, 0, true);
	its_send_mapd_cmd((void *)gd.cmdq, 2, gd.itt, 16, true);
	its_send_mapti_cmd((void *)gd.cmdq, 2, 5, 0, ITS_LPI(42));
	its_send_mapd_cmd((void *)gd.cmdq, 0, gd.itt + ITS_ITT_STRIDE, 16, true);
	its_send_mapti_cmd((void *)gd.cmdq, 0, 5, 0, ITS_LPI(43));
	its_send_invall_cmd((void *)gd.cmdq, 0);
	GUEST_ASSERT(readl(GITS_BASE_GVA + GITS_CTLR) ==
		     (GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT));
	GUEST_SYNC(1);
	/* a plain store to GITS_TRANSLATER: EventID 5 */
	writel(5, GITS_BASE_GVA + GITS_TRANSLATER);
	GUEST_SYNC(2);
	GUEST_DONE();
}

static void run_until(struct __test_metadata *_metadata, struct kvm_vcpu *vcpu,
		      uint64_t cmd, uint64_t arg)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		ASSERT_EQ(cmd, uc.cmd);
		if (cmd == UCALL_SYNC)
			ASSERT_EQ(arg, uc.args[1]);
	}
}

static struct its_env *guest_env(void)
{
	struct its_env *e = its_env_create(1, guest_program_its);

	gd.dt = its_gpa(e, ITS_OFF_DT);
	gd.ct = its_gpa(e, ITS_OFF_CT);
	gd.cmdq = its_gpa(e, ITS_OFF_CMDQ);
	gd.itt = its_itt_gpa(e, 0);
	sync_global_to_guest(e->vm, gd);
	its_env_config_lpis(e, 64);
	return e;
}

TEST(its_cmdq_programmed_by_the_guest_through_mmio)
{
	struct its_env *e = guest_env();

	run_until(_metadata, e->vcpus[0], UCALL_SYNC, 1);
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	EXPECT_EQ(6 * 32, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(6 * 32, its_reg_get(e->its_fd, GITS_CWRITER));
	EXPECT_EQ(gd.cmdq | GITS_CBASER_VALID | GITS_CBASER_InnerShareable |
		  GITS_CBASER_RaWaWb | 15, its_reg_get(e->its_fd, GITS_CBASER));
	save(_metadata, e);
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	EXPECT_EQ(mk_dte(2, gd.itt + ITS_ITT_STRIDE, 3), its_dte(e, 0));
	EXPECT_EQ(mk_dte(0, gd.itt, 3), its_dte(e, 2));
	EXPECT_EQ(mk_ite(0, ITS_LPI(42), 0), its_ite(e, 0, 5));
	EXPECT_EQ(mk_ite(0, ITS_LPI(43), 0), its_ite(e, 1, 5));
	its_env_free(e);
}

/* Measured: the in-kernel ITS has no GITS_TRANSLATER register in its MMIO
 * frame; a plain vCPU store to it is ignored (no DeviceID at all), for
 * DeviceID 0 and any other. Deliberate difference (differences.rst): the
 * module, which cannot receive KVM_SIGNAL_MSI, treats the store as an MSI
 * from DeviceID 0. */
TEST(its_translater_store_from_a_vcpu_is_ignored_in_kernel_devid0_in_module)
{
	struct its_env *e = guest_env();

	run_until(_metadata, e->vcpus[0], UCALL_SYNC, 1);
	its_env_enable_lpis(e);
	EXPECT_FALSE(pending(_metadata, e, 0, ITS_LPI(42)));
	run_until(_metadata, e->vcpus[0], UCALL_SYNC, 2);
	EXPECT_FALSE(pending(_metadata, e, 0, ITS_LPI(42)));	/* DeviceID 2 */
	EXPECT_EQ(vgic3_module_loaded(), its_lpi_pending_bit(e, 0, ITS_LPI(43)));
	EXPECT_EQ(6 * 32, its_reg_get(e->its_fd, GITS_CREADR));
	run_until(_metadata, e->vcpus[0], UCALL_DONE, 0);
	its_env_free(e);
}

TEST(its_msi_from_userspace_translates_through_the_its)
{
	struct its_env *e = guest_env();

	run_until(_metadata, e->vcpus[0], UCALL_SYNC, 1);
	/* LPIs disabled on the redistributor: dropped, -EBUSY on both. */
	EXPECT_EQ(-EBUSY, its_signal_msi(e, 2, 5));
	its_env_enable_lpis(e);
	EXPECT_EQ(1, its_signal_msi(e, 2, 5));
	EXPECT_TRUE(pending(_metadata, e, 0, ITS_LPI(42)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 0, ITS_LPI(43)));
	EXPECT_EQ(0, its_signal_msi(e, 2, 6));	/* unmapped event: blocked */
	EXPECT_EQ(0, its_signal_msi(e, 3, 5));	/* unmapped device: blocked */
	EXPECT_EQ(1, its_signal_msi(e, 0, 5));
	EXPECT_TRUE(pending(_metadata, e, 0, ITS_LPI(43)));
	its_env_free(e);
}

/* What each path refuses outright, before any translation. */
TEST(its_msi_from_userspace_refuses_what_cannot_be_an_msi)
{
	struct its_env *e = guest_env();
	struct kvm_msi msi = {
		.address_lo = GITS_BASE_GPA + GITS_TRANSLATER,
		.address_hi = (GITS_BASE_GPA + GITS_TRANSLATER) >> 32,
		.devid = 2,
		.data = 5,
	};
	uint64_t ev = 5;

	run_until(_metadata, e->vcpus[0], UCALL_SYNC, 1);
	its_env_enable_lpis(e);
	if (vgic3_module_loaded()) {
		/* DeviceID beyond GITS_TYPER.Devbits, EventID beyond 32 bits. */
		EXPECT_EQ(-1, __kvm_has_device_attr(e->its_fd,
				KVM_DEV_ARM_VGIC3_GRP_MSI, 1 << 16));
		EXPECT_EQ(ENXIO, errno);
		EXPECT_EQ(-1, __kvm_device_attr_set(e->its_fd,
				KVM_DEV_ARM_VGIC3_GRP_MSI, 1 << 16, &ev));
		EXPECT_EQ(ENXIO, errno);
		ev = 1ULL << 32 | 5;
		EXPECT_EQ(-1, __kvm_device_attr_set(e->its_fd,
				KVM_DEV_ARM_VGIC3_GRP_MSI, 2, &ev));
		EXPECT_EQ(EINVAL, errno);
		/* Write-only. */
		EXPECT_EQ(-1, __kvm_device_attr_get(e->its_fd,
				KVM_DEV_ARM_VGIC3_GRP_MSI, 2, &ev));
		EXPECT_EQ(ENXIO, errno);
	} else {
		/* The group is the module's: the in-kernel ITS knows none of it. */
		EXPECT_EQ(-1, __kvm_has_device_attr(e->its_fd,
				KVM_DEV_ARM_VGIC3_GRP_MSI, 2));
		EXPECT_EQ(ENXIO, errno);
		/* No DeviceID. */
		EXPECT_EQ(-1, __vm_ioctl(e->vm, KVM_SIGNAL_MSI, &msi));
		EXPECT_EQ(EINVAL, errno);
		msi.flags = KVM_MSI_VALID_DEVID;
		msi.address_lo += 0x10000;	/* not a doorbell */
		EXPECT_EQ(-1, __vm_ioctl(e->vm, KVM_SIGNAL_MSI, &msi));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_FALSE(pending(_metadata, e, 0, ITS_LPI(42)));
	its_env_free(e);
}

/*
 * Two ITSes in one VM, each with its own frame and tables: the same
 * DeviceID/EventID translates to each one's own LPI, each saves its own
 * tables, and resetting one leaves the other as it was.
 */
#define ITS2_BASE	0x7fe0000ULL	/* 128K below the first ITS */
#define ITS2_SHIFT	ITS_OFF_L2	/* its tables: the L2/scratch pages */

TEST(its_two_per_vm_are_independent)
{
	struct its_env *e = its_env_create(2, NULL), e2;
	uint64_t base = ITS2_BASE;

	its_env_setup_its(e);
	/* The second ITS's tables sit ITS2_SHIFT higher in the same memslot. */
	e2 = *e;
	e2.mem += ITS2_SHIFT;
	e2.mem_gpa += ITS2_SHIFT;
	e2.its_fd = kvm_create_device(e->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	kvm_device_attr_set(e2.its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &base);
	its_ctrl(e2.its_fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	/*
	 * Creating an ITS puts GICR_PROPBASER back to KVM's initial value
	 * (IDbits 0: no LPI), in-kernel as in the module: program it again.
	 */
	EXPECT_EQ(0, its_redist_get64(e, 0, GICR_PROPBASER) & 0x1f);
	its_env_program_lpi_tables(e);
	/* As its_env_setup_its(), whose LPI configuration e2 must not redo. */
	its_reg_set(e2.its_fd, GITS_BASER, its_baser_dt(&e2, false, 1));
	its_reg_set(e2.its_fd, GITS_BASER + 8, its_baser_ct(&e2, 1));
	its_reg_set(e2.its_fd, GITS_CBASER, its_cbaser(&e2, 16));
	e2.cmdq_size = 16 * SZ_4K;
	its_reg_set(e2.its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	its_env_enable_lpis(e);

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 1), 3, true));
	its_send(e, its_cmd_mapti(1, 0, ITS_LPI(10), 0));
	its_send(&e2, its_cmd_mapc(0, 1, true));
	its_send(&e2, its_cmd_mapd(1, its_itt_gpa(&e2, 1), 3, true));
	its_send(&e2, its_cmd_mapti(1, 0, ITS_LPI(20), 0));

	EXPECT_EQ(1, its_signal_msi(e, 1, 0));
	ASSERT_EQ(0, __gic_save_pending(e->gic_fd));
	EXPECT_TRUE(its_lpi_pending_bit(e, 0, ITS_LPI(10)));
	EXPECT_FALSE(its_lpi_pending_bit(e, 1, ITS_LPI(20)));
	EXPECT_EQ(1, its_signal_msi(&e2, 1, 0));
	ASSERT_EQ(0, __gic_save_pending(e->gic_fd));
	EXPECT_TRUE(its_lpi_pending_bit(e, 1, ITS_LPI(20)));

	ASSERT_EQ(0, __its_save(e->its_fd));
	ASSERT_EQ(0, __its_save(e2.its_fd));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 1), 3), its_dte(e, 1));
	EXPECT_EQ(mk_ite(0, ITS_LPI(10), 0), its_ite(e, 1, 0));
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(&e2, 1), 3), its_dte(&e2, 1));
	EXPECT_EQ(mk_ite(0, ITS_LPI(20), 0), its_ite(&e2, 1, 0));
	EXPECT_EQ(mk_cte(1, 0), its_cte(&e2, 0));

	/* Reset the second: disabled, no state; the first goes on. */
	ASSERT_EQ(0, __its_reset(e2.its_fd));
	EXPECT_EQ(0, its_reg_get(e2.its_fd, GITS_CTLR) & GITS_CTLR_ENABLE);
	EXPECT_EQ(-EBUSY, its_signal_msi(&e2, 1, 0));
	EXPECT_EQ(GITS_CTLR_ENABLE, its_reg_get(e->its_fd, GITS_CTLR) & GITS_CTLR_ENABLE);
	EXPECT_EQ(1, its_signal_msi(e, 1, 0));
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 1, 0));
	EXPECT_EQ(0, its_signal_msi(e, 1, 0));

	close(e2.its_fd);
	its_env_free(e);
}

/*
 * One vCPU count: KVM refuses a vCPU once the vGIC is initialised (both
 * implementations initialise KVM's vgic core at INIT), so no collection
 * can name a vCPU created after INIT: MAPC to it is dropped
 * (E_ITS_MAPC_PROCNUM_OOR) and an ITE in that collection delivers nothing,
 * until the collection is mapped to a vCPU that INIT found.
 */
TEST(its_collection_cannot_name_a_vcpu_created_after_init)
{
	struct its_env *e = its_env_create(2, NULL);
	int ret;

	ret = __vm_ioctl(e->vm, KVM_CREATE_VCPU, (void *)2UL);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EBUSY, errno);

	its_env_setup_its(e);
	its_env_config_lpis(e, 16);
	its_env_enable_lpis(e);
	its_send(e, its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true));
	its_send(e, its_cmd_mapc(0, 2, true));
	its_send(e, its_cmd_mapti(0, 0, ITS_LPI(0), 0));
	EXPECT_EQ(0, its_signal_msi(e, 0, 0));

	its_send(e, its_cmd_mapc(0, 1, true));
	EXPECT_EQ(1, its_signal_msi(e, 0, 0));
	its_env_free(e);
}

TEST_HARNESS_MAIN
