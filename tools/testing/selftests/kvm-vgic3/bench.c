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
 *	the events' LPIs are pending from the restore on, on both, so that
 *	every exit finds the same interrupts queued; stores/s.
 *  ref_guest_creadr_load  the same loop, of loads of GITS_CREADR, which
 *	both implementations answer without a lock: the bare cost of an MMIO
 *	exit to each one's ITS frame; loads/s.
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
 * With a running guest (a VM of 2 vCPUs and N mapped events, sqrt(N)
 * devices of sqrt(N) events, restored; bench_lat()):
 *
 *  lat_spi_irq_line, lat_spi_irqfd, lat_lpi_signal_msi, lat_lpi_irqfd
 *	injection from userspace to the guest's handler: vCPU 0 waits in WFI
 *	(a thread in KVM_RUN); per sample the host injects (KVM_IRQ_LINE of
 *	a random edge SPI, an irqfd on its irqchip route, KVM_SIGNAL_MSI or
 *	an irqfd on an MSI route, both of one of 256 random events, whose
 *	translations are warmed first) and spins until the handler has
 *	EOIed and bumped a counter in guest memory; median, us.
 *  lat_lpi_translater  the same from the guest's own store to
 *	GITS_TRANSLATER (DeviceID 0), timed by the guest with CNTVCT_EL0;
 *	the module only (the in-kernel ITS ignores a vCPU's store); us.
 *  lat_ipi_rtt  vCPU 0 sends an SGI to vCPU 1 (in WFI), whose handler
 *	sends one back; vCPU 0 times the round trip with CNTVCT_EL0; us.
 *  gcmd_<command>  each guest-visible ITS command (MAPD, MAPC, MAPTI,
 *	MAPI, MOVI, DISCARD, INV, INVALL, SYNC, MOVALL, CLEAR, INT) timed by
 *	the guest around "write the command, store GITS_CWRITER, poll
 *	GITS_CREADR" on random mapped events; median, us.
 *  lpi_irqfd_rate  sustained LPIs taken by a busy guest from irqfds on MSI
 *	routes (KVM_CAP_MSI_DEVID), --lpi-count of them, random events of
 *	the N mapped, batches of 1024 routes; LPI/s.
 *
 * The scale point (bench_scale(), sizes in its metric names): 512 vCPUs
 * with their redistributors, DeviceID 0 with 2^16 events and 1M mapped
 * events in all; times of vCPU creation, vGIC+ITS init, RESTORE_TABLES,
 * SAVE_TABLES, SAVE_PENDING_TABLES, VM destruction, and slab + vmalloc
 * growth (KiB).
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
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sizes.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "arch_timer.h"
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
#define TINY_LAT_SAMPLES	10
#define TINY_GCMD_SAMPLES	4
/* The debug kernel takes a burst of irqfd LPIs at 1-7 a second. */
#define TINY_LPI_COUNT		16
#define TINY_SCALE_VCPUS	8
#define TINY_SCALE_EVENTS	4096
#define TINY_SCALE_DEV		1024

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
static struct acc accs[32];
static int nacc;
static bool accumulating;

/* ------------------------------------------------------------------------ */
/* Guest side                                                               */

enum { G_IDLE, G_TRANSLATER, G_CMDQ, G_IRQ };

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
	/* G_IRQ */
	uint32_t nr_vcpus;
	uint32_t nev;		/* events per device */
	uint64_t itt_mapi;	/* GPA of the ITT of DEV_MAPI */
	uint64_t itt_mapd;	/* GPA of the ITT of DEV_MAPD */
} gp;

