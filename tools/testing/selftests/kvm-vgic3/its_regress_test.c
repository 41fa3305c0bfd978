// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests, one per bug class of the upstream fix history of the
 * in-kernel ITS (arch/arm64/kvm/vgic/vgic-its.c, since 2017). Each TEST
 * names the class it guards in the comment above it and recalls the
 * upstream fix that defined it; the test drives the device ABI the way the
 * bug was reached (races included), so that the test host's KASAN,
 * lockdep and kmemleak (make check) turn a recurrence into a failure even
 * where the ABI answer would still look right.
 *
 * Every test runs against both implementations (make check runs each
 * selftest with kvm_vgic3.ko and with the in-kernel vgic) and asserts the
 * same answers. MSIs go through KVM_SIGNAL_MSI on both (the module's ITS
 * is found by its doorbell): 1 translated, 0 no translation, -EBUSY ITS or
 * EnableLPIs off.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

/* A second ITS frame, below the first, and its memslot. */
#define ITS2_BASE_GPA	(GITS_BASE_GPA - 2 * SZ_64K)
#define ITS2_MEMSLOT	2
/* A small memslot that comes and goes. */
#define VOLATILE_SLOT	3

static uint64_t xs(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* KVM_SIGNAL_MSI to the ITS of e: 1, 0 or -errno. */
static int msi(struct its_env *e, uint32_t dev, uint32_t ev)
{
	struct kvm_msi m = {
		.flags = KVM_MSI_VALID_DEVID,
		.devid = dev,
		.data = ev,
	};
	uint64_t base;
	int r;

	kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &base);
	m.address_lo = (uint32_t)(base + GITS_TRANSLATER);
	m.address_hi = (base + GITS_TRANSLATER) >> 32;
	r = __vm_ioctl(e->vm, KVM_SIGNAL_MSI, &m);
	return r < 0 ? -errno : r;
}

/* GICR_CTLR.EnableLPIs of one vCPU, through REDIST_REGS. */
static void enable_lpis(struct its_env *e, int vcpu, bool on)
{
	uint32_t v = on ? GICR_CTLR_ENABLE_LPIS : 0;

	kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    (uint64_t)vcpu << 32 | GICR_CTLR, &v);
}

static struct its_env *its2_create(struct its_env *e);

/*
 * An ITS with ndev devices of nev events (its_env_program_std), LPIs
 * enabled; with a second ITS in *b if b is not NULL.
 */
static struct its_env *std_env2(int nr_vcpus, int ndev, int nev, struct its_env **b)
{
	struct its_env *e = its_env_create(nr_vcpus, NULL);

	if (b)
		*b = its2_create(e);
	its_env_setup_its(e);
	its_env_enable_lpis(e);
	its_env_program_std(e, ndev, nev);
	return e;
}

static struct its_env *std_env(int nr_vcpus, int ndev, int nev)
{
	return std_env2(nr_vcpus, ndev, nev, NULL);
}

/*
 * A second ITS in the VM of e, with its own memslot laid out as the first
 * (ITS_OFF_*): returned as an its_env that shares the VM, the vCPUs and the
 * redistributors' tables of e. Free with free() only. Creating an ITS
 * resets the VM's GICR_PROPBASER (vgic_its_create(), and the module does
 * the same): called before EnableLPIs, it programs the LPI tables again.
 */
static struct its_env *its2_create(struct its_env *e)
{
	struct its_env *b = malloc(sizeof(*b));
	uint64_t attr = ITS2_BASE_GPA;

