// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_ARM_ITS_RESTORE_TABLES against corrupted tables, table ABI rev 0:
 * one case per field of every entry type, each corruption written into a
 * known-good image by hand (no saving VM: the image is fixed data).
 *
 *   CTE  V[63] RDbase[51:16] ICID[15:0]             (flat, packed)
 *   DTE  V[63] next[62:49] ITT_addr[48:5] size[4:0] (flat and in L2 pages)
 *   L1   V[63] L2 address[51:16]                    (two-level device table)
 *   ITE  next[63:48] pINTID[47:16] ICID[15:0]
 *
 * Each case restores in the documented order (GITS_IIDR, CBASER, CREADR,
 * CWRITER, BASER0-7, RESTORE_TABLES, GITS_CTLR) and checks:
 *  - RESTORE_TABLES fails with the errno the in-kernel ITS gives (measured
 *    on the test host), or succeeds;
 *  - on failure: the GITS registers are unchanged, a second attempt fails
 *    the same way, SAVE_TABLES into cleared tables writes nothing (nothing
 *    was half-restored), and the good image then restores;
 *  - on success: SAVE_TABLES into cleared tables writes exactly what was
 *    restored.
 *
 * Deliberate difference (kvm_vgic3.ko): an ITE whose pINTID is beyond the
 * vGICv3's 16 INTID bits is refused with EINVAL; the in-kernel ITS takes it
 * as long as it can read the LPI's property byte.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

#define NR_VCPUS	2
#define L1E_V		(1ULL << 63)
#define LPI_PROP	(0xa0 | LPI_PROP_GROUP1 | LPI_PROP_ENABLED)
#define GARBAGE		0xdeadbeefcafef00dULL
/* Queue position of the image: commands were consumed up to here. */
#define CMDQ_POS	0x60
/*
 * Offsets (from the ITS memslot) of the two-level device table's L2 pages;
 * L2 pages 0 and 1 are in use, 2 and 3 are free for the corruptions.
 */
#define L2_PAGE(n)	(ITS_OFF_L2 + (n) * SZ_64K)

static uint64_t *ent(uint8_t *m, uint64_t off)
{
	return (uint64_t *)(m + off);
}

#define CT(m)		ent(m, ITS_OFF_CT)
#define DT(m)		ent(m, ITS_OFF_DT)
#define ITT(m, n)	ent(m, ITS_OFF_ITT + (n) * ITS_ITT_STRIDE)
#define L2(m, n)	ent(m, L2_PAGE(n))
#define SCRATCH(m)	ent(m, ITS_OFF_SCRATCH)

/* The slot of a device in the two-level layout: DeviceIDs 1, 8191, 8192. */
#define L2_DEV1(m)	(&L2(m, 0)[1])
#define L2_DEV8191(m)	(&L2(m, 0)[8191])
#define L2_DEV8192(m)	(&L2(m, 1)[0])

static void set_field(uint64_t *p, int h, int l, uint64_t v)
{
	uint64_t mask = GENMASK_ULL(h, l);

	*p = (*p & ~mask) | ((v << l) & mask);
}

#define set_dte_next(p, v)	set_field(p, 62, 49, v)
#define set_dte_itt(p, gpa)	set_field(p, 48, 5, (gpa) >> 8)
#define set_dte_size(p, v)	set_field(p, 4, 0, v)
#define set_ite_next(p, v)	set_field(p, 63, 48, v)
#define set_ite_lpi(p, v)	set_field(p, 47, 16, v)
#define set_ite_icid(p, v)	set_field(p, 15, 0, v)
#define set_cte_rd(p, v)	set_field(p, 51, 16, v)
#define set_cte_icid(p, v)	set_field(p, 15, 0, v)

/* No memslot there: the ITS memslot ends the IPA space, guest RAM is low. */
static uint64_t unbacked_gpa(struct its_env *e)
{
	return e->mem_gpa - SZ_1M;
}

/* Beyond any IPA size: bit 51, the top of every address field. */
#define BEYOND_IPA	(1ULL << 51)

/*
 * The good image, 2 vCPUs:
 *   CT   ICID 0 -> vCPU 0, ICID 1 -> vCPU 1, ICID 7 -> vCPU 1, end
 *   dev A (16 events)  ITT0: ev0 LPI 8192 ICID 0, ev1 8193/1, ev3 8195/0
 *   dev B (16 events)  ITT1: ev0 8208/1, ev15 8223/0
 *   dev C (4 events)   ITT3: ev2 8242/1
 * flat: A, B, C are DeviceIDs 0, 1, 3; two-level: 1, 8191 (L2 page 0) and
 * 8192 (L2 page 1), L1 entries 0 and 1 valid.
 */
