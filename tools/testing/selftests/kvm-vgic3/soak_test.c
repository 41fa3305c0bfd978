// SPDX-License-Identifier: GPL-2.0
/*
 * The soak (make soak runs it at size, tools/testing/vm/soak; make check
 * runs one tiny round of it, as a selftest of its own): five parts, each a
 * TEST, each sized by an environment variable and printing one line
 *
 *   SOAK <part> iters=<n> <outcome class>=<count> ...
 *
 * that tools/testing/vm/soak turns into its table.
 *
 *  its_fuzz   SOAK_ITS_CMDS random ITS commands (random opcodes and fields,
 *             out-of-range IDs, a wrapping 4K queue, CWRITER beyond the
 *             queue, ITTs and an L2 page in a memslot that is deleted and
 *             re-added under them) over seeds of SOAK_CMDS_PER_SEED
 *             commands, mixed with SAVE_TABLES, RESTORE_TABLES, CTRL_RESET
 *             and GITS_CTLR toggles. The first SOAK_COMPARE_SEEDS seeds
 *             run without the memslot changes and print the digest of
 *             every save ("TABLES soak-seed-<n>"): make check and make
 *             soak compare them with the in-kernel ITS's.
 *  restore    SOAK_RESTORES RESTORE_TABLES of corrupted images (random bit
 *             flips and structured corruptions of DTEs, ITEs, CTEs and L1
 *             entries, flat and two-level): 0 and everything restored, or
 *             EINVAL/EEXIST/EFAULT/ENOMEM and nothing restored; the ITS
 *             translates again after a reset, every 64 restores.
 *  live       SOAK_LIVE_ROUNDS VMs of SOAK_LIVE_MS each: 2 vCPUs take timer,
 *             SGI, irqfd SPI, irqfd-MSI and KVM_SIGNAL_MSI LPIs while
 *             threads race ITS commands, EnableLPIs, PROPBASER writes,
 *             ITS_REGS writes (EBUSY rules), SAVE_PENDING_TABLES and
 *             CTRL_RESET; then, quiet, every MSI of a fresh mapping is
 *             taken exactly once (counted by the guest); then the VM is
 *             destroyed with the irqfds assigned.
 *  lifecycle  SOAK_VM_CYCLES VMs created and destroyed with both devices,
 *             ITS mappings and pending LPIs and SPIs; slab + vmalloc bytes
 *             per cycle.
 *  module     SOAK_MOD_CYCLES rmmod/insmod cycles with a VM in between
 *             (module implementation only); rmmod is refused while a VM
 *             holds a device.
 *
 * SOAK_SEED sets the first seed, SOAK_TIMEOUT the seconds after which a
 * part counts as hung. Everything else is an assertion: an
 * errno that is not documented, a CREADR that did not catch up, a lost or
 * extra interrupt, a hang (the harness's timeout); splats and kmemleak are
 * the test host's (make check, make soak).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "arch_timer.h"
#include "impl.h"
#include "common_its.h"


static long env_long(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 0) : def;
}

static double now_s(void);

/* A part's time budget: SOAK_SECS_<PART> seconds, none by default. */
static bool over_budget(const char *part, double t0)
{
	char name[64];
	long secs;

	snprintf(name, sizeof(name), "SOAK_SECS_%s", part);
	secs = env_long(name, 0);
	return secs > 0 && now_s() - t0 > secs;
}

static uint64_t xs(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int msi(struct its_env *e, uint32_t dev, uint32_t ev)
{
	struct kvm_msi m = {
		.flags = KVM_MSI_VALID_DEVID,
		.address_lo = (uint32_t)(GITS_BASE_GPA + GITS_TRANSLATER),
		.address_hi = (GITS_BASE_GPA + GITS_TRANSLATER) >> 32,
		.data = ev,
		.devid = dev,
	};
	int r = __vm_ioctl(e->vm, KVM_SIGNAL_MSI, &m);

	return r < 0 ? -errno : r;
}

static void set_enable_lpis(struct its_env *e, int vcpu, bool on)
{
	uint32_t v = on ? GICR_CTLR_ENABLE_LPIS : 0;

	kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    (uint64_t)vcpu << 32 | GICR_CTLR, &v);
}

/* ----------------------------------------------------- 1. ITS command fuzz */

#define FLIP_SLOT	11

struct fuzz {
	struct its_env *e;
	uint64_t rng;
	uint64_t flip_gpa;	/* 64K that come and go: ITTs, an L2 page */
	void *flip_host;
	bool flip_present, two_level, compare;
	uint64_t digest;
	long cmds, saves[2], restores[4], resets, ctlr, flips, cw_beyond;
};

static bool fz_chance(struct fuzz *f, int pct)
{
	return xs(&f->rng) % 100 < (uint64_t)pct;
}

static void fz_flip(struct fuzz *f)
{
	struct kvm_userspace_memory_region m = {
		.slot = FLIP_SLOT, .guest_phys_addr = f->flip_gpa,
		.memory_size = f->flip_present ? 0 : SZ_64K,
		.userspace_addr = (uintptr_t)f->flip_host,
	};

	TEST_ASSERT(!__vm_ioctl(f->e->vm, KVM_SET_USER_MEMORY_REGION, &m),
		    "memslot flip: %d", errno);
	f->flip_present = !f->flip_present;
	f->flips++;
}

static uint32_t fz_dev(struct fuzz *f)
{
	uint64_t r = xs(&f->rng) % 100;

	if (r < 75)
		return r % 32;
	if (r < 88 && f->two_level)
		return 16384 + r % 64;		/* under the flipping L2 page */
	return 16384 + (uint32_t)xs(&f->rng);
}

static uint32_t fz_ev(struct fuzz *f)
{
	return fz_chance(f, 90) ? xs(&f->rng) % 16 : (uint32_t)xs(&f->rng);
}

static uint64_t fz_itt(struct fuzz *f, uint32_t dev)
{
	if (f->compare || fz_chance(f, 80))
		return its_itt_gpa(f->e, dev % 32);
	return f->flip_gpa + (xs(&f->rng) % 16) * 0x1000;
}

static struct its_cmd fz_cmd(struct fuzz *f)
{
	uint64_t r = xs(&f->rng);
	uint32_t dev = fz_dev(f), ev = fz_ev(f);
	uint32_t icid = fz_chance(f, 90) ? xs(&f->rng) % 4 : xs(&f->rng) & 0xffff;
	struct its_cmd c;

