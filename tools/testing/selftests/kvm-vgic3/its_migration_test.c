// SPDX-License-Identifier: GPL-2.0
/*
 * ITS save/restore (table ABI rev 0) between two VMs in one process: VM A is
 * programmed through the command queue, SAVE_PENDING_TABLES + SAVE_TABLES,
 * the memslot holding the tables is copied to VM B, which restores in QEMU's
 * order (IIDR, CBASER, CREADR, CWRITER, BASER0-7, RESTORE_TABLES, CTLR).
 * Corrupted tables are its_restore_corrupt_test's.
 *
 * Prints "TABLES <name> <hex>" lines with the saved bytes of a fixed command
 * sequence so the two implementations can be compared byte for byte.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

/* The fixed sequence; expected saved entries below. */
static void program_fixed(struct its_env *e)
{
	struct its_cmd seq[] = {
		its_cmd_mapc(0, 0, true), its_cmd_mapc(1, 1, true), its_cmd_mapc(5, 1, true),
		its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true),
		its_cmd_mapti(0, 0, ITS_LPI(0), 0), its_cmd_mapti(0, 1, ITS_LPI(1), 1),
		its_cmd_mapti(0, 2, ITS_LPI(2), 0), its_cmd_mapti(0, 3, ITS_LPI(3), 1),
		its_cmd_mapd(1, its_itt_gpa(e, 1), 3, true),
		its_cmd_mapti(1, 0, ITS_LPI(100), 5), its_cmd_mapti(1, 7, ITS_LPI(101), 5),
		its_cmd_mapti(1, 15, ITS_LPI(102), 0),
		its_cmd_mapd(3, its_itt_gpa(e, 3), 1, true),
		its_cmd_mapti(3, 0, ITS_LPI(200), 1), its_cmd_mapti(3, 3, ITS_LPI(203), 1),
		its_cmd_mapd(20, its_itt_gpa(e, 20), 3, true),
		its_cmd_mapti(20, 0, ITS_LPI(300), 0),
		its_cmd_mapd(20, 0, 0, false),
		its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 2),
		its_cmd_movi(0, 3, 5),
		its_cmd_sync(0),
	};

	its_sendv(e, seq, ARRAY_SIZE(seq));
}

static void check_fixed(struct __test_metadata *_metadata, struct its_env *e,
			bool cte_any_order)
{
	uint64_t ctes[3] = { mk_cte(0, 0), mk_cte(1, 1), mk_cte(1, 5) };

	EXPECT_EQ(mk_dte(1, its_itt_gpa(e, 0), 3), its_dte(e, 0));
	EXPECT_EQ(mk_dte(2, its_itt_gpa(e, 1), 3), its_dte(e, 1));
	EXPECT_EQ(0, its_dte(e, 2));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 3), 1), its_dte(e, 3));
	EXPECT_EQ(0, its_dte(e, 20));
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 0, 0));
	EXPECT_EQ(mk_ite(2, ITS_LPI(1), 1), its_ite(e, 0, 1));
	EXPECT_EQ(0, its_ite(e, 0, 2));
	EXPECT_EQ(mk_ite(0, ITS_LPI(3), 5), its_ite(e, 0, 3));
	EXPECT_EQ(mk_ite(7, ITS_LPI(100), 5), its_ite(e, 1, 0));
	EXPECT_EQ(mk_ite(8, ITS_LPI(101), 5), its_ite(e, 1, 7));
	EXPECT_EQ(mk_ite(0, ITS_LPI(102), 0), its_ite(e, 1, 15));
	EXPECT_EQ(mk_ite(3, ITS_LPI(200), 1), its_ite(e, 3, 0));
	EXPECT_EQ(mk_ite(0, ITS_LPI(203), 1), its_ite(e, 3, 3));
	/* the ITT of the unmapped device is never written by the save */
	EXPECT_EQ(0, its_ite(e, 20, 0));
	if (!cte_any_order) {
		for (int i = 0; i < 3; i++)
			EXPECT_EQ(ctes[i], its_cte(e, i));
	} else {
		for (int i = 0; i < 3; i++) {
			int found = 0;

			for (int j = 0; j < 3; j++)
				found += its_cte(e, j) == ctes[i];
			EXPECT_EQ(1, found);
		}
	}
	EXPECT_EQ(0, its_cte(e, 3));
}

