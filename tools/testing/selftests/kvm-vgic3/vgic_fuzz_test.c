// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded random sequences against a vGICv3 device: set/get/has of random
 * group/attr/value (biased towards the encodings that reach deep into the
 * device), each of which must return 0 or a documented errno; random guest
 * MMIO accesses in the distributor/redistributor frames; with an ITS, the
 * LPI registers (EnableLPIs, PROPBASER, PENDBASER, INVLPIR, INVALLR) from
 * the guest and from userspace with tables anywhere; and every attribute
 * group of both devices while a vCPU runs. Seeds are fixed and printed;
 * VGIC_FUZZ_SEED and VGIC_FUZZ_ITERS override them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/sizes.h>
#include <linux/kvm_vgic3.h>

/*
 * Before the harness: its 300 s timeout is for the ITS tests, these keep
 * the harness's 30 s.
 */
#include "common_its.h"
#include "common_snap.h"
#include "kselftest_harness.h"
#include "common_vgic.h"
#include "impl.h"

#define DEFAULT_ITERS	2000

static uint64_t seed_from_env(uint64_t dflt)
{
	const char *s = getenv("VGIC_FUZZ_SEED");

	return s ? strtoull(s, NULL, 0) : dflt;
}

static int iters_from_env(void)
{
	const char *s = getenv("VGIC_FUZZ_ITERS");

	return s ? atoi(s) : DEFAULT_ITERS;
}

static bool documented(int err)
{
	switch (err) {
	case 0: case EINVAL: case ENXIO: case EBUSY: case EEXIST: case E2BIG:
	case ENOENT: case EFAULT: case ENODEV:
		return true;
	}
	return false;
}

static const uint32_t hot_dist[] = {
	GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_TYPER2, GICD_STATUSR,
	GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
	GICD_ICPENDR, GICD_ISACTIVER, GICD_ICACTIVER, GICD_IPRIORITYR,
	GICD_ICFGR, GICD_IGRPMODR, GICD_IROUTER, GICD_PIDR2,
};

static const uint32_t hot_redist[] = {
	GICR_CTLR, GICR_IIDR, GICR_TYPER, GICR_STATUSR, GICR_WAKER,
	GICR_PROPBASER, GICR_PENDBASER, GICR_INVLPIR, GICR_INVALLR, GICR_SYNCR,
	SGI_BASE + GICR_IGROUPR0, SGI_BASE + GICR_ISENABLER0,
	SGI_BASE + GICR_ICENABLER0, SGI_BASE + GICR_ISPENDR0,
	SGI_BASE + GICR_ICPENDR0, SGI_BASE + GICR_ISACTIVER0,
	SGI_BASE + GICR_ICACTIVER0, SGI_BASE + GICR_IPRIORITYR0,
	SGI_BASE + GICR_ICFGR0,
};

static const uint32_t hot_sysregs[] = {
	ICC_PMR, ICC_BPR0, ICC_AP0R(0), ICC_AP0R(1), ICC_AP0R(3), ICC_AP1R(0),
	ICC_AP1R(2), ICC_BPR1, ICC_CTLR, ICC_SRE, ICC_IGRPEN0, ICC_IGRPEN1,
	ICC_SGI1R,
};

#define PICK(r, arr)	((arr)[(r) % ARRAY_SIZE(arr)])

static uint64_t rnd_mpidr(uint64_t *st)
{
	uint64_t r = vgic_rand64(st);

	if (r % 8 == 0)
		return (vgic_rand64(st) & 0xffffffff) << 32;
	return vcpu_mpidr_attr(r % 4);	/* vCPUs 0..1 exist, 2..3 not */
}

static uint64_t rnd_offset(uint64_t *st, const uint32_t *hot, int n, uint32_t span)
{
	uint64_t r = vgic_rand64(st);
	uint32_t off = (r % 4) ? hot[(r >> 8) % n] + 4 * ((r >> 20) % 40)
			       : (r >> 8) % span;

	if ((r >> 40) % 16 == 0)
		off += 1 + (r >> 44) % 3;	/* unaligned */
	return off;
}

static void gen(uint64_t *st, uint32_t *grp, uint64_t *attr, uint64_t *val)
{
	uint64_t r = vgic_rand64(st);

	*val = vgic_rand64(st);
	switch (r % 10) {
	case 0:		/* ADDR */
		*grp = KVM_DEV_ARM_VGIC_GRP_ADDR;
		*attr = (r >> 8) % 8;
		switch ((r >> 16) % 4) {
		case 0: *val = REDIST_REGION_ATTR_ADDR((r >> 20) % 4, (*val & 0xfff0000),
						       0, (r >> 24) % 3); break;
		case 1: *val &= 0xffff0000; break;
		case 2: *val &= 0x3ffffffff000ULL; break;
		}
		break;
	case 1:
		*grp = KVM_DEV_ARM_VGIC_GRP_NR_IRQS;
		*attr = 0;
		*val = (r >> 8) % 4 ? 32 * ((r >> 12) % 40) : (uint32_t)*val;
		break;
	case 2:
		*grp = KVM_DEV_ARM_VGIC_GRP_CTRL;
		*attr = (r >> 8) % 6;
		break;
	case 3: case 4:
		*grp = KVM_DEV_ARM_VGIC_GRP_DIST_REGS;
		*attr = rnd_offset(st, hot_dist, ARRAY_SIZE(hot_dist), SZ_64K);
		if ((r >> 8) % 8 == 0)
			*attr |= rnd_mpidr(st);
		break;
	case 5: case 6:
		*grp = KVM_DEV_ARM_VGIC_GRP_REDIST_REGS;
		*attr = rnd_mpidr(st) |
			rnd_offset(st, hot_redist, ARRAY_SIZE(hot_redist), 2 * SZ_64K);
		break;
	case 7:
		*grp = KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
		*attr = rnd_mpidr(st) | ((r >> 8) % 4 ? PICK(r >> 12, hot_sysregs)
						     : (r >> 12) & 0xffff);
		if ((r >> 30) % 16 == 0)
			*val = 0;	/* e.g. SRE without SRE */
		break;
	case 8:
		*grp = KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO;
		*attr = rnd_mpidr(st) | ((r >> 8) % 8 ? 32 * ((r >> 12) % 33)
						      : (r >> 12) & 0x3fffff);
		if ((r >> 40) % 8 == 0)
			*attr |= (uint64_t)((r >> 44) % 4) << 10;
		break;
	default:	/* any group, any attr */
		*grp = (r >> 8) % 12;
		*attr = vgic_rand64(st);
		break;
	}
}