	switch (r % 16) {
	case 0:
		for (int i = 0; i < 4; i++)
			c.raw[i] = xs(&f->rng);
		if ((c.raw[0] & 0xff) == GITS_CMD_MAPD)	/* MAPD below */
			c.raw[0] ^= 0xff;
		return c;
	case 1: case 2:
		return its_cmd_mapd(dev, fz_itt(f, dev), fz_chance(f, 90) ? 3 : xs(&f->rng) % 32,
				    fz_chance(f, 85));
	case 3:
		return its_cmd_mapc(icid, fz_chance(f, 90) ? xs(&f->rng) % 3 : (uint32_t)xs(&f->rng),
				    fz_chance(f, 85));
	case 4: case 5: case 6:
		return its_cmd_mapti(dev, ev, fz_chance(f, 90) ? ITS_LPI(xs(&f->rng) % 256) :
				     (uint32_t)xs(&f->rng), icid);
	case 7:
		return its_cmd_mapi(dev, ev, icid);
	case 8:
		return its_cmd_movi(dev, ev, icid);
	case 9:
		return its_cmd_dev_ev(GITS_CMD_DISCARD, dev, ev);
	case 10:
		return its_cmd_dev_ev(GITS_CMD_INT, dev, ev);
	case 11:
		return its_cmd_dev_ev(GITS_CMD_CLEAR, dev, ev);
	case 12:
		return its_cmd_dev_ev(GITS_CMD_INV, dev, ev);
	case 13:
		return its_cmd_invall(icid);
	case 14:
		return its_cmd_movall(xs(&f->rng) % 3, xs(&f->rng) % 3);
	default:
		return its_cmd_sync(xs(&f->rng) % 3);
	}
}

static void fz_setup(struct fuzz *f)
{
	struct its_env *e = f->e;

	f->two_level = fz_chance(f, 50);
	if (f->two_level) {
		((uint64_t *)its_hva(e, ITS_OFF_DT))[2] = (1ULL << 63) | f->flip_gpa;
		its_env_setup_its_2l(e);
	} else {
		its_env_setup_its(e);
	}
	/* a 4K queue (128 commands): it wraps often */
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 1));
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	for (int i = 0; i < e->nr_vcpus; i++)
		its_send(e, its_cmd_mapc(i, i, true));
	f->cmds += e->nr_vcpus;
}

static void fz_digest(struct fuzz *f)
{
	const uint64_t *w = (const uint64_t *)f->e->mem;

	for (size_t i = 0; i < ITS_MEM_SIZE / 8; i++)
		f->digest = (f->digest ^ w[i]) * 0x100000001b3ULL;
}

static void fz_reset(struct fuzz *f)
{
	TEST_ASSERT(!__its_reset(f->e->its_fd), "CTRL_RESET");
	f->resets++;
	fz_setup(f);
}

static void fz_restore_result(struct fuzz *f, int r)
{
	TEST_ASSERT(r == 0 || r == -EINVAL || r == -EEXIST || r == -EFAULT,
		    "RESTORE_TABLES: %d", r);
	f->restores[r == 0 ? 0 : r == -EINVAL ? 1 : r == -EEXIST ? 2 : 3]++;
}

/* One step: a batch of commands, or one of the table/ITS operations. */
static void fz_step(struct fuzz *f)
{
	struct its_env *e = f->e;
	uint64_t what = xs(&f->rng) % 100;
	struct its_regs regs;
	int r;

	if (what < 80) {
		struct its_cmd batch[48];
		int n = 1 + xs(&f->rng) % ARRAY_SIZE(batch);

		for (int i = 0; i < n; i++)
			batch[i] = fz_cmd(f);
		its_sendv(e, batch, n);		/* asserts CREADR == CWRITER */
		f->cmds += n;
	} else if (what < 84) {
		/* CWRITER beyond the 4K queue: ignored */
		uint64_t cw = its_reg_get(e->its_fd, GITS_CWRITER);

		TEST_ASSERT(!__its_reg_set(e->its_fd, GITS_CWRITER,
					   0x1000 + (xs(&f->rng) % 0x1000 & ~31ULL)),
			    "CWRITER beyond the queue");
		TEST_ASSERT(its_reg_get(e->its_fd, GITS_CREADR) == cw, "CREADR moved");
		its_reg_set(e->its_fd, GITS_CWRITER, cw);
		f->cw_beyond++;
	} else if (what < 90) {
		r = __its_save(e->its_fd);
		TEST_ASSERT(r == 0 || r == -EFAULT, "SAVE_TABLES: %d", r);
		f->saves[!!r]++;
		r = __gic_save_pending(e->gic_fd);
		TEST_ASSERT(r == 0 || r == -EFAULT, "SAVE_PENDING_TABLES: %d", r);
		if (f->compare)
			fz_digest(f);
	} else if (what < 94) {
		/* a migration in place */
		r = __its_save(e->its_fd);
		TEST_ASSERT(r == 0 || r == -EFAULT, "SAVE_TABLES: %d", r);
		f->saves[!!r]++;
		its_regs_save(e->its_fd, &regs);
		TEST_ASSERT(!__its_reset(e->its_fd), "CTRL_RESET");
		r = its_regs_restore(e->its_fd, &regs);
		fz_restore_result(f, r);
		if (r)
			fz_reset(f);
		else if (!(regs.ctlr & GITS_CTLR_ENABLE))
			its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	} else if (what < 96) {
		fz_reset(f);
	} else if (what < 98) {
		its_reg_set(e->its_fd, GITS_CTLR, 0);
		its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
		f->ctlr++;
	} else if (!f->compare) {
		fz_flip(f);
	}
}

TEST(soak_its_fuzz)
{
	long total = env_long("SOAK_ITS_CMDS", 2000);
	long per_seed = env_long("SOAK_CMDS_PER_SEED", 1000);
	long ncompare = env_long("SOAK_COMPARE_SEEDS", 1);
	uint64_t seed = env_long("SOAK_SEED", 0x50a4);
	struct fuzz f = {};
	long seeds = 0;
	double t0 = now_s();

	f.flip_host = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f.flip_host);
	while (f.cmds < total && !over_budget("ITS_FUZZ", t0)) {
		long start = f.cmds;
		char name[64];

		f.e = its_env_create(2, NULL);
		f.rng = (seed + seeds) * 0x9e3779b97f4a7c15ULL | 1;
		f.compare = seeds < ncompare;
		f.digest = 0xcbf29ce484222325ULL;
		f.flip_gpa = f.e->mem_gpa - 4 * SZ_64K;
		f.flip_present = false;
		if (!f.compare)
			fz_flip(&f);
		else
			/* the same addresses, always backed */
			vm_userspace_mem_region_add(f.e->vm, VM_MEM_SRC_ANONYMOUS, f.flip_gpa,
						    FLIP_SLOT, SZ_64K / f.e->vm->page_size, 0);
		fz_setup(&f);
		its_env_enable_lpis(f.e);
		while (f.cmds - start < per_seed) {
			fz_step(&f);
			ASSERT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT,
				  its_reg_get(f.e->its_fd, GITS_CTLR) &
				  (GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT));
		}
		if (f.compare) {
			ASSERT_EQ(0, __its_save(f.e->its_fd));
			fz_digest(&f);
			snprintf(name, sizeof(name), "soak-seed-%lu", seed + seeds);
			its_dump_hex(name, &f.digest, sizeof(f.digest));
		}
		/* usable after all that */
		fz_reset(&f);
		its_env_program_std(f.e, 2, 2);
		ASSERT_EQ(1, msi(f.e, 1, 1));
		if (f.flip_present && !f.compare)
			fz_flip(&f);
		its_env_free(f.e);
		seeds++;
	}
	printf("SOAK its_fuzz iters=%ld seeds=%ld saves_ok=%ld saves_efault=%ld "
	       "restores_ok=%ld restores_einval=%ld restores_eexist=%ld restores_efault=%ld "
	       "resets=%ld ctlr_toggles=%ld cwriter_beyond=%ld memslot_flips=%ld secs=%.0f\n",
	       f.cmds, seeds, f.saves[0], f.saves[1], f.restores[0], f.restores[1],
	       f.restores[2], f.restores[3], f.resets, f.ctlr, f.cw_beyond, f.flips,
	       now_s() - t0);
	munmap(f.flip_host, SZ_64K);
}