static void zero_tables(struct its_env *e)
{
	memset(its_hva(e, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(e, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	memset(its_hva(e, ITS_OFF_L2), 0, ITS_OFF_SCRATCH - ITS_OFF_L2);
}

static void zero_pending(struct its_env *e)
{
	memset(its_hva(e, ITS_OFF_PEND), 0, ITS_OFF_L2 - ITS_OFF_PEND);
}

static int sorted_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Device table, ITTs, L2 pages byte for byte; collection table as a set. */
static void compare_tables(struct __test_metadata *_metadata,
			   const uint8_t *a, const uint8_t *b)
{
	uint64_t ca[64], cb[64];

	EXPECT_EQ(0, memcmp(a + ITS_OFF_DT, b + ITS_OFF_DT, ITS_OFF_CT - ITS_OFF_DT));
	EXPECT_EQ(0, memcmp(a + ITS_OFF_ITT, b + ITS_OFF_ITT, ITS_OFF_PROP - ITS_OFF_ITT));
	EXPECT_EQ(0, memcmp(a + ITS_OFF_L2, b + ITS_OFF_L2, ITS_OFF_SCRATCH - ITS_OFF_L2));
	memcpy(ca, a + ITS_OFF_CT, sizeof(ca));
	memcpy(cb, b + ITS_OFF_CT, sizeof(cb));
	qsort(ca, 64, 8, sorted_cmp);
	qsort(cb, 64, 8, sorted_cmp);
	EXPECT_EQ(0, memcmp(ca, cb, sizeof(ca)));
	EXPECT_EQ(0, memcmp(a + ITS_OFF_CT + sizeof(ca), b + ITS_OFF_CT + sizeof(ca),
			    ITS_OFF_CMDQ - ITS_OFF_CT - sizeof(ca)));
}

static struct its_env *migrate(struct __test_metadata *_metadata,
			       struct its_env *a, struct its_regs *ra)
{
	struct its_env *b = its_env_create(a->nr_vcpus, NULL);
	struct its_regs rb;

	its_regs_save(a->its_fd, ra);
	memcpy(b->mem, a->mem, ITS_MEM_SIZE);
	its_env_enable_lpis(b);		/* GIC before the ITS, as QEMU does */
	EXPECT_EQ(0, its_regs_restore(b->its_fd, ra));
	its_regs_save(b->its_fd, &rb);
	EXPECT_EQ(ra->iidr, rb.iidr);
	EXPECT_EQ(ra->cbaser, rb.cbaser);
	EXPECT_EQ(ra->creadr, rb.creadr);
	EXPECT_EQ(ra->cwriter, rb.cwriter);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(ra->baser[i], rb.baser[i]);
	EXPECT_EQ(ra->ctlr, rb.ctlr);
	return b;
}

TEST(its_migrate_flat_tables_registers_bytes_and_pending_state)
{
	struct its_env *a = its_env_create(2, NULL), *b;
	struct its_regs ra;
	uint8_t *img = malloc(ITS_MEM_SIZE);

	its_env_setup_its(a);
	program_fixed(a);
	its_env_enable_lpis(a);
	its_send(a, its_cmd_dev_ev(GITS_CMD_INT, 0, 0));	/* LPI 8192 -> vCPU 0 */
	its_send(a, its_cmd_dev_ev(GITS_CMD_INT, 1, 7));	/* LPI 8293 -> vCPU 1 */
	ASSERT_EQ(0, __gic_save_pending(a->gic_fd));
	ASSERT_EQ(0, __its_save(a->its_fd));
	check_fixed(_metadata, a, false);
	EXPECT_TRUE(its_lpi_pending_bit(a, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(a, 1, ITS_LPI(101)));
	EXPECT_FALSE(its_lpi_pending_bit(a, 0, ITS_LPI(1)));
	EXPECT_FALSE(its_lpi_pending_bit(a, 1, ITS_LPI(1)));
	its_dump_hex("fixed-dt", its_hva(a, ITS_OFF_DT), 32 * 8);
	its_dump_hex("fixed-ct", its_hva(a, ITS_OFF_CT), 8 * 8);
	for (int d = 0; d < 4; d++) {
		char name[32];

		snprintf(name, sizeof(name), "fixed-itt%d", d);
		its_dump_hex(name, its_hva(a, ITS_OFF_ITT + d * ITS_ITT_STRIDE), 16 * 8);
	}
	its_dump_hex("fixed-pend0", its_hva(a, ITS_OFF_PEND + ITS_LPI(0) / 8), 16);
	its_dump_hex("fixed-pend1", its_hva(a, ITS_OFF_PEND + SZ_64K + ITS_LPI(0) / 8), 16);
	memcpy(img, a->mem, ITS_MEM_SIZE);

	b = migrate(_metadata, a, &ra);
	/* B saves the same bytes */
	zero_tables(b);
	zero_pending(b);
	ASSERT_EQ(0, __gic_save_pending(b->gic_fd));
	ASSERT_EQ(0, __its_save(b->its_fd));
	check_fixed(_metadata, b, true);
	compare_tables(_metadata, img, b->mem);
	EXPECT_TRUE(its_lpi_pending_bit(b, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(b, 1, ITS_LPI(101)));
	EXPECT_EQ(0, memcmp(img + ITS_OFF_PEND, b->mem + ITS_OFF_PEND, ITS_OFF_L2 - ITS_OFF_PEND));

	/* B goes on from the restored queue position and state */
	its_send(b, its_cmd_mapti(1, 8, ITS_LPI(110), 1));
	its_send(b, its_cmd_dev_ev(GITS_CMD_DISCARD, 1, 15));
	its_send(b, its_cmd_dev_ev(GITS_CMD_CLEAR, 0, 0));
	ASSERT_EQ(0, __its_save(b->its_fd));
	EXPECT_EQ(mk_ite(1, ITS_LPI(101), 5), its_ite(b, 1, 7));
	EXPECT_EQ(mk_ite(0, ITS_LPI(110), 1), its_ite(b, 1, 8));
	EXPECT_EQ(0, its_ite(b, 1, 15));
	ASSERT_EQ(0, __gic_save_pending(b->gic_fd));
	EXPECT_FALSE(its_lpi_pending_bit(b, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(b, 1, ITS_LPI(101)));

	/*
	 * B translates MSIs: through a restored ITE, one mapped on B, one
	 * moved on A (MOVI to collection 5, vCPU 1); not through an event
	 * discarded on A or on B.
	 */
	EXPECT_EQ(1, its_signal_msi(b, 3, 3));
	EXPECT_EQ(1, its_signal_msi(b, 1, 8));
	EXPECT_EQ(1, its_signal_msi(b, 0, 3));
	EXPECT_EQ(0, its_signal_msi(b, 0, 2));
	EXPECT_EQ(0, its_signal_msi(b, 1, 15));
	ASSERT_EQ(0, __gic_save_pending(b->gic_fd));
	EXPECT_TRUE(its_lpi_pending_bit(b, 1, ITS_LPI(203)));
	EXPECT_TRUE(its_lpi_pending_bit(b, 1, ITS_LPI(110)));
	EXPECT_TRUE(its_lpi_pending_bit(b, 1, ITS_LPI(3)));
	EXPECT_FALSE(its_lpi_pending_bit(b, 0, ITS_LPI(3)));
	EXPECT_FALSE(its_lpi_pending_bit(b, 0, ITS_LPI(2)));
	EXPECT_FALSE(its_lpi_pending_bit(b, 1, ITS_LPI(102)));
	its_env_free(b);
	its_env_free(a);
	free(img);
}

static void program_2l(struct its_env *e)
{
	static const uint32_t devs[] = { 1, 8191, 8192, 9000 };

	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapc(1, 1, true));
	for (int i = 0; i < 4; i++) {
		its_send(e, its_cmd_mapd(devs[i], its_itt_gpa(e, i), 3, true));
		its_send(e, its_cmd_mapti(devs[i], 0, ITS_LPI(i * 16), i % 2));
		its_send(e, its_cmd_mapti(devs[i], 9, ITS_LPI(i * 16 + 9), 1));
	}
	/* beyond the valid L1 entries: DEVICE_OOR, ignored */
	its_send(e, its_cmd_mapd(3 * 8192, its_itt_gpa(e, 5), 3, true));
}

TEST(its_migrate_two_level_device_table)
{
	struct its_env *a = its_env_create(2, NULL), *b;
	struct its_regs ra;
	uint8_t *img = malloc(ITS_MEM_SIZE);
	uint64_t *l2a = its_hva(a, ITS_OFF_L2), *l2b = its_hva(a, ITS_OFF_L2 + SZ_64K);

	its_env_setup_its_2l(a);
	program_2l(a);
	ASSERT_EQ(0, __its_save(a->its_fd));
	EXPECT_EQ(mk_dte(8190, its_itt_gpa(a, 0), 3), l2a[1]);
	EXPECT_EQ(mk_dte(1, its_itt_gpa(a, 1), 3), l2a[8191]);
	EXPECT_EQ(mk_dte(808, its_itt_gpa(a, 2), 3), l2b[0]);
	EXPECT_EQ(mk_dte(0, its_itt_gpa(a, 3), 3), l2b[808]);
	EXPECT_EQ(mk_ite(9, ITS_LPI(0), 0), its_ite(a, 0, 0));
	EXPECT_EQ(mk_ite(0, ITS_LPI(9), 1), its_ite(a, 0, 9));
	EXPECT_EQ(0, its_ite(a, 5, 0));
	its_dump_hex("2l-l1", its_hva(a, ITS_OFF_DT), 4 * 8);
	its_dump_hex("2l-l2a-1", &l2a[1], 8);
	its_dump_hex("2l-l2a-8191", &l2a[8191], 8);
	its_dump_hex("2l-l2b-0", &l2b[0], 8);
	its_dump_hex("2l-l2b-808", &l2b[808], 8);
	memcpy(img, a->mem, ITS_MEM_SIZE);

	b = migrate(_metadata, a, &ra);
	/* keep the L1 table, clear the L2 pages and ITTs */
	memset(its_hva(b, ITS_OFF_L2), 0, ITS_OFF_SCRATCH - ITS_OFF_L2);
	memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	memset(its_hva(b, ITS_OFF_CT), 0, SZ_64K);
	ASSERT_EQ(0, __its_save(b->its_fd));
	compare_tables(_metadata, img, b->mem);
	its_env_free(b);
	its_env_free(a);
	free(img);
}

/*
 * RESTORE_TABLES against corrupted tables is its_restore_corrupt_test, one
 * case per field of every entry type (each case that was here is one there:
 * cte_rdbase_nr_vcpus, cte_rdbase_fffe, cte_icid_duplicate,
 * cte_icid_outside_table, dte_size_16, l2_deviceid_beyond_range, ite_lpi_1,
 * ite_lpi_8191, ite_next_beyond_range, ite_icid_unrestored,
 * dte_itt_unbacked, ct_baser_unbacked, dt_baser_unbacked,
 * dte_next_beyond_table, dte_v0_first and ite_lpi_0).
 */

TEST_HARNESS_MAIN