static void build_image(struct its_env *e, uint8_t *m, bool two_level)
{
	memset(m, 0, ITS_MEM_SIZE);
	memset(m + ITS_OFF_PROP, LPI_PROP, SZ_64K);

	CT(m)[0] = mk_cte(0, 0);
	CT(m)[1] = mk_cte(1, 1);
	CT(m)[2] = mk_cte(1, 7);

	ITT(m, 0)[0] = mk_ite(1, ITS_LPI(0), 0);
	ITT(m, 0)[1] = mk_ite(2, ITS_LPI(1), 1);
	ITT(m, 0)[3] = mk_ite(0, ITS_LPI(3), 0);
	ITT(m, 1)[0] = mk_ite(15, ITS_LPI(16), 1);
	ITT(m, 1)[15] = mk_ite(0, ITS_LPI(31), 0);
	ITT(m, 3)[2] = mk_ite(0, ITS_LPI(50), 1);

	if (!two_level) {
		DT(m)[0] = mk_dte(1, its_itt_gpa(e, 0), 3);
		DT(m)[1] = mk_dte(2, its_itt_gpa(e, 1), 3);
		DT(m)[3] = mk_dte(0, its_itt_gpa(e, 3), 1);
	} else {
		DT(m)[0] = L1E_V | its_gpa(e, L2_PAGE(0));
		DT(m)[1] = L1E_V | its_gpa(e, L2_PAGE(1));
		*L2_DEV1(m) = mk_dte(8190, its_itt_gpa(e, 0), 3);
		*L2_DEV8191(m) = mk_dte(1, its_itt_gpa(e, 1), 3);
		*L2_DEV8192(m) = mk_dte(0, its_itt_gpa(e, 3), 1);
	}
}

static void good_regs(struct its_env *e, struct its_regs *r, bool two_level)
{
	memset(r, 0, sizeof(*r));
	r->iidr = its_reg_get(e->its_fd, GITS_IIDR);
	r->cbaser = its_cbaser(e, 16);
	r->creadr = CMDQ_POS;
	r->cwriter = CMDQ_POS;
	r->baser[0] = its_baser_dt(e, two_level, two_level ? 1 : 2);
	r->baser[1] = its_baser_ct(e, 1);
	r->ctlr = GITS_CTLR_ENABLE;
}

static void check_regs_equal(struct __test_metadata *_metadata,
			     const struct its_regs *a, const struct its_regs *b)
{
	EXPECT_EQ(a->iidr, b->iidr);
	EXPECT_EQ(a->cbaser, b->cbaser);
	EXPECT_EQ(a->creadr, b->creadr);
	EXPECT_EQ(a->cwriter, b->cwriter);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(a->baser[i], b->baser[i]);
}

/*
 * What SAVE_TABLES may write: the device table (but the L1 table of a
 * two-level one, which the ITS never writes), the collection table, the
 * ITTs, the L2 pages and the scratch page.
 */
struct region {
	uint64_t start, end;
};

static int save_regions(bool two_level, struct region *r)
{
	r[0] = (struct region){ ITS_OFF_DT + (two_level ? SZ_64K : 0), ITS_OFF_CT };
	r[1] = (struct region){ ITS_OFF_ITT, ITS_OFF_PROP };
	r[2] = (struct region){ ITS_OFF_L2, ITS_MEM_SIZE };
	return 3;
}

static void clear_tables(struct its_env *e, bool two_level)
{
	struct region r[3];
	int n = save_regions(two_level, r);

	for (int i = 0; i < n; i++)
		memset(e->mem + r[i].start, 0, r[i].end - r[i].start);
	memset(e->mem + ITS_OFF_CT, 0, SZ_64K);
}

