// SPDX-License-Identifier: GPL-2.0
/*
 * bench - throughput and cost of the vGICv3/ITS implementation that serves
 * the device types right now (kvm_vgic3.ko or the in-kernel vgic); see
 * Documentation/benchmarks.rst. tools/testing/vm/bench runs it alternately
 * with and without the module and aggregates.
 *
 * Every measurement prints one line
 *
 *	RESULT <metric> <size> <value> <unit> <impl>
 *
 * and a finished run ends with "BENCH DONE <impl>" and one TAP case ("ok 1
 * bench <impl>"), which make check counts. Speed never fails the
 * run; the exit status is non-zero only when something is broken (an
 * ioctl fails, saved tables differ from the ones restored, translated
 * MSIs leave no pending LPI).
 *
 * How each metric is measured (sizes are numbers of mapped events):
 *
 *  cmd_{mapti,inv,discard}_ioctl  E events of one device, commands written
 *	into the queue in guest memory, 1024 per GITS_CWRITER write through
 *	KVM_SET_DEVICE_ATTR(ITS_REGS); commands/s.
 *  cmd_{mapti,inv,discard}_guest  the same, issued by a guest vCPU: each
 *	command copied into the queue and followed by an MMIO store to
 *	GITS_CWRITER (as Linux's ITS driver does); commands/s.
 *  msi_{cold,warm}  N mapped events (sqrt(N) devices x sqrt(N) events),
 *	every one translated once per pass in random order by a
 *	KVM_SIGNAL_MSI from userspace, on both implementations (KVM's core
 *	translates through the ITS's translation cache: the in-kernel ITS
 *	fills it on pass 1, "cold", the module keeps it filled from MAPTI
 *	on); pass 2 "warm"; LPIs/s.
 *  msi_grp_msi  the module's own KVM_DEV_ARM_VGIC3_GRP_MSI, which walks
 *	the ITS's tables: on the in-kernel vgic, which has no such group,
 *	KVM_SIGNAL_MSI again (so its figure is a third warm pass); LPIs/s.
 *  ref_guest_translater_store  a guest vCPU loop of stores to
 *	GITS_TRANSLATER over DeviceID 0's events: translated by the module,
 *	ignored by the in-kernel ITS (its figure is the bare MMIO exit cost);
 *	stores/s.
 *  restore_tables, save_tables  N events (1024 per device) written into
 *	the ITS tables in guest memory, then KVM_DEV_ARM_ITS_RESTORE_TABLES,
 *	then SAVE_TABLES (the saved tables must equal the restored ones); s.
 *  save_pending_tables  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES with every LPI
 *	pending and the pending table cleared, so each LPI costs a write; the
 *	size is the number of LPIs (min(N, 57344): INTIDs are 16 bits, larger
 *	N share LPIs); s.
 *  kmem_per_event  Slab (/proc/meminfo) after RESTORE_TABLES minus before,
 *	divided by N; bytes/event.
 *
 * Repetition: a size below --min-work events (16384) is measured
 * min-work/size times over, each time in a VM of its own, and reported
 * once: rates as the total count over the total time, times and bytes as
 * their mean. A 1k-event measurement alone lasts a few milliseconds under
 * TCG, within the reach of a single host hiccup.
 *
 * Warm-up: before the measured sizes, every metric runs once at the --tiny
 * sizes with its results dropped (--no-warmup skips it; --tiny has none).
 * Under TCG the first execution of a code path pays for its translation,
 * and the module's code is new in every round (insmod writes it), while
 * the in-kernel code has run before: without the warm-up, the module's
 * first measurement of each kind carries that fixed cost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sizes.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "common_its.h"
#include "common_vgic.h"
#include <linux/kvm_vgic3.h>
#include "impl.h"

#define BIG_SLOT		2
#define TRANSLATER_OFF		0x10040
#define NR_LPIS			(65536 - 8192)	/* 16 INTID bits */
#define LPI_OF(i)		(8192 + (uint32_t)((i) % NR_LPIS))
#define CMD_BATCH		1024
#define EV_PER_DEV_TABLES	1024
#define MAX_SIZES		16
/* --tiny's sizes, which are also the warm-up's */
#define TINY_CMDS		64
#define TINY_EVENTS		256