/* ----------------------------------------------------- 2. restore fuzz */

/*
 * The images: RESTORE_DEVS devices of RESTORE_EVENTS events each (and, two
 * level, three more in both L2 pages). A restore's cost is mostly per
 * device and ITE (under KASAN and TCG, 2-3 ms a device), so the images are
 * small: every entry type is in them, and a corruption hits one of a few.
 */
#define RESTORE_DEVS	4
#define RESTORE_EVENTS	3

static void corrupt(struct its_env *b, uint64_t *rng, bool two_level)
{
	uint64_t r = xs(rng), *p;
	int n = 1 + r % 3;

	for (int i = 0; i < n; i++) {
		r = xs(rng);
		switch (r % 5) {
		case 0:
			p = its_hva(b, ITS_OFF_CT) + ((r >> 8) % 4) * 8;
			break;
		case 1:
			/* the devices' DTEs and two empty ones */
			p = its_hva(b, two_level ? ITS_OFF_L2 : ITS_OFF_DT) +
			    ((r >> 8) % (RESTORE_DEVS + 2)) * 8;
			break;
		case 2:
			if (two_level) {
				p = its_hva(b, ITS_OFF_DT) + ((r >> 8) % 3) * 8;
				break;
			}
			/* fall through */
		default:
			/* the mapped events and the one after them */
			p = its_hva(b, ITS_OFF_ITT + ((r >> 8) % RESTORE_DEVS) * ITS_ITT_STRIDE) +
			    ((r >> 16) % (RESTORE_EVENTS + 1)) * 8;
			break;
		}
		r = xs(rng);
		switch (r % 8) {
		case 0 ... 3:	/* a bit flip */
			*p ^= 1ULL << ((r >> 8) % 64);
			break;
		case 4:		/* random */
			*p = xs(rng);
			break;
		case 5:		/* the valid bit / a zeroed entry */
			*p = (r >> 8) & 1 ? *p ^ (1ULL << 63) : 0;
			break;
		case 6:		/* a field set to all ones: next, size, ID */
			*p |= (r >> 8) & 1 ? GENMASK_ULL(62, 49) : GENMASK_ULL(4, 0);
			break;
		default:	/* a copy of the next entry: duplicates */
			*p = p[1];
			break;
		}
	}
}

TEST(soak_restore)
{
	long total = env_long("SOAK_RESTORES", 150);
	uint64_t rng = env_long("SOAK_SEED", 0x50a4) * 0x2545F4914F6CDD1DULL | 1;
	struct its_env *a[2], *b;
	struct its_regs regs[2];
	uint8_t *img[2];
	long res[5] = {}, usable = 0, it;
	double t0 = now_s();

	for (int t = 0; t < 2; t++) {
		a[t] = its_env_create(2, NULL);
		if (t)
			its_env_setup_its_2l(a[t]);
		else
			its_env_setup_its(a[t]);
		its_env_program_std(a[t], RESTORE_DEVS, RESTORE_EVENTS);
		if (t)		/* devices in both L2 pages */
			for (int d = 8192; d < 8195; d++) {
				its_send(a[t], its_cmd_mapd(d, its_itt_gpa(a[t], d % 32), 3, true));
				its_send(a[t], its_cmd_mapti(d, 1, ITS_LPI(300 + d % 32), 1));
			}
		ASSERT_EQ(0, __its_save(a[t]->its_fd));
		its_regs_save(a[t]->its_fd, &regs[t]);
		img[t] = malloc(ITS_MEM_SIZE);
		memcpy(img[t], a[t]->mem, ITS_MEM_SIZE);
		its_env_free(a[t]);
	}
	b = its_env_create(2, NULL);
	its_env_enable_lpis(b);
	for (it = 0; it < total && !over_budget("RESTORE", t0); it++) {
		int t = it % 2, ret;

		ASSERT_EQ(0, __its_reset(b->its_fd));
		memcpy(b->mem, img[t], ITS_MEM_SIZE);
		corrupt(b, &rng, t);
		ret = its_regs_restore(b->its_fd, &regs[t]);
		ASSERT_TRUE(ret == 0 || ret == -EINVAL || ret == -EEXIST ||
			    ret == -EFAULT || ret == -ENOMEM)
			TH_LOG("restore %ld: %d", it, ret);
		res[ret == 0 ? 0 : ret == -EINVAL ? 1 : ret == -EEXIST ? 2 :
		    ret == -EFAULT ? 3 : 4]++;
		if (getenv("SOAK_RESTORE_LOG"))
			printf("# restore %ld %d\n", it, ret);
		if (ret) {
			/* nothing restored: a save writes empty tables */
			memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
			memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
			memset(its_hva(b, ITS_OFF_L2), 0, ITS_OFF_SCRATCH - ITS_OFF_L2);
			if (t)
				memcpy(its_hva(b, ITS_OFF_DT), img[t] + ITS_OFF_DT, 2 * 8);
			ASSERT_EQ(0, __its_save(b->its_fd));
			for (int off = 0; off < ITS_OFF_SCRATCH; off += 8) {
				uint64_t w = *(uint64_t *)(b->mem + off);

				if ((off >= ITS_OFF_CMDQ && off < ITS_OFF_ITT) ||
				    (off >= ITS_OFF_PROP && off < ITS_OFF_L2) ||
				    (t && off < 16))
					continue;
				ASSERT_EQ(0, w) TH_LOG("restore %ld (%d) left 0x%lx at 0x%x",
						       it, ret, w, off);
			}
		} else {
			ret = __its_save(b->its_fd);
			ASSERT_TRUE(ret == 0 || ret == -EFAULT);
		}
		if (it % 64 == 63) {
			ASSERT_EQ(0, __its_reset(b->its_fd));
			its_env_setup_its(b);
			its_env_program_std(b, 2, 2);
			ASSERT_EQ(1, msi(b, 1, 1));
			usable++;
		}
	}
	its_env_free(b);
	printf("SOAK restore iters=%ld ok=%ld einval=%ld eexist=%ld efault=%ld enomem=%ld "
	       "usable_checks=%ld secs=%.0f\n", it, res[0], res[1], res[2], res[3], res[4],
	       usable, now_s() - t0);
	free(img[0]);
	free(img[1]);
}