static void copy_tables(struct its_env *e, const uint8_t *m)
{
	memcpy(e->mem + ITS_OFF_DT, m + ITS_OFF_DT, ITS_OFF_CMDQ - ITS_OFF_DT);
	memcpy(e->mem + ITS_OFF_ITT, m + ITS_OFF_ITT, ITS_OFF_PROP - ITS_OFF_ITT);
	memcpy(e->mem + ITS_OFF_L2, m + ITS_OFF_L2, ITS_MEM_SIZE - ITS_OFF_L2);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Saved tables (e->mem) against the expected image: entry by entry, but the
 * collection table as a set (its order is the implementation's).
 */
static void compare_saved(struct __test_metadata *_metadata, struct its_env *e,
			  const uint8_t *want, bool two_level)
{
	uint64_t *ca = malloc(SZ_64K), *cb = malloc(SZ_64K);
	struct region r[3];
	int n = save_regions(two_level, r), bad = 0;

	for (int i = 0; i < n; i++) {
		for (uint64_t off = r[i].start; off < r[i].end; off += 8) {
			uint64_t got = *(uint64_t *)(e->mem + off);
			uint64_t exp = *(const uint64_t *)(want + off);

			if (got == exp)
				continue;
			if (bad++ < 8)
				TH_LOG("saved entry at +0x%lx: 0x%016lx, expected 0x%016lx",
				       off, got, exp);
		}
	}
	memcpy(ca, e->mem + ITS_OFF_CT, SZ_64K);
	memcpy(cb, want + ITS_OFF_CT, SZ_64K);
	qsort(ca, SZ_64K / 8, 8, u64_cmp);
	qsort(cb, SZ_64K / 8, 8, u64_cmp);
	for (int i = 0; i < SZ_64K / 8; i++) {
		if (ca[i] == cb[i])
			continue;
		if (bad++ < 8)
			TH_LOG("collection table differs: sorted entry %d 0x%016lx, expected 0x%016lx",
			       i, ca[i], cb[i]);
	}
	EXPECT_EQ(0, bad);
	free(ca);
	free(cb);
}

typedef void (*corrupt_fn)(struct its_env *e, uint8_t *m, struct its_regs *r);
typedef void (*expect_fn)(struct its_env *e, uint8_t *m);

FIXTURE(restore) {
	struct its_env *e;
	uint8_t *good, *img, *want;
};

FIXTURE_VARIANT(restore) {
	bool two_level;
	corrupt_fn corrupt;
	/* RESTORE_TABLES errno of the in-kernel ITS, 0: it restores */
	int err;
	/* On success: the good image edited into what SAVE_TABLES must write. */
	expect_fn expect;
	/* SAVE_TABLES errno after a failed restore (unbacked CT: EFAULT) */
	int save_err;
	/* kvm_vgic3.ko deliberately differs: it gives module_err instead */
	bool module_differs;
	int module_err;
};

FIXTURE_SETUP(restore)
{
	self->e = its_env_create(NR_VCPUS, NULL);
	self->good = malloc(ITS_MEM_SIZE);
	self->img = malloc(ITS_MEM_SIZE);
	self->want = malloc(ITS_MEM_SIZE);
	ASSERT_TRUE(self->good && self->img && self->want);
}

FIXTURE_TEARDOWN(restore)
{
	its_env_free(self->e);
	free(self->good);
	free(self->img);
	free(self->want);
}

TEST_F(restore, corrupt_then_restore)
{
	struct its_env *e = self->e;
	bool two_level = variant->two_level;
	struct its_regs good, r, before, after;
	int err = variant->err, ret;

	/*
	 * Deliberate (its/tables.c, its_restore_ite()): kvm_vgic3.ko refuses
	 * an ITE whose pINTID no MAPTI could have made (beyond the vGICv3's
	 * 16 INTID bits); the in-kernel ITS restores it when the property
	 * byte of that LPI is readable.
	 */
	if (vgic3_module_loaded() && variant->module_differs)
		err = variant->module_err;

	build_image(e, self->good, two_level);
	good_regs(e, &good, two_level);
	memcpy(self->img, self->good, ITS_MEM_SIZE);
	r = good;
	variant->corrupt(e, self->img, &r);

	/* As QEMU: memory, the GIC (EnableLPIs), then the ITS registers. */
	memcpy(e->mem, self->img, ITS_MEM_SIZE);
	its_env_enable_lpis(e);
	its_regs_restore_but_ctlr(e->its_fd, &r);
	its_regs_save(e->its_fd, &before);

	ret = __its_restore(e->its_fd);
	ASSERT_EQ(-err, ret) {
		TH_LOG("%s: RESTORE_TABLES gave %d (%s)", vgic3_impl_name(),
		       ret, strerror(-ret));
	}

	if (!err) {
		its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
		its_regs_save(e->its_fd, &after);
		check_regs_equal(_metadata, &before, &after);
		EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, after.ctlr);

		memcpy(self->want, self->good, ITS_MEM_SIZE);
		if (variant->expect)
			variant->expect(e, self->want);
		clear_tables(e, two_level);
		ASSERT_EQ(0, __its_save(e->its_fd));
		compare_saved(_metadata, e, self->want, two_level);
		return;
	}

	/* Failed: registers as written, ITS still disabled. */
	its_regs_save(e->its_fd, &after);
	check_regs_equal(_metadata, &before, &after);
	EXPECT_EQ(GITS_CTLR_QUIESCENT, after.ctlr);
	EXPECT_EQ(before.ctlr, after.ctlr);
	/* nothing left over from the first attempt changes the second */
	EXPECT_EQ(-err, __its_restore(e->its_fd));

	/* nothing half-restored: a save writes no entry */
	clear_tables(e, two_level);
	EXPECT_EQ(-variant->save_err, __its_save(e->its_fd));
	memset(self->want, 0, ITS_MEM_SIZE);
	compare_saved(_metadata, e, self->want, two_level);

	/* and the good image restores into the same ITS */
	copy_tables(e, self->good);
	its_regs_restore_but_ctlr(e->its_fd, &good);
	ASSERT_EQ(0, __its_restore(e->its_fd));
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT,
		  its_reg_get(e->its_fd, GITS_CTLR));
	clear_tables(e, two_level);
	ASSERT_EQ(0, __its_save(e->its_fd));
	compare_saved(_metadata, e, self->good, two_level);
}

/* ---- Collection table entries: V[63] RDbase[51:16] ICID[15:0] ---------- */

/* V=0 ends the table: ICID 7, which no ITE names, is not restored. */
static void c_cte_v0_last(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	CT(m)[2] &= ~(1ULL << 63);
}
static void x_cte_v0_last(struct its_env *e, uint8_t *m)
{
	CT(m)[2] = 0;
}
FIXTURE_VARIANT_ADD(restore, cte_v0_last) {
	.corrupt = c_cte_v0_last, .expect = x_cte_v0_last,
};

/* V=0 in the middle ends the table too: ICID 1 is missing for its ITEs. */
static void c_cte_v0_middle(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	CT(m)[1] &= ~(1ULL << 63);
}
FIXTURE_VARIANT_ADD(restore, cte_v0_middle) {
	.corrupt = c_cte_v0_middle, .err = EINVAL,
};

static void c_cte_v0_first(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	CT(m)[0] &= ~(1ULL << 63);
}
FIXTURE_VARIANT_ADD(restore, cte_v0_first) {
	.corrupt = c_cte_v0_first, .err = EINVAL,
};

/* RDbase: vCPU numbers (GITS_TYPER.PTA = 0) */
static void c_cte_rdbase_nr_vcpus(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_rd(&CT(m)[1], NR_VCPUS);
}
FIXTURE_VARIANT_ADD(restore, cte_rdbase_nr_vcpus) {
	.corrupt = c_cte_rdbase_nr_vcpus, .err = EINVAL,
};