static const char *impl;
static int failures;
static bool warming_up;	/* results are dropped */

/* Results of repeated measurements, reported by flush_results(). */
struct acc {
	char metric[64];
	uint64_t size;
	char unit[16];
	double sum;	/* of 1/value for rates, else of value */
	int n;
};
static struct acc accs[16];
static int nacc;
static bool accumulating;

/* ------------------------------------------------------------------------ */
/* Guest side                                                               */

enum { G_IDLE, G_TRANSLATER, G_CMDQ };

/* Parameters, copied into the guest with sync_global_to_guest(). */
static struct {
	int mode;
	uint64_t arr;		/* GVA of u32 data[n] (G_TRANSLATER) */
	uint32_t n;
	uint32_t passes;
	uint64_t cmds;		/* GVA of the commands (G_CMDQ) */
	uint32_t nphase[4];	/* commands in each phase */
	uint64_t cmdq;		/* GVA of the queue */
	uint64_t cmdq_size;
	uint64_t cwriter;	/* CWRITER at start */
} gp;

static void guest_main(void)
{
	volatile void *its = GITS_BASE_GVA;

	if (gp.mode == G_TRANSLATER) {
		const uint32_t *arr = (const uint32_t *)gp.arr;

		for (uint32_t p = 0; p < gp.passes; p++) {
			for (uint32_t i = 0; i < gp.n; i++)
				writel_relaxed(arr[i], its + TRANSLATER_OFF);
			GUEST_SYNC(p);
		}
	} else if (gp.mode == G_CMDQ) {
		const uint64_t *src = (const uint64_t *)gp.cmds;
		uint64_t cw = gp.cwriter;

		for (int ph = 0; ph < 4; ph++) {
			for (uint32_t i = 0; i < gp.nphase[ph]; i++) {
				volatile uint64_t *dst = (volatile uint64_t *)(gp.cmdq + cw);

				dst[0] = src[0];
				dst[1] = src[1];
				dst[2] = src[2];
				dst[3] = src[3];
				src += 4;
				cw = (cw + 32) % gp.cmdq_size;
				writeq(cw, its + GITS_CWRITER);
			}
			GUEST_ASSERT_EQ(readq(its + GITS_CREADR), cw);
			GUEST_SYNC(ph);
		}
	}
	GUEST_DONE();
}

/* ------------------------------------------------------------------------ */
/* Host helpers                                                             */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static bool is_rate(const char *unit)
{
	return strstr(unit, "/s") != NULL;
}

static void result(const char *metric, uint64_t size, double value,
		   const char *unit)
{
	if (warming_up)
		return;
	if (accumulating) {
		struct acc *a = accs;

		while (a < accs + nacc && (strcmp(a->metric, metric) || a->size != size))
			a++;
		if (a == accs + nacc) {
			TEST_ASSERT(nacc < (int)ARRAY_SIZE(accs), "too many metrics");
			nacc++;
			snprintf(a->metric, sizeof(a->metric), "%s", metric);
			snprintf(a->unit, sizeof(a->unit), "%s", unit);
			a->size = size;
			a->sum = 0;
			a->n = 0;
		}
		a->sum += is_rate(unit) ? 1 / value : value;
		a->n++;
		return;
	}
	printf("RESULT %s %lu %.6g %s %s\n", metric, size, value, unit, impl);
	fflush(stdout);
}

/* Report what the repetitions since the last call accumulated. */
static void flush_results(void)
{
	accumulating = false;
	for (struct acc *a = accs; a < accs + nacc; a++)
		result(a->metric, a->size,
		       is_rate(a->unit) ? a->n / a->sum : a->sum / a->n, a->unit);
	nacc = 0;
}

static void broken(const char *what)
{
	printf("ERROR %s (%s)\n", what, impl);
	fflush(stdout);
	failures++;
}

static long slab_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int ilog2_up(uint64_t n)
{
	int b = 0;

	while ((1ULL << b) < n)
		b++;
	return b;
}