static void fuzz_attrs(struct __test_metadata *_metadata, struct vgic_vm *v,
		       uint64_t seed, int iters, int init_at)
{
	uint64_t st = seed, buf[2];
	int counts[4] = {};

	TH_LOG("%s: seed 0x%lx, %d iterations", vgic3_impl_name(), seed, iters);
	for (int i = 0; i < iters; i++) {
		uint32_t grp;
		uint64_t attr, val, r = vgic_rand64(&st);
		void *ptr = buf;
		int ret;

		if (i == init_at)
			EXPECT_EQ(0, attr_set(v->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					      KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
		gen(&st, &grp, &attr, &val);
		buf[0] = val;
		buf[1] = 0;
		if (r % 64 == 0)
			ptr = (r >> 8) % 2 ? NULL : (void *)8;
		switch ((r >> 16) % 3) {
		case 0:
			ret = attr_set(v->gic_fd, grp, attr, ptr);
			break;
		case 1:
			ret = attr_get(v->gic_fd, grp, attr, ptr);
			break;
		default:
			ret = attr_has(v->gic_fd, grp, attr);
			break;
		}
		counts[ret == 0 ? 0 : ret == EINVAL ? 1 : ret == ENXIO ? 2 : 3]++;
		EXPECT_TRUE(documented(ret))
			TH_LOG("iter %d: op %lu grp %u attr 0x%lx val 0x%lx: errno %d",
			       i, (r >> 16) % 3, grp, attr, val, ret);
		/* a get never writes beyond the u64 slot */
		EXPECT_EQ(0, buf[1]);
		if (!documented(ret) || buf[1])
			break;
	}
	TH_LOG("%s: 0: %d, EINVAL: %d, ENXIO: %d, other: %d", vgic3_impl_name(),
	       counts[0], counts[1], counts[2], counts[3]);
}

TEST(attr_fuzz_seed_1_init_midway)
{
	struct vgic_vm *v = vgic_vm_create(2, NULL);
	int n = iters_from_env();

	fuzz_attrs(_metadata, v, seed_from_env(0x5eed0001), n, n / 2);
	/* the device still answers */
	EXPECT_EQ(0, dist_read(v->gic_fd, GICD_TYPER, &(uint32_t){0}));
	vgic_vm_free(v);
}

TEST(attr_fuzz_seed_2_initialised)
{
	struct vgic_vm *v = vgic_vm_create(2, NULL);

	vgic_vm_setup(v, 128);
	fuzz_attrs(_metadata, v, seed_from_env(0x5eed0002), iters_from_env(), -1);
	EXPECT_EQ(0, dist_read(v->gic_fd, GICD_TYPER, &(uint32_t){0}));
	vgic_vm_free(v);
}

TEST(attr_fuzz_seed_3_no_vcpus)
{
	struct vgic_vm *v = vgic_vm_create(0, NULL);

	fuzz_attrs(_metadata, v, seed_from_env(0x5eed0003), iters_from_env() / 2, -1);
	vgic_vm_free(v);
}

/* ------------------------------------------------------------ guest MMIO */

/* Guest accesses of 1, 2, 4 or 8 bytes, each one access. */
static void mmio_write(uint64_t addr, int width, uint64_t v)
{
	switch (width) {
	case 1:
		*(volatile uint8_t *)addr = v;
		break;
	case 2:
		*(volatile uint16_t *)addr = v;
		break;
	case 4:
		*(volatile uint32_t *)addr = v;
		break;
	default:
		*(volatile uint64_t *)addr = v;
		break;
	}
}

static uint64_t mmio_read(uint64_t addr, int width)
{
	switch (width) {
	case 1:
		return *(volatile uint8_t *)addr;
	case 2:
		return *(volatile uint16_t *)addr;
	case 4:
		return *(volatile uint32_t *)addr;
	default:
		return *(volatile uint64_t *)addr;
	}
}

static uint64_t guest_seed;
static uint64_t guest_iters;
static uint64_t guest_nr_vcpus;

static void mmio_fuzz_guest(void)
{
	uint64_t st = guest_seed;

	for (uint64_t i = 0; i < guest_iters; i++) {
		uint64_t r = vgic_rand64(&st), v = vgic_rand64(&st);
		int width = 1 << ((r >> 4) % 4);	/* 1, 2, 4, 8 */
		uint64_t base, off;

		if (r % 3 == 0) {
			base = GICD_BASE_GPA;
			off = (r >> 8) % SZ_64K;
			if ((r >> 30) % 2)	/* mostly the registers */
				off %= 0x1000;
		} else {
			base = GICR_BASE_GPA + ((r >> 8) % guest_nr_vcpus) * REDIST_SIZE;
			off = (r >> 12) % (2 * SZ_64K);
			if ((r >> 30) % 2)
				off = ((r >> 31) % 2) * SZ_64K + off % 0x1000;
		}
		off &= ~(uint64_t)(width - 1);
		/* GICR_CTLR too: without an ITS, EnableLPIs stays clear */
		if ((r >> 40) % 2)
			mmio_read(base + off, width);
		else
			mmio_write(base + off, width, v);
	}
	GUEST_DONE();
}

static void fuzz_mmio(struct __test_metadata *_metadata, int nr_vcpus, uint64_t seed)
{
	struct vgic_vm *v = vgic_vm_create(nr_vcpus, mmio_fuzz_guest);
	struct ucall uc;

	vgic_vm_setup(v, 128);
	guest_seed = seed;
	guest_iters = iters_from_env();
	guest_nr_vcpus = nr_vcpus;
	sync_global_to_guest(v->vm, guest_seed);
	sync_global_to_guest(v->vm, guest_iters);
	sync_global_to_guest(v->vm, guest_nr_vcpus);
	TH_LOG("%s: guest MMIO seed 0x%lx, %lu accesses", vgic3_impl_name(),
	       seed, guest_iters);
	vcpu_run(v->vcpus[0]);
	EXPECT_EQ(UCALL_DONE, get_ucall(v->vcpus[0], &uc))
		TH_LOG("exit reason %d", v->vcpus[0]->run->exit_reason);
	/* the device still answers, consistently with the guest's view */
	EXPECT_EQ(0, dist_read(v->gic_fd, GICD_TYPER, &(uint32_t){0}));
	EXPECT_EQ(128 / 32 - 1, dist_rd(v->gic_fd, GICD_TYPER) & 0x1f);
	for (int c = 0; c < nr_vcpus; c++) {
		EXPECT_EQ(c, (redist_rd(v->gic_fd, c, GICR_TYPER) >> 8) & 0xffff);
		EXPECT_EQ(0, redist_rd(v->gic_fd, c, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
	}
	vgic_vm_free(v);
}

TEST(mmio_fuzz_one_vcpu)
{
	fuzz_mmio(_metadata, 1, seed_from_env(0x3a3a0001));
}

TEST(mmio_fuzz_two_vcpus)
{
	fuzz_mmio(_metadata, 2, seed_from_env(0x3a3a0002));
}

/* ----------------------------------------- LPI registers, with an ITS */

/*
 * EnableLPIs reads the pending table in (unless PENDBASER.PTZ), INVLPIR and
 * INVALLR re-read the property table, SAVE_PENDING_TABLES writes pending
 * tables. The tables may be anywhere: the ones its_env programs, other
 * pages of the ITS memslot, a hole in the IPA space, beyond the IPA space,
 * the largest address the field holds. Tables are only ever written inside
 * the ITS memslot, never over the guest's own memory.
 */
#define LPI_NR_ADDRS	8
#define LPI_NR_VCPUS	2
#define LPI_NR_DEVS	4
#define LPI_NR_EVENTS	8
#define LPI_CHUNK	250	/* guest accesses between two host phases */
/* What a write keeps, as both implementations sanitise the registers. */
#define PROPBASER_KEPT	(GENMASK_ULL(51, 12) | GICR_PROPBASER_IDBITS_MASK)
#define PENDBASER_KEPT	GENMASK_ULL(51, 16)

static struct {
	uint64_t seed, iters, nr_vcpus;
	uint64_t addrs[LPI_NR_ADDRS];
} lg;

/* A 64-bit register written as one access or as two 32-bit halves. */
static void mmio_write64(uint64_t addr, uint64_t v, bool halves)
{
	if (!halves) {
		mmio_write(addr, 8, v);
		return;
	}
	mmio_write(addr, 4, (uint32_t)v);
	mmio_write(addr + 4, 4, v >> 32);
}

/* PROPBASER or PENDBASER: a table address, attributes, junk now and then. */
static uint64_t lpi_baser(uint64_t r, uint64_t v, bool pend)
{
	uint64_t val = lg.addrs[r % LPI_NR_ADDRS];

	val |= v & (GENMASK_ULL(11, 7) | GENMASK_ULL(58, 56));
	if (pend)
		val |= (r >> 4) % 2 ? GICR_PENDBASER_PTZ : 0;
	else
		val |= (r >> 4) % 4 ? 16 - 1 : (v >> 32) & GICR_PROPBASER_IDBITS_MASK;
	if ((r >> 8) % 16 == 0)		/* RES0 bits */
		val |= v & (GENMASK_ULL(63, 59) | GENMASK_ULL(55, 52));
	return val;
}

static void lpi_fuzz_guest(void)
{
	uint64_t st = lg.seed;

	for (uint64_t i = 0; i < lg.iters; i++) {
		uint64_t r = vgic_rand64(&st), v = vgic_rand64(&st);
		uint64_t rd = GICR_BASE_GPA + (r % lg.nr_vcpus) * REDIST_SIZE;
		bool halves = (r >> 6) % 2;
		bool on = mmio_read(rd + GICR_CTLR, 4) & GICR_CTLR_ENABLE_LPIS;
		uint64_t val;

		switch ((r >> 8) % 10) {
		case 0: case 1: case 2:
			/* EnableLPIs toggles; RO bits written now and then */
			val = (r >> 16) & 1;
			if ((r >> 17) % 4 == 0)
				val |= v & ~1ULL;
			mmio_write(rd + GICR_CTLR, 4, val);
			/* either way the write has completed: RWP is clear */
			GUEST_ASSERT_EQ(mmio_read(rd + GICR_CTLR, 4) &
					(GICR_CTLR_ENABLE_LPIS | GICR_CTLR_RWP),
					val & GICR_CTLR_ENABLE_LPIS);
			break;
		case 3: case 4:
			val = lpi_baser(r >> 20, v, false);
			mmio_write64(rd + GICR_PROPBASER, val, halves);
			/* with EnableLPIs set the write is UNPREDICTABLE */
			if (!on)
				GUEST_ASSERT_EQ(mmio_read(rd + GICR_PROPBASER, 8) &
						PROPBASER_KEPT, val & PROPBASER_KEPT);
			break;
		case 5: case 6:
			val = lpi_baser(r >> 20, v, true);
			mmio_write64(rd + GICR_PENDBASER, val, halves);
			if (!on)	/* PTZ reads as zero */
				GUEST_ASSERT_EQ(mmio_read(rd + GICR_PENDBASER, 8) &
						(PENDBASER_KEPT | GICR_PENDBASER_PTZ),
						val & PENDBASER_KEPT);
			break;
		case 7:
			/* mapped LPIs mostly, or any INTID; junk in the vPE bits */
			val = (r >> 16) % 4 ? ITS_LPI(v % (16 * LPI_NR_DEVS)) :
					      (uint32_t)v;
			if ((r >> 18) % 4 == 0)
				val |= v & GENMASK_ULL(63, 32);
			mmio_write64(rd + GICR_INVLPIR, val, halves);
			GUEST_ASSERT_EQ(mmio_read(rd + GICR_SYNCR, 4), 0);
			break;
		case 8:
			mmio_write64(rd + GICR_INVALLR, v, halves);
			GUEST_ASSERT_EQ(mmio_read(rd + GICR_SYNCR, 4), 0);
			break;
		default: {
			/* anything in the first 256 bytes of RD_base */
			int width = 1 << ((r >> 16) % 4);
			uint64_t off = ((r >> 20) % 0x100) & ~(uint64_t)(width - 1);

			/*
			 * PENDBASER only ever names the tables above: a
			 * pending table is written (SAVE_PENDING_TABLES).
			 */
			if ((r >> 30) % 2 || (off >= GICR_PENDBASER && off < GICR_PENDBASER + 8))
				mmio_read(rd + off, width);
			else
				mmio_write(rd + off, width, v);
			break;
		}
		}
		if ((i + 1) % LPI_CHUNK == 0)
			GUEST_SYNC(i + 1);
	}
	GUEST_DONE();
}

/* One redistributor register through REDIST_REGS, as two u32 halves. */
static int redist_write64(int fd, int vcpu, uint32_t off, uint64_t val)
{
	return redist_write(fd, vcpu, off, (uint32_t)val) ?:
	       redist_write(fd, vcpu, off + 4, val >> 32);
}

/*
 * Between two chunks of guest accesses: the same registers through
 * REDIST_REGS, ITS commands and an MSI on the mapped LPIs, and the saves.
 */
static void lpi_host_phase(struct __test_metadata *_metadata,
			   struct its_env *e, uint64_t *st)
{
	struct its_cmd c[8];
	int n, ret;

	for (int k = 0; k < 8; k++) {
		uint64_t r = vgic_rand64(st), v = vgic_rand64(st);
		int cpu = r % e->nr_vcpus;
		uint32_t ctlr = (r >> 16) & 1;

		switch ((r >> 8) % 5) {
		case 0: case 1:
			EXPECT_EQ(0, redist_write(e->gic_fd, cpu, GICR_CTLR, ctlr));
			EXPECT_EQ(ctlr, redist_rd(e->gic_fd, cpu, GICR_CTLR) &
					(GICR_CTLR_ENABLE_LPIS | GICR_CTLR_RWP));
			break;
		case 2:
			EXPECT_EQ(0, redist_write64(e->gic_fd, cpu, GICR_PROPBASER,
						    lpi_baser(r >> 20, v, false)));
			break;
		case 3:
			EXPECT_EQ(0, redist_write64(e->gic_fd, cpu, GICR_PENDBASER,
						    lpi_baser(r >> 20, v, true)));
			break;
		default:
			EXPECT_EQ(0, redist_write(e->gic_fd, cpu,
						  (r >> 20) % 2 ? GICR_INVALLR : GICR_INVLPIR,
						  ITS_LPI(v % (16 * LPI_NR_DEVS))));
			break;
		}
	}

	/* commands that only read the tables: no new LPI, nothing discarded */
	n = 1 + vgic_rand64(st) % ARRAY_SIZE(c);
	for (int i = 0; i < n; i++) {
		uint64_t r = vgic_rand64(st);
		uint32_t dev = r % LPI_NR_DEVS, ev = (r >> 8) % LPI_NR_EVENTS;

		switch ((r >> 16) % 6) {
		case 0:
			c[i] = its_cmd_dev_ev(GITS_CMD_INT, dev, ev);
			break;
		case 1:
			c[i] = its_cmd_dev_ev(GITS_CMD_CLEAR, dev, ev);
			break;
		case 2:
			c[i] = its_cmd_dev_ev(GITS_CMD_INV, dev, ev);
			break;
		case 3:
			c[i] = its_cmd_invall((r >> 24) % LPI_NR_VCPUS);
			break;
		case 4:
			c[i] = its_cmd_movi(dev, ev, (r >> 24) % LPI_NR_VCPUS);
			break;
		default:
			c[i] = its_cmd_movall((r >> 24) % 2, (r >> 25) % 2);
			break;
		}
	}
	its_sendv(e, c, n);	/* asserts CREADR == CWRITER */

	ret = its_signal_msi(e, vgic_rand64(st) % LPI_NR_DEVS,
			     vgic_rand64(st) % LPI_NR_EVENTS);
	/* delivered, not translated, or the target's EnableLPIs is clear */
	EXPECT_TRUE(ret == 1 || ret == 0 || ret == -EBUSY) TH_LOG("MSI %d", ret);
	ret = __gic_save_pending(e->gic_fd);
	EXPECT_TRUE(ret == 0 || ret == -EFAULT) TH_LOG("SAVE_PENDING_TABLES %d", ret);
	ret = __its_save(e->its_fd);
	EXPECT_TRUE(ret == 0 || ret == -EFAULT) TH_LOG("SAVE_TABLES %d", ret);
}

/*
 * MSIs from another thread all along, on mapped and unmapped DeviceIDs,
 * while the guest toggles EnableLPIs and moves the tables.
 */
struct msi_thread {
	struct its_env *e;
	uint64_t seed;
	pthread_t thread;
	int stop;
	int nr;
	int bad;	/* an answer other than 1, 0, -EBUSY */
};

static void *msi_thread_fn(void *arg)
{
	struct msi_thread *t = arg;
	uint64_t st = t->seed;

	while (!__atomic_load_n(&t->stop, __ATOMIC_SEQ_CST) && t->nr < 200000) {
		uint64_t r = vgic_rand64(&st);
		int ret = its_signal_msi(t->e, r % (LPI_NR_DEVS + 1),
					 (r >> 8) % LPI_NR_EVENTS);

		if (ret != 1 && ret != 0 && ret != -EBUSY) {
			t->bad = ret;
			break;
		}
		t->nr++;
	}
	return NULL;
}

static void lpi_fuzz_tables(struct its_env *e)
{
	struct userspace_mem_region *ram = memslot2region(e->vm, 0);
	uint64_t hole = (e->mem_gpa / 2) & ~(uint64_t)(SZ_64K - 1);

	TEST_ASSERT(hole > ram->region.guest_phys_addr + ram->region.memory_size &&
		    e->vm->pa_bits < 52, "no hole in the IPA space");
	lg.addrs[0] = its_gpa(e, ITS_OFF_PROP);
	lg.addrs[1] = its_gpa(e, ITS_OFF_PEND);
	lg.addrs[2] = its_gpa(e, ITS_OFF_PEND + SZ_64K);
	lg.addrs[3] = its_gpa(e, ITS_OFF_PEND + 2 * SZ_64K);
	lg.addrs[4] = its_gpa(e, ITS_OFF_SCRATCH);
	lg.addrs[5] = hole;
	lg.addrs[6] = 1ULL << e->vm->pa_bits;
	lg.addrs[7] = GENMASK_ULL(51, 16);
}

static void fuzz_lpis(struct __test_metadata *_metadata, uint64_t seed)
{
	struct its_env *e = its_env_create(LPI_NR_VCPUS, lpi_fuzz_guest);
	uint64_t st = seed ^ 0x4a5a, *pend;
	struct msi_thread msi;
	struct ucall uc;
	bool done = false;
	int phases = 0, ret;

	its_env_setup_its(e);
	/* some pending bits for the LPIs to take when MAPTI creates them */
	for (int c = 0; c < LPI_NR_VCPUS; c++) {
		pend = its_hva(e, ITS_OFF_PEND + c * SZ_64K + ITS_LPI(0) / 8);
		for (int i = 0; i < LPI_NR_DEVS * 2; i++)
			pend[i] = vgic_rand64(&st);
	}
	its_env_program_std(e, LPI_NR_DEVS, LPI_NR_EVENTS);
	its_env_enable_lpis(e);

	lpi_fuzz_tables(e);
	lg.seed = seed;
	lg.iters = iters_from_env();
	lg.nr_vcpus = LPI_NR_VCPUS;
	sync_global_to_guest(e->vm, lg);
	TH_LOG("%s: LPI registers seed 0x%lx, %lu guest accesses",
	       vgic3_impl_name(), seed, lg.iters);

	msi = (struct msi_thread){ .e = e, .seed = seed ^ 0x3151 };
	ASSERT_EQ(0, pthread_create(&msi.thread, NULL, msi_thread_fn, &msi));
	while (!done) {
		vcpu_run(e->vcpus[0]);
		switch (get_ucall(e->vcpus[0], &uc)) {
		case UCALL_SYNC:
			lpi_host_phase(_metadata, e, &st);
			phases++;
			break;
		case UCALL_DONE:
			done = true;
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			ASSERT_TRUE(false) TH_LOG("exit reason %d",
						  e->vcpus[0]->run->exit_reason);
		}
	}
	__atomic_store_n(&msi.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(msi.thread, NULL);
	EXPECT_EQ(0, msi.bad);
	TH_LOG("%d host phases, %d MSIs alongside", phases, msi.nr);

	/* the redistributors still answer, consistently */
	for (int c = 0; c < LPI_NR_VCPUS; c++) {
		uint32_t typer = redist_rd(e->gic_fd, c, GICR_TYPER);

		EXPECT_EQ(c, (typer >> 8) & 0xffff);
		EXPECT_TRUE(typer & GICR_TYPER_PLPIS);
		EXPECT_EQ(0, redist_rd(e->gic_fd, c, GICR_CTLR) & GICR_CTLR_RWP);
	}

	/* and LPIs work again once the tables are where they should be */
	for (int c = 0; c < LPI_NR_VCPUS; c++)
		redist_wr(e->gic_fd, c, GICR_CTLR, 0);
	its_env_program_lpi_tables(e);
	its_env_enable_lpis(e);
	EXPECT_EQ(1, its_signal_msi(e, 0, 0));
	memset(its_hva(e, ITS_OFF_PEND), 0, LPI_NR_VCPUS * SZ_64K);
	ret = __gic_save_pending(e->gic_fd);
	EXPECT_EQ(0, ret);
	/* MOVI and MOVALL may have moved it to either vCPU */
	EXPECT_TRUE(its_lpi_pending_bit(e, 0, ITS_LPI(0)) ||
		    its_lpi_pending_bit(e, 1, ITS_LPI(0)));
	EXPECT_EQ(0, __its_save(e->its_fd));
	its_env_free(e);
}

TEST(lpi_regs_fuzz_guest_and_userspace_with_its)
{
	fuzz_lpis(_metadata, seed_from_env(0x1b150001));
}

/* ------------------------------------------- attributes while a vCPU runs */

#define RUN_ITERS	1500
#define RUN_BUDGET_S	15
#define RUN_NR_DEVS	4	/* mapped DeviceIDs: 0..3 */

/*
 * Every attribute a VMM reads to save a VM, with what each get answered,
 * and the ITS memslot after SAVE_TABLES and SAVE_PENDING_TABLES: the state
 * that attribute calls made while a vCPU runs must leave as it was.
 */
/* What the fuzzers compare: every register's GET (common_snap.h), the memslot. */
struct snapshot {
	struct snap regs;
	uint8_t *mem;
};

static void snapshot_alloc(struct snapshot *s, struct its_env *e)
{
	s->mem = malloc(ITS_MEM_SIZE);
	TEST_ASSERT(s->mem, "malloc");
}

static void snap_regs(struct snap *s, struct its_env *e)
{
	static const uint64_t its_regs[] = { GITS_CTLR, GITS_IIDR, GITS_TYPER,
		GITS_CBASER, GITS_CWRITER, GITS_CREADR };
	int g = e->gic_fd, i_fd = e->its_fd;

	snap_clear(s);
	for (uint32_t off = 0; off < 0x1000; off += 4)
		snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off);
	for (uint32_t off = GICD_IROUTER + 32 * 8; off < GICD_IROUTER + 64 * 8; off += 4)
		snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off);
	for (int c = 0; c < e->nr_vcpus; c++) {
		uint64_t mp = vcpu_mpidr_attr(c);

		for (uint32_t off = 0; off < 0x100; off += 4)
			snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, mp | off);
		for (uint32_t off = SGI_BASE; off < SGI_BASE + 0x1000; off += 4)
			snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, mp | off);
		for (int i = 0; i < ARRAY_SIZE(hot_sysregs); i++)
			snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				   mp | hot_sysregs[i]);
		for (uint32_t intid = 0; intid < 64; intid += 32)
			snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				   level_attr(c, VGIC_LEVEL_INFO_LINE_LEVEL, intid));
	}
	snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0);
	snap_probe(s, g, SNAP_GIC, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST);
	for (int i = 0; i < ARRAY_SIZE(its_regs); i++)
		snap_probe(s, i_fd, SNAP_ITS, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, its_regs[i]);
	for (int i = 0; i < 8; i++)
		snap_probe(s, i_fd, SNAP_ITS, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_BASER + 8 * i);
	snap_probe(s, i_fd, SNAP_ITS, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE);
	/* the module's counters (commands, errors, MSIs); -ENXIO in-kernel */
	for (int i = 0; i < 4; i++)
		snap_probe(s, i_fd, SNAP_ITS, KVM_DEV_ARM_VGIC3_GRP_INFO, i);
}