static void c_cte_rdbase_fffe(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_rd(&CT(m)[2], 0xfffe);
}
FIXTURE_VARIANT_ADD(restore, cte_rdbase_fffe) {
	.corrupt = c_cte_rdbase_fffe, .err = EINVAL,
};

/*
 * 0xffffffff: a collection that MAPTI created before its MAPC (unmapped);
 * the ITEs naming it are restored, not routed.
 */
static void c_cte_rdbase_unmapped(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_rd(&CT(m)[1], 0xffffffff);
}
static void x_cte_rdbase_unmapped(struct its_env *e, uint8_t *m)
{
	set_cte_rd(&CT(m)[1], 0xffffffff);
}
FIXTURE_VARIANT_ADD(restore, cte_rdbase_unmapped) {
	.corrupt = c_cte_rdbase_unmapped, .expect = x_cte_rdbase_unmapped,
};

/* RDbase is read as 32 bits: [51:48] are ignored (and not saved back). */
static void c_cte_rdbase_bits_51_48(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	CT(m)[2] |= GENMASK_ULL(51, 48);
}
FIXTURE_VARIANT_ADD(restore, cte_rdbase_bits_51_48) {
	.corrupt = c_cte_rdbase_bits_51_48,
};

static void c_cte_reserved_62_52(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	CT(m)[2] |= GENMASK_ULL(62, 52);
}
FIXTURE_VARIANT_ADD(restore, cte_reserved_62_52) {
	.corrupt = c_cte_reserved_62_52,
};

static void c_cte_icid_duplicate(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_icid(&CT(m)[2], 0);
}
FIXTURE_VARIANT_ADD(restore, cte_icid_duplicate) {
	.corrupt = c_cte_icid_duplicate, .err = EEXIST,
};

/* The target is checked before the duplicate ICID. */
static void c_cte_icid_duplicate_bad_rdbase(struct its_env *e, uint8_t *m,
					    struct its_regs *r)
{
	CT(m)[2] = mk_cte(5, 0);
}
FIXTURE_VARIANT_ADD(restore, cte_icid_duplicate_bad_rdbase) {
	.corrupt = c_cte_icid_duplicate_bad_rdbase, .err = EINVAL,
};

/* The collection table is one 64K page: ICIDs 0..8191. */
static void c_cte_icid_last_in_table(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_icid(&CT(m)[2], 8191);
}
static void x_cte_icid_last_in_table(struct its_env *e, uint8_t *m)
{
	set_cte_icid(&CT(m)[2], 8191);
}
FIXTURE_VARIANT_ADD(restore, cte_icid_last_in_table) {
	.corrupt = c_cte_icid_last_in_table,
	.expect = x_cte_icid_last_in_table,
};

static void c_cte_icid_outside_table(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_icid(&CT(m)[2], 8192);
}
FIXTURE_VARIANT_ADD(restore, cte_icid_outside_table) {
	.corrupt = c_cte_icid_outside_table, .err = EINVAL,
};

static void c_cte_icid_ffff(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_cte_icid(&CT(m)[2], 0xffff);
}
FIXTURE_VARIANT_ADD(restore, cte_icid_ffff) {
	.corrupt = c_cte_icid_ffff, .err = EINVAL,
};

static void c_ct_baser_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	r->baser[1] = (r->baser[1] & ~GENMASK_ULL(47, 16)) | unbacked_gpa(e);
}
FIXTURE_VARIANT_ADD(restore, ct_baser_unbacked) {
	.corrupt = c_ct_baser_unbacked, .err = EFAULT,
	/* the save cannot write the collection table either */
	.save_err = EFAULT,
};

/* ---- Device table entries: V[63] next[62:49] ITT_addr[48:5] size[4:0] --- */