/* An ITS environment (one vCPU) plus a second memslot of @big bytes below
 * the ITS memslot, mapped 1:1 in the guest: ITTs, event arrays, commands. */
struct benv {
	struct its_env *e;
	vm_paddr_t big_gpa;
	uint8_t *big;
	uint64_t big_size;
};

static struct benv *benv_create(uint64_t big)
{
	struct benv *b = calloc(1, sizeof(*b));
	struct kvm_vm *vm;
	uint64_t pages;

	b->e = its_env_create(1, guest_main);
	vm = b->e->vm;
	b->big_size = (big + SZ_64K - 1) & ~(uint64_t)(SZ_64K - 1);
	b->big_gpa = (b->e->mem_gpa - b->big_size) & ~(uint64_t)(SZ_64K - 1);
	pages = b->big_size / vm->page_size;
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, b->big_gpa,
				    BIG_SLOT, pages, 0);
	virt_map(vm, b->big_gpa, b->big_gpa, pages);
	b->big = addr_gpa2hva(vm, b->big_gpa);
	memset(b->big, 0, b->big_size);
	/* Every LPI enabled, priority 0xa0. */
	memset(its_hva(b->e, ITS_OFF_PROP), 0xa0 | LPI_PROP_GROUP1 | LPI_PROP_ENABLED,
	       NR_LPIS);
	return b;
}

static void benv_free(struct benv *b)
{
	its_env_free(b->e);
	free(b);
}

/* IIDR, BASER0/1 and CBASER in QEMU's restore order, ITS left disabled
 * (RESTORE_TABLES comes before CTLR). */
static void benv_program_its(struct benv *b)
{
	struct its_env *e = b->e;

	its_reg_set(e->its_fd, GITS_IIDR, its_reg_get(e->its_fd, GITS_IIDR));
	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 2));
	its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	e->cmdq_size = 16 * SZ_4K;
}

static void benv_enable_its(struct benv *b)
{
	its_reg_set(b->e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	TEST_ASSERT(its_reg_get(b->e->its_fd, GITS_CTLR) & GITS_CTLR_ENABLE,
		    "ITS did not enable");
}

static uint64_t itt_stride(uint32_t nev)
{
	uint64_t sz = (uint64_t)nev * 8;

	return sz < 256 ? 256 : (sz + 255) & ~255ULL;
}

/*
 * Write canonical tables (as SAVE_TABLES would) for @ndev devices of @nev
 * events each, ITTs from big offset @itt_off; event i (global) -> LPI_OF(i),
 * collection 0 (vCPU 0).
 */
static void write_tables(struct benv *b, uint32_t ndev, uint32_t nev,
			 uint64_t itt_off)
{
	uint64_t *dt = its_hva(b->e, ITS_OFF_DT);
	uint64_t *ct = its_hva(b->e, ITS_OFF_CT);
	int nbits = ilog2_up(nev) ?: 1;

	ct[0] = mk_cte(0, 0);
	ct[1] = 0;
	for (uint32_t d = 0; d < ndev; d++) {
		uint64_t itt = b->big_gpa + itt_off + d * itt_stride(nev);
		uint64_t *ite = (uint64_t *)(b->big + itt_off + d * itt_stride(nev));

		dt[d] = mk_dte(d + 1 < ndev, itt, nbits - 1);
		for (uint32_t ev = 0; ev < nev; ev++)
			ite[ev] = mk_ite(ev + 1 < nev,
					 LPI_OF((uint64_t)d * nev + ev), 0);
	}
}

static double restore_timed(struct benv *b)
{
	double t = now();
	int r = __its_restore(b->e->its_fd);

	t = now() - t;
	TEST_ASSERT(!r, "RESTORE_TABLES: %s", strerror(-r));
	return t;
}

/* Pending bits set in vCPU 0's table for the LPI range. */
static uint64_t count_pending(struct benv *b)
{
	uint8_t *p = its_hva(b->e, ITS_OFF_PEND);
	uint64_t n = 0;

	for (int i = 8192 / 8; i < 65536 / 8; i++)
		n += __builtin_popcount(p[i]);
	return n;
}

static void run_guest(struct benv *b, double *t, int nsync)
{
	struct kvm_vcpu *vcpu = b->e->vcpus[0];
	struct ucall uc;
	double t0 = now();
	int i = 0;

	for (;;) {
		vcpu_run(vcpu);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			TEST_ASSERT(i < nsync, "too many syncs");
			t[i++] = now() - t0;
			t0 = now();
			break;
		case UCALL_DONE:
			TEST_ASSERT(i == nsync, "guest synced %d times, not %d", i, nsync);
			return;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			return;
		default:
			TEST_FAIL("unexpected exit %s",
				  exit_reason_str(vcpu->run->exit_reason));
		}
	}
}