static void snap_take(struct __test_metadata *_metadata, struct snapshot *s,
		      struct its_env *e)
{
	snap_regs(&s->regs, e);
	ASSERT_EQ(0, __its_save(e->its_fd));
	ASSERT_EQ(0, __gic_save_pending(e->gic_fd));
	memcpy(s->mem, e->mem, ITS_MEM_SIZE);
}

/* The state is what @before saw. @after is taken here. */
static void snap_expect_same(struct __test_metadata *_metadata,
			     struct snapshot *before, struct snapshot *after,
			     struct its_env *e)
{
	int diffs = 0;

	snap_take(_metadata, after, e);
	ASSERT_EQ(before->regs.n, after->regs.n);
	for (int i = 0; i < before->regs.n; i++) {
		const struct snap_ent *b = &before->regs.e[i], *a = &after->regs.e[i];

		if (b->err == a->err && b->val == a->val)
			continue;
		if (diffs++ < 8)
			TH_LOG("changed: grp %u attr 0x%lx: %d/0x%lx -> %d/0x%lx",
			       b->grp, b->attr, b->err, b->val, a->err, a->val);
	}
	EXPECT_EQ(0, diffs);
	for (int i = 0; i < ITS_MEM_SIZE; i++) {
		if (before->mem[i] != after->mem[i]) {
			EXPECT_EQ(before->mem[i], after->mem[i])
				TH_LOG("ITS memslot byte 0x%x", i);
			break;
		}
	}
}