	*b = *e;
	b->mem_gpa = e->mem_gpa - ITS_MEM_SIZE;
	vm_userspace_mem_region_add(e->vm, VM_MEM_SRC_ANONYMOUS, b->mem_gpa,
				    ITS2_MEMSLOT, ITS_MEM_SIZE / e->vm->page_size, 0);
	b->mem = addr_gpa2hva(e->vm, b->mem_gpa);
	memset(b->mem, 0, ITS_MEM_SIZE);
	b->its_fd = kvm_create_device(e->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	kvm_device_attr_set(b->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &attr);
	kvm_device_attr_set(b->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	its_env_setup_its(b);
	its_env_program_lpi_tables(e);
	return b;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A thread that sends KVM_SIGNAL_MSIs over dev < ndev, ev < nev. */
struct sender {
	struct its_env *e;
	pthread_t t;
	int ndev, nev, stop;
	uint64_t seed;
	long n[3];		/* 1, 0, -EBUSY */
	long bad;
	int first_bad;
};

static void *sender_fn(void *arg)
{
	struct sender *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		uint64_t r = xs(&s->seed);
		int ret = msi(s->e, r % s->ndev, (r >> 16) % s->nev);

		if (ret == 1 || ret == 0)
			s->n[!ret]++;
		else if (ret == -EBUSY)
			s->n[2]++;
		else if (!s->bad++)
			s->first_bad = ret;
	}
	return NULL;
}

static void sender_start(struct sender *s, struct its_env *e, int ndev, int nev)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->ndev = ndev;
	s->nev = nev;
	s->seed = 0x5e4de4 ^ (uintptr_t)s;
	TEST_ASSERT(!pthread_create(&s->t, NULL, sender_fn, s), "pthread_create");
}

static long sender_stop(struct sender *s)
{
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->t, NULL);
	if (s->bad)
		printf("# sender: %ld unexpected answers, first %d\n", s->bad, s->first_bad);
	return s->bad;
}

/*
 * Class: the MSI translation cache against DISCARD (CVE-2024-26598,
 * "KVM: arm64: vgic-its: Avoid potential UAF in LPI translation cache"):
 * a cached translation outlived the LPI that DISCARD freed, and a racing
 * MSI took a reference to freed memory. MSIs race MAPTI/DISCARD/INT of
 * the same events; after the race, a DISCARDed event whose translation
 * was cached a moment before no longer translates.
 */
TEST(regress_translation_cache_vs_discard)
{
	struct its_env *e = std_env(2, 2, 4);
	struct sender s;
	uint64_t seed = 0xd15ca4d;
	double t0 = now_s();
	int i;

	sender_start(&s, e, 2, 4);
	for (i = 0; i < 3000 && now_s() - t0 < 10; i++) {
		uint64_t r = xs(&seed);
		uint32_t dev = r % 2, ev = (r >> 8) % 4;

		switch ((r >> 16) % 3) {
		case 0:
			its_send(e, its_cmd_mapti(dev, ev, ITS_LPI(dev * 16 + ev), ev % 2));
			break;
		case 1:
			its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, dev, ev));
			break;
		default:
			its_send(e, its_cmd_dev_ev(GITS_CMD_INT, dev, ev));
			break;
		}
	}
	EXPECT_EQ(0, sender_stop(&s));
	printf("# %d commands; MSIs delivered %ld, untranslated %ld\n", i, s.n[0], s.n[1]);

	its_send(e, its_cmd_mapti(1, 3, ITS_LPI(19), 1));
	EXPECT_EQ(1, msi(e, 1, 3));		/* the translation is cached now */
	EXPECT_EQ(1, msi(e, 1, 3));
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 1, 3));
	EXPECT_EQ(0, msi(e, 1, 3));
	its_env_free(e);
}

/*
 * Class: stale translation-cache entries after an unmapping ("KVM: arm64:
 * vgic-its: Invalidate MSI-LPI translation cache on specific commands",
 * "... on ITS disable", "... on disabling LPIs", "... on vgic teardown",
 * 2019): every command or register write that changes what an MSI
 * translates to must drop the cached translation. Each case warms the
 * cache with one MSI, changes the mapping, and asks again.
 */
TEST(regress_translation_cache_invalidated_by_every_unmapping)
{
	struct its_env *e = std_env(2, 2, 4);

	/* DISCARD */
	EXPECT_EQ(1, msi(e, 0, 0));
	its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 0));
	EXPECT_EQ(0, msi(e, 0, 0));
	/* MAPD V=0 */
	EXPECT_EQ(1, msi(e, 0, 1));
	its_send(e, its_cmd_mapd(0, 0, 0, false));
	EXPECT_EQ(0, msi(e, 0, 1));
	/* MAPD V=1 over a mapped device drops its ITEs */
	EXPECT_EQ(1, msi(e, 1, 1));
	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 1), ITS_NR_EVENT_BITS - 1, true));
	EXPECT_EQ(0, msi(e, 1, 1));
	/* MAPC V=0 of the collection the ITE names */
	its_send(e, its_cmd_mapti(1, 2, ITS_LPI(18), 1));
	EXPECT_EQ(1, msi(e, 1, 2));
	its_send(e, its_cmd_mapc(1, 0, false));
	EXPECT_EQ(0, msi(e, 1, 2));
	its_send(e, its_cmd_mapc(1, 1, true));
	/* GITS_CTLR.Enable cleared */
	its_send(e, its_cmd_mapti(1, 3, ITS_LPI(19), 0));
	EXPECT_EQ(1, msi(e, 1, 3));
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	EXPECT_EQ(-EBUSY, msi(e, 1, 3));
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	EXPECT_EQ(1, msi(e, 1, 3));
	/* CTRL_RESET */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	EXPECT_EQ(-EBUSY, msi(e, 1, 3));
	its_env_setup_its(e);
	EXPECT_EQ(0, msi(e, 1, 3));
	/* EnableLPIs cleared on the target redistributor */
	its_env_program_std(e, 2, 4);
	EXPECT_EQ(1, msi(e, 1, 0));		/* collection 1: vCPU 1 */
	enable_lpis(e, 1, false);
	/* Documentation/differences.rst: the module's answer is 0 */
	EXPECT_EQ(vgic3_module_loaded() ? 0 : -EBUSY, msi(e, 1, 0));
	EXPECT_EQ(1, msi(e, 0, 0));		/* vCPU 0 still takes LPIs */
	its_env_free(e);
}