/* ----------------------------------------------------- 3. live concurrency */

#define LIVE_VCPUS	2
#define LIVE_SPI	40
#define LIVE_SGI	3
#define VTIMER_IRQ	27
#define QUIET_LPI	700		/* ITS_LPI(700): used only when quiet */
#define NR_COUNTED	1024
/* CREADR reads (each an exit) before a command counts as timed out */
#define GUEST_WAIT_READS	100000
/*
 * Interrupts the host's senders (KVM_SIGNAL_MSI, the irqfds) may raise per
 * step of vCPU 0's loop while the vCPUs run. Unpaced, a source faster than
 * the guest can take livelocks it: once the vCPU's list of pending
 * interrupts outgrows the list registers, every few interrupts cost an
 * exit, KVM's list sort under the debug kernel and TCG makes that exit
 * 20 ms when the host machine is loaded, the backlog never drains, and
 * the guest (measured: PC at its IAR read, exit after exit) runs nothing
 * but its handler. Seen on the in-kernel vgic (Documentation/soak.rst).
 */
#define LIVE_IRQS_PER_STEP	8

static volatile uint32_t g_lpi[LIVE_VCPUS][NR_COUNTED];
static volatile uint64_t g_timer[LIVE_VCPUS], g_sgi[LIVE_VCPUS], g_spi[LIVE_VCPUS];
static volatile uint64_t g_other[LIVE_VCPUS], g_cmds, g_cmd_timeouts, g_toggles;
static volatile int g_stop, g_pause, g_churn;
static volatile uint64_t g_alive[LIVE_VCPUS], g_irqs[LIVE_VCPUS], g_spurious[LIVE_VCPUS];
static volatile uint64_t g_last_intid[LIVE_VCPUS], g_where[LIVE_VCPUS];
static volatile uint64_t g_cmdq, g_itt, g_prop;
/* A guest variable, read or written from the host */
#define GV(vm, var)	(*(volatile typeof(var) *)addr_gva2hva(vm, (vm_vaddr_t)&(var)))

static void live_irq(struct ex_regs *regs)
{
	uint32_t cpu = guest_get_vcpuid();
	uint32_t intid = gic_get_and_ack_irq();

	g_irqs[cpu]++;
	g_last_intid[cpu] = intid;
	if (intid == IAR_SPURIOUS) {
		g_spurious[cpu]++;
		return;
	}
	if (intid >= ITS_LPI(0) && intid < ITS_LPI(NR_COUNTED))
		g_lpi[cpu][intid - ITS_LPI(0)]++;
	else if (intid == VTIMER_IRQ) {
		timer_set_ctl(VIRTUAL, CTL_IMASK);
		g_timer[cpu]++;
	} else if (intid == LIVE_SGI)
		g_sgi[cpu]++;
	else if (intid == LIVE_SPI)
		g_spi[cpu]++;
	else
		g_other[cpu]++;
	gic_set_eoi(intid);
}

/* A command through the queue, as a guest OS sends it; bounded wait. */
static void g_send(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct its_cmd c = { { w0, w1, w2, w3 } };
	uint64_t cw = readq_relaxed(GITS_BASE_GVA + GITS_CWRITER);
	uint64_t size = its_cmdq_bytes(readq_relaxed(GITS_BASE_GVA + GITS_CBASER));

	if (!its_guest_send(g_cmdq, size, &cw, &c, GUEST_WAIT_READS))
		g_cmd_timeouts++;
	g_cmds++;
}

static uint64_t g_rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* vCPU 0's churn: ITS commands, EnableLPIs, PROPBASER, GITS_CTLR. */
static void g_churn_step(uint64_t *s)
{
	volatile void *rd = GICR_BASE_GVA;
	uint64_t r = g_rng(s), dev = r % 4, ev = (r >> 8) % 16, icid = (r >> 16) % 2;

	g_where[0] = 100 + (r >> 32) % 100;
	switch ((r >> 32) % 100) {
	case 0 ... 29:	/* MAPTI */
		g_send(0x0a | dev << 32, ev | (uint64_t)ITS_LPI(dev * 16 + ev) << 32, icid, 0);
		break;
	case 30 ... 49:	/* DISCARD */
		g_send(0x0f | dev << 32, ev, 0, 0);
		break;
	case 50 ... 57:	/* MOVI */
		g_send(0x01 | dev << 32, ev, icid, 0);
		break;
	case 58 ... 61:	/* MOVALL */
		g_send(0x0e, 0, icid << 16, !icid << 16);
		break;
	case 62 ... 67:	/* INV */
		g_send(0x0c | dev << 32, ev, 0, 0);
		break;
	case 68 ... 70:	/* INVALL */
		g_send(0x0d, 0, icid, 0);
		break;
	case 71 ... 72:	/* MAPD, V=1: the device's ITEs go */
		g_send(0x08 | dev << 32, 3, 1ULL << 63 | (g_itt + dev * ITS_ITT_STRIDE), 0);
		break;
	case 73 ... 74:	/* EnableLPIs off, PROPBASER again, on */
		writel_relaxed(0, rd + GICR_CTLR);
		for (uint64_t i = 0; readl_relaxed(rd + GICR_CTLR) & GICR_CTLR_RWP; i++)
			if (i > GUEST_WAIT_READS)
				break;
		writeq_relaxed(g_prop | (16 - 1), rd + GICR_PROPBASER);
		writel_relaxed(GICR_CTLR_ENABLE_LPIS, rd + GICR_CTLR);
		g_toggles++;
		break;
	case 75 ... 76:	/* PROPBASER while enabled: ignored */
		writeq_relaxed(g_prop | 9, rd + GICR_PROPBASER);
		break;
	case 77:	/* GITS_CTLR off and on */
		writel_relaxed(0, GITS_BASE_GVA + GITS_CTLR);
		writel_relaxed(GITS_CTLR_ENABLE, GITS_BASE_GVA + GITS_CTLR);
		break;
	case 78 ... 79:	/* SYNC */
		g_send(0x05, 0, icid << 16, 0);
		break;
	default:	/* INT */
		g_send(0x03 | dev << 32, ev, 0, 0);
		break;
	}
}