static void snapshot_free(struct snapshot *s)
{
	snap_free(&s->regs);
	free(s->mem);
}

/* Does the MPIDR field of a per-vCPU attribute name one of @nr vCPUs? */
static bool names_vcpu(uint64_t attr, int nr)
{
	for (int c = 0; c < nr; c++)
		if ((attr & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) == vcpu_mpidr_attr(c))
			return true;
	return false;
}

/*
 * What a set or get of the vGICv3 may answer while a vCPU runs. Register
 * state needs every vCPU: EBUSY, unless the vCPU named does not exist
 * (EINVAL) or the pointer is bad (EFAULT; with a bad pointer the order of
 * the checks differs, differences.rst). Configuration that is already
 * fixed answers as it always does: only INIT (again) and a new
 * redistributor region may succeed.
 */
static bool gic_running_ok(uint32_t grp, uint64_t attr, bool set, bool ptr_ok,
			   int nr_vcpus, int ret)
{
	switch (grp) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		if (!ptr_ok)
			return ret == EBUSY || ret == EFAULT || ret == EINVAL;
		if (grp != KVM_DEV_ARM_VGIC_GRP_DIST_REGS && !names_vcpu(attr, nr_vcpus))
			return ret == EINVAL;
		return ret == EBUSY;
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (set && attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION)
			return documented(ret);
		return documented(ret) && (!set || ret);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return set ? ret == EBUSY || ret == EINVAL || ret == EFAULT :
			     ret == 0 || ret == EFAULT;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (!set)
			return ret == ENXIO;
		if (attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
			return ret == 0;
		if (attr == KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
			return ret == EBUSY;
		return ret == ENXIO;
	}
	return documented(ret) && (!set || ret);
}

static const uint64_t hot_its_regs[] = {
	GITS_CTLR, GITS_IIDR, GITS_TYPER, GITS_CBASER, GITS_CWRITER,
	GITS_CREADR, GITS_BASER, GITS_BASER + 8, GITS_BASER + 16, GITS_PIDR2,
};

/* A random attribute of the ITS device, none of which translates an MSI. */
static void gen_its(uint64_t *st, uint32_t *grp, uint64_t *attr, uint64_t *val)
{
	uint64_t r = vgic_rand64(st);

	*val = vgic_rand64(st);
	switch (r % 10) {
	case 0:
		*grp = KVM_DEV_ARM_VGIC_GRP_ADDR;
		*attr = (r >> 8) % 2 ? KVM_VGIC_ITS_ADDR_TYPE : (r >> 12) % 8;
		*val &= 0xfff0000;
		break;
	case 1:
		*grp = KVM_DEV_ARM_VGIC_GRP_CTRL;
		*attr = (r >> 8) % 8;	/* INIT, SAVE, RESTORE, RESET and more */
		break;
	case 2: case 3: case 4:
		*grp = KVM_DEV_ARM_VGIC_GRP_ITS_REGS;
		*attr = (r >> 8) % 4 ? PICK(r >> 12, hot_its_regs) : (r >> 12) % SZ_64K;
		if ((r >> 40) % 8 == 0)
			*attr += 4;
		break;
	case 5:
		*grp = KVM_DEV_ARM_VGIC3_GRP_INFO;
		*attr = (r >> 8) % 6;
		break;
	case 6:
		/* the module's MSIs: DeviceIDs that are not mapped, or too big */
		*grp = KVM_DEV_ARM_VGIC3_GRP_MSI;
		*attr = (r >> 8) % 2 ? RUN_NR_DEVS + (r >> 12) % 0x1000 :
				       (r >> 12) & 0xffffffff;
		if ((r >> 44) % 2)
			*val &= 0xffff;
		break;
	default:
		*grp = (r >> 8) % 2 ? (r >> 12) % 12 : 0x7630 + (r >> 12) % 8;
		*attr = vgic_rand64(st);
		break;
	}
}

/*
 * The ITS while a vCPU runs: its registers and its tables (CTRL) need
 * every vCPU (EBUSY); INIT is a no-op; the address is set already; the
 * module's INFO and MSI groups take no vCPU lock (its MSIs here find no
 * translation). The in-kernel ITS knows neither group (ENXIO).
 */
static bool its_running_ok(uint32_t grp, uint64_t attr, uint64_t val, bool set,
			   bool ptr_ok, int ret)
{
	switch (grp) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr != KVM_VGIC_ITS_ADDR_TYPE)
			return ret == ENODEV;
		if (!ptr_ok)
			return ret == EFAULT;
		return set ? ret == EEXIST : ret == 0;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (!set)
			return ret == ENXIO;
		return ret == (attr == KVM_DEV_ARM_VGIC_CTRL_INIT ? 0 : EBUSY);
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		if (attr & ((attr < GITS_TYPER || attr >= GITS_PIDR4) ? 3 : 7))
			return ret == EINVAL || (set && !ptr_ok && ret == EFAULT);
		if (!ptr_ok && set)
			return ret == EFAULT;
		return ret == EBUSY;
	case KVM_DEV_ARM_VGIC3_GRP_MSI:
		if (!vgic3_module_loaded() || !set)
			return ret == ENXIO;
		if (attr > 0xffff)
			return ret == ENXIO;
		if (!ptr_ok)
			return ret == EFAULT;
		return ret == (val > 0xffffffff ? EINVAL : ENOENT);
	}
	return documented(ret) && (!set || ret || grp == KVM_DEV_ARM_VGIC3_GRP_INFO);
}