/*
 * Class: the walk of all LPIs racing their release
 * ("KVM: arm64: vgic-its: Test for valid IRQ in its_sync_lpi_pending_table()",
 * "... in MOVALL handler", 2024; "KVM: arm/arm64: vgic-its: Fix potential
 * overrun in vgic_copy_lpi_list", 2018): setting EnableLPIs (which reads
 * the pending table of every LPI), MOVALL and INVALL walk every LPI of the
 * VM, while another ITS frees and allocates LPIs under its own lock. Two
 * ITSes, so that the walks and the frees really run in parallel.
 */
struct churn2 {
	struct its_env *b;
	pthread_t t;
	int stop;
	long n;
};

static void *churn2_fn(void *arg)
{
	struct churn2 *c = arg;
	uint64_t seed = 0xc4a2;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		uint64_t r = xs(&seed);
		uint32_t dev = r % 4, ev = (r >> 8) % 16;
		struct its_cmd cmds[8];

		/* LPIs 8192+512.. of the second ITS: allocated and freed */
		for (int i = 0; i < 8; i++)
			cmds[i] = (r >> (20 + i)) & 1 ?
				its_cmd_mapti(dev, (ev + i) % 16,
					      ITS_LPI(512 + dev * 16 + (ev + i) % 16), i % 2) :
				its_cmd_dev_ev(GITS_CMD_DISCARD, dev, (ev + i) % 16);
		its_sendv(c->b, cmds, 8);
		if (r % 16 == 0)
			its_send(c->b, its_cmd_mapd(dev, its_itt_gpa(c->b, dev),
						    ITS_NR_EVENT_BITS - 1, true));
		c->n += 8;
	}
	return NULL;
}