static void live_guest(void)
{
	uint32_t cpu = guest_get_vcpuid();
	uint64_t s = 0x9a3e + cpu;

	gic_init(GIC_V3, LIVE_VCPUS);
	gic_irq_enable(VTIMER_IRQ);
	gic_irq_enable(LIVE_SGI);
	gic_irq_enable(LIVE_SPI);
	local_irq_enable();
	while (!g_stop) {
		g_alive[cpu]++;
		if (g_pause) {
			GUEST_SYNC(0);
			continue;
		}
		if (cpu == 0 && g_churn) {
			g_churn_step(&s);
			/* SGI to vCPU 1: TargetList bit 1 */
			write_sysreg_s((uint64_t)LIVE_SGI << 24 | 2, SYS_ICC_SGI1R_EL1);
			continue;
		}
		timer_set_next_cval_ms(VIRTUAL, 1);
		timer_set_ctl(VIRTUAL, CTL_ENABLE);
		if (cpu == 0)
			write_sysreg_s((uint64_t)LIVE_SGI << 24 | 2, SYS_ICC_SGI1R_EL1);
		g_where[cpu] = 2;
		wfi();
		g_where[cpu] = 3;
	}
	timer_set_ctl(VIRTUAL, CTL_IMASK);
	GUEST_DONE();
}

struct live;
struct live_vcpu_arg {
	struct live *l;
	int i;
};

struct live {
	struct its_env *e;
	struct live_vcpu_arg va[LIVE_VCPUS];
	int done;		/* vCPU threads that returned */
	pthread_t vcpu_t[LIVE_VCPUS], msi_t, irqfd_t, churn_t, attr_t;
	int stop, stop_churn, stop_attr;
	int host_pause, paused;
	pid_t tid[LIVE_VCPUS];
	long paced, pause_kicks;
	int efd_msi, efd_spi;
	long msis[3], irqfds, churn, resets, enables, saves, attr[2];
	int bad_msi;
	char why[128];
};

static void *live_vcpu(void *arg)
{
	struct live_vcpu_arg *va = arg;
	struct live *l = va->l;
	struct kvm_vcpu *vcpu = l->e->vcpus[va->i];
	struct ucall uc;

	l->tid[va->i] = syscall(SYS_gettid);
	for (;;) {
		vcpu_run(vcpu);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_DONE:
			__atomic_add_fetch(&l->done, 1, __ATOMIC_ACQ_REL);
			return NULL;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			return NULL;
		case UCALL_SYNC:
			if (__atomic_load_n(&l->host_pause, __ATOMIC_ACQUIRE)) {
				__atomic_add_fetch(&l->paused, 1, __ATOMIC_ACQ_REL);
				while (__atomic_load_n(&l->host_pause, __ATOMIC_ACQUIRE))
					usleep(100);
				__atomic_sub_fetch(&l->paused, 1, __ATOMIC_ACQ_REL);
			}
			continue;
		case UCALL_NONE:
			continue;
		default:
			TEST_FAIL("vCPU %d: ucall %lu", vcpu->id, uc.cmd);
		}
	}
}

/*
 * A sender's turn: free while the vCPUs are paused (the host churns then,
 * and nothing runs in the guest to starve), else LIVE_IRQS_PER_STEP per
 * step of vCPU 0's loop.
 */
static void live_pace(struct live *l, uint64_t *seen, int *credit)
{
	struct kvm_vm *vm = l->e->vm;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&l->host_pause, __ATOMIC_ACQUIRE)) {
		uint64_t alive = GV(vm, g_alive[0]);

		if (alive != *seen) {
			*seen = alive;
			*credit = LIVE_IRQS_PER_STEP;
		}
		if (*credit > 0) {
			(*credit)--;
			return;
		}
		__atomic_add_fetch(&l->paced, 1, __ATOMIC_RELAXED);
		usleep(100);
	}
}

static void *live_msi(void *arg)
{
	struct live *l = arg;
	uint64_t s = 0x3a5f, seen = 0;
	int credit = 0;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		uint64_t r = xs(&s);
		int ret;

		live_pace(l, &seen, &credit);
		ret = msi(l->e, r % 4, (r >> 8) % 16);

		if (ret == 1 || ret == 0)
			l->msis[!ret]++;
		else if (ret == -EBUSY)
			l->msis[2]++;
		else
			l->bad_msi = ret;
		/* a rate the guest keeps up with under TCG: no livelock */
		usleep(200);
	}
	return NULL;
}

static void *live_irqfd(void *arg)
{
	struct live *l = arg;
	uint64_t one = 1, seen = 0;
	int credit = 0;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		live_pace(l, &seen, &credit);
		TEST_ASSERT(write(l->efd_msi, &one, 8) == 8, "irqfd MSI");
		TEST_ASSERT(write(l->efd_spi, &one, 8) == 8, "irqfd SPI");
		l->irqfds += 2;
		usleep(500);
	}
	return NULL;
}

/*
 * Attributes while the vCPUs run: whatever locks every vCPU answers EBUSY
 * (or works, in a window where no vCPU is in KVM_RUN); nothing else.
 */
static void *live_attr(void *arg)
{
	struct live *l = arg;
	struct its_env *e = l->e;
	uint64_t s = 0xa77, v;

	while (!__atomic_load_n(&l->stop_attr, __ATOMIC_ACQUIRE)) {
		uint64_t r = xs(&s);
		int ret;

		switch (r % 5) {
		case 0:
			ret = __its_reg_get(e->its_fd, GITS_CREADR, &v);
			break;
		case 1:
			ret = __gic_save_pending(e->gic_fd);
			break;
		case 2:
			ret = __kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
						    (r >> 8) % 2 << 32 | GICR_PROPBASER, &v)
				? -errno : 0;
			break;
		case 3:
			ret = __kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
						    GICD_ISPENDR + 4, &v) ? -errno : 0;
			break;
		default:
			ret = __its_save(e->its_fd);
			if (ret == -EFAULT)
				ret = 0;
			break;
		}
		if (ret && ret != -EBUSY)
			snprintf(l->why, sizeof(l->why), "attribute %lu: %d", r % 5, ret);
		l->attr[!!ret]++;
		usleep(200);
	}
	return NULL;
}

/* Host-side churn while the vCPUs are paused (the attribute API needs them
 * out of KVM_RUN): commands, EnableLPIs, PROPBASER, SAVE_PENDING_TABLES,
 * CTRL_RESET, against the MSI and irqfd threads. */