/* ------------------------------------------------------------------------ */
/* ITS command throughput                                                   */

static struct its_cmd *phase_cmds(uint32_t nev, vm_paddr_t itt, int phase,
				  uint32_t *n)
{
	struct its_cmd *c = calloc(nev + 2, sizeof(*c));
	int nbits = ilog2_up(nev) ?: 1;
	uint32_t k = 0;

	switch (phase) {
	case 0:
		c[k++] = its_cmd_mapd(0, itt, nbits - 1, true);
		for (uint32_t ev = 0; ev < nev; ev++)
			c[k++] = its_cmd_mapti(0, ev, LPI_OF(ev), 0);
		break;
	case 1:
		for (uint32_t ev = 0; ev < nev; ev++)
			c[k++] = its_cmd_dev_ev(GITS_CMD_INV, 0, ev);
		break;
	case 2:
		for (uint32_t ev = 0; ev < nev; ev++)
			c[k++] = its_cmd_dev_ev(GITS_CMD_DISCARD, 0, ev);
		break;
	default:
		c[k++] = its_cmd_mapd(0, itt, nbits - 1, false);
		break;
	}
	*n = k;
	return c;
}

static const char *const phase_name[] = { "mapti", "inv", "discard" };

static void bench_cmd(uint32_t nev, bool guest)
{
	uint64_t itt_off = 0, cmds_off = itt_stride(nev);
	struct benv *b = benv_create(cmds_off + (uint64_t)(3 * nev + 4) * 32);
	vm_paddr_t itt = b->big_gpa + itt_off;
	struct its_env *e = b->e;
	char name[64];
	double t[4];

	benv_program_its(b);
	benv_enable_its(b);
	its_send(e, its_cmd_mapc(0, 0, true));

	if (guest)
		goto guest;
	/* From userspace, CMD_BATCH commands per CWRITER write. */
	for (int ph = 0; ph < 4; ph++) {
		uint32_t n;
		struct its_cmd *c = phase_cmds(nev, itt, ph, &n);
		double t0 = now();

		for (uint32_t i = 0; i < n; i += CMD_BATCH)
			its_sendv(e, c + i, n - i < CMD_BATCH ? n - i : CMD_BATCH);
		t[ph] = now() - t0;
		free(c);
	}
	for (int ph = 0; ph < 3; ph++) {
		snprintf(name, sizeof(name), "cmd_%s_ioctl", phase_name[ph]);
		result(name, nev, (ph == 0 ? nev + 1 : nev) / t[ph], "cmd/s");
	}
	goto out;

guest:
	/* From the guest: one CWRITER store per command. */
	{
		uint64_t *dst = (uint64_t *)(b->big + cmds_off);

		memset(&gp, 0, sizeof(gp));
		for (int ph = 0; ph < 4; ph++) {
			uint32_t n;
			struct its_cmd *c = phase_cmds(nev, itt, ph, &n);

			memcpy(dst, c, n * sizeof(*c));
			dst += n * 4;
			gp.nphase[ph] = n;
			free(c);
		}
		gp.mode = G_CMDQ;
		gp.cmds = b->big_gpa + cmds_off;
		gp.cmdq = its_gpa(e, ITS_OFF_CMDQ);
		gp.cmdq_size = e->cmdq_size;
		gp.cwriter = its_reg_get(e->its_fd, GITS_CWRITER);
		sync_global_to_guest(e->vm, gp);
		run_guest(b, t, 4);
		for (int ph = 0; ph < 3; ph++) {
			snprintf(name, sizeof(name), "cmd_%s_guest", phase_name[ph]);
			result(name, nev, gp.nphase[ph] / t[ph], "cmd/s");
		}
	}
out:
	benv_free(b);
}