TEST(regress_lpi_walks_race_lpi_release)
{
	struct its_env *b, *e = std_env2(2, 4, 16, &b);
	struct churn2 c = { .b = b };
	struct sender s;
	double t0;
	int i;

	/* every LPI pending in both pending tables */
	memset(its_hva(e, ITS_OFF_PEND) + 1024, 0xff, 1024);
	memset(its_hva(e, ITS_OFF_PEND + SZ_64K) + 1024, 0xff, 1024);
	its_env_config_lpis(e, 1024);
	for (i = 0; i < 2; i++)
		its_send(b, its_cmd_mapc(i, i, true));
	for (i = 0; i < 4; i++)
		its_send(b, its_cmd_mapd(i, its_itt_gpa(b, i), ITS_NR_EVENT_BITS - 1, true));

	ASSERT_EQ(0, pthread_create(&c.t, NULL, churn2_fn, &c));
	sender_start(&s, b, 4, 16);
	t0 = now_s();
	for (i = 0; i < 400 && now_s() - t0 < 10; i++) {
		switch (i % 4) {
		case 0:		/* EnableLPIs off and on: the pending table re-read */
			enable_lpis(e, 1, false);
			enable_lpis(e, 1, true);
			break;
		case 1:
			its_send(e, its_cmd_movall(i & 1, !(i & 1)));
			break;
		case 2:
			its_send(e, its_cmd_invall(i % 2));
			break;
		default:
			EXPECT_EQ(0, __gic_save_pending(e->gic_fd));
			break;
		}
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(c.t, NULL);
	EXPECT_EQ(0, sender_stop(&s));
	printf("# %d walks against %ld commands of the other ITS\n", i, c.n);

	/* both ITSes still translate */
	its_send(b, its_cmd_mapti(3, 15, ITS_LPI(600), 1));
	EXPECT_EQ(1, msi(b, 3, 15));
	EXPECT_EQ(1, msi(e, 2, 3));
	free(b);
	its_env_free(e);
}

/*
 * Class: stale entries left in guest memory by unmapping commands, that
 * a later SAVE_TABLES/RESTORE_TABLES brings back ("KVM: arm64: vgic-its:
 * Clear DTE when MAPD unmaps a device", "... Clear ITE when DISCARD frees
 * an ITE", 2024): DISCARD zeroes the ITE and MAPD V=0 the DTE in guest
 * memory at once, and a restore of those tables has neither.
 */
TEST(regress_unmapping_clears_saved_entries)
{
	struct its_env *a = std_env(2, 3, 4), *b;
	struct its_regs r;

	ASSERT_EQ(0, __its_save(a->its_fd));
	ASSERT_NE(0, its_ite(a, 1, 2));
	ASSERT_NE(0, its_dte(a, 2));
	its_send(a, its_cmd_dev_ev(GITS_CMD_DISCARD, 1, 2));
	EXPECT_EQ(0, its_ite(a, 1, 2));
	its_send(a, its_cmd_mapd(2, 0, 0, false));
	EXPECT_EQ(0, its_dte(a, 2));

	/* the tables as they are now, without another save, restored */
	its_regs_save(a->its_fd, &r);
	b = its_env_create(2, NULL);
	memcpy(b->mem, a->mem, ITS_MEM_SIZE);
	its_env_enable_lpis(b);
	ASSERT_EQ(0, its_regs_restore(b->its_fd, &r));
	EXPECT_EQ(0, msi(b, 1, 2));
	EXPECT_EQ(0, msi(b, 2, 0));
	EXPECT_EQ(1, msi(b, 1, 1));
	EXPECT_EQ(1, msi(b, 0, 3));
	its_env_free(b);
	its_env_free(a);
}

/*
 * Class: ITEs and LPIs leaked or left behind by MAPD ("KVM: arm64:
 * vgic-its: Fix memory leak on the error path of vgic_add_lpi()", 2020,
 * and the MAPD unmap/remap paths that free a device's ITEs): devices with
 * full ITTs are remapped and unmapped over and over, MAPTI maps one LPI
 * from two events and maps a mapped event again; kmemleak (make check)
 * sees any ITE, device or vgic_irq that is not freed, and after all of it
 * exactly the last mapping translates.
 */
TEST(regress_mapd_frees_ites_and_lpis)
{
	struct its_env *e = std_env(2, 0, 0);

	for (int round = 0; round < 60; round++) {
		for (int d = 0; d < 4; d++) {
			struct its_cmd c[17];

			c[0] = its_cmd_mapd(d, its_itt_gpa(e, d), ITS_NR_EVENT_BITS - 1, true);
			for (int ev = 0; ev < 16; ev++)
				/* two events per LPI; the same LPIs every round */
				c[1 + ev] = its_cmd_mapti(d, ev, ITS_LPI(d * 8 + ev / 2), ev % 2);
			its_sendv(e, c, 17);
			/* an event mapped again (the ITS ignores it: mapped) */
			its_send(e, its_cmd_mapti(d, 3, ITS_LPI(100), 0));
		}
		if (round % 2)
			for (int d = 0; d < 4; d++)
				its_send(e, its_cmd_mapd(d, 0, 0, false));
	}
	/* round 59 unmapped them all */
	for (int d = 0; d < 4; d++)
		EXPECT_EQ(0, msi(e, d, 0));
	its_send(e, its_cmd_mapd(2, its_itt_gpa(e, 2), ITS_NR_EVENT_BITS - 1, true));
	its_send(e, its_cmd_mapti(2, 5, ITS_LPI(7), 1));
	EXPECT_EQ(1, msi(e, 2, 5));
	EXPECT_EQ(0, msi(e, 2, 4));
	its_env_free(e);
}

/*
 * Class: freeing a collection that ITEs still name (MAPC V=0; the
 * in-kernel ITS clears the ITEs' collection pointers, vgic_its_free_collection):
 * an MSI to such an ITE is not delivered, SAVE_TABLES and MOVALL/INVALL
 * still walk those ITEs, and the VM is torn down with them in place.
 */
TEST(regress_collection_unmapped_under_ites)
{
	struct its_env *e = std_env(2, 2, 8);

	for (int round = 0; round < 20; round++) {
		its_send(e, its_cmd_mapc(1, 0, false));
		EXPECT_EQ(0, msi(e, 0, 1));		/* collection 1 */
		EXPECT_EQ(1, msi(e, 0, 0));		/* collection 0 */
		EXPECT_EQ(0, __its_save(e->its_fd));
		EXPECT_EQ(0, __gic_save_pending(e->gic_fd));
		its_send(e, its_cmd_invall(1));
		its_send(e, its_cmd_movall(1, 0));
		its_send(e, its_cmd_mapc(1, 1, true));
	}
	its_send(e, its_cmd_mapc(1, 0, false));
	its_env_free(e);
}

/*
 * Class: the value RESTORE_TABLES returns when the table scan stops at a
 * last entry ("KVM: arm/arm64: vgic-its: Fix vgic_its_restore_collection_table
 * returned value", "... Fix return value for device table restore", 2017:
 * the scanner's "1, found the last entry" leaked out to userspace): a
 * restore returns exactly 0 for empty tables, for a DTE in the last slot
 * of the table and an ITE in the last slot of its ITT, for a full
 * collection table, and for a DTE whose "next" field is 0 (the last).
 */
TEST(regress_restore_returns_zero_at_table_ends)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t *dt = its_hva(e, ITS_OFF_DT), *ct = its_hva(e, ITS_OFF_CT);
	uint64_t *itt = its_hva(e, ITS_OFF_ITT);
	struct its_regs r;
	int nct = SZ_64K / 8, ndt = 2 * SZ_64K / 8;

	its_env_setup_its(e);
	its_env_enable_lpis(e);
	its_regs_save(e->its_fd, &r);
	r.ctlr = GITS_CTLR_ENABLE;

	/* empty */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	EXPECT_EQ(0, its_regs_restore(e->its_fd, &r));

	/* a full collection table: every entry valid, ICIDs that exist */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	for (int i = 0; i < nct; i++)
		ct[i] = mk_cte(i % 2, i);
	EXPECT_EQ(0, its_regs_restore(e->its_fd, &r));

	/* a DTE in the last slot of the table, with "next" 0; an ITE in the
	 * last slot of its 16-entry ITT */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	memset(ct, 0, SZ_64K);
	ct[0] = mk_cte(0, 0);
	dt[ndt - 1] = mk_dte(0, its_itt_gpa(e, 0), ITS_NR_EVENT_BITS - 1);
	itt[15] = mk_ite(0, ITS_LPI(3), 0);
	EXPECT_EQ(0, its_regs_restore(e->its_fd, &r));
	EXPECT_EQ(1, msi(e, ndt - 1, 15));

	/* a DTE whose "next" (1) lands on an invalid entry, then the last */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	memset(dt, 0, 2 * SZ_64K);
	dt[0] = mk_dte(1, its_itt_gpa(e, 0), ITS_NR_EVENT_BITS - 1);
	dt[1] = 0;
	EXPECT_EQ(0, its_regs_restore(e->its_fd, &r));
	its_env_free(e);
}

