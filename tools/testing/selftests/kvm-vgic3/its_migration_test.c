// SPDX-License-Identifier: GPL-2.0
/*
 * ITS save/restore (table ABI rev 0) between two VMs in one process: VM A is
 * programmed through the command queue, SAVE_PENDING_TABLES + SAVE_TABLES,
 * the memslot holding the tables is copied to VM B, which restores in QEMU's
 * order (IIDR, CBASER, CREADR, CWRITER, BASER0-7, RESTORE_TABLES, CTLR).
 * Then RESTORE_TABLES validation: every corrupted field fails with the
 * in-kernel errno and leaves nothing half-restored.
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

/* --- RESTORE_TABLES validation --- */

/* Valid image: 2 vCPUs, collections 0->0 1->1, devices 0 and 1 with events
 * 0..2 (LPI dev*16+ev, ICID (dev+ev)%2), flat or two-level device table. */
static struct its_env *make_image(bool two_level, uint8_t *img, struct its_regs *r)
{
	struct its_env *a = its_env_create(2, NULL);

	if (two_level)
		its_env_setup_its_2l(a);
	else
		its_env_setup_its(a);
	its_env_program_std(a, 2, 3);
	TEST_ASSERT(!__its_save(a->its_fd), "save");
	its_regs_save(a->its_fd, r);
	memcpy(img, a->mem, ITS_MEM_SIZE);
	return a;
}

typedef void (*corrupt_fn)(struct its_env *b, struct its_regs *r);

static void restore_must_fail(struct __test_metadata *_metadata, bool two_level,
			      corrupt_fn fn, int err)
{
	uint8_t *img = malloc(ITS_MEM_SIZE);
	struct its_regs r, rc;
	struct its_env *a = make_image(two_level, img, &r);
	struct its_env *b = its_env_create(2, NULL);

	memcpy(b->mem, img, ITS_MEM_SIZE);
	rc = r;
	fn(b, &rc);
	EXPECT_EQ(-err, its_regs_restore(b->its_fd, &rc));
	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(b->its_fd, GITS_CTLR));
	/* a second attempt fails the same way (nothing left from the first) */
	EXPECT_EQ(-err, __its_restore(b->its_fd));

	/* nothing half-restored: a save writes no entry */
	zero_tables(b);
	if (two_level)
		memcpy(b->mem + ITS_OFF_DT, img + ITS_OFF_DT, SZ_64K);
	its_regs_restore(b->its_fd, &r);	/* valid BASERs, tables empty */
	ASSERT_EQ(0, __its_save(b->its_fd));
	for (int i = 0; i < ITS_OFF_PROP; i++) {
		if (i >= ITS_OFF_CMDQ && i < ITS_OFF_ITT)
			continue;
		if (two_level && i < ITS_OFF_CT)
			continue;
		if (b->mem[i]) {
			EXPECT_EQ(0, i);
			break;
		}
	}
	/* and the valid image restores (no duplicate collection, device) */
	its_reg_set(b->its_fd, GITS_CTLR, 0);
	memcpy(b->mem, img, ITS_MEM_SIZE);
	EXPECT_EQ(0, its_regs_restore(b->its_fd, &r));
	zero_tables(b);
	if (two_level)
		memcpy(b->mem + ITS_OFF_DT, img + ITS_OFF_DT, SZ_64K);
	ASSERT_EQ(0, __its_save(b->its_fd));
	compare_tables(_metadata, img, b->mem);
	its_env_free(b);
	its_env_free(a);
	free(img);
}

static uint64_t *ct(struct its_env *b) { return its_hva(b, ITS_OFF_CT); }
static uint64_t *dt(struct its_env *b) { return its_hva(b, ITS_OFF_DT); }
static uint64_t *itt(struct its_env *b, int d)
{
	return its_hva(b, ITS_OFF_ITT + d * ITS_ITT_STRIDE);
}

static void c_cte_vcpu(struct its_env *b, struct its_regs *r) { ct(b)[1] = mk_cte(2, 1); }
static void c_cte_vcpu_big(struct its_env *b, struct its_regs *r) { ct(b)[0] = mk_cte(0xfffe, 0); }
static void c_cte_dup(struct its_env *b, struct its_regs *r) { ct(b)[1] = mk_cte(1, 0); }
static void c_cte_icid(struct its_env *b, struct its_regs *r) { ct(b)[1] = mk_cte(1, 8192); }
static void c_dte_size(struct its_env *b, struct its_regs *r)
{
	dt(b)[1] = mk_dte(0, its_itt_gpa(b, 1), 16);
}
static void c_dte_devid(struct its_env *b, struct its_regs *r)
{
	uint64_t *l2c = its_hva(b, ITS_OFF_L2 + 2 * SZ_64K);

	uint64_t *l2a = its_hva(b, ITS_OFF_L2);

	/* device 1 (last) points on, so that the scan reaches L1 entry 8 */
	l2a[1] = mk_dte(1, its_itt_gpa(b, 1), 3);
	dt(b)[8] = (1ULL << 63) | its_gpa(b, ITS_OFF_L2 + 2 * SZ_64K);
	l2c[0] = mk_dte(0, its_itt_gpa(b, 2), 3);
}
static void c_ite_lpi(struct its_env *b, struct its_regs *r) { itt(b, 0)[1] = mk_ite(1, 100, 1); }
static void c_ite_lpi_8191(struct its_env *b, struct its_regs *r) { itt(b, 1)[0] = mk_ite(1, 8191, 1); }
static void c_ite_next(struct its_env *b, struct its_regs *r) { itt(b, 0)[2] = mk_ite(14, ITS_LPI(2), 0); }
static void c_ite_icid(struct its_env *b, struct its_regs *r) { itt(b, 1)[0] = mk_ite(1, ITS_LPI(16), 9); }
static void c_itt_unbacked(struct its_env *b, struct its_regs *r)
{
	dt(b)[1] = mk_dte(0, 0x20000000, 3);
}
static void c_ct_unbacked(struct its_env *b, struct its_regs *r)
{
	r->baser[1] = (r->baser[1] & ~GENMASK_ULL(47, 16)) | 0x20000000;
}
static void c_dt_unbacked(struct its_env *b, struct its_regs *r)
{
	r->baser[0] = (r->baser[0] & ~GENMASK_ULL(47, 16)) | 0x20000000;
}