static void fuzz_while_running(struct __test_metadata *_metadata,
			       struct its_env *e, uint64_t *st, int *counts)
{
	struct timespec t0, t;
	uint64_t buf[2];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < RUN_ITERS; i++) {
		uint64_t r = vgic_rand64(st), attr, val;
		bool on_its = (r >> 4) % 10 < 3;
		bool set = (r >> 16) % 3 == 0, has = (r >> 16) % 3 == 2;
		int fd = on_its ? e->its_fd : e->gic_fd;
		void *ptr = buf;
		uint32_t grp;
		bool ok;
		int ret;

		if (on_its)
			gen_its(st, &grp, &attr, &val);
		else
			gen(st, &grp, &attr, &val);
		buf[0] = val;
		buf[1] = 0;
		if (r % 32 == 0)
			ptr = (r >> 8) % 2 ? NULL : (void *)8;
		if (has) {
			ret = attr_has(fd, grp, attr);
			ok = documented(ret);
		} else {
			ret = set ? attr_set(fd, grp, attr, ptr) : attr_get(fd, grp, attr, ptr);
			ok = on_its ? its_running_ok(grp, attr, val, set, ptr == buf, ret) :
				      gic_running_ok(grp, attr, set, ptr == buf,
						     e->nr_vcpus, ret);
		}
		counts[ret == 0 ? 0 : ret == EBUSY ? 1 : 2]++;
		ASSERT_TRUE(ok)
			TH_LOG("iter %d: %s %s grp 0x%x attr 0x%lx val 0x%lx ptr %p: errno %d",
			       i, on_its ? "ITS" : "vGICv3",
			       has ? "has" : set ? "set" : "get", grp, attr, val,
			       ptr, ret);
		ASSERT_EQ(0, buf[1]);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > RUN_BUDGET_S) {
			TH_LOG("time budget spent after %d calls", i + 1);
			break;
		}
	}
}