/* ------------------------------------------------------------------------ */
/* MSI translation                                                          */

static void shuffle(uint32_t *a, uint32_t n, uint64_t *seed)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = vgic_rand64(seed) % (i + 1), x = a[i];

		a[i] = a[j];
		a[j] = x;
	}
}

/*
 * One MSI from userspace: KVM_SIGNAL_MSI (1 = delivered), or with @grp_msi
 * the module's KVM_DEV_ARM_VGIC3_GRP_MSI (0 = pending).
 */
static bool msi_ioctl(struct benv *b, bool grp_msi, uint32_t devid,
		      uint32_t event)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)(GITS_BASE_GPA + TRANSLATER_OFF),
		.address_hi = (uint32_t)((GITS_BASE_GPA + TRANSLATER_OFF) >> 32),
		.flags = KVM_MSI_VALID_DEVID,
		.devid = devid,
		.data = event,
	};
	uint64_t ev = event;

	if (grp_msi)
		return !__kvm_device_attr_set(b->e->its_fd,
					      KVM_DEV_ARM_VGIC3_GRP_MSI,
					      devid, &ev);
	return __vm_ioctl(b->e->vm, KVM_SIGNAL_MSI, &msi) == 1;
}

static void bench_msi(uint32_t n, bool module)
{
	/* sqrt(n) devices of sqrt(n) events on both implementations. */
	uint32_t ndev = 1U << (ilog2_up(n) / 2), nev = n / ndev;
	uint64_t arr_off, seed = 0x5eed0000 + n;
	uint32_t *arr, *perm, bad = 0;
	struct benv *b;
	double t[3];

	TEST_ASSERT((uint64_t)ndev * nev == n, "size %u: use powers of 2", n);
	arr_off = (uint64_t)ndev * itt_stride(nev);
	b = benv_create(arr_off + (uint64_t)nev * 4);

	benv_program_its(b);
	write_tables(b, ndev, nev, 0);
	its_env_enable_lpis(b->e);
	restore_timed(b);
	benv_enable_its(b);

	/*
	 * The guest loop of stores to GITS_TRANSLATER over DeviceID 0's
	 * events: a translation on the module, an ignored MMIO exit in-kernel.
	 */
	arr = (uint32_t *)(b->big + arr_off);
	for (uint32_t i = 0; i < nev; i++)
		arr[i] = i;
	shuffle(arr, nev, &seed);
	memset(&gp, 0, sizeof(gp));
	gp.mode = G_TRANSLATER;
	gp.arr = b->big_gpa + arr_off;
	gp.n = nev;
	gp.passes = 2;
	sync_global_to_guest(b->e->vm, gp);
	run_guest(b, t, 2);
	result("ref_guest_translater_store", n, nev / t[1], "store/s");

	/* Every event once per pass, in random order; pass 1 cold, 2 warm. */
	perm = malloc(n * sizeof(*perm));
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	shuffle(perm, n, &seed);
	for (int p = 0; p < 3; p++) {
		double t0 = now();

		for (uint32_t i = 0; i < n; i++)
			bad += !msi_ioctl(b, module && p == 2, perm[i] / nev,
					  perm[i] % nev);
		t[p] = now() - t0;
	}
	free(perm);
	if (bad) {
		printf("ERROR %u MSIs were not delivered (errno %d, %s)\n",
		       bad, errno, impl);
		failures++;
	}
	result("msi_cold", n, n / t[0], "LPI/s");
	result("msi_warm", n, n / t[1], "LPI/s");
	result("msi_grp_msi", n, n / t[2], "LPI/s");

	/* Every translated event left its LPI pending. */
	TEST_ASSERT(!__gic_save_pending(b->e->gic_fd), "SAVE_PENDING_TABLES");
	if (count_pending(b) != (n < NR_LPIS ? n : NR_LPIS)) {
		printf("ERROR msi: %lu LPIs pending after translating %u events (%s)\n",
		       count_pending(b), n, impl);
		failures++;
	}
	benv_free(b);
}

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */

static void bench_tables(uint32_t n)
{
	uint32_t nev = n < EV_PER_DEV_TABLES ? n : EV_PER_DEV_TABLES;
	uint32_t ndev = (n + nev - 1) / nev;
	uint32_t nlpis = n < NR_LPIS ? n : NR_LPIS;
	uint64_t itt_bytes = (uint64_t)ndev * itt_stride(nev);
	uint8_t *pend, *saved_itt, saved_dt[16 * 8 * 1024], saved_ct[64];
	uint64_t dt_bytes = (uint64_t)ndev * 8;
	struct benv *b;
	long slab0, slab1;
	double t;
	int r;

	TEST_ASSERT(n % nev == 0 && dt_bytes <= sizeof(saved_dt),
		    "table size %u: a multiple of %u, at most %u devices",
		    n, EV_PER_DEV_TABLES, (int)(sizeof(saved_dt) / 8));
	b = benv_create(itt_bytes);
	benv_program_its(b);
	write_tables(b, ndev, nev, 0);
	saved_itt = malloc(itt_bytes);
	memcpy(saved_itt, b->big, itt_bytes);
	memcpy(saved_dt, its_hva(b->e, ITS_OFF_DT), dt_bytes);
	memcpy(saved_ct, its_hva(b->e, ITS_OFF_CT), sizeof(saved_ct));

	/* Every LPI pending in the table the restore reads. */
	pend = its_hva(b->e, ITS_OFF_PEND);
	memset(pend + 1024, 0xff, 8192 - 1024);
	its_env_enable_lpis(b->e);

	slab0 = slab_kb();
	t = restore_timed(b);
	slab1 = slab_kb();
	result("restore_tables", n, t, "s");
	if (slab0 >= 0 && slab1 >= 0)
		result("kmem_per_event", n, (slab1 - slab0) * 1024.0 / n, "B/event");
	benv_enable_its(b);

	/* SAVE_TABLES into cleared tables must give back what was restored. */
	memset(b->big, 0, itt_bytes);
	memset(its_hva(b->e, ITS_OFF_DT), 0, dt_bytes);
	memset(its_hva(b->e, ITS_OFF_CT), 0, sizeof(saved_ct));
	t = now();
	r = __its_save(b->e->its_fd);
	t = now() - t;
	TEST_ASSERT(!r, "SAVE_TABLES: %s", strerror(-r));
	result("save_tables", n, t, "s");
	if (memcmp(saved_itt, b->big, itt_bytes) ||
	    memcmp(saved_dt, its_hva(b->e, ITS_OFF_DT), dt_bytes) ||
	    memcmp(saved_ct, its_hva(b->e, ITS_OFF_CT), 16))
		broken("SAVE_TABLES wrote other tables than were restored");
	free(saved_itt);

	/* SAVE_PENDING_TABLES: every LPI pending, its bit cleared in memory. */
	memset(pend + 1024, 0, 8192 - 1024);
	t = now();
	r = __gic_save_pending(b->e->gic_fd);
	t = now() - t;
	TEST_ASSERT(!r, "SAVE_PENDING_TABLES: %s", strerror(-r));
	if (n <= NR_LPIS)
		result("save_pending_tables", nlpis, t, "s");
	if (count_pending(b) != nlpis) {
		printf("ERROR tables: %lu LPIs pending in the saved table, %u expected (%s)\n",
		       count_pending(b), nlpis, impl);
		failures++;
	}
	benv_free(b);
}

/* ------------------------------------------------------------------------ */