static void guest_irq_main(void);

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
		/* As many loads of GITS_CREADR: the bare MMIO exit. */
		for (uint32_t p = 0; p < gp.passes; p++) {
			for (uint32_t i = 0; i < gp.n; i++)
				(void)readq_relaxed(its + GITS_CREADR);
			GUEST_SYNC(gp.passes + p);
		}
	} else if (gp.mode == G_IRQ) {
		guest_irq_main();
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

static struct benv *benv_create_n(int nr_vcpus, uint64_t big)
{
	struct benv *b = calloc(1, sizeof(*b));
	struct kvm_vm *vm;
	uint64_t pages;

	b->e = its_env_create(nr_vcpus, guest_main);
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

static struct benv *benv_create(uint64_t big)
{
	return benv_create_n(1, big);
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
	uint8_t *pend;
	double t[4];

	TEST_ASSERT((uint64_t)ndev * nev == n, "size %u: use powers of 2", n);
	arr_off = (uint64_t)ndev * itt_stride(nev);
	b = benv_create(arr_off + (uint64_t)nev * 4);

	benv_program_its(b);
	write_tables(b, ndev, nev, 0);
	/*
	 * DeviceID 0's LPIs pending from the start, in the pending table that
	 * RESTORE_TABLES reads: the stores below find the same interrupts
	 * pending on both implementations, as the module's first pass would
	 * leave them (the in-kernel ITS translates none of them).
	 */
	pend = its_hva(b->e, ITS_OFF_PEND);
	for (uint32_t i = 0; i < nev; i++)
		pend[LPI_OF(i) / 8] |= 1u << (LPI_OF(i) % 8);
	its_env_enable_lpis(b->e);
	restore_timed(b);
	benv_enable_its(b);

	/*
	 * The guest loop of stores to GITS_TRANSLATER over DeviceID 0's
	 * events: a translation on the module, an ignored MMIO exit in-kernel;
	 * then as many loads of GITS_CREADR.
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
	run_guest(b, t, 4);
	result("ref_guest_translater_store", n, nev / t[1], "store/s");
	result("ref_guest_creadr_load", n, nev / t[3], "load/s");

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
/* Interrupts taken by a running guest                                      */

/*
 * The guest of G_IRQ: every vCPU initialises its GIC CPU interface, then
 * runs the operations the host puts in g_op[cpu], one per vcpu_run(),
 * with interrupts masked except around WFI and while it waits for an
 * interrupt. Its handler acknowledges, EOIs, and only then bumps
 * irq_seq[cpu]: the host (reading guest memory through its own mapping)
 * or the vCPU itself sees the bump after the EOI, so the next sample
 * starts from an idle interrupt.
 */
#define SGI_PING		1	/* vCPU0 -> vCPU1 */
#define SGI_PONG		2	/* vCPU1's answer -> vCPU0 */
#define NR_SPIS			32	/* nr_irqs 64: SPIs 32..63, edge */
#define LAT_MAX_SAMPLES		1024
#define GCMD_MAX_SAMPLES	64
#define DEV_MAPI_EVBITS		14	/* EventIDs 8192.. for MAPI */
#define WAIT_S			5	/* an interrupt that takes longer: broken */

enum { OP_WFI = 1, OP_SPIN, OP_IPI, OP_TRANSLATER, OP_CMDS, OP_DONE };

enum { GC_MAPD, GC_MAPC, GC_MAPTI, GC_MAPI, GC_MOVI, GC_DISCARD, GC_INV,
       GC_INVALL, GC_SYNC, GC_MOVALL, GC_CLEAR, GC_INT, GC_NR };
static const char *const gc_name[GC_NR] = {
	"mapd", "mapc", "mapti", "mapi", "movi", "discard", "inv", "invall",
	"sync", "movall", "clear", "int",
};

static volatile uint64_t irq_seq[2];	/* interrupts taken, per vCPU */
static volatile uint64_t g_op[2];
static volatile uint64_t g_stop[2];
static volatile uint64_t g_last_ping;	/* OP_IPI: the PING that ends vCPU1's loop */
static volatile uint64_t g_freq;	/* CNTFRQ_EL0 */
static volatile uint64_t g_timeouts;
static volatile uint64_t g_nsamples;
static volatile uint32_t g_events[GCMD_MAX_SAMPLES > LAT_MAX_SAMPLES ?
				  GCMD_MAX_SAMPLES : LAT_MAX_SAMPLES];
static volatile uint64_t g_cyc[GC_NR > 1 ? GC_NR : 1][LAT_MAX_SAMPLES];
static uint64_t g_cw;			/* the guest's CWRITER */

static void send_sgi(uint32_t intid, uint32_t cpu)
{
	/* What this vCPU read and stored before, its handler sees after. */
	dsb(ish);
	write_sysreg_s((uint64_t)intid << 24 | BIT(cpu), SYS_ICC_SGI1R_EL1);
	isb();
}

static void guest_irq_handler(struct ex_regs *regs)
{
	uint32_t cpu = guest_get_vcpuid();
	uint32_t intid = gic_get_and_ack_irq();

	if (intid == IAR_SPURIOUS)
		return;
	gic_set_eoi(intid);
	if (intid == SGI_PING) {
		/*
		 * Read before the PONG: vCPU0 sets it only after the PONG
		 * of the PING before the last one.
		 */
		bool last = READ_ONCE(g_last_ping);

		send_sgi(SGI_PONG, 0);
		if (last)
			WRITE_ONCE(g_stop[1], 1);
	}
	WRITE_ONCE(irq_seq[cpu], irq_seq[cpu] + 1);
}

static uint64_t cycles(void)
{
	return timer_get_cntct(VIRTUAL);
}

/* Interrupts unmasked until irq_seq[cpu] moves past @seq (or WAIT_S). */
static void guest_wait_irq(uint32_t cpu, uint64_t seq)
{
	uint64_t dl = cycles() + WAIT_S * g_freq;

	local_irq_enable();
	while (READ_ONCE(irq_seq[cpu]) == seq) {
		if ((int64_t)(cycles() - dl) > 0) {
			WRITE_ONCE(g_timeouts, g_timeouts + 1);
			break;
		}
		cpu_relax();
	}
	local_irq_disable();
}

/*
 * Write one command at CWRITER, store CWRITER, poll CREADR: cycles. The
 * guest keeps its own CWRITER (g_cw), so the timed part reads no register
 * but CREADR.
 */
static uint64_t guest_its_cmd(struct its_cmd c)
{
	uint64_t t0 = cycles();

	if (!its_guest_send(gp.cmdq, gp.cmdq_size, &g_cw, &c, ITS_GUEST_SEND_READS))
		WRITE_ONCE(g_timeouts, g_timeouts + 1);
	return cycles() - t0;
}

/*
 * Every guest-visible command, g_nsamples times, on the events in
 * g_events[] (global event numbers: DeviceID = e / nev, EventID = e % nev,
 * LPI LPI_OF(e), collection 0 -> vCPU 0; collection 1 -> vCPU 1). Each
 * sample leaves the mappings as they were. Interrupts stay masked: the
 * LPI an INT makes pending is CLEARed before it could be taken.
 */
static void guest_cmds(void)
{
	/* Beyond the mapped devices, inside the 16384-entry device table. */
	uint32_t dev_mapi = 16382, dev_mapd = 16383;

	g_cw = readq_relaxed(GITS_BASE_GVA + GITS_CWRITER);
	guest_its_cmd(its_cmd_mapd(dev_mapi, gp.itt_mapi, DEV_MAPI_EVBITS - 1, true));
	for (uint32_t k = 0; k < g_nsamples; k++) {
		uint32_t e = g_events[k], d = e / gp.nev, ev = e % gp.nev;

		g_cyc[GC_MOVI][k] = guest_its_cmd(its_cmd_movi(d, ev, 1));
		guest_its_cmd(its_cmd_movi(d, ev, 0));
		g_cyc[GC_INV][k] = guest_its_cmd(its_cmd_dev_ev(GITS_CMD_INV, d, ev));
		g_cyc[GC_INT][k] = guest_its_cmd(its_cmd_dev_ev(GITS_CMD_INT, d, ev));
		g_cyc[GC_CLEAR][k] = guest_its_cmd(its_cmd_dev_ev(GITS_CMD_CLEAR, d, ev));
		g_cyc[GC_DISCARD][k] = guest_its_cmd(its_cmd_dev_ev(GITS_CMD_DISCARD, d, ev));
		g_cyc[GC_MAPTI][k] = guest_its_cmd(its_cmd_mapti(d, ev, LPI_OF(e), 0));
		g_cyc[GC_MAPI][k] = guest_its_cmd(its_cmd_mapi(dev_mapi, 8192 + k, 0));
		guest_its_cmd(its_cmd_dev_ev(GITS_CMD_DISCARD, dev_mapi, 8192 + k));
		g_cyc[GC_MAPD][k] = guest_its_cmd(its_cmd_mapd(dev_mapd, gp.itt_mapd, 0, true));
		guest_its_cmd(its_cmd_mapd(dev_mapd, 0, 0, false));
		g_cyc[GC_MAPC][k] = guest_its_cmd(its_cmd_mapc(1, 1, true));
		g_cyc[GC_INVALL][k] = guest_its_cmd(its_cmd_invall(0));
		g_cyc[GC_SYNC][k] = guest_its_cmd(its_cmd_sync(0));
		g_cyc[GC_MOVALL][k] = guest_its_cmd(its_cmd_movall(0, 1));
		guest_its_cmd(its_cmd_movall(1, 0));
	}
	guest_its_cmd(its_cmd_mapd(dev_mapi, 0, 0, false));
}

static void guest_irq_main(void)
{
	uint32_t cpu = guest_get_vcpuid();

	gic_init(GIC_V3, gp.nr_vcpus);
	if (cpu == 0) {
		for (int i = 32; i < 32 + NR_SPIS; i++) {
			gic_irq_set_config(i, true);
			gic_irq_enable(i);
		}
		g_freq = timer_get_cntfrq();
	}
	gic_irq_enable(cpu ? SGI_PING : SGI_PONG);
	local_irq_disable();
	for (;;) {
		GUEST_SYNC(0);
		switch (READ_ONCE(g_op[cpu])) {
		case OP_WFI:
			/*
			 * Masked around WFI, which completes on a pending
			 * interrupt all the same: none is lost between the
			 * check and the WFI.
			 */
			while (!READ_ONCE(g_stop[cpu])) {
				asm volatile("wfi" ::: "memory");
				local_irq_enable();
				isb();
				local_irq_disable();
			}
			break;
		case OP_SPIN:
			/*
			 * Busy, interrupts unmasked: each one is taken as it
			 * reaches the vCPU, which never blocks.
			 */
			local_irq_enable();
			while (!READ_ONCE(g_stop[cpu]))
				cpu_relax();
			local_irq_disable();
			break;
		case OP_IPI:
			WRITE_ONCE(g_last_ping, 0);
			for (uint32_t k = 0; k < g_nsamples; k++) {
				uint64_t s = READ_ONCE(irq_seq[0]), t0 = cycles();

				send_sgi(SGI_PING, 1);
				guest_wait_irq(0, s);
				g_cyc[0][k] = cycles() - t0;
			}
			/*
			 * vCPU1's WFI loop ends on one more PING, whose
			 * handler stops it. (Setting its stop flag from here
			 * raced: vCPU1, still returning from its last PONG,
			 * could see the flag and leave its loop before the
			 * PING came, and this vCPU waited WAIT_S for a PONG.)
			 */
			WRITE_ONCE(g_last_ping, 1);
			{
				uint64_t s = READ_ONCE(irq_seq[0]);

				send_sgi(SGI_PING, 1);
				guest_wait_irq(0, s);
			}
			break;
		case OP_TRANSLATER:
			for (uint32_t k = 0; k < g_nsamples; k++) {
				uint64_t s = READ_ONCE(irq_seq[0]), t0 = cycles();

				writel(g_events[k], GITS_BASE_GVA + TRANSLATER_OFF);
				guest_wait_irq(0, s);
				g_cyc[0][k] = cycles() - t0;
			}
			break;
		case OP_CMDS:
			guest_cmds();
			break;
		default:
			GUEST_DONE();
		}
	}
}

/* A vCPU run in a thread up to its next GUEST_SYNC. */
struct vrun {
	struct kvm_vcpu *vcpu;
	pthread_t th;
};

static void *vrun_thread(void *arg)
{
	struct vrun *r = arg;
	struct ucall uc;

	vcpu_run(r->vcpu);
	switch (get_ucall(r->vcpu, &uc)) {
	case UCALL_SYNC:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("vCPU exit %s", exit_reason_str(r->vcpu->run->exit_reason));
	}
	return NULL;
}

static void vrun_start(struct vrun *r, struct kvm_vcpu *vcpu)
{
	r->vcpu = vcpu;
	TEST_ASSERT(!pthread_create(&r->th, NULL, vrun_thread, r), "pthread_create");
}

static void vrun_join(struct vrun *r)
{
	pthread_join(r->th, NULL);
}

/* The host's view of the G_IRQ guest's variables. */
struct irqenv {
	struct benv *b;
	uint32_t ndev, nev, n;
	volatile uint64_t *seq, *op, *stop, *freq, *timeouts, *nsamples;
	volatile uint32_t *events;
	volatile uint64_t (*cyc)[LAT_MAX_SAMPLES];
	int spi_efd[NR_SPIS];
	int msi_efd[LAT_MAX_SAMPLES];
	uint32_t nmsi_routes;
};

#define GVA2HVA(vm, sym)	((__typeof__(&(sym)))addr_gva2hva(vm, (vm_vaddr_t)&(sym)))

/*
 * A VM of @nr_vcpus vCPUs with @n events mapped (sqrt(n) devices of
 * sqrt(n) events, restored as in bench_msi), collection 0 -> vCPU 0 and,
 * with two vCPUs, collection 1 -> vCPU 1; every vCPU has run its GIC
 * initialisation and waits at its first GUEST_SYNC.
 */
static struct irqenv *irqenv_create(uint32_t n, int nr_vcpus)
{
	struct irqenv *ie = calloc(1, sizeof(*ie));
	uint32_t ndev = 1U << (ilog2_up(n) / 2), nev = n / ndev;
	uint64_t mapi_off = (uint64_t)ndev * itt_stride(nev);
	uint64_t mapd_off = mapi_off + (8ULL << DEV_MAPI_EVBITS);
	struct benv *b;
	struct kvm_vm *vm;

	TEST_ASSERT((uint64_t)ndev * nev == n, "size %u: use powers of 2", n);
	b = benv_create_n(nr_vcpus, mapd_off + 256);
	vm = b->e->vm;
	ie->b = b;
	ie->ndev = ndev;
	ie->nev = nev;
	ie->n = n;

	vm_init_descriptor_tables(vm);
	for (int i = 0; i < nr_vcpus; i++)
		vcpu_init_descriptor_tables(b->e->vcpus[i]);
	vm_install_exception_handler(vm, VECTOR_IRQ_CURRENT, guest_irq_handler);

	benv_program_its(b);
	write_tables(b, ndev, nev, 0);
	if (nr_vcpus > 1)
		((uint64_t *)its_hva(b->e, ITS_OFF_CT))[1] = mk_cte(1, 1);
	its_env_enable_lpis(b->e);
	restore_timed(b);
	benv_enable_its(b);

	memset(&gp, 0, sizeof(gp));
	gp.mode = G_IRQ;
	gp.nr_vcpus = nr_vcpus;
	gp.nev = nev;
	gp.cmdq = its_gpa(b->e, ITS_OFF_CMDQ);
	gp.cmdq_size = b->e->cmdq_size;
	gp.itt_mapi = b->big_gpa + mapi_off;
	gp.itt_mapd = b->big_gpa + mapd_off;
	sync_global_to_guest(vm, gp);

	ie->seq = GVA2HVA(vm, irq_seq[0]);
	ie->op = GVA2HVA(vm, g_op[0]);
	ie->stop = GVA2HVA(vm, g_stop[0]);
	ie->freq = GVA2HVA(vm, g_freq);
	ie->timeouts = GVA2HVA(vm, g_timeouts);
	ie->nsamples = GVA2HVA(vm, g_nsamples);
	ie->events = GVA2HVA(vm, g_events[0]);
	ie->cyc = (void *)GVA2HVA(vm, g_cyc[0][0]);
	for (int i = 0; i < nr_vcpus; i++) {
		struct vrun r;

		vrun_start(&r, b->e->vcpus[i]);
		vrun_join(&r);
	}
	for (int i = 0; i < NR_SPIS; i++)
		ie->spi_efd[i] = -1;
	return ie;
}

static void irqenv_free(struct irqenv *ie)
{
	for (int i = 0; i < NR_SPIS; i++)
		if (ie->spi_efd[i] >= 0)
			close(ie->spi_efd[i]);
	for (uint32_t i = 0; i < ie->nmsi_routes; i++)
		close(ie->msi_efd[i]);
	if (*ie->timeouts) {
		printf("ERROR %lu interrupts or commands timed out in the guest (%s)\n",
		       *ie->timeouts, impl);
		failures++;
	}
	benv_free(ie->b);
	free(ie);
}

/* vCPU @cpu runs operation @op in a thread; irqenv_stop() ends a WFI. */
static void irqenv_run(struct irqenv *ie, int cpu, uint64_t op, struct vrun *r)
{
	ie->op[cpu] = op;
	ie->stop[cpu] = 0;
	vrun_start(r, ie->b->e->vcpus[cpu]);
}

static void irqenv_stop_wfi0(struct irqenv *ie, struct vrun *r)
{
	ie->stop[0] = 1;
	kvm_arm_irq_line(ie->b->e->vm, 32, 1);	/* wakes the WFI */
	kvm_arm_irq_line(ie->b->e->vm, 32, 0);
	vrun_join(r);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct kvm_irq_routing *routing_alloc(uint32_t nr)
{
	struct kvm_irq_routing *r = calloc(1, sizeof(*r) +
					   nr * sizeof(r->entries[0]));

	TEST_ASSERT(r, "routing table");
	return r;
}

static void route_msi(struct kvm_irq_routing *r, uint32_t gsi, uint32_t dev,
		      uint32_t ev)
{
	uint64_t db = GITS_BASE_GPA + TRANSLATER_OFF;

	r->entries[r->nr++] = (struct kvm_irq_routing_entry){
		.gsi = gsi,
		.type = KVM_IRQ_ROUTING_MSI,
		.flags = KVM_MSI_VALID_DEVID,
		.u.msi = {
			.address_lo = (uint32_t)db,
			.address_hi = db >> 32,
			.data = ev,
			.devid = dev,
		},
	};
}

static void routing_set(struct kvm_vm *vm, struct kvm_irq_routing *r)
{
	TEST_ASSERT(!__vm_ioctl(vm, KVM_SET_GSI_ROUTING, r),
		    "KVM_SET_GSI_ROUTING (%u entries): %s", r->nr, strerror(errno));
}

static int irqfd_assign(struct kvm_vm *vm, uint32_t gsi)
{
	struct kvm_irqfd irqfd = { .gsi = gsi };
	int fd = eventfd(0, EFD_CLOEXEC);

	TEST_ASSERT(fd >= 0, "eventfd");
	irqfd.fd = fd;
	TEST_ASSERT(!__vm_ioctl(vm, KVM_IRQFD, &irqfd), "KVM_IRQFD gsi %u: %s",
		    gsi, strerror(errno));
	return fd;
}

static void efd_signal(int fd)
{
	uint64_t one = 1;

	TEST_ASSERT(write(fd, &one, 8) == 8, "eventfd write");
}

enum { INJ_SPI_LINE, INJ_SPI_IRQFD, INJ_MSI_SIGNAL, INJ_MSI_IRQFD, INJ_NR };
static const char *const inj_name[INJ_NR] = {
	"lat_spi_irq_line", "lat_spi_irqfd", "lat_lpi_signal_msi", "lat_lpi_irqfd",
};

/*
 * Latency from userspace: vCPU 0 waits in WFI (a thread in KVM_RUN); per
 * sample the host injects and spins until the guest's handler has EOIed
 * and bumped irq_seq[0] (read through the host mapping); CLOCK_MONOTONIC
 * around the two. A sample starts only after the previous one's EOI.
 */
static void lat_host(struct irqenv *ie, int kind, uint32_t nsamples,
		     uint64_t *seed)
{
	double *t = calloc(nsamples, sizeof(*t));
	uint32_t k;
	struct vrun r;

	irqenv_run(ie, 0, OP_WFI, &r);
	/*
	 * Steady state: every routed event is translated once, untimed, so
	 * that the in-kernel ITS's translation cache holds it as the
	 * module's does from the restore on (cold translation is msi_cold).
	 */
	if (kind == INJ_MSI_SIGNAL) {
		for (uint32_t m = 0; m < ie->nmsi_routes; m++) {
			uint64_t s = ie->seq[0];
			double t0 = now();

			efd_signal(ie->msi_efd[m]);
			while (ie->seq[0] == s && now() - t0 < WAIT_S)
				;
		}
	}
	for (k = 0; k < nsamples; k++) {
		uint32_t x = vgic_rand64(seed), spi = 32 + x % NR_SPIS;
		uint32_t m = x % ie->nmsi_routes, e = ie->events[m];
		uint64_t s = ie->seq[0];
		double t0 = now(), t1;
		struct kvm_msi msi = {
			.address_lo = (uint32_t)(GITS_BASE_GPA + TRANSLATER_OFF),
			.address_hi = (uint32_t)((GITS_BASE_GPA + TRANSLATER_OFF) >> 32),
			.flags = KVM_MSI_VALID_DEVID,
			.devid = e / ie->nev,
			.data = e % ie->nev,
		};

		switch (kind) {
		case INJ_SPI_LINE:
			kvm_arm_irq_line(ie->b->e->vm, spi, 1);
			break;
		case INJ_SPI_IRQFD:
			efd_signal(ie->spi_efd[spi - 32]);
			break;
		case INJ_MSI_SIGNAL:
			TEST_ASSERT(__vm_ioctl(ie->b->e->vm, KVM_SIGNAL_MSI, &msi) == 1,
				    "KVM_SIGNAL_MSI (%u, %u)", msi.devid, msi.data);
			break;
		default:
			efd_signal(ie->msi_efd[m]);
			break;
		}
		while (ie->seq[0] == s && (t1 = now()) - t0 < WAIT_S)
			;
		t1 = now();
		t[k] = (t1 - t0) * 1e6;
		if (ie->seq[0] == s) {
			broken("an injected interrupt was not taken in 5 s");
			break;
		}
		if (kind == INJ_SPI_LINE)
			kvm_arm_irq_line(ie->b->e->vm, spi, 0);
	}
	irqenv_stop_wfi0(ie, &r);
	if (k)
		result(inj_name[kind], ie->n, median(t, k), "us");
	free(t);
}

/* The guest's own timing of an operation (OP_IPI, OP_TRANSLATER). */
static void lat_guest(struct irqenv *ie, const char *name, uint32_t nsamples)
{
	double *t = calloc(nsamples, sizeof(*t));
	struct vrun r0, r1;

	*ie->nsamples = nsamples;
	if (!strcmp(name, "lat_ipi_rtt")) {
		irqenv_run(ie, 1, OP_WFI, &r1);
		irqenv_run(ie, 0, OP_IPI, &r0);
		vrun_join(&r0);
		vrun_join(&r1);
	} else {
		irqenv_run(ie, 0, OP_TRANSLATER, &r0);
		vrun_join(&r0);
	}
	for (uint32_t k = 0; k < nsamples; k++)
		t[k] = ie->cyc[0][k] * 1e6 / *ie->freq;
	result(name, ie->n, median(t, nsamples), "us");
	free(t);
}

/*
 * Latencies and guest-side command costs in one VM of 2 vCPUs with @n
 * mapped events; @nsamples samples each (random SPIs, random events).
 */
static void bench_lat(uint32_t n, uint32_t nsamples, uint32_t ncmd_samples,
		      bool module)
{
	struct irqenv *ie = irqenv_create(n, 2);
	struct kvm_vm *vm = ie->b->e->vm;
	uint64_t seed = 0x1a7e0000 + n;
	struct kvm_irq_routing *rt;
	uint32_t nroutes = n < 256 ? n : 256;

	if (nsamples > LAT_MAX_SAMPLES)
		nsamples = LAT_MAX_SAMPLES;
	if (ncmd_samples > GCMD_MAX_SAMPLES)
		ncmd_samples = GCMD_MAX_SAMPLES;

	/*
	 * Random events; the first nroutes get an irqfd on an MSI route,
	 * next to the SPIs' irqchip routes (GSI i -> SPI 32 + i).
	 */
	for (uint32_t i = 0; i < LAT_MAX_SAMPLES; i++)
		ie->events[i] = vgic_rand64(&seed) % n;
	rt = routing_alloc(NR_SPIS + nroutes);
	for (int i = 0; i < NR_SPIS; i++) {
		rt->entries[rt->nr++] = (struct kvm_irq_routing_entry){
			.gsi = i, .type = KVM_IRQ_ROUTING_IRQCHIP,
			.u.irqchip = { .irqchip = 0, .pin = i },
		};
	}
	for (uint32_t i = 0; i < nroutes; i++)
		route_msi(rt, NR_SPIS + i, ie->events[i] / ie->nev,
			  ie->events[i] % ie->nev);
	routing_set(vm, rt);
	free(rt);
	for (int i = 0; i < NR_SPIS; i++)
		ie->spi_efd[i] = irqfd_assign(vm, i);
	for (uint32_t i = 0; i < nroutes; i++)
		ie->msi_efd[i] = irqfd_assign(vm, NR_SPIS + i);
	ie->nmsi_routes = nroutes;

	for (int kind = 0; kind < INJ_NR; kind++)
		lat_host(ie, kind, nsamples, &seed);
	lat_guest(ie, "lat_ipi_rtt", nsamples);
	/* The in-kernel ITS ignores a vCPU's store to GITS_TRANSLATER. */
	if (module) {
		for (uint32_t i = 0; i < nsamples; i++)
			ie->events[i] = vgic_rand64(&seed) % ie->nev;	/* DeviceID 0 */
		lat_guest(ie, "lat_lpi_translater", nsamples);
	}

	/* ITS commands from the guest, on random events. */
	if (ncmd_samples) {
		struct vrun r;

		for (uint32_t i = 0; i < ncmd_samples; i++)
			ie->events[i] = vgic_rand64(&seed) % n;
		*ie->nsamples = ncmd_samples;
		irqenv_run(ie, 0, OP_CMDS, &r);
		vrun_join(&r);
		for (int c = 0; c < GC_NR; c++) {
			double t[GCMD_MAX_SAMPLES];
			char name[64];

			for (uint32_t k = 0; k < ncmd_samples; k++)
				t[k] = ie->cyc[c][k] * 1e6 / *ie->freq;
			snprintf(name, sizeof(name), "gcmd_%s", gc_name[c]);
			result(name, n, median(t, ncmd_samples), "us");
		}
	}
	irqenv_free(ie);
}

/*
 * Sustained LPIs from irqfds on MSI routes, taken by a busy guest (a
 * vCPU spinning with interrupts unmasked): @count LPIs from the @n mapped
 * events (sqrt(n) devices of sqrt(n) events), in random order, each event
 * once per pass over them, in batches of up to ROUTE_BATCH routes
 * (KVM_SET_GSI_ROUTING takes at most 4096 entries; re-routing is not
 * timed). Per batch the host signals every eventfd, then waits until the
 * guest took as many LPIs as the batch has distinct LPIs; LPIs/s over the
 * timed parts. The count is fixed so that every size costs the same: under
 * nested TCG a guest takes about a thousand LPIs a second.
 */
#define ROUTE_BATCH	1024
#define RATE_WAIT_S	60	/* for a batch: then it is broken */

static void bench_lpi_rate(uint32_t n, uint32_t count)
{
	struct irqenv *ie = irqenv_create(n, 1);
	struct kvm_vm *vm = ie->b->e->vm;
	uint32_t nb = n < ROUTE_BATCH ? n : ROUTE_BATCH, *perm;
	uint64_t seed = 0x5a7e0000 + n, taken = 0;
	uint8_t *seen = calloc(65536, 1);
	int efd[ROUTE_BATCH];
	double t = 0;
	struct vrun r;

	perm = malloc(n * sizeof(*perm));
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	shuffle(perm, n, &seed);
	for (uint32_t i = 0; i < nb; i++)
		efd[i] = -1;

	irqenv_run(ie, 0, OP_SPIN, &r);
	for (uint32_t base = 0; base < count; base += nb) {
		uint32_t cnt = count - base < nb ? count - base : nb, want = 0;
		struct kvm_irq_routing *rt = routing_alloc(cnt);
		uint8_t mark = 1 + base / nb % 255;
		uint64_t s;
		double t0, t1;

		for (uint32_t i = 0; i < cnt; i++) {
			uint32_t e = perm[(base + i) % n], lpi = LPI_OF(e);

			route_msi(rt, i, e / ie->nev, e % ie->nev);
			if (seen[lpi] != mark) {
				seen[lpi] = mark;
				want++;
			}
		}
		/* Routes first: an irqfd takes its GSI's route when assigned. */
		routing_set(vm, rt);
		free(rt);
		for (uint32_t i = 0; i < cnt; i++)
			if (efd[i] < 0)
				efd[i] = irqfd_assign(vm, i);

		s = ie->seq[0];
		t0 = now();
		for (uint32_t i = 0; i < cnt; i++)
			efd_signal(efd[i]);
		/*
		 * Yielding: an irqfd whose translation is not cached injects
		 * from a work item queued on this CPU, which a spinning
		 * thread would hold up (on the debug kernel a spinning wait
		 * saw 24 of 256 LPIs in 20 s).
		 */
		while (ie->seq[0] - s < want && (t1 = now()) - t0 < RATE_WAIT_S)
			sched_yield();
		t1 = now();
		t += t1 - t0;
		taken += ie->seq[0] - s;
		if (ie->seq[0] - s < want) {
			printf("ERROR lpi_irqfd_rate: %lu of %u LPIs taken in %d s (%s)\n",
			       ie->seq[0] - s, want, RATE_WAIT_S, impl);
			failures++;
			break;
		}
	}
	irqenv_stop_wfi0(ie, &r);
	result("lpi_irqfd_rate", n, taken / t, "LPI/s");
	for (uint32_t i = 0; i < nb; i++)
		if (efd[i] >= 0)
			close(efd[i]);
	free(perm);
	free(seen);
	irqenv_free(ie);
}

/* ------------------------------------------------------------------------ */
/* Scale: the largest guest KVM allows                                      */

#define SCALE_SLOT		1
#define SCALE_GPA		0x40000000ULL	/* 1 GiB, above the GIC frames */
#define SCALE_OFF_DT		0x0
#define SCALE_OFF_CT		0x10000
#define SCALE_OFF_PROP		0x20000
#define SCALE_OFF_PEND		0x30000		/* 64K per vCPU */

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	size_t len = strlen(key);
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/* Slab + vmalloc in use, KiB. */
static long kmem_kb(void)
{
	return meminfo_kb("Slab") + meminfo_kb("VmallocUsed");
}

/*
 * @nvcpus vCPUs (created and KVM_ARM_VCPU_INIT'ed; none runs) with one
 * redistributor region for all of them, an ITS, and @nevents mapped
 * events: DeviceID 0 with @bigdev events (2^16 at most: 16 EventID bits),
 * the rest in devices of 1024 events; event g -> LPI_OF(g) on collection
 * g % nvcpus, collection i -> vCPU i. Timed: vCPU creation, vGIC init,
 * RESTORE_TABLES, SAVE_TABLES (must give back what was restored),
 * SAVE_PENDING_TABLES and the VM's destruction; slab + vmalloc after
 * the vCPUs and the vGIC, and after the restore.
 */
static void bench_scale(uint32_t nvcpus, uint32_t nevents, uint32_t bigdev)
{
	uint32_t ndev = 1 + (nevents - bigdev + 1023) / 1024;
	uint64_t itt_off = SCALE_OFF_PEND + (uint64_t)nvcpus * SZ_64K;
	uint64_t itt_size = 8ULL * bigdev + (uint64_t)(ndev - 1) * 8192;
	uint64_t size = (itt_off + itt_size + SZ_64K - 1) & ~(uint64_t)(SZ_64K - 1);
	uint64_t *dt, *ct, addr;
	long m0, m1, m2;
	uint8_t *mem, *saved;
	double t0, t_vcpus, t_init, t_restore, t_save, t_pend, t_free;
	struct kvm_vcpu_init init;
	struct kvm_vm *vm;
	int gic_fd, its_fd, r;
	uint32_t nr_irqs = 992, g = 0;	/* the most SPIs: 960 */

	TEST_ASSERT(bigdev <= nevents && bigdev <= 65536 && nvcpus <= 4096,
		    "scale: bad sizes");
	/* What the previous VM freed through RCU and workqueues is gone. */
	sleep(1);
	m0 = kmem_kb();
	t0 = now();
	vm = vm_create_barebones();
	gic_fd = __kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	TEST_ASSERT(gic_fd >= 0, "KVM_CREATE_DEVICE(VGIC_V3): %s", strerror(errno));
	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	for (uint32_t i = 0; i < nvcpus; i++) {
		struct kvm_vcpu *vcpu = __vm_vcpu_add(vm, i);

		vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
	}
	t_vcpus = now() - t0;

	t0 = now();
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	addr = GICD_BASE_GPA;
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr);
	addr = REDIST_REGION_ATTR_ADDR(nvcpus, GICR_BASE_GPA, 0, 0);
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr);
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	its_fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	addr = GITS_BASE_GPA;
	kvm_device_attr_set(its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &addr);
	kvm_device_attr_set(its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	t_init = now() - t0;
	m1 = kmem_kb();

	/* The tables, written as SAVE_TABLES would write them. */
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, SCALE_GPA,
				    SCALE_SLOT, size / vm->page_size, 0);
	mem = addr_gpa2hva(vm, SCALE_GPA);
	memset(mem + SCALE_OFF_PROP, 0xa0 | LPI_PROP_GROUP1 | LPI_PROP_ENABLED,
	       NR_LPIS);
	for (uint32_t i = 0; i < nvcpus; i++) {
		uint64_t prop = (SCALE_GPA + SCALE_OFF_PROP) | (16 - 1);
		uint64_t pend = SCALE_GPA + SCALE_OFF_PEND + (uint64_t)i * SZ_64K;
		uint32_t v[4] = { prop, prop >> 32, pend, pend >> 32 };

		for (int h = 0; h < 4; h++)
			kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
					    vcpu_mpidr_attr(i) |
					    ((h < 2 ? GICR_PROPBASER : GICR_PENDBASER) +
					     4 * (h % 2)), &v[h]);
	}
	dt = (uint64_t *)(mem + SCALE_OFF_DT);
	ct = (uint64_t *)(mem + SCALE_OFF_CT);
	for (uint32_t i = 0; i < nvcpus; i++)
		ct[i] = mk_cte(i, i);
	for (uint32_t d = 0; d < ndev; d++) {
		uint32_t nev = d ? 1024 : bigdev;
		uint64_t off = itt_off + (d ? 8ULL * bigdev + (d - 1) * 8192ULL : 0);
		uint64_t *ite = (uint64_t *)(mem + off);

		if (d && g + nev > nevents)
			nev = nevents - g;
		dt[d] = mk_dte(d + 1 < ndev, SCALE_GPA + off, ilog2_up(d ? 1024 : bigdev) - 1);
		for (uint32_t ev = 0; ev < nev; ev++, g++)
			ite[ev] = mk_ite(ev + 1 < nev, LPI_OF(g), g % nvcpus);
	}
	its_reg_set(its_fd, GITS_IIDR, its_reg_get(its_fd, GITS_IIDR));
	its_reg_set(its_fd, GITS_BASER, (SCALE_GPA + SCALE_OFF_DT) | GITS_BASER_VALID |
		    GITS_BASER_PAGE_SIZE_64K | GITS_BASER_InnerShareable |
		    GITS_BASER_RaWaWb);
	its_reg_set(its_fd, GITS_BASER + 8, (SCALE_GPA + SCALE_OFF_CT) |
		    GITS_BASER_VALID | GITS_BASER_PAGE_SIZE_64K |
		    GITS_BASER_InnerShareable | GITS_BASER_RaWaWb);
	saved = malloc(itt_size + SZ_128K);
	memcpy(saved, mem + itt_off, itt_size);
	memcpy(saved + itt_size, mem, SZ_128K);	/* DT and CT */

	t0 = now();
	r = __its_restore(its_fd);
	t_restore = now() - t0;
	TEST_ASSERT(!r, "scale: RESTORE_TABLES of %u events on %u vCPUs: %s",
		    nevents, nvcpus, strerror(-r));
	m2 = kmem_kb();
	its_reg_set(its_fd, GITS_CTLR, GITS_CTLR_ENABLE);

	memset(mem, 0, SZ_128K);
	memset(mem + itt_off, 0, itt_size);
	t0 = now();
	r = __its_save(its_fd);
	t_save = now() - t0;
	TEST_ASSERT(!r, "scale: SAVE_TABLES: %s", strerror(-r));
	if (memcmp(saved, mem + itt_off, itt_size) ||
	    memcmp(saved + itt_size + SCALE_OFF_DT, mem + SCALE_OFF_DT, ndev * 8) ||
	    memcmp(saved + itt_size + SCALE_OFF_CT, mem + SCALE_OFF_CT, nvcpus * 8))
		broken("scale: SAVE_TABLES wrote other tables than were restored");
	free(saved);

	t0 = now();
	r = __gic_save_pending(gic_fd);
	t_pend = now() - t0;
	TEST_ASSERT(!r, "scale: SAVE_PENDING_TABLES: %s", strerror(-r));

	t0 = now();
	close(its_fd);
	close(gic_fd);
	kvm_vm_free(vm);
	t_free = now() - t0;

	printf("SCALE %s: %u vCPUs, %u events (%u devices, DeviceID 0 with %u), "
	       "restored and saved back unchanged\n", impl, nvcpus, nevents,
	       ndev, bigdev);
	result("scale_vcpus_create", nvcpus, t_vcpus, "s");
	result("scale_vgic_its_init", nvcpus, t_init, "s");
	if (m0 > 0 && m1 > 0)
		result("scale_kmem_vm", nvcpus, m1 - m0, "KiB");
	result("scale_restore_tables", nevents, t_restore, "s");
	if (m1 > 0 && m2 > 0)
		result("scale_kmem_events", nevents, m2 - m1, "KiB");
	result("scale_save_tables", nevents, t_save, "s");
	result("scale_save_pending", nevents, t_pend, "s");
	result("scale_vm_destroy", nevents, t_free, "s");
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
	       "          [--lat SIZES] [--lat-samples N] [--gcmd-samples N]\n"
	       "          [--lpi-rate SIZES] [--lpi-count N] [--scale | --no-scale]\n"
	       "          [--scale-vcpus N] [--scale-events N] [--scale-dev-events N]\n"
	       "SIZES: comma-separated event counts (k and M suffixes); '' skips.\n"
	       "Defaults: --cmd 1k,4k,16k --cmd-guest 1k,4k,16k\n"
	       "  --msi 1k,4k,16k,64k --tables 1k,16k,256k,1M\n"
	       "  --lat 1k,8k,64k --lat-samples 200 --gcmd-samples 64\n"
	       "  --lpi-rate 1k,4k,16k,64k --lpi-count 2048\n"
	       "  --scale (--scale-vcpus 512 --scale-events 1M --scale-dev-events 64k)\n"
	       "--tiny: --cmd 64 --cmd-guest 64 --msi 256 --tables 256 --lat 256\n"
	       "  --lat-samples 10 --gcmd-samples 4 --lpi-rate 256 --lpi-count 16,\n"
	       "  a scale point of 8 vCPUs and 4k events (DeviceID 0 with 1k), no\n"
	       "  warm-up, --min-work 0.\n"
	       "--no-warmup: no untimed run of every metric at the --tiny sizes first.\n"
	       "--min-work N: sizes below N events are measured N/size times over\n"
	       "  and reported once (default 16384; not the latencies, which take\n"
	       "  --lat-samples samples and report their median, nor --lpi-rate).\n"
	       "--scale-*: the scale point's vCPUs, mapped events, and the events\n"
	       "  of DeviceID 0 (at most 64k).\n",
	       argv0);
}