static void *live_churn(void *arg)
{
	struct live *l = arg;
	struct its_env *e = l->e;
	uint64_t s = 0xc7a2;

	while (!__atomic_load_n(&l->stop_churn, __ATOMIC_ACQUIRE)) {
		uint64_t r = xs(&s);
		uint32_t dev = r % 4, ev = (r >> 8) % 16, icid = (r >> 16) % 2;
		int ret;

		switch ((r >> 32) % 100) {
		case 0 ... 29:
			its_send(e, its_cmd_mapti(dev, ev, ITS_LPI(dev * 16 + ev), icid));
			break;
		case 30 ... 49:
			its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, dev, ev));
			break;
		case 50 ... 57:
			its_send(e, its_cmd_movi(dev, ev, icid));
			break;
		case 58 ... 61:
			its_send(e, its_cmd_movall(icid, !icid));
			break;
		case 62 ... 70:
			its_send(e, its_cmd_dev_ev(GITS_CMD_INV, dev, ev));
			break;
		case 71 ... 72:
			its_send(e, its_cmd_mapd(dev, its_itt_gpa(e, dev), 3, true));
			break;
		case 73 ... 78:
			set_enable_lpis(e, icid, false);
			its_redist_set64(e, icid, GICR_PROPBASER,
					 its_gpa(e, ITS_OFF_PROP) | (16 - 1));
			set_enable_lpis(e, icid, true);
			l->enables++;
			break;
		case 79 ... 84:
			ret = __its_reg_set(e->its_fd, GITS_CREADR, 0);
			if (ret != -EBUSY)
				snprintf(l->why, sizeof(l->why), "CREADR write: %d", ret);
			break;
		case 85 ... 89:
			ret = __gic_save_pending(e->gic_fd);
			if (ret)
				snprintf(l->why, sizeof(l->why), "SAVE_PENDING_TABLES: %d", ret);
			l->saves++;
			break;
		case 90 ... 91:
			TEST_ASSERT(!__its_reset(e->its_fd), "CTRL_RESET");
			its_env_setup_its(e);
			its_env_program_std(e, 4, 16);
			l->resets++;
			break;
		default:
			its_send(e, its_cmd_dev_ev(GITS_CMD_INT, dev, ev));
			break;
		}
		l->churn++;
	}
	return NULL;
}

/* KVM_SET_GSI_ROUTING: GSI 1 an MSI (DeviceID 0, event 2), GSI 2 SPI 40. */
static void live_routes(struct live *l)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[2];
	} rt = {};
	struct kvm_irqfd fd = {};

	rt.r.nr = 2;
	rt.e[0].gsi = 1;
	rt.e[0].type = KVM_IRQ_ROUTING_MSI;
	rt.e[0].flags = KVM_MSI_VALID_DEVID;
	rt.e[0].u.msi.address_lo = (uint32_t)(GITS_BASE_GPA + GITS_TRANSLATER);
	rt.e[0].u.msi.address_hi = (GITS_BASE_GPA + GITS_TRANSLATER) >> 32;
	rt.e[0].u.msi.data = 2;
	rt.e[0].u.msi.devid = 0;
	rt.e[1].gsi = 2;
	rt.e[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	rt.e[1].u.irqchip.irqchip = 0;
	rt.e[1].u.irqchip.pin = LIVE_SPI - 32;
	vm_ioctl(l->e->vm, KVM_SET_GSI_ROUTING, &rt.r);
	l->efd_msi = eventfd(0, 0);
	l->efd_spi = eventfd(0, 0);
	fd.fd = l->efd_msi;
	fd.gsi = 1;
	vm_ioctl(l->e->vm, KVM_IRQFD, &fd);
	fd.fd = l->efd_spi;
	fd.gsi = 2;
	vm_ioctl(l->e->vm, KVM_IRQFD, &fd);
}

static uint32_t lpi_count(struct kvm_vm *vm, int cpu, int lpi)
{
	return GV(vm, g_lpi[cpu][lpi]);
}

/* What the guest's vCPUs were last doing, for a pause that takes long. */
static void live_state(struct live *l, char *buf, size_t len)
{
	struct kvm_vm *vm = l->e->vm;

	snprintf(buf, len, "%d paused, alive %lu %lu, guest commands %lu "
		 "(timed out %lu), irqs %lu %lu, spurious %lu %lu, last INTID %lu %lu, "
		 "at %lu %lu, timer %lu %lu, SGI %lu, SPI %lu",
		 __atomic_load_n(&l->paused, __ATOMIC_ACQUIRE),
		 GV(vm, g_alive[0]), GV(vm, g_alive[1]), GV(vm, g_cmds),
		 GV(vm, g_cmd_timeouts), GV(vm, g_irqs[0]), GV(vm, g_irqs[1]),
		 GV(vm, g_spurious[0]), GV(vm, g_spurious[1]),
		 GV(vm, g_last_intid[0]), GV(vm, g_last_intid[1]),
		 GV(vm, g_where[0]), GV(vm, g_where[1]),
		 GV(vm, g_timer[0]), GV(vm, g_timer[1]), GV(vm, g_sgi[1]), GV(vm, g_spi[0]));
}

/* A line of a file, or "?". */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "?");
	buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

/* The host side of a slow pause: the vCPU threads and KVM's exit counts. */
static void live_host_state(struct live *l)
{
	static const char *const stat[] = { "exits", "mmio_exit_kernel",
		"mmio_exit_user", "wfe_exit_stat", "wfi_exit_stat",
		"halt_wakeup", "halt_successful_poll", "irq_exits",
		"signal_exits" };
	char path[128], buf[512];

	for (int i = 0; i < LIVE_VCPUS; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", l->tid[i]);
		read_line(path, buf, sizeof(buf));
		printf("# live:   vCPU %d thread: %s\n", i, strchr(buf, ')') ?: buf);
		snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", l->tid[i]);
		read_line(path, buf, sizeof(buf));
		printf("# live:   vCPU %d wchan: %s\n", i, buf);
	}
	printf("# live:   KVM:");
	for (size_t i = 0; i < ARRAY_SIZE(stat); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%s", stat[i]);
		read_line(path, buf, sizeof(buf));
		printf(" %s=%s", stat[i], buf);
	}
	printf("\n");
}

static void live_pause(struct live *l, bool on)
{
	struct kvm_vm *vm = l->e->vm;
	double t0 = now_s(), dl = t0 + 60;
	char state[256];
	int slow = 0, kick = 0;

	__atomic_store_n(&l->host_pause, on, __ATOMIC_RELEASE);
	GV(vm, g_pause) = on;
	if (!on)
		return;
	while (__atomic_load_n(&l->paused, __ATOMIC_ACQUIRE) < LIVE_VCPUS && now_s() < dl) {
		usleep(100);
		/*
		 * As a VMM pauses: a vCPU in WFI gets a signal, its KVM_RUN
		 * returns (-EINTR, run again by vcpu_run()) and the WFI
		 * completes, which the architecture allows at any time. A
		 * 1 ms virtual timer was seen not to wake a vCPU for over a
		 * minute (the in-kernel vgic, the host machine loaded).
		 */
		if (now_s() - t0 > kick + 1) {
			for (int i = 0; i < LIVE_VCPUS; i++)
				pthread_kill(l->vcpu_t[i], SIGUSR1);
			l->pause_kicks++;
			kick++;
		}
		if (now_s() - t0 > 5 * (slow + 1)) {
			live_state(l, state, sizeof(state));
			printf("# live: pause after %ds: %s\n", 5 * ++slow, state);
			live_host_state(l);
			fflush(stdout);
		}
	}
	live_state(l, state, sizeof(state));
	TEST_ASSERT(l->paused == LIVE_VCPUS, "the vCPUs did not pause: %s", state);
}

static void live_sig(int sig)
{
}