/* V=0: skipped, the scan goes on with the next slot. */
static void c_dte_v0_first(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[0] &= ~(1ULL << 63);
}
static void x_dte_v0_first(struct its_env *e, uint8_t *m)
{
	DT(m)[0] = 0;
	memset(ITT(m, 0), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_v0_first) {
	.corrupt = c_dte_v0_first, .expect = x_dte_v0_first,
};

static void c_dte_v0_last(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[3] &= ~(1ULL << 63);
}
static void x_dte_v0_last(struct its_env *e, uint8_t *m)
{
	set_dte_next(&DT(m)[1], 0);
	DT(m)[3] = 0;
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_v0_last) {
	.corrupt = c_dte_v0_last, .expect = x_dte_v0_last,
};

/* next = 0: the last device, those after it are not restored. */
static void c_dte_next_0_early(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(&DT(m)[0], 0);
}
static void x_dte_next_0_early(struct its_env *e, uint8_t *m)
{
	set_dte_next(&DT(m)[0], 0);
	DT(m)[1] = 0;
	DT(m)[3] = 0;
	memset(ITT(m, 1), 0, ITS_ITT_STRIDE);
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_next_0_early) {
	.corrupt = c_dte_next_0_early, .expect = x_dte_next_0_early,
};

/* next to an empty slot: the scan goes on from there (device 1 skipped). */
static void c_dte_next_to_empty_slot(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(&DT(m)[0], 2);
}
static void x_dte_next_to_empty_slot(struct its_env *e, uint8_t *m)
{
	set_dte_next(&DT(m)[0], 3);
	DT(m)[1] = 0;
	memset(ITT(m, 1), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_next_to_empty_slot) {
	.corrupt = c_dte_next_to_empty_slot,
	.expect = x_dte_next_to_empty_slot,
};

/* next beyond the 16384 slots of the table: the scan ends there. */
static void c_dte_next_beyond_table(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(&DT(m)[1], 0x3fff);
}
static void x_dte_next_beyond_table(struct its_env *e, uint8_t *m)
{
	set_dte_next(&DT(m)[1], 0);
	DT(m)[3] = 0;
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_next_beyond_table) {
	.corrupt = c_dte_next_beyond_table, .expect = x_dte_next_beyond_table,
};

/* next to garbage: all ones (V=1, size 31) */
static void c_dte_next_to_ones(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(&DT(m)[0], 2);
	DT(m)[2] = ~0ULL;
}
FIXTURE_VARIANT_ADD(restore, dte_next_to_ones) {
	.corrupt = c_dte_next_to_ones, .err = EINVAL,
};

/* next to garbage: V=1, size 13, an ITT address beyond the IPA space */
static void c_dte_next_to_garbage(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(&DT(m)[0], 2);
	DT(m)[2] = GARBAGE;
}
FIXTURE_VARIANT_ADD(restore, dte_next_to_garbage) {
	.corrupt = c_dte_next_to_garbage, .err = EFAULT,
};

static void c_dte_itt_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_itt(&DT(m)[1], unbacked_gpa(e));
}
FIXTURE_VARIANT_ADD(restore, dte_itt_unbacked) {
	.corrupt = c_dte_itt_unbacked, .err = EFAULT,
};

static void c_dte_itt_beyond_ipa(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_itt(&DT(m)[1], BEYOND_IPA | its_itt_gpa(e, 1));
}
FIXTURE_VARIANT_ADD(restore, dte_itt_beyond_ipa) {
	.corrupt = c_dte_itt_beyond_ipa, .err = EFAULT,
};

/* Two devices, one ITT: both map the same LPIs. */
static void c_dte_itt_shared(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_itt(&DT(m)[1], its_itt_gpa(e, 0));
}
static void x_dte_itt_shared(struct its_env *e, uint8_t *m)
{
	set_dte_itt(&DT(m)[1], its_itt_gpa(e, 0));
	memset(ITT(m, 1), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_itt_shared) {
	.corrupt = c_dte_itt_shared, .expect = x_dte_itt_shared,
};

/* An ITT of invalid entries: a device without events. */
static void c_dte_itt_empty(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_itt(&DT(m)[1], its_itt_gpa(e, 5));
}
static void x_dte_itt_empty(struct its_env *e, uint8_t *m)
{
	set_dte_itt(&DT(m)[1], its_itt_gpa(e, 5));
	memset(ITT(m, 1), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_itt_empty) {
	.corrupt = c_dte_itt_empty, .expect = x_dte_itt_empty,
};

/* A 64-event ITT whose second half is past the end of guest memory. */
#define ITT_AT_END	(ITS_MEM_SIZE - 0x100)

static void c_dte_itt_straddles_end_invalid(struct its_env *e, uint8_t *m,
					    struct its_regs *r)
{
	DT(m)[3] = mk_dte(0, its_gpa(e, ITT_AT_END), 5);
}
FIXTURE_VARIANT_ADD(restore, dte_itt_straddles_end_invalid) {
	.corrupt = c_dte_itt_straddles_end_invalid, .err = EFAULT,
};

/* The same, its only ITE (next = 0) in the backed half: never read further. */
static void c_dte_itt_straddles_end_valid(struct its_env *e, uint8_t *m,
					  struct its_regs *r)
{
	DT(m)[3] = mk_dte(0, its_gpa(e, ITT_AT_END), 5);
	ent(m, ITT_AT_END)[2] = ITT(m, 3)[2];
}
static void x_dte_itt_straddles_end_valid(struct its_env *e, uint8_t *m)
{
	DT(m)[3] = mk_dte(0, its_gpa(e, ITT_AT_END), 5);
	ent(m, ITT_AT_END)[2] = ITT(m, 3)[2];
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, dte_itt_straddles_end_valid) {
	.corrupt = c_dte_itt_straddles_end_valid,
	.expect = x_dte_itt_straddles_end_valid,
};

/* size = EventID bits - 1; GITS_TYPER.IDbits is 16 */
static void c_dte_size_16(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(&DT(m)[1], 16);
}
FIXTURE_VARIANT_ADD(restore, dte_size_16) {
	.corrupt = c_dte_size_16, .err = EINVAL,
};

static void c_dte_size_31(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(&DT(m)[1], 31);
}
FIXTURE_VARIANT_ADD(restore, dte_size_31) {
	.corrupt = c_dte_size_31, .err = EINVAL,
};

static void c_dte_size_15(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(&DT(m)[0], 15);
}
static void x_dte_size_15(struct its_env *e, uint8_t *m)
{
	set_dte_size(&DT(m)[0], 15);
}
FIXTURE_VARIANT_ADD(restore, dte_size_15) {
	.corrupt = c_dte_size_15, .expect = x_dte_size_15,
};

/* 4 events still hold device A's ITEs (events 0, 1, 3) */
static void c_dte_size_fits(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(&DT(m)[0], 1);
}
static void x_dte_size_fits(struct its_env *e, uint8_t *m)
{
	set_dte_size(&DT(m)[0], 1);
}
FIXTURE_VARIANT_ADD(restore, dte_size_fits) {
	.corrupt = c_dte_size_fits, .expect = x_dte_size_fits,
};

/* 2 events do not: event 1's next (2) leaves the EventID range */
static void c_dte_size_too_small(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(&DT(m)[0], 0);
}
FIXTURE_VARIANT_ADD(restore, dte_size_too_small) {
	.corrupt = c_dte_size_too_small, .err = EINVAL,
};

static void c_dt_baser_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	r->baser[0] = (r->baser[0] & ~GENMASK_ULL(47, 16)) | unbacked_gpa(e);
}
FIXTURE_VARIANT_ADD(restore, dt_baser_unbacked) {
	.corrupt = c_dt_baser_unbacked, .err = EFAULT,
};

/* ---- Two-level device table: DTEs in L2 pages ---------------------------- */

static void c_l2_dte_v0(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	*L2_DEV1(m) &= ~(1ULL << 63);
}
static void x_l2_dte_v0(struct its_env *e, uint8_t *m)
{
	*L2_DEV1(m) = 0;
	memset(ITT(m, 0), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l2_dte_v0) {
	.two_level = true, .corrupt = c_l2_dte_v0, .expect = x_l2_dte_v0,
};

/* next past the end of an L2 page: the scan goes on at the next L1 entry */
static void c_l2_dte_next_beyond_page(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(L2_DEV1(m), 0x3fff);
}
static void x_l2_dte_next_beyond_page(struct its_env *e, uint8_t *m)
{
	set_dte_next(L2_DEV1(m), 8191);
	*L2_DEV8191(m) = 0;
	memset(ITT(m, 1), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l2_dte_next_beyond_page) {
	.two_level = true, .corrupt = c_l2_dte_next_beyond_page,
	.expect = x_l2_dte_next_beyond_page,
};

/* next = 0 ends the whole scan, not only the L2 page */
static void c_l2_dte_next_0(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(L2_DEV8191(m), 0);
}
static void x_l2_dte_next_0(struct its_env *e, uint8_t *m)
{
	set_dte_next(L2_DEV8191(m), 0);
	*L2_DEV8192(m) = 0;
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l2_dte_next_0) {
	.two_level = true, .corrupt = c_l2_dte_next_0,
	.expect = x_l2_dte_next_0,
};

static void c_l2_dte_size_16(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_size(L2_DEV8191(m), 16);
}
FIXTURE_VARIANT_ADD(restore, l2_dte_size_16) {
	.two_level = true, .corrupt = c_l2_dte_size_16, .err = EINVAL,
};

static void c_l2_dte_itt_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_itt(L2_DEV8192(m), unbacked_gpa(e));
}
FIXTURE_VARIANT_ADD(restore, l2_dte_itt_unbacked) {
	.two_level = true, .corrupt = c_l2_dte_itt_unbacked, .err = EFAULT,
};

/* L1 entry 8 covers DeviceIDs 65536..73727, beyond GITS_TYPER.Devbits */
static void c_l2_deviceid_beyond_range(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_dte_next(L2_DEV8192(m), 1);
	DT(m)[8] = L1E_V | its_gpa(e, L2_PAGE(2));
	L2(m, 2)[0] = mk_dte(0, its_itt_gpa(e, 5), 3);
}
FIXTURE_VARIANT_ADD(restore, l2_deviceid_beyond_range) {
	.two_level = true, .corrupt = c_l2_deviceid_beyond_range,
	.err = EINVAL,
};

static void c_l2_ite_lpi_below_8192(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 3)[2], 8191);
}
FIXTURE_VARIANT_ADD(restore, l2_ite_lpi_below_8192) {
	.two_level = true, .corrupt = c_l2_ite_lpi_below_8192, .err = EINVAL,
};

/* ---- Level-1 entries: V[63] L2 address[51:16] ----------------------------- */

static void c_l1_v0_first(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[0] &= ~L1E_V;
}
static void x_l1_v0_first(struct its_env *e, uint8_t *m)
{
	*L2_DEV1(m) = 0;
	*L2_DEV8191(m) = 0;
	memset(ITT(m, 0), 0, 2 * ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l1_v0_first) {
	.two_level = true, .corrupt = c_l1_v0_first, .expect = x_l1_v0_first,
};

static void c_l1_v0_second(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] &= ~L1E_V;
}
static void x_l1_v0_second(struct its_env *e, uint8_t *m)
{
	set_dte_next(L2_DEV8191(m), 0);
	*L2_DEV8192(m) = 0;
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l1_v0_second) {
	.two_level = true, .corrupt = c_l1_v0_second, .expect = x_l1_v0_second,
};

static void c_l1_l2_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] = L1E_V | unbacked_gpa(e);
}
FIXTURE_VARIANT_ADD(restore, l1_l2_unbacked) {
	.two_level = true, .corrupt = c_l1_l2_unbacked, .err = EFAULT,
};