int main(int argc, char *argv[])
{
	uint32_t cmd[MAX_SIZES], gcmd[MAX_SIZES], msi[MAX_SIZES], tab[MAX_SIZES];
	uint32_t lat[MAX_SIZES], rate[MAX_SIZES];
	int ncmd, ngcmd, nmsi, ntab, nlat, nrate, c;
	bool module, warmup = true, scale = true;
	uint32_t min_work = 16384, lat_samples = 200, gcmd_samples = 64;
	uint32_t lpi_count = 2048;
	uint32_t scale_vcpus = 512, scale_events = 1 << 20, scale_dev = 1 << 16;
	double t0;
	static const struct option opts[] = {
		{ "tiny", no_argument, NULL, 't' },
		{ "no-warmup", no_argument, NULL, 'w' },
		{ "min-work", required_argument, NULL, 'W' },
		{ "cmd", required_argument, NULL, 'c' },
		{ "cmd-guest", required_argument, NULL, 'g' },
		{ "msi", required_argument, NULL, 'm' },
		{ "tables", required_argument, NULL, 's' },
		{ "lat", required_argument, NULL, 'l' },
		{ "lat-samples", required_argument, NULL, 'L' },
		{ "gcmd-samples", required_argument, NULL, 'G' },
		{ "lpi-rate", required_argument, NULL, 'r' },
		{ "lpi-count", required_argument, NULL, 'C' },
		{ "scale", no_argument, NULL, 'S' },
		{ "no-scale", no_argument, NULL, 'N' },
		{ "scale-vcpus", required_argument, NULL, 'V' },
		{ "scale-events", required_argument, NULL, 'E' },
		{ "scale-dev-events", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};

	ncmd = parse_sizes("1k,4k,16k", cmd);
	ngcmd = parse_sizes("1k,4k,16k", gcmd);
	nmsi = parse_sizes("1k,4k,16k,64k", msi);
	ntab = parse_sizes("1k,16k,256k,1M", tab);
	nlat = parse_sizes("1k,8k,64k", lat);
	nrate = parse_sizes("1k,4k,16k,64k", rate);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			cmd[0] = gcmd[0] = TINY_CMDS;
			msi[0] = tab[0] = lat[0] = rate[0] = TINY_EVENTS;
			ncmd = ngcmd = nmsi = ntab = nlat = nrate = 1;
			lat_samples = TINY_LAT_SAMPLES;
			gcmd_samples = TINY_GCMD_SAMPLES;
			lpi_count = TINY_LPI_COUNT;
			scale_vcpus = TINY_SCALE_VCPUS;
			scale_events = TINY_SCALE_EVENTS;
			scale_dev = TINY_SCALE_DEV;
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
		case 'l':
			nlat = parse_sizes(optarg, lat);
			break;
		case 'L':
			lat_samples = strtoul(optarg, NULL, 0);
			break;
		case 'G':
			gcmd_samples = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			nrate = parse_sizes(optarg, rate);
			break;
		case 'C':
			parse_sizes(optarg, &lpi_count);
			break;
		case 'S':
			scale = true;
			break;
		case 'N':
			scale = false;
			break;
		case 'V':
			parse_sizes(optarg, &scale_vcpus);
			break;
		case 'E':
			parse_sizes(optarg, &scale_events);
			break;
		case 'D':
			parse_sizes(optarg, &scale_dev);
			break;
		default:
			usage(argv[0]);
			return c == 'h' ? 0 : 1;
		}
	}

	setbuf(stdout, NULL);
	/* 512 vCPUs, and an eventfd per MSI route. */
	{
		struct rlimit rl = { 65536, 65536 };

		if (setrlimit(RLIMIT_NOFILE, &rl))
			printf("# setrlimit(NOFILE, 65536): %s\n", strerror(errno));
	}
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
		bench_lat(TINY_EVENTS, TINY_LAT_SAMPLES, TINY_GCMD_SAMPLES, module);
		bench_lpi_rate(TINY_EVENTS, TINY_LPI_COUNT);
		if (scale)
			bench_scale(TINY_SCALE_VCPUS, TINY_SCALE_EVENTS, TINY_SCALE_DEV);
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
	for (int i = 0; i < nlat; i++)
		bench_lat(lat[i], lat_samples, gcmd_samples, module);
	for (int i = 0; i < nrate; i++)
		bench_lpi_rate(rate[i], lpi_count);
	if (scale)
		bench_scale(scale_vcpus, scale_events, scale_dev);

	printf("BENCH DONE %s failures %d elapsed %.1f s\n", impl, failures,
	       now() - t0);
	/* One TAP case, so that make check can count a tiny round. */
	printf("1..1\n%sok 1 bench %s\n", failures ? "not " : "", impl);
	return failures ? 1 : 0;
}