TEST(attr_fuzz_every_group_while_a_vcpu_runs)
{
	struct its_env *e = its_env_create(2, spin_guest_code);
	struct vgic_vm w = { .vm = e->vm, .nr_vcpus = e->nr_vcpus,
			     .gic_fd = e->gic_fd };
	struct snapshot before = {}, after = {};
	uint64_t st = seed_from_env(0x2b5e0001);
	struct spinner s;

	memcpy(w.vcpus, e->vcpus, sizeof(e->vcpus));
	its_env_setup_its(e);
	its_env_program_std(e, RUN_NR_DEVS, 4);
	its_env_enable_lpis(e);
	for (int d = 0; d < RUN_NR_DEVS; d++)
		EXPECT_EQ(1, its_signal_msi(e, d, d % 4));
	/* some distributor state, pending SPIs among it */
	dist_wr(e->gic_fd, GICD_ISENABLER + 4, 0xf0f0f0f0);
	dist_wr(e->gic_fd, GICD_ISPENDR + 4, 0x00ff00ff);
	dist_wr(e->gic_fd, GICD_IPRIORITYR + 40, 0x40302010);
	/*
	 * A vCPU's first run clamps ICC_BPR0/1 to the host's minimum (the
	 * in-kernel vgic goes through ICH_VMCR_EL2): start above it.
	 */
	for (int c = 0; c < e->nr_vcpus; c++) {
		icc_wr(e->gic_fd, c, ICC_BPR0, 3);
		icc_wr(e->gic_fd, c, ICC_BPR1, 4);
	}
	snapshot_alloc(&before, e);
	snapshot_alloc(&after, e);
	snap_take(_metadata, &before, e);

	/* vCPU 1 runs, then vCPU 0: each can run its spinner once */
	for (int idx = 1; idx >= 0; idx--) {
		int counts[3] = {};

		TH_LOG("%s: vCPU %d runs, seed 0x%lx, %d calls", vgic3_impl_name(),
		       idx, st, RUN_ITERS);
		spinner_start(&s, &w, idx);
		fuzz_while_running(_metadata, e, &st, counts);
		/* it ran all along: the answers above were for a running vCPU */
		EXPECT_FALSE(__atomic_load_n(&s.finished, __ATOMIC_SEQ_CST));
		EXPECT_EQ(UCALL_DONE, spinner_stop(&s));
		EXPECT_EQ(0, s.run_ret);
		TH_LOG("0: %d, EBUSY: %d, other: %d", counts[0], counts[1], counts[2]);
		snap_expect_same(_metadata, &before, &after, e);
	}
	snapshot_free(&before);
	snapshot_free(&after);
	its_env_free(e);
}

TEST_HARNESS_MAIN