/*
 * Class: validating a two-level table's L2 entry by the page instead of
 * the entry ("KVM: arm64: vgic-its: Fix L2 entry validation for indirect
 * tables", 2017): an L2 page in RAM that ends before the 64K page does:
 * DeviceIDs whose DTE lies in RAM map, the others do not, and nothing
 * touches memory outside the memslot.
 */
TEST(regress_l2_entry_validation_indirect)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t *l1 = its_hva(e, ITS_OFF_DT);
	/* 16K of RAM at the start of a 64K page, nothing after it */
	uint64_t l2 = e->mem_gpa - 4 * SZ_64K;
	uint32_t backed = SZ_16K / 8;	/* DTEs in RAM: DeviceIDs 16384.. */

	vm_userspace_mem_region_add(e->vm, VM_MEM_SRC_ANONYMOUS, l2,
				    VOLATILE_SLOT, SZ_16K / e->vm->page_size, 0);
	memset(addr_gpa2hva(e->vm, l2), 0, SZ_16K);
	l1[2] = (1ULL << 63) | l2;	/* L1 entry 2: DeviceIDs 16384..24575 */
	its_env_setup_its_2l(e);
	its_env_enable_lpis(e);
	its_send(e, its_cmd_mapc(0, 0, true));

	for (uint32_t d = 16384; d < 16384 + SZ_64K / 8; d += 1021) {
		bool in_ram = d - 16384 < backed;

		its_send(e, its_cmd_mapd(d, its_itt_gpa(e, d % 32), ITS_NR_EVENT_BITS - 1, true));
		its_send(e, its_cmd_mapti(d, 1, ITS_LPI(d % 256), 0));
		EXPECT_EQ(in_ram, msi(e, d, 1)) TH_LOG("DeviceID %u", d);
	}
	/* the last DTE in RAM, and the first one beyond it */
	its_send(e, its_cmd_mapd(16384 + backed - 1, its_itt_gpa(e, 3), 3, true));
	its_send(e, its_cmd_mapti(16384 + backed - 1, 0, ITS_LPI(300), 0));
	EXPECT_EQ(1, msi(e, 16384 + backed - 1, 0));
	its_send(e, its_cmd_mapd(16384 + backed, its_itt_gpa(e, 4), 3, true));
	its_send(e, its_cmd_mapti(16384 + backed, 0, ITS_LPI(301), 0));
	EXPECT_EQ(0, msi(e, 16384 + backed, 0));
	EXPECT_EQ(0, __its_save(e->its_fd));
	its_env_free(e);
}