TEST(its_restore_cte_naming_a_missing_vcpu_is_einval)
{
	restore_must_fail(_metadata, false, c_cte_vcpu, EINVAL);
}

TEST(its_restore_cte_naming_a_huge_vcpu_number_is_einval)
{
	restore_must_fail(_metadata, false, c_cte_vcpu_big, EINVAL);
}

TEST(its_restore_duplicate_icid_is_eexist)
{
	restore_must_fail(_metadata, false, c_cte_dup, EEXIST);
}

TEST(its_restore_icid_outside_the_collection_table_is_einval)
{
	restore_must_fail(_metadata, false, c_cte_icid, EINVAL);
}

TEST(its_restore_dte_size_over_16_bits_is_einval)
{
	restore_must_fail(_metadata, false, c_dte_size, EINVAL);
}

TEST(its_restore_deviceid_outside_the_device_table_is_einval)
{
	restore_must_fail(_metadata, true, c_dte_devid, EINVAL);
}

TEST(its_restore_ite_pintid_below_8192_is_einval)
{
	restore_must_fail(_metadata, false, c_ite_lpi, EINVAL);
}

TEST(its_restore_ite_pintid_8191_is_einval)
{
	restore_must_fail(_metadata, false, c_ite_lpi_8191, EINVAL);
}

TEST(its_restore_ite_next_beyond_the_eventid_range_is_einval)
{
	restore_must_fail(_metadata, false, c_ite_next, EINVAL);
}

TEST(its_restore_ite_naming_an_unrestored_icid_is_einval)
{
	restore_must_fail(_metadata, false, c_ite_icid, EINVAL);
}

TEST(its_restore_unreadable_itt_is_efault)
{
	restore_must_fail(_metadata, false, c_itt_unbacked, EFAULT);
}

TEST(its_restore_unreadable_collection_table_is_efault)
{
	restore_must_fail(_metadata, false, c_ct_unbacked, EFAULT);
}

TEST(its_restore_unreadable_device_table_is_efault)
{
	restore_must_fail(_metadata, false, c_dt_unbacked, EFAULT);
}

/* Measured: a DTE whose next offset jumps past the end of the device table
 * ends the scan without error; the devices after it are not restored. */
TEST(its_restore_dte_next_beyond_the_table_ends_the_scan)
{
	uint8_t *img = malloc(ITS_MEM_SIZE);
	struct its_regs r;
	struct its_env *a = make_image(false, img, &r);
	struct its_env *b = its_env_create(2, NULL);

	memcpy(b->mem, img, ITS_MEM_SIZE);
	dt(b)[0] = mk_dte(0x3fff, its_itt_gpa(b, 0), 3);
	EXPECT_EQ(0, its_regs_restore(b->its_fd, &r));
	zero_tables(b);
	ASSERT_EQ(0, __its_save(b->its_fd));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(b, 0), 3), its_dte(b, 0));
	EXPECT_EQ(0, its_dte(b, 1));
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(b, 0, 0));
	EXPECT_EQ(0, its_ite(b, 1, 0));
	its_env_free(b);
	its_env_free(a);
	free(img);
}

/* Entries with V=0 / pINTID=0 are skipped; an all-invalid table restores. */
TEST(its_restore_invalid_entries_are_skipped)
{
	uint8_t *img = malloc(ITS_MEM_SIZE);
	struct its_regs r;
	struct its_env *a = make_image(false, img, &r);
	struct its_env *b = its_env_create(2, NULL);

	memcpy(b->mem, img, ITS_MEM_SIZE);
	itt(b, 0)[1] = mk_ite(1, 0, 1);		/* pINTID 0: invalid, skipped */
	dt(b)[0] &= ~(1ULL << 63);		/* device 0 invalid */
	EXPECT_EQ(0, its_regs_restore(b->its_fd, &r));
	zero_tables(b);
	ASSERT_EQ(0, __its_save(b->its_fd));
	EXPECT_EQ(0, its_dte(b, 0));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(b, 1), 3), its_dte(b, 1));
	EXPECT_EQ(mk_cte(0, 0), its_cte(b, 0));
	its_env_free(b);
	its_env_free(a);
	free(img);
}

TEST_HARNESS_MAIN