static void live_mark(const char *what)
{
	if (getenv("SOAK_LIVE_TRACE")) {
		printf("# live: %s\n", what);
		fflush(stdout);
	}
}

TEST(soak_live)
{
	long rounds = env_long("SOAK_LIVE_ROUNDS", 1), ms = env_long("SOAK_LIVE_MS", 1500);
	long tot_msi[3] = {}, tot_irqfd = 0, tot_churn = 0, tot_resets = 0, taken = 0;
	long tot_enables = 0, tot_saves = 0, tot_attr[2] = {}, quiet = 0, kicks = 0;
	long paced = 0, pause_kicks = 0;
	struct sigaction sa = { .sa_handler = live_sig };
	uint64_t timers = 0, sgis = 0, spis = 0, gcmds = 0, gtimeouts = 0, gtoggles = 0;
	double t0 = now_s();

	long round;

	/* the pause's kicks: no restart, KVM_RUN returns */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	for (round = 0; round < rounds && !over_budget("LIVE", t0); round++) {
		struct live l = {};
		struct its_env *e = its_env_create(LIVE_VCPUS, live_guest);
		struct kvm_vm *vm = e->vm;

		l.e = e;
		vm_init_descriptor_tables(vm);
		for (int i = 0; i < LIVE_VCPUS; i++)
			vcpu_init_descriptor_tables(e->vcpus[i]);
		vm_install_exception_handler(vm, VECTOR_IRQ_CURRENT, live_irq);
		its_env_setup_its(e);
		its_env_enable_lpis(e);
		its_env_program_std(e, 4, 16);
		live_routes(&l);
		GV(vm, g_cmdq) = its_gpa(e, ITS_OFF_CMDQ);
		GV(vm, g_itt) = its_gpa(e, ITS_OFF_ITT);
		GV(vm, g_prop) = its_gpa(e, ITS_OFF_PROP);
		GV(vm, g_churn) = 1;

		/* running: vCPU 0 churns the ITS, everyone takes interrupts */
		for (int i = 0; i < LIVE_VCPUS; i++) {
			l.va[i] = (struct live_vcpu_arg){ &l, i };
			ASSERT_EQ(0, pthread_create(&l.vcpu_t[i], NULL, live_vcpu, &l.va[i]));
		}
		live_mark("vCPUs started");
		/* the first KVM_RUN (vGIC init) is slow under TCG */
		for (double dl = now_s() + 120; now_s() < dl; usleep(1000))
			if (GV(vm, g_alive[0]) && GV(vm, g_alive[1]))
				break;
		ASSERT_TRUE(GV(vm, g_alive[0]) && GV(vm, g_alive[1]));
		live_mark("guests alive");
		ASSERT_EQ(0, pthread_create(&l.msi_t, NULL, live_msi, &l));
		ASSERT_EQ(0, pthread_create(&l.irqfd_t, NULL, live_irqfd, &l));
		ASSERT_EQ(0, pthread_create(&l.attr_t, NULL, live_attr, &l));
		usleep(ms * 1000);
		__atomic_store_n(&l.stop_attr, 1, __ATOMIC_RELEASE);
		pthread_join(l.attr_t, NULL);
		live_mark("attr joined");

		/* paused: the host churns the ITS, MSIs and irqfds go on */
		GV(vm, g_churn) = 0;
		live_pause(&l, true);
		live_mark("paused");
		ASSERT_EQ(0, pthread_create(&l.churn_t, NULL, live_churn, &l));
		usleep(ms * 500);
		__atomic_store_n(&l.stop_churn, 1, __ATOMIC_RELEASE);
		pthread_join(l.churn_t, NULL);
		live_mark("churn joined");
		__atomic_store_n(&l.stop, 1, __ATOMIC_RELEASE);
		pthread_join(l.msi_t, NULL);
		pthread_join(l.irqfd_t, NULL);
		live_mark("senders joined");
		EXPECT_EQ(0, l.bad_msi);
		EXPECT_STREQ("", l.why);

		/*
		 * Quiet: a fresh mapping of LPIs never used before; each MSI
		 * is taken once, by the vCPU its collection names, and
		 * nothing more arrives.
		 */
		ASSERT_EQ(0, __its_reset(e->its_fd));
		its_env_setup_its(e);
		for (int i = 0; i < LIVE_VCPUS; i++) {
			set_enable_lpis(e, i, true);
			its_send(e, its_cmd_mapc(i, i, true));
		}
		its_send(e, its_cmd_mapd(9, its_itt_gpa(e, 9), 3, true));
		for (int ev = 0; ev < 4; ev++)
			its_send(e, its_cmd_mapti(9, ev, ITS_LPI(QUIET_LPI + ev), ev % 2));
		live_pause(&l, false);
		live_mark("resumed");
		for (int n = 0; n < 40; n++) {
			int ev = n % 4, cpu = ev % 2;
			uint32_t before = lpi_count(vm, cpu, QUIET_LPI + ev);
			double dl = now_s() + 10;

			ASSERT_EQ(1, msi(e, 9, ev));
			while (lpi_count(vm, cpu, QUIET_LPI + ev) == before && now_s() < dl)
				usleep(100);
			ASSERT_EQ(before + 1, lpi_count(vm, cpu, QUIET_LPI + ev))
				TH_LOG("round %ld MSI %d: LPI %d on vCPU %d", round, n,
				       ITS_LPI(QUIET_LPI + ev), cpu);
			quiet++;
		}
		usleep(100 * 1000);
		for (int ev = 0; ev < 4; ev++) {
			EXPECT_EQ(10, lpi_count(vm, ev % 2, QUIET_LPI + ev));
			EXPECT_EQ(0, lpi_count(vm, !(ev % 2), QUIET_LPI + ev));
		}

		/*
		 * Stop. A vCPU in WFI with its virtual timer armed for 1 ms
		 * was once not woken for minutes (both implementations: the
		 * timer is KVM's; TCG under nested KVM): the quiet LPIs of
		 * both vCPUs wake them, and are counted as kicks.
		 */
		GV(vm, g_stop) = 1;
		for (double dl = now_s() + 60; now_s() < dl; usleep(10000)) {
			if (__atomic_load_n(&l.done, __ATOMIC_ACQUIRE) == LIVE_VCPUS)
				break;
			msi(e, 9, 0);
			msi(e, 9, 1);
			kicks++;
		}
		ASSERT_EQ(LIVE_VCPUS, __atomic_load_n(&l.done, __ATOMIC_ACQUIRE));
		for (int i = 0; i < LIVE_VCPUS; i++)
			pthread_join(l.vcpu_t[i], NULL);
		live_mark("vCPUs joined");
		for (int i = 0; i < LIVE_VCPUS; i++) {
			timers += GV(vm, g_timer[i]);
			sgis += GV(vm, g_sgi[i]);
			spis += GV(vm, g_spi[i]);
			for (int j = 0; j < NR_COUNTED; j++)
				taken += lpi_count(vm, i, j);
		}
		/* every vCPU took its timer; vCPU 1 the SGIs of vCPU 0 */
		EXPECT_LT(0, GV(vm, g_timer[1]));
		EXPECT_LT(0, GV(vm, g_sgi[1]));
		EXPECT_EQ(0, GV(vm, g_sgi[0]));
		gcmds += GV(vm, g_cmds);
		gtimeouts += GV(vm, g_cmd_timeouts);
		gtoggles += GV(vm, g_toggles);
		for (int i = 0; i < 3; i++)
			tot_msi[i] += l.msis[i];
		tot_irqfd += l.irqfds;
		tot_churn += l.churn;
		tot_resets += l.resets;
		tot_enables += l.enables;
		tot_saves += l.saves;
		paced += l.paced;
		pause_kicks += l.pause_kicks;
		tot_attr[0] += l.attr[0];
		tot_attr[1] += l.attr[1];
		/* destroyed with the irqfds still assigned */
		its_env_free(e);
		close(l.efd_msi);
		close(l.efd_spi);
	}
	EXPECT_LT(0, spis);
	EXPECT_EQ(0, gtimeouts);
	printf("SOAK live iters=%ld guest_cmds=%lu guest_cmd_timeouts=%lu guest_enablelpis=%lu "
	       "msi_delivered=%ld msi_untranslated=%ld msi_ebusy=%ld irqfd_writes=%ld "
	       "attr_ok=%ld attr_ebusy=%ld host_churn=%ld its_resets=%ld "
	       "host_enablelpis=%ld save_pending=%ld guest_lpis=%ld guest_timer=%lu "
	       "guest_sgi=%lu guest_spi=%lu quiet_msis_exact=%ld stop_kicks=%ld "
	       "sender_waits=%ld pause_kicks=%ld secs=%.0f\n",
	       round, gcmds, gtimeouts, gtoggles, tot_msi[0], tot_msi[1], tot_msi[2],
	       tot_irqfd, tot_attr[0], tot_attr[1], tot_churn, tot_resets, tot_enables,
	       tot_saves, taken, timers, sgis, spis, quiet, kicks, paced, pause_kicks,
	       now_s() - t0);
}