static void c_l1_l2_beyond_ipa(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] |= BEYOND_IPA;
}
FIXTURE_VARIANT_ADD(restore, l1_l2_beyond_ipa) {
	.two_level = true, .corrupt = c_l1_l2_beyond_ipa, .err = EFAULT,
};

/* an L2 page of invalid DTEs */
static void c_l1_l2_empty_page(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] = L1E_V | its_gpa(e, L2_PAGE(2));
}
FIXTURE_VARIANT_ADD(restore, l1_l2_empty_page) {
	.two_level = true, .corrupt = c_l1_l2_empty_page,
	.expect = x_l1_v0_second,
};

/* an L2 page of garbage: all ones, V=1 and size 31 */
static void c_l1_l2_page_of_ones(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] = L1E_V | its_gpa(e, L2_PAGE(2));
	memset(L2(m, 2), 0xff, SZ_64K);
}
FIXTURE_VARIANT_ADD(restore, l1_l2_page_of_ones) {
	.two_level = true, .corrupt = c_l1_l2_page_of_ones, .err = EINVAL,
};

/* bits [15:0] and [62:52] are not part of the address */
static void c_l1_low_bits(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[0] |= GENMASK_ULL(15, 0);
	DT(m)[1] |= GENMASK_ULL(15, 0);
}
FIXTURE_VARIANT_ADD(restore, l1_low_bits) {
	.two_level = true, .corrupt = c_l1_low_bits,
};