/*
 * Class: device and collection caches outliving their table
 * ("KVM: arm/arm64: vgic-its: Free caches when GITS_BASER Valid bit is
 * cleared", 2017): with the ITS disabled, clearing GITS_BASER<n>.Valid
 * drops the devices (BASER0) and the collections (BASER1); enabled again
 * with the same tables, nothing translates until mapped again.
 */
TEST(regress_baser_invalid_drops_mappings)
{
	struct its_env *e = std_env(2, 2, 4);
	uint64_t dt = its_reg_get(e->its_fd, GITS_BASER);
	uint64_t ct = its_reg_get(e->its_fd, GITS_BASER + 8);

	EXPECT_EQ(1, msi(e, 1, 1));
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	its_reg_set(e->its_fd, GITS_BASER, dt & ~GITS_BASER_VALID);
	its_reg_set(e->its_fd, GITS_BASER, dt);
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	EXPECT_EQ(0, msi(e, 1, 1));		/* no device */

	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 1), ITS_NR_EVENT_BITS - 1, true));
	its_send(e, its_cmd_mapti(1, 1, ITS_LPI(17), 1));
	EXPECT_EQ(1, msi(e, 1, 1));
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	its_reg_set(e->its_fd, GITS_BASER + 8, ct & ~GITS_BASER_VALID);
	its_reg_set(e->its_fd, GITS_BASER + 8, ct);
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	EXPECT_EQ(0, msi(e, 1, 1));		/* no collection */
	its_send(e, its_cmd_mapc(1, 1, true));
	its_send(e, its_cmd_mapti(1, 2, ITS_LPI(18), 1));
	EXPECT_EQ(1, msi(e, 1, 2));
	its_env_free(e);
}

/*
 * Class: ABI revision 0 entry validation on restore (the checks of
 * vgic_its_restore_ite/dte/cte and vgic_its_check_id, tightened over
 * 2017-2024: "KVM: arm64: vgic-its: Check the event ID against the
 * device's ITT size", LPI numbers below 8192, DTE/ITE "next" offsets
 * beyond the table, collections and vCPUs that do not exist): each
 * invalid entry fails the whole restore with EINVAL (EFAULT for an ITT
 * outside RAM) and leaves nothing restored.
 */
struct bad_entry {
	const char *name;
	int table;		/* 0 CT, 1 DT, 2 ITT of device 0 */
	int idx;
	uint64_t val;
	int err;
};

