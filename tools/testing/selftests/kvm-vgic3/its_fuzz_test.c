// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded fuzzing of the ITS: hostile command queues (unknown and GICv4
 * opcodes, out-of-range fields, wrapping queues, CWRITER beyond the queue),
 * random ITS_REGS writes, random corruptions of saved tables fed to
 * RESTORE_TABLES, and MAPD with ITTs anywhere (backed, unbacked, beyond the
 * IPA space) and of any size, mixed with the commands that use them and
 * with SAVE_TABLES, RESTORE_TABLES and CTRL_RESET. The seed is fixed
 * (ITS_FUZZ_SEED overrides it, ITS_FUZZ_STEPS the MAPD fuzz's length) and
 * printed. Only documented errnos are accepted; CREADR == CWRITER after
 * every valid CWRITER write; a state saved from fuzzed commands restores
 * into a fresh VM and saves back to the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <linux/kvm_vgic3.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static void seed(const char *what)
{
	const char *s = getenv("ITS_FUZZ_SEED");

	rng_state = s ? strtoull(s, NULL, 0) : 0x5eed17505eedULL;
	if (!rng_state)
		rng_state = 1;
	printf("# %s: seed 0x%lx (%s)\n", what, rng_state, vgic3_impl_name());
	fflush(stdout);
}

static bool chance(int pct)
{
	return rnd() % 100 < (uint64_t)pct;
}

static const uint8_t known_ops[] = {
	GITS_CMD_MAPD, GITS_CMD_MAPC, GITS_CMD_MAPTI, GITS_CMD_MAPI, GITS_CMD_MOVI,
	GITS_CMD_DISCARD, GITS_CMD_INV, GITS_CMD_MOVALL, GITS_CMD_INVALL,
	GITS_CMD_INT, GITS_CMD_CLEAR, GITS_CMD_SYNC,
};

/* DeviceIDs < 16384 that can be mapped are 0..31 (each its own ITT);
 * events < 16 (the ITT is 512 entries) or >= 65536 (always out of range). */
static uint32_t r_dev(void)
{
	return chance(80) ? rnd() % 32 : 16384 + rnd() % (0xffffffffULL - 16384);
}

static uint32_t r_ev(void)
{
	return chance(85) ? rnd() % 16 : 65536 + (uint32_t)rnd() % 0xfff00000;
}

static struct its_cmd random_cmd(struct its_env *e)
{
	struct its_cmd c;
	uint32_t dev = r_dev();

	if (chance(20)) {
		for (int i = 0; i < 4; i++)
			c.raw[i] = rnd();
		/*
		 * Keep MAPD sane (it is the one command that names memory):
		 * this state must migrate. its_fuzz_mapd_* fuzzes MAPD.
		 */
		if ((c.raw[0] & 0xff) == GITS_CMD_MAPD)
			c.raw[0] = (c.raw[0] & ~0xffULL) | GITS_CMD_SYNC;
		if (chance(30))
			c.raw[0] = (c.raw[0] & ~0xffULL) | (0x20 | (rnd() & 0x1f));
		return c;
	}
	switch (known_ops[rnd() % ARRAY_SIZE(known_ops)]) {
	case GITS_CMD_MAPD:
		/* sizes that fit the 4K ITT slot (<= 9 bits), or > 16 bits */
		c = its_cmd_mapd(dev, its_itt_gpa(e, dev % 32),
				 chance(90) ? rnd() % 9 : 16 + rnd() % 4, chance(85));
		break;
	case GITS_CMD_MAPC:
		c = its_cmd_mapc(chance(85) ? rnd() % 10 : rnd() & 0xffff,
				 chance(90) ? rnd() % 3 : (uint32_t)rnd(), chance(85));
		break;
	case GITS_CMD_MAPTI:
		c = its_cmd_mapti(dev, r_ev(), chance(85) ? ITS_LPI(rnd() % 200) :
				  (uint32_t)rnd(), chance(85) ? rnd() % 10 : rnd() & 0xffff);
		break;
	case GITS_CMD_MAPI:
		c = its_cmd_mapi(dev, r_ev(), rnd() % 10);
		break;
	case GITS_CMD_MOVI:
		c = its_cmd_movi(dev, r_ev(), chance(85) ? rnd() % 10 : rnd() & 0xffff);
		break;
	case GITS_CMD_MOVALL:
		c = its_cmd_movall(rnd() % 3, chance(90) ? rnd() % 3 : (uint32_t)rnd());
		break;
	case GITS_CMD_INVALL:
		c = its_cmd_invall(rnd() % 12);
		break;
	case GITS_CMD_SYNC:
		c = its_cmd_sync(rnd() % 4);
		break;
	case GITS_CMD_DISCARD:
		c = its_cmd_dev_ev(GITS_CMD_DISCARD, dev, r_ev());
		break;
	case GITS_CMD_INV:
		c = its_cmd_dev_ev(GITS_CMD_INV, dev, r_ev());
		break;
	case GITS_CMD_CLEAR:
		c = its_cmd_dev_ev(GITS_CMD_CLEAR, dev, r_ev());
		break;
	default:
		c = its_cmd_dev_ev(GITS_CMD_INT, dev, r_ev());
		break;
	}
	/* junk in the reserved bits must not matter */
	if (chance(10))
		c.raw[3] |= rnd() & ~GENMASK_ULL(51, 16);
	return c;
}

static int sorted_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

TEST(its_fuzz_hostile_command_queues_then_migrate)
{
	struct its_env *a, *b;
	struct its_regs ra;
	uint8_t *img = malloc(ITS_MEM_SIZE);
	uint64_t cta[128], ctb[128];
	int nr = 0;

	seed("commands");
	a = its_env_create(2, NULL);
	its_env_setup_its(a);
	/* a 4K queue (128 commands) so that it wraps often */
	its_reg_set(a->its_fd, GITS_CTLR, 0);
	its_reg_set(a->its_fd, GITS_CBASER, its_cbaser(a, 1));
	its_reg_set(a->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	its_env_enable_lpis(a);

	while (nr < 1200) {
		struct its_cmd batch[100];
		int n = 1 + rnd() % 100;
		uint64_t cw;

		for (int i = 0; i < n; i++)
			batch[i] = random_cmd(a);
		its_sendv(a, batch, n);		/* asserts CREADR == CWRITER */
		nr += n;
		if (chance(20)) {
			/* CWRITER beyond the queue is ignored */
			cw = its_reg_get(a->its_fd, GITS_CWRITER);
			ASSERT_EQ(0, __its_reg_set(a->its_fd, GITS_CWRITER,
						   0x1000 + (rnd() % 0x1000 & ~31ULL)));
			ASSERT_EQ(cw, its_reg_get(a->its_fd, GITS_CWRITER));
			ASSERT_EQ(cw, its_reg_get(a->its_fd, GITS_CREADR));
		}
		if (chance(15)) {
			int r = __its_save(a->its_fd);

			ASSERT_TRUE(r == 0 || r == -EFAULT) TH_LOG("save %d", r);
			r = __gic_save_pending(a->gic_fd);
			ASSERT_EQ(0, r);
		}
		ASSERT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT,
			  its_reg_get(a->its_fd, GITS_CTLR));
	}
	printf("# %d commands\n", nr);

	/* the fuzzed state migrates: restore succeeds, saves the same bytes */
	memset(its_hva(a, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(a, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	ASSERT_EQ(0, __its_save(a->its_fd));
	ASSERT_EQ(0, __gic_save_pending(a->gic_fd));
	memcpy(img, a->mem, ITS_MEM_SIZE);
	its_regs_save(a->its_fd, &ra);
	b = its_env_create(2, NULL);
	memcpy(b->mem, img, ITS_MEM_SIZE);
	its_env_enable_lpis(b);
	{
		int ret = its_regs_restore(b->its_fd, &ra);

		if (ret) {
			struct its_regs rx = ra;

			rx.baser[0] &= ~GITS_BASER_VALID;
			its_reg_set(b->its_fd, GITS_BASER, rx.baser[0]);
			printf("# CT only restore: %d\n", __its_restore(b->its_fd));
			for (int i = 0; i < 64; i++)
				if (its_cte(a, i))
					printf("# CTE %d %016lx\n", i, its_cte(a, i));
			for (int d = 0; d < 32; d++) {
				if (!its_dte(a, d))
					continue;
				printf("# DTE %d %016lx\n", d, its_dte(a, d));
				for (int ev = 0; ev < 16; ev++)
					if (its_ite(a, d, ev))
						printf("#   ITE %d %016lx\n", ev, its_ite(a, d, ev));
			}
		}
		ASSERT_EQ(0, ret);
	}
	memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	memset(its_hva(b, ITS_OFF_PEND), 0, ITS_OFF_L2 - ITS_OFF_PEND);
	ASSERT_EQ(0, __its_save(b->its_fd));
	ASSERT_EQ(0, __gic_save_pending(b->gic_fd));
	EXPECT_EQ(0, memcmp(img + ITS_OFF_DT, b->mem + ITS_OFF_DT, ITS_OFF_CT - ITS_OFF_DT));
	/* ITEs: same entries; the next field may differ where MAPC V=0 left
	 * ITEs without a collection (saved as zero, not restored) */
	for (int i = 0; i < (ITS_OFF_PROP - ITS_OFF_ITT) / 8; i++) {
		uint64_t x = ((uint64_t *)(img + ITS_OFF_ITT))[i];
		uint64_t y = ((uint64_t *)(b->mem + ITS_OFF_ITT))[i];

		if ((x & GENMASK_ULL(47, 0)) != (y & GENMASK_ULL(47, 0))) {
			EXPECT_EQ(x, y) TH_LOG("ITT word %d", i);
			break;
		}
	}
	memcpy(cta, img + ITS_OFF_CT, sizeof(cta));
	memcpy(ctb, b->mem + ITS_OFF_CT, sizeof(ctb));
	qsort(cta, 128, 8, sorted_cmp);
	qsort(ctb, 128, 8, sorted_cmp);
	EXPECT_EQ(0, memcmp(cta, ctb, sizeof(cta)));
	its_env_free(b);
	its_env_free(a);
	free(img);
}

static bool reg_exists(uint64_t off)
{
	return off == GITS_CTLR || off == GITS_IIDR || off == GITS_TYPER ||
	       off == GITS_CBASER || off == GITS_CWRITER || off == GITS_CREADR ||
	       (off >= GITS_BASER && off < GITS_BASER + 0x40) ||
	       (off >= 0xffd0 && off < 0x10000);
}

TEST(its_fuzz_random_its_regs_writes)
{
	struct its_env *e;
	static const uint64_t hot[] = { GITS_CTLR, GITS_IIDR, GITS_TYPER, GITS_CBASER,
		GITS_CWRITER, GITS_CREADR, GITS_BASER, GITS_BASER + 8, GITS_BASER + 16 };

	seed("registers");
	e = its_env_create(2, NULL);
	/* random bytes in the whole command queue page */
	for (int i = 0; i < SZ_64K / 8; i++)
		((uint64_t *)its_hva(e, ITS_OFF_CMDQ))[i] = rnd();

	for (int it = 0; it < 1000; it++) {
		uint64_t off, val, v, ctlr, qsize;
		bool enabled;
		int r, want;

		if (chance(70))
			off = hot[rnd() % ARRAY_SIZE(hot)];
		else if (chance(50))
			off = rnd() % 0x200;
		else
			off = 0xffc0 + rnd() % 0x80;
		switch (rnd() % 4) {
		case 0: val = rnd(); break;
		case 1: val = rnd() & 0xfffe0; break;
		case 2: val = its_gpa(e, (rnd() % 16) * SZ_64K) | GITS_BASER_VALID | (rnd() & 0xf); break;
		default: val = rnd() & 1; break;
		}
		if (off == GITS_IIDR && chance(50))
			val &= ~GITS_IIDR_REV_MASK;
		ctlr = its_reg_get(e->its_fd, GITS_CTLR);
		enabled = ctlr & GITS_CTLR_ENABLE;
		qsize = its_cmdq_bytes(its_reg_get(e->its_fd, GITS_CBASER));

		want = 0;
		if (off & ((off < 8 || off >= 0xffd0) ? 3 : 7))
			want = -EINVAL;
		else if (!reg_exists(off))
			want = -ENXIO;
		else if (off == GITS_IIDR && (val & GITS_IIDR_REV_MASK))
			want = -EINVAL;
		else if (off == GITS_CREADR && enabled)
			want = -EBUSY;
		else if (off == GITS_CREADR && (val & GENMASK_ULL(19, 5)) >= qsize)
			want = -EINVAL;
		r = __its_reg_set(e->its_fd, off, val);
		ASSERT_EQ(want, r) TH_LOG("it %d off 0x%lx val 0x%lx enabled %d", it, off, val, enabled);
		r = __its_reg_get(e->its_fd, off, &v);
		ASSERT_EQ(want == -EINVAL && off != GITS_IIDR && off != GITS_CREADR ? -EINVAL :
			  want == -ENXIO ? -ENXIO : 0, r);

		/* invariants */
		ASSERT_EQ(0x1ef71, its_reg_get(e->its_fd, GITS_TYPER));
		ASSERT_EQ(0x4b00043b, its_reg_get(e->its_fd, GITS_IIDR));
		for (int i = 2; i < 8; i++)
			ASSERT_EQ(0, its_reg_get(e->its_fd, GITS_BASER + 8 * i));
		ASSERT_EQ(1, (its_reg_get(e->its_fd, GITS_BASER) >> 56) & 7);
		ASSERT_EQ(4, (its_reg_get(e->its_fd, GITS_BASER + 8) >> 56) & 7);
		qsize = its_cmdq_bytes(its_reg_get(e->its_fd, GITS_CBASER));
		ASSERT_LT(its_reg_get(e->its_fd, GITS_CREADR), qsize);
		ctlr = its_reg_get(e->its_fd, GITS_CTLR);
		ASSERT_EQ(0, ctlr & ~(uint64_t)(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT));
		if (ctlr & GITS_CTLR_ENABLE) {
			ASSERT_EQ(its_reg_get(e->its_fd, GITS_CREADR),
				  its_reg_get(e->its_fd, GITS_CWRITER));
			ASSERT_TRUE(ctlr & GITS_CTLR_QUIESCENT);
		}
		if (chance(3)) {
			r = __its_save(e->its_fd);
			ASSERT_TRUE(r == 0 || r == -EFAULT) TH_LOG("save %d", r);
		}
		if (chance(2))
			ASSERT_EQ(0, __its_reset(e->its_fd));
	}
	its_env_free(e);
}

TEST(its_fuzz_corrupted_tables_on_restore)
{
	struct its_env *a, *b;
	struct its_regs r;
	uint8_t *img = malloc(ITS_MEM_SIZE);
	int results[5] = {};

	seed("restore");
	a = its_env_create(2, NULL);
	its_env_setup_its(a);
	its_env_program_std(a, 6, 5);
	ASSERT_EQ(0, __its_save(a->its_fd));
	its_regs_save(a->its_fd, &r);
	memcpy(img, a->mem, ITS_MEM_SIZE);
	b = its_env_create(2, NULL);

	for (int it = 0; it < 80; it++) {
		int n = 1 + rnd() % 3, ret;

		ASSERT_EQ(0, __its_reset(b->its_fd));
		memcpy(b->mem, img, ITS_MEM_SIZE);
		for (int i = 0; i < n; i++) {
			uint64_t *p;

			switch (rnd() % 3) {
			case 0: p = its_hva(b, ITS_OFF_CT) + (rnd() % 4) * 8; break;
			case 1: p = its_hva(b, ITS_OFF_DT) + (rnd() % 8) * 8; break;
			default: p = its_hva(b, ITS_OFF_ITT + (rnd() % 6) * ITS_ITT_STRIDE) +
				     (rnd() % 8) * 8; break;
			}
			if (chance(50))
				*p ^= 1ULL << (rnd() % 64);
			else
				*p = rnd();
		}
		ret = its_regs_restore(b->its_fd, &r);
		ASSERT_TRUE(ret == 0 || ret == -EINVAL || ret == -EEXIST || ret == -EFAULT)
			TH_LOG("it %d restore %d", it, ret);
		results[ret == 0 ? 0 : ret == -EINVAL ? 1 : ret == -EEXIST ? 2 : 3]++;
		if (ret) {
			/* nothing half-restored */
			memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
			memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
			ASSERT_EQ(0, __its_save(b->its_fd));
			for (int i = 0; i < ITS_OFF_PROP; i++) {
				if (i >= ITS_OFF_CMDQ && i < ITS_OFF_ITT)
					continue;
				ASSERT_EQ(0, b->mem[i]) {
					TH_LOG("it %d byte %d", it, i);
				}
			}
		} else {
			ret = __its_save(b->its_fd);
			ASSERT_TRUE(ret == 0 || ret == -EFAULT) TH_LOG("save %d", ret);
			its_reg_set(b->its_fd, GITS_CTLR, 0);
		}
	}
	printf("# restore results: ok %d einval %d eexist %d efault %d\n",
	       results[0], results[1], results[2], results[3]);
	its_env_free(b);
	its_env_free(a);
	free(img);
}

/* ------------------------------------------------- MAPD and the tables */

/*
 * DeviceIDs of the MAPD fuzz: under L1 entries 0 and 1 of the two-level
 * table its_env_setup_its_2l() makes, under L1 entry 2 (which the test
 * points anywhere), beyond the flat table (16384 DTEs), beyond
 * GITS_TYPER.Devbits.
 */
static const uint32_t mapd_devs[] = { 0, 1, 5, 8191, 8192, 16384, 16390, 0x10000 };

#define MAPD_STEPS	300
#define MAPD_BUDGET_S	20	/* for MAPD_STEPS; about 2 s under TCG */
#define L1E_VALID	BIT_ULL(63)

struct mapd_fuzz {
	struct its_env *e;
	uint64_t hole;		/* 16M of IPA space no memslot backs */
	uint64_t beyond;	/* the first address beyond the IPA space */
	bool two_level;
	uint64_t nr_cmds;	/* commands the ITS ran */
	uint64_t digest;	/* of the memslot after each save */
	uint8_t *mem;		/* a copy of the memslot */
	int saves[2];		/* 0, -EFAULT */
	int restores[4];	/* 0, -EINVAL, -EEXIST, -EFAULT */
	int resets;
};

/* An address beyond the IPA space, that the ITT (or L2) field can hold. */
static uint64_t r_beyond(struct mapd_fuzz *m)
{
	uint64_t a = (m->beyond + (rnd() & (m->beyond - 1))) & GENMASK_ULL(51, 8);

	return a < m->beyond ? m->beyond : a;
}

static uint64_t r_itt(struct mapd_fuzz *m)
{
	struct its_env *e = m->e;

	/* mostly backed: one unbacked ITT fails every restore (-EFAULT) */
	switch (rnd() % 20) {
	case 0 ... 10:			/* a 4K slot of its own */
		return its_itt_gpa(e, rnd() % 32);
	case 11 ... 14:			/* over any table of the memslot */
		return its_gpa(e, rnd() % ITS_MEM_SIZE) & ~0xffULL;
	case 15: case 16:		/* running off the end of the memslot */
		return its_gpa(e, ITS_MEM_SIZE - 0x100 * (1 + rnd() % 64));
	case 17: case 18:
		return m->hole + ((rnd() % SZ_16M) & ~0xffULL);
	default:
		return r_beyond(m);
	}
}

/* MAPD's Size field: EventID bits - 1, up to 31 (GITS_TYPER.IDbits: 15). */
static int r_size_m1(void)
{
	uint64_t r = rnd() % 100;

	if (r < 60)
		return r % 5;
	if (r < 85)
		return 5 + r % 7;
	if (r < 90)
		return 12 + r % 4;
	return 16 + r % 16;
}

static uint32_t r_mapd_event(void)
{
	uint64_t r = rnd();

	switch (r % 8) {
	case 0:
		return (r >> 8) % (1u << (1 + (r >> 40) % 16));
	case 1:
		return (uint32_t)(r >> 8);
	default:
		return (r >> 8) % 16;
	}
}

/*
 * A level-1 entry: invalid, a spare L2 page, the L1 table itself, any
 * page of the memslot, unbacked, beyond the IPA space.
 */
static uint64_t r_l1e(struct mapd_fuzz *m)
{
	struct its_env *e = m->e;

	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return L1E_VALID | its_gpa(e, ITS_OFF_L2 + 2 * SZ_64K);
	case 2:
		return L1E_VALID | its_gpa(e, ITS_OFF_DT);
	case 3:
		return L1E_VALID | its_gpa(e, (rnd() % 16) * SZ_64K);
	case 4:
		return L1E_VALID | m->hole;
	default:
		return L1E_VALID | (r_beyond(m) & GENMASK_ULL(51, 16));
	}
}

static struct its_cmd mapd_fuzz_cmd(struct mapd_fuzz *m)
{
	uint32_t dev = mapd_devs[rnd() % ARRAY_SIZE(mapd_devs)];
	uint32_t ev = r_mapd_event(), icid = rnd() % 4;
	struct its_cmd c;

	switch (rnd() % 12) {
	case 0: case 1: case 2:
		return its_cmd_mapd(dev, r_itt(m), r_size_m1(), chance(80));
	case 3:
		/* random words but the opcode (and often the DeviceID) */
		for (int i = 0; i < 4; i++)
			c.raw[i] = rnd();
		c.raw[0] = (c.raw[0] & ~0xffULL) | GITS_CMD_MAPD;
		if (chance(50))
			c.raw[0] = (c.raw[0] & 0xffffffffULL) | (uint64_t)dev << 32;
		return c;
	case 4: case 5:
		return its_cmd_mapti(dev, ev, chance(90) ? ITS_LPI(rnd() % 256) :
				     (uint32_t)rnd(), icid);
	case 6:
		return its_cmd_mapi(dev, ev, icid);
	case 7:
		return its_cmd_dev_ev(GITS_CMD_INT, dev, ev);
	case 8:
		return its_cmd_dev_ev(GITS_CMD_DISCARD, dev, ev);
	case 9:
		return its_cmd_movi(dev, ev, icid);
	case 10:	/* vCPU 2 does not exist */
		return its_cmd_mapc(icid, rnd() % 3, chance(85));
	}
	switch (rnd() % 5) {
	case 0:
		return its_cmd_dev_ev(GITS_CMD_CLEAR, dev, ev);
	case 1:
		return its_cmd_dev_ev(GITS_CMD_INV, dev, ev);
	case 2:
		return its_cmd_invall(icid);
	case 3:
		return its_cmd_movall(rnd() % 2, rnd() % 2);
	default:
		return its_cmd_sync(rnd() % 2);
	}
}

/*
 * After CTRL_RESET: the tables (flat or two-level), the queue, CTLR, and
 * one collection per vCPU.
 */
static void mapd_setup(struct mapd_fuzz *m)
{
	struct its_env *e = m->e;

	m->two_level = chance(50);
	if (m->two_level) {
		((uint64_t *)its_hva(e, ITS_OFF_DT))[2] = r_l1e(m);
		its_env_setup_its_2l(e);
	} else {
		its_env_setup_its(e);
	}
	for (int i = 0; i < e->nr_vcpus; i++)
		its_send(e, its_cmd_mapc(i, i, true));
	m->nr_cmds += e->nr_vcpus;
}

/* FNV-1a over the memslot, 64 bits at a time, into the running digest. */
static void mapd_digest(struct mapd_fuzz *m)
{
	const uint64_t *w = (const uint64_t *)m->e->mem;

	for (size_t i = 0; i < ITS_MEM_SIZE / 8; i++)
		m->digest = (m->digest ^ w[i]) * 0x100000001b3ULL;
}

/* SAVE_TABLES and SAVE_PENDING_TABLES, and what they left in memory. */
static void mapd_save(struct __test_metadata *_metadata, struct mapd_fuzz *m)
{
	int r = __its_save(m->e->its_fd);

	EXPECT_TRUE(r == 0 || r == -EFAULT) TH_LOG("SAVE_TABLES %d", r);
	m->saves[r ? 1 : 0]++;
	r = __gic_save_pending(m->e->gic_fd);
	EXPECT_TRUE(r == 0 || r == -EFAULT) TH_LOG("SAVE_PENDING_TABLES %d", r);
	mapd_digest(m);
}

static int mapd_restore_result(struct __test_metadata *_metadata,
			       struct mapd_fuzz *m, int r)
{
	EXPECT_TRUE(r == 0 || r == -EINVAL || r == -EEXIST || r == -EFAULT)
		TH_LOG("RESTORE_TABLES %d", r);
	m->restores[r == 0 ? 0 : r == -EINVAL ? 1 : r == -EEXIST ? 2 : 3]++;
	return r;
}

static void mapd_reset(struct __test_metadata *_metadata, struct mapd_fuzz *m)
{
	ASSERT_EQ(0, __its_reset(m->e->its_fd));
	m->resets++;
	mapd_setup(m);
}

/*
 * One random step; the ITS is enabled before and after it. What a failed
 * RESTORE_TABLES leaves behind differs (the in-kernel ITS keeps the
 * collections it restored when the collection table fails), and so does
 * a restore into a live ITS (the in-kernel ITS adds a second device for a
 * DeviceID mapped already, the module fails with -EEXIST): a reset
 * follows each, so that both implementations go on from the same state.
 */
static void mapd_step(struct __test_metadata *_metadata, struct mapd_fuzz *m)
{
	struct its_env *e = m->e;
	uint64_t what = rnd() % 100;
	struct its_regs regs;
	int r;

	if (what < 70) {
		struct its_cmd batch[24];
		int n = 1 + rnd() % ARRAY_SIZE(batch);

		for (int i = 0; i < n; i++)
			batch[i] = mapd_fuzz_cmd(m);
		its_sendv(e, batch, n);		/* asserts CREADR == CWRITER */
		m->nr_cmds += n;
	} else if (what < 80) {
		mapd_save(_metadata, m);
	} else if (what < 84) {
		/*
		 * Into the live ITS: a VMM error, which still may not crash.
		 * The LPIs it creates take their pending bits out of the
		 * pending tables, and the two stop at different points: the
		 * memslot is put back as it was.
		 */
		memcpy(m->mem, e->mem, ITS_MEM_SIZE);
		mapd_restore_result(_metadata, m, __its_restore(e->its_fd));
		memcpy(e->mem, m->mem, ITS_MEM_SIZE);
		mapd_reset(_metadata, m);
	} else if (what < 92) {
		/* a migration in place: save, reset, restore what was saved */
		mapd_save(_metadata, m);
		its_regs_save(e->its_fd, &regs);
		ASSERT_EQ(0, __its_reset(e->its_fd));
		r = mapd_restore_result(_metadata, m, its_regs_restore(e->its_fd, &regs));
		if (r)
			mapd_reset(_metadata, m);
	} else if (what < 97) {
		mapd_reset(_metadata, m);
	} else if (m->two_level) {
		((uint64_t *)its_hva(e, ITS_OFF_DT))[rnd() % 3] = r_l1e(m);
	}
}

TEST(its_fuzz_mapd_itt_anywhere_with_save_restore_reset)
{
	struct userspace_mem_region *ram;
	struct mapd_fuzz m = {};
	struct timespec t0, t;
	int step, steps = MAPD_STEPS, budget;

	seed("mapd");
	if (getenv("ITS_FUZZ_STEPS"))
		steps = atoi(getenv("ITS_FUZZ_STEPS"));
	budget = MAPD_BUDGET_S * (steps > MAPD_STEPS ? steps / MAPD_STEPS + 1 : 1);
	m.e = its_env_create(2, NULL);
	m.digest = 0xcbf29ce484222325ULL;
	m.mem = malloc(ITS_MEM_SIZE);
	ASSERT_NE(NULL, m.mem);
	ram = memslot2region(m.e->vm, 0);
	m.hole = (m.e->mem_gpa / 2) & ~(uint64_t)(SZ_64K - 1);
	m.beyond = 1ULL << m.e->vm->pa_bits;
	ASSERT_TRUE(m.hole > ram->region.guest_phys_addr + ram->region.memory_size &&
		    m.hole + SZ_16M < m.e->mem_gpa && m.e->vm->pa_bits < 52);
	mapd_setup(&m);
	its_env_enable_lpis(m.e);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (step = 0; step < steps; step++) {
		mapd_step(_metadata, &m);
		ASSERT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT,
			  its_reg_get(m.e->its_fd, GITS_CTLR)) TH_LOG("step %d", step);
		ASSERT_EQ(its_reg_get(m.e->its_fd, GITS_CWRITER),
			  its_reg_get(m.e->its_fd, GITS_CREADR));
		/*
		 * A bound in time too, and a loud one: the digest below
		 * is only comparable after the same steps.
		 */
		clock_gettime(CLOCK_MONOTONIC, &t);
		ASSERT_LE(t.tv_sec - t0.tv_sec, budget)
			TH_LOG("step %d: over the time budget", step);
	}
	printf("# %d steps, %lu commands, %d resets; saves ok %d efault %d; "
	       "restores ok %d einval %d eexist %d efault %d\n", step, m.nr_cmds,
	       m.resets, m.saves[0], m.saves[1], m.restores[0], m.restores[1],
	       m.restores[2], m.restores[3]);
	mapd_save(_metadata, &m);
	/* the same steps leave the same bytes: make check compares them */
	its_dump_hex("mapd-fuzz-digest", &m.digest, sizeof(m.digest));

	if (vgic3_module_loaded()) {
		/* The module counts what its ITS ran: each command, once. */
		uint64_t n = 0;

		ASSERT_EQ(0, __kvm_device_attr_get(m.e->its_fd, KVM_DEV_ARM_VGIC3_GRP_INFO,
						   KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS, &n));
		EXPECT_EQ(m.nr_cmds, n);
	}

	/* and after all that, a reset ITS translates again */
	ASSERT_EQ(0, __its_reset(m.e->its_fd));
	its_env_setup_its(m.e);
	its_env_program_std(m.e, 2, 2);
	EXPECT_EQ(1, its_signal_msi(m.e, 1, 1));
	EXPECT_EQ(0, __its_save(m.e->its_fd));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(m.e, 1), ITS_NR_EVENT_BITS - 1), its_dte(m.e, 1));
	its_env_free(m.e);
	free(m.mem);
}

TEST_HARNESS_MAIN