static void c_l1_reserved_62_52(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[0] |= GENMASK_ULL(62, 52);
	DT(m)[1] |= GENMASK_ULL(62, 52);
}
FIXTURE_VARIANT_ADD(restore, l1_reserved_62_52) {
	.two_level = true, .corrupt = c_l1_reserved_62_52,
};

/*
 * L1 entries 0 and 1 name the same L2 page: its DTEs are DeviceIDs 1 and
 * 8191 and again 8193 and 16383 (sharing ITTs); saved into one page, the
 * second pair overwrites the first.
 */
static void c_l1_same_l2_twice(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	DT(m)[1] = DT(m)[0];
}
static void x_l1_same_l2_twice(struct its_env *e, uint8_t *m)
{
	set_dte_next(L2_DEV8191(m), 0);
	*L2_DEV8192(m) = 0;
	memset(ITT(m, 3), 0, ITS_ITT_STRIDE);
}
FIXTURE_VARIANT_ADD(restore, l1_same_l2_twice) {
	.two_level = true, .corrupt = c_l1_same_l2_twice,
	.expect = x_l1_same_l2_twice,
};

static void c_l1_table_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	r->baser[0] = (r->baser[0] & ~GENMASK_ULL(47, 16)) | unbacked_gpa(e);
}
FIXTURE_VARIANT_ADD(restore, l1_table_unbacked) {
	.two_level = true, .corrupt = c_l1_table_unbacked, .err = EFAULT,
};

/* ---- ITEs: next[63:48] pINTID[47:16] ICID[15:0] -------------------------- */

/* pINTID 0 is an invalid entry: skipped, whatever its next says. */
static void c_ite_lpi_0(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 0);
}
static void x_ite_lpi_0(struct its_env *e, uint8_t *m)
{
	set_ite_next(&ITT(m, 0)[0], 3);
	ITT(m, 0)[1] = 0;
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_0) {
	.corrupt = c_ite_lpi_0, .expect = x_ite_lpi_0,
};

static void c_ite_lpi_1(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 1);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_1) {
	.corrupt = c_ite_lpi_1, .err = EINVAL,
};

static void c_ite_lpi_8191(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 8191);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_8191) {
	.corrupt = c_ite_lpi_8191, .err = EINVAL,
};

static void c_ite_lpi_65535(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 65535);
}
static void x_ite_lpi_65535(struct its_env *e, uint8_t *m)
{
	set_ite_lpi(&ITT(m, 0)[1], 65535);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_65535) {
	.corrupt = c_ite_lpi_65535, .expect = x_ite_lpi_65535,
};

/* Two events, one LPI. */
static void c_ite_lpi_duplicate(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 1)[15], ITS_LPI(0));
}
static void x_ite_lpi_duplicate(struct its_env *e, uint8_t *m)
{
	set_ite_lpi(&ITT(m, 1)[15], ITS_LPI(0));
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_duplicate) {
	.corrupt = c_ite_lpi_duplicate, .expect = x_ite_lpi_duplicate,
};

/*
 * pINTID beyond 16 bits. In-kernel: vgic_add_lpi() reads the LPI's byte of
 * the property table (PROPBASER + pINTID - 8192, read whether or not the
 * collection is mapped) and, for a mapped collection, the pending byte
 * (PENDBASER + pINTID / 8). For 65536 both are in the ITS memslot: restored;
 * for 0xffffffff the property byte is far beyond guest memory: EFAULT.
 * The module refuses both with EINVAL (deliberate).
 */
static void c_ite_lpi_65536(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 65536);
}
static void x_ite_lpi_65536(struct its_env *e, uint8_t *m)
{
	set_ite_lpi(&ITT(m, 0)[1], 65536);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_65536) {
	.corrupt = c_ite_lpi_65536, .expect = x_ite_lpi_65536,
	.module_differs = true, .module_err = EINVAL,
};

static void c_ite_lpi_65536_unmapped_coll(struct its_env *e, uint8_t *m,
					  struct its_regs *r)
{
	set_cte_rd(&CT(m)[1], 0xffffffff);
	set_ite_lpi(&ITT(m, 0)[1], 65536);
}
static void x_ite_lpi_65536_unmapped_coll(struct its_env *e, uint8_t *m)
{
	set_cte_rd(&CT(m)[1], 0xffffffff);
	set_ite_lpi(&ITT(m, 0)[1], 65536);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_65536_unmapped_coll) {
	.corrupt = c_ite_lpi_65536_unmapped_coll,
	.expect = x_ite_lpi_65536_unmapped_coll,
	.module_differs = true, .module_err = EINVAL,
};