TEST(regress_abi_rev0_entry_validation)
{
	struct its_env *a = std_env(2, 1, 2), *b;
	struct its_regs r;
	uint8_t *img = malloc(ITS_MEM_SIZE);
	uint64_t beyond = 1ULL << a->vm->pa_bits;
	const struct bad_entry bad[] = {
		{ "ITE LPI below 8192", 2, 0, mk_ite(0, 8191, 0), -EINVAL },
		{ "ITE collection not in the table", 2, 1, mk_ite(0, ITS_LPI(1), 7), -EINVAL },
		{ "DTE size beyond IDbits", 1, 0, mk_dte(0, its_itt_gpa(a, 0), 20), -EINVAL },
		/* a DTE's "next" beyond the table ends the scan: no error */
		{ "DTE next beyond the table", 1, 0,
		  mk_dte(0x7fff, its_itt_gpa(a, 0), ITS_NR_EVENT_BITS - 1), 0 },
		{ "ITE next beyond the ITT", 2, 1, mk_ite(20, ITS_LPI(1), 1), -EINVAL },
		{ "DTE ITT beyond the IPA space", 1, 0,
		  mk_dte(0, beyond, ITS_NR_EVENT_BITS - 1), -EFAULT },
		{ "CTE target vCPU that does not exist", 0, 0, mk_cte(5, 0), -EINVAL },
		{ "CTE ICID beyond 16 bits of CIDbits", 0, 1, mk_cte(1, 0xffff), -EINVAL },
	};

	ASSERT_EQ(0, __its_save(a->its_fd));
	its_regs_save(a->its_fd, &r);
	memcpy(img, a->mem, ITS_MEM_SIZE);
	b = its_env_create(2, NULL);
	its_env_enable_lpis(b);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t *t;
		int ret;

		ASSERT_EQ(0, __its_reset(b->its_fd));
		memcpy(b->mem, img, ITS_MEM_SIZE);
		t = its_hva(b, bad[i].table == 0 ? ITS_OFF_CT :
			       bad[i].table == 1 ? ITS_OFF_DT : ITS_OFF_ITT);
		t[bad[i].idx] = bad[i].val;
		ret = its_regs_restore(b->its_fd, &r);
		EXPECT_EQ(bad[i].err, ret) TH_LOG("%s", bad[i].name);
		if (!ret)
			continue;
		/* all or nothing: a save right after writes empty tables */
		memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
		memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
		EXPECT_EQ(0, __its_save(b->its_fd));
		for (int off = 0; off < ITS_OFF_PROP; off += 8) {
			if (off >= ITS_OFF_CMDQ && off < ITS_OFF_ITT)
				continue;
			if (*(uint64_t *)(b->mem + off)) {
				EXPECT_EQ(0, *(uint64_t *)(b->mem + off))
					TH_LOG("%s: half restored at 0x%x", bad[i].name, off);
				break;
			}
		}
	}
	/* and the original image still restores */
	ASSERT_EQ(0, __its_reset(b->its_fd));
	memcpy(b->mem, img, ITS_MEM_SIZE);
	EXPECT_EQ(0, its_regs_restore(b->its_fd, &r));
	EXPECT_EQ(1, msi(b, 0, 1));
	its_env_free(b);
	its_env_free(a);
	free(img);
}

/*
 * Class: guest-memory access outside the memslot SRCU read side, and
 * tables whose memory goes away ("KVM: arm/arm64: VGIC/ITS: protect
 * kvm_read_guest() calls with SRCU lock", 2017): ITTs and an L2 device
 * page live in a memslot that a thread deletes and re-creates while the
 * main thread runs commands, SAVE_TABLES, RESTORE_TABLES,
 * SAVE_PENDING_TABLES and EnableLPIs toggles through the attribute API.
 * Lockdep's RCU checks and KASAN see a missing lock or a stale mapping.
 */
struct slot_flipper {
	struct kvm_vm *vm;
	void *host;
	uint64_t gpa;
	pthread_t t;
	int stop;
	long flips;
};

static void *flip_fn(void *arg)
{
	struct slot_flipper *f = arg;
	struct kvm_userspace_memory_region m = {
		.slot = 10, .guest_phys_addr = f->gpa,
		.userspace_addr = (uintptr_t)f->host,
	};

	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		m.memory_size = f->flips % 2 ? 0 : SZ_64K;
		TEST_ASSERT(!__vm_ioctl(f->vm, KVM_SET_USER_MEMORY_REGION, &m),
			    "memslot flip: %d", errno);
		f->flips++;
	}
	m.memory_size = 0;
	__vm_ioctl(f->vm, KVM_SET_USER_MEMORY_REGION, &m);
	return NULL;
}