/* ----------------------------------------------------- 4. lifecycle */

/*
 * Slab and vmalloc in use, bytes, from /proc/meminfo, after shrinking
 * every slab cache (which also empties KASAN's quarantine of them: freed
 * objects wait there, still counted as slab).
 */
static long kmem_bytes(void)
{
	FILE *f;
	char line[128];
	long kb, sum = 0;
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		TEST_ASSERT(write(fd, "3", 1) == 1, "drop_caches");
		close(fd);
	}
	f = popen("for s in /sys/kernel/slab/*/shrink; do echo 1 >$s; done 2>/dev/null", "r");
	if (f)
		pclose(f);
	f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld kB", &kb) == 1 ||
		    sscanf(line, "VmallocUsed: %ld kB", &kb) == 1)
			sum += kb;
	}
	fclose(f);
	return sum * 1024;
}

/*
 * One VM: both devices, mappings, LPIs pending by INT and MSI, an SPI.
 * No guest runs in it (its_env_create_light()): what is created and
 * destroyed is KVM's and the devices' state, without a guest image to load.
 */
static void one_vm(uint64_t i)
{
	struct its_env *e = its_env_create_light(2);
	struct kvm_irq_level spi = { .irq = (KVM_ARM_IRQ_TYPE_SPI << 24) | 40, .level = 1 };

	its_env_setup_its(e);
	its_env_enable_lpis(e);
	its_env_program_std(e, 2, 4);
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 0, i % 4));
	TEST_ASSERT(msi(e, 1, (i + 1) % 4) == 1, "MSI");
	vm_ioctl(e->vm, KVM_IRQ_LINE, &spi);
	its_env_free(e);
}

/*
 * With SOAK_JOBS processes cycling at once (make soak), each one's slab
 * figure would count the others' VMs, and shrinking every cache in each
 * costs more than the cycles: then only the part's slab+vmalloc before and
 * after (soak-guest.sh, checked by soak-report.py) is measured.
 */
TEST(soak_lifecycle)
{
	long cycles = env_long("SOAK_VM_CYCLES", 8), warm = cycles < 100 ? 2 : 20;
	bool own_kmem = env_long("SOAK_JOBS", 1) <= 1;
	long before = 0, after = 0, done;
	double t0 = now_s();

	for (long i = 0; i < warm && own_kmem; i++)
		one_vm(i);
	if (own_kmem)
		before = kmem_bytes();
	for (done = 0; done < cycles && !over_budget("LIFECYCLE", t0); done++)
		one_vm(done);
	if (own_kmem) {
		/* freed LPIs and devices go through RCU */
		usleep(200 * 1000);
		after = kmem_bytes();
	}
	printf("SOAK lifecycle iters=%ld kmem_before=%ld kmem_after=%ld bytes_per_cycle=%ld "
	       "secs=%.0f\n", done, before, after, done ? (after - before) / done : 0,
	       now_s() - t0);
	/*
	 * Flat: KASAN's quarantine and the slab caches move by a few
	 * hundred KiB either way; a leak of one object per cycle would not
	 * stay under this over thousands of cycles.
	 */
	if (own_kmem && done >= 1000)
		EXPECT_LT((after - before) / done, 512);
}

/* ----------------------------------------------------- 5. module cycles */

TEST(soak_module)
{
	long cycles = env_long("SOAK_MOD_CYCLES", 2);
	double t0 = now_s();
	long refused = 0;

	if (!vgic3_module_loaded())
		SKIP(return, "the in-kernel vgic is serving: no module to cycle");
	long i;

	for (i = 0; i < cycles && !over_budget("MODULE", t0); i++) {
		struct its_env *e = its_env_create_light(2);

		its_env_setup_its(e);
		its_env_program_std(e, 1, 2);
		/* a VM holds both devices: refused, and the ITS still works */
		EXPECT_EQ(-EWOULDBLOCK, vgic3_module_unload());
		its_env_enable_lpis(e);
		EXPECT_EQ(1, msi(e, 0, 1));
		refused++;
		its_env_free(e);
		ASSERT_EQ(0, vgic3_module_unload());
		/* the in-kernel vgic in between */
		one_vm(i);
		ASSERT_EQ(0, vgic3_module_load());
	}
	printf("SOAK module iters=%ld rmmod_refused=%ld secs=%.0f\n", i, refused,
	       now_s() - t0);
}

/*
 * The harness's timeout (a hang) for every part: SOAK_TIMEOUT seconds,
 * 600 by default (the tiny round of make check); make soak sizes it.
 */
int main(int argc, char **argv)
{
	long t = env_long("SOAK_TIMEOUT", 600);

	for (struct __test_metadata *m = _fixture_global.tests; m; m = m->next)
		m->timeout = t;
	return test_harness_run(argc, argv);
}