static void c_ite_lpi_ffffffff(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_lpi(&ITT(m, 0)[1], 0xffffffff);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_ffffffff) {
	.corrupt = c_ite_lpi_ffffffff, .err = EFAULT,
	.module_differs = true, .module_err = EINVAL,
};

static void c_ite_lpi_ffffffff_unmapped_coll(struct its_env *e, uint8_t *m,
					     struct its_regs *r)
{
	set_cte_rd(&CT(m)[1], 0xffffffff);
	set_ite_lpi(&ITT(m, 0)[1], 0xffffffff);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_ffffffff_unmapped_coll) {
	.corrupt = c_ite_lpi_ffffffff_unmapped_coll, .err = EFAULT,
	.module_differs = true, .module_err = EINVAL,
};

/*
 * A pINTID whose property byte guest memory does not back: PROPBASER moved
 * to the last 4K of the ITS memslot, LPI 12288's byte is just past its end.
 */
static void prop_at_end(struct its_env *e)
{
	for (int i = 0; i < e->nr_vcpus; i++)
		its_redist_set64(e, i, GICR_PROPBASER,
				 its_gpa(e, ITS_MEM_SIZE - SZ_4K) | (16 - 1));
}

static void c_ite_lpi_prop_unbacked(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	prop_at_end(e);
	set_ite_lpi(&ITT(m, 0)[1], 8192 + SZ_4K);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_prop_unbacked) {
	.corrupt = c_ite_lpi_prop_unbacked, .err = EFAULT,
};

/*
 * The same, the ITE's collection unmapped: EFAULT too, the property byte
 * is read at restore whatever the collection (in-kernel: vgic_add_lpi() ->
 * update_lpi_config(); module: its_ite_new() -> config_readable).
 */
static void c_ite_lpi_prop_unbacked_unmapped_coll(struct its_env *e, uint8_t *m,
						  struct its_regs *r)
{
	prop_at_end(e);
	set_cte_rd(&CT(m)[1], 0xffffffff);
	set_ite_lpi(&ITT(m, 0)[1], 8192 + SZ_4K);
}
FIXTURE_VARIANT_ADD(restore, ite_lpi_prop_unbacked_unmapped_coll) {
	.corrupt = c_ite_lpi_prop_unbacked_unmapped_coll, .err = EFAULT,
};

/* next: EventID offset of the next valid ITE, 0 on the last */
static void c_ite_next_beyond_range(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_next(&ITT(m, 0)[3], 13);
}
FIXTURE_VARIANT_ADD(restore, ite_next_beyond_range) {
	.corrupt = c_ite_next_beyond_range, .err = EINVAL,
};

static void c_ite_next_to_last_event(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_next(&ITT(m, 0)[3], 12);
}
FIXTURE_VARIANT_ADD(restore, ite_next_to_last_event) {
	.corrupt = c_ite_next_to_last_event,
};

static void c_ite_next_0_early(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_next(&ITT(m, 0)[1], 0);
}
static void x_ite_next_0_early(struct its_env *e, uint8_t *m)
{
	set_ite_next(&ITT(m, 0)[1], 0);
	ITT(m, 0)[3] = 0;
}
FIXTURE_VARIANT_ADD(restore, ite_next_0_early) {
	.corrupt = c_ite_next_0_early, .expect = x_ite_next_0_early,
};

static void c_ite_next_skips_ite(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_next(&ITT(m, 0)[0], 3);
}
static void x_ite_next_skips_ite(struct its_env *e, uint8_t *m)
{
	set_ite_next(&ITT(m, 0)[0], 3);
	ITT(m, 0)[1] = 0;
}
FIXTURE_VARIANT_ADD(restore, ite_next_skips_ite) {
	.corrupt = c_ite_next_skips_ite, .expect = x_ite_next_skips_ite,
};

/* next to garbage: all ones (pINTID 0xffffffff, next 0xffff) */
static void c_ite_next_to_ones(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_next(&ITT(m, 0)[1], 1);
	ITT(m, 0)[2] = ~0ULL;
}
FIXTURE_VARIANT_ADD(restore, ite_next_to_ones) {
	.corrupt = c_ite_next_to_ones, .err = EINVAL,
};

static void c_ite_icid_unrestored(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_icid(&ITT(m, 1)[0], 9);
}
FIXTURE_VARIANT_ADD(restore, ite_icid_unrestored) {
	.corrupt = c_ite_icid_unrestored, .err = EINVAL,
};

static void c_ite_icid_ffff(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_icid(&ITT(m, 1)[0], 0xffff);
}
FIXTURE_VARIANT_ADD(restore, ite_icid_ffff) {
	.corrupt = c_ite_icid_ffff, .err = EINVAL,
};

static void c_ite_icid_other(struct its_env *e, uint8_t *m, struct its_regs *r)
{
	set_ite_icid(&ITT(m, 1)[0], 7);
}
static void x_ite_icid_other(struct its_env *e, uint8_t *m)
{
	set_ite_icid(&ITT(m, 1)[0], 7);
}
FIXTURE_VARIANT_ADD(restore, ite_icid_other) {
	.corrupt = c_ite_icid_other, .expect = x_ite_icid_other,
};

/* Nothing corrupted: the image itself, both layouts. */
static void c_none(struct its_env *e, uint8_t *m, struct its_regs *r)
{
}
FIXTURE_VARIANT_ADD(restore, good_flat) { .corrupt = c_none };
FIXTURE_VARIANT_ADD(restore, good_two_level) { .two_level = true, .corrupt = c_none };

TEST_HARNESS_MAIN