static int parse_sizes(const char *s, uint32_t *out)
{
	int n = 0;
	char *end;

	while (*s && n < MAX_SIZES) {
		unsigned long v = strtoul(s, &end, 0);

		if (end == s)
			break;
		if (*end == 'k' || *end == 'K')
			v *= 1024, end++;
		else if (*end == 'M' || *end == 'm')
			v *= 1024 * 1024, end++;
		out[n++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

static void usage(const char *argv0)
{
	printf("usage: %s [--tiny] [--no-warmup] [--min-work N] [--cmd SIZES]\n"
	       "          [--cmd-guest SIZES] [--msi SIZES] [--tables SIZES]\n"
	       "SIZES: comma-separated event counts (k and M suffixes); '' skips.\n"
	       "Defaults: --cmd 1k,4k,16k --cmd-guest 1k,4k,16k\n"
	       "  --msi 1k,4k,16k,64k --tables 1k,16k,256k,1M\n"
	       "--tiny: --cmd 64 --cmd-guest 64 --msi 256 --tables 256, no warm-up,\n"
	       "  --min-work 0.\n"
	       "--no-warmup: no untimed run of every metric at the --tiny sizes first.\n"
	       "--min-work N: sizes below N events are measured N/size times over\n"
	       "  and reported once (default 16384).\n",
	       argv0);
}

int main(int argc, char *argv[])
{
	uint32_t cmd[MAX_SIZES], gcmd[MAX_SIZES], msi[MAX_SIZES], tab[MAX_SIZES];
	int ncmd, ngcmd, nmsi, ntab, c;
	bool module, warmup = true;
	uint32_t min_work = 16384;
	double t0;
	static const struct option opts[] = {
		{ "tiny", no_argument, NULL, 't' },
		{ "no-warmup", no_argument, NULL, 'w' },
		{ "min-work", required_argument, NULL, 'W' },
		{ "cmd", required_argument, NULL, 'c' },
		{ "cmd-guest", required_argument, NULL, 'g' },
		{ "msi", required_argument, NULL, 'm' },
		{ "tables", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};

	ncmd = parse_sizes("1k,4k,16k", cmd);
	ngcmd = parse_sizes("1k,4k,16k", gcmd);
	nmsi = parse_sizes("1k,4k,16k,64k", msi);
	ntab = parse_sizes("1k,16k,256k,1M", tab);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			cmd[0] = gcmd[0] = TINY_CMDS;
			msi[0] = tab[0] = TINY_EVENTS;
			ncmd = ngcmd = nmsi = ntab = 1;
			warmup = false;
			min_work = 0;
			break;
		case 'W':
			min_work = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			warmup = false;
			break;
		case 'c':
			ncmd = parse_sizes(optarg, cmd);
			break;
		case 'g':
			ngcmd = parse_sizes(optarg, gcmd);
			break;
		case 'm':
			nmsi = parse_sizes(optarg, msi);
			break;
		case 's':
			ntab = parse_sizes(optarg, tab);
			break;
		default:
			usage(argv[0]);
			return c == 'h' ? 0 : 1;
		}
	}

	setbuf(stdout, NULL);
	module = vgic3_module_loaded();
	impl = module ? "module" : "in-kernel";
	printf("BENCH START %s\n", impl);
	t0 = now();

	if (warmup) {
		warming_up = true;
		bench_cmd(TINY_CMDS, false);
		bench_cmd(TINY_CMDS, true);
		bench_msi(TINY_EVENTS, module);
		bench_tables(TINY_EVENTS);
		warming_up = false;
	}
#define REPEATED(n, call)						\
	do {								\
		uint32_t reps = (n) < min_work ? min_work / (n) : 1;	\
									\
		accumulating = reps > 1;				\
		for (uint32_t r = 0; r < reps; r++)			\
			call;						\
		flush_results();					\
	} while (0)

	for (int i = 0; i < ncmd; i++)
		REPEATED(cmd[i], bench_cmd(cmd[i], false));
	for (int i = 0; i < ngcmd; i++)
		REPEATED(gcmd[i], bench_cmd(gcmd[i], true));
	for (int i = 0; i < nmsi; i++)
		REPEATED(msi[i], bench_msi(msi[i], module));
	for (int i = 0; i < ntab; i++)
		REPEATED(tab[i], bench_tables(tab[i]));

	printf("BENCH DONE %s failures %d elapsed %.1f s\n", impl, failures,
	       now() - t0);
	/* One TAP case, so that make check can count a tiny round. */
	printf("1..1\n%sok 1 bench %s\n", failures ? "not " : "", impl);
	return failures ? 1 : 0;
}
