// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded fuzzing of the ITS: hostile command queues (unknown and GICv4
 * opcodes, out-of-range fields, wrapping queues, CWRITER beyond the queue),
 * random ITS_REGS writes, random corruptions of saved tables fed to
 * RESTORE_TABLES. The seed is fixed (ITS_FUZZ_SEED overrides it) and
 * printed. Only documented errnos are accepted; CREADR == CWRITER after
 * every valid CWRITER write; a state saved from fuzzed commands restores
 * into a fresh VM and saves back to the same bytes.
 */
#include <errno.h>
#include <stdlib.h>

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
		/* keep MAPD sane (it is the one command that names memory) */
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
		qsize = ((its_reg_get(e->its_fd, GITS_CBASER) & 0xff) + 1) * SZ_4K;

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
		qsize = ((its_reg_get(e->its_fd, GITS_CBASER) & 0xff) + 1) * SZ_4K;
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

TEST_HARNESS_MAIN