TEST(regress_tables_in_a_memslot_that_comes_and_goes)
{
	struct its_env *e = its_env_create(2, NULL);
	struct slot_flipper f = { .vm = e->vm };
	uint64_t *l1 = its_hva(e, ITS_OFF_DT), seed = 0x5badc0de;
	struct its_regs r;
	double t0;
	int i, res[2] = {};

	f.gpa = e->mem_gpa - 8 * SZ_64K;
	f.host = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f.host);
	l1[2] = (1ULL << 63) | f.gpa;	/* DeviceIDs 16384.. in the flipping page */
	its_env_setup_its_2l(e);
	its_env_enable_lpis(e);
	its_send(e, its_cmd_mapc(0, 0, true));
	its_send(e, its_cmd_mapc(1, 1, true));
	ASSERT_EQ(0, pthread_create(&f.t, NULL, flip_fn, &f));

	t0 = now_s();
	for (i = 0; i < 600 && now_s() - t0 < 10; i++) {
		uint64_t x = xs(&seed);
		uint32_t d = x % 2 ? 16384 + (x >> 8) % 64 : (x >> 8) % 8;
		/* ITTs of the low devices in the flipping page too */
		uint64_t itt = x % 3 ? its_itt_gpa(e, d % 32) : f.gpa + ((x >> 20) % 16) * 0x1000;
		struct its_cmd c[3] = {
			its_cmd_mapd(d, itt, ITS_NR_EVENT_BITS - 1, true),
			its_cmd_mapti(d, (x >> 30) % 16, ITS_LPI((x >> 40) % 256), x % 2),
			its_cmd_dev_ev(GITS_CMD_INT, d, (x >> 30) % 16),
		};

		its_sendv(e, c, 3);
		switch ((x >> 50) % 5) {
		case 0: {
			int ret = __its_save(e->its_fd);

			EXPECT_TRUE(ret == 0 || ret == -EFAULT) TH_LOG("save %d", ret);
			res[!!ret]++;
			break;
		}
		case 1: {
			int ret;

			its_regs_save(e->its_fd, &r);
			ASSERT_EQ(0, __its_reset(e->its_fd));
			ret = its_regs_restore(e->its_fd, &r);
			EXPECT_TRUE(ret == 0 || ret == -EFAULT || ret == -EINVAL)
				TH_LOG("restore %d", ret);
			if (ret) {
				ASSERT_EQ(0, __its_reset(e->its_fd));
				its_env_setup_its_2l(e);
			}
			its_send(e, its_cmd_mapc(0, 0, true));
			its_send(e, its_cmd_mapc(1, 1, true));
			break;
		}
		case 2:
			EXPECT_EQ(0, __gic_save_pending(e->gic_fd));
			break;
		case 3:
			enable_lpis(e, 0, false);
			enable_lpis(e, 0, true);
			break;
		default:
			msi(e, d, (x >> 30) % 16);
			break;
		}
	}
	__atomic_store_n(&f.stop, 1, __ATOMIC_RELEASE);
	pthread_join(f.t, NULL);
	printf("# %d steps, %ld memslot flips, saves ok %d efault %d\n", i, f.flips,
	       res[0], res[1]);
	munmap(f.host, SZ_64K);
	its_env_free(e);
}

/*
 * Class: LPIs pending on a vCPU when the VM goes away ("KVM: arm64:
 * vgic-v3: Retire all pending LPIs on vcpu destroy", 2020; "KVM: arm/arm64:
 * vgic: Fix kvm_device leak in vgic_its_destroy", 2019): VMs with two ITSes,
 * LPIs made pending by INT and MSIs (their vgic_irq on the vCPUs' lists,
 * the vCPUs never run), the translation caches warm, destroyed with the
 * ITS fds closed first or last. kmemleak sees a vgic_irq, ITS or cache
 * entry that is not freed.
 */
TEST(regress_vm_destroyed_with_pending_lpis)
{
	for (int round = 0; round < 8; round++) {
		struct its_env *b, *e = std_env2(2, 4, 8, &b);

		its_send(b, its_cmd_mapc(0, 1, true));
		its_send(b, its_cmd_mapd(0, its_itt_gpa(b, 0), ITS_NR_EVENT_BITS - 1, true));
		for (int ev = 0; ev < 8; ev++) {
			its_send(b, its_cmd_mapti(0, ev, ITS_LPI(200 + ev), 0));
			EXPECT_EQ(1, msi(b, 0, ev));
			its_send(e, its_cmd_dev_ev(GITS_CMD_INT, ev % 4, ev));
			EXPECT_EQ(1, msi(e, ev % 4, (ev + 1) % 8));
		}
		if (round % 2) {
			close(b->its_fd);
			close(e->its_fd);
			e->its_fd = -1;
		}
		free(b);
		its_env_free(e);
	}
}

TEST_HARNESS_MAIN
