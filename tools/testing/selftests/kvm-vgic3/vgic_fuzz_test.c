// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded random sequences against a vGICv3 device: set/get/has of random
 * group/attr/value (biased towards the encodings that reach deep into the
 * device), each of which must return 0 or a documented errno; and random
 * guest MMIO accesses in the distributor/redistributor frames. Seeds are
 * fixed and printed; VGIC_FUZZ_SEED and VGIC_FUZZ_ITERS override them.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/sizes.h>

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
		if ((r >> 40) % 2) {
			switch (width) {
			case 1: v = *(volatile uint8_t *)(base + off); break;
			case 2: v = *(volatile uint16_t *)(base + off); break;
			case 4: v = *(volatile uint32_t *)(base + off); break;
			default: v = *(volatile uint64_t *)(base + off); break;
			}
		} else {
			/* keep the guest's own LPI/enable state sane: no CTLR writes */
			if (base != GICD_BASE_GPA && off < 4)
				continue;
			switch (width) {
			case 1: *(volatile uint8_t *)(base + off) = v; break;
			case 2: *(volatile uint16_t *)(base + off) = v; break;
			case 4: *(volatile uint32_t *)(base + off) = v; break;
			default: *(volatile uint64_t *)(base + off) = v; break;
			}
		}
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
	for (int c = 0; c < nr_vcpus; c++)
		EXPECT_EQ(c, (redist_rd(v->gic_fd, c, GICR_TYPER) >> 8) & 0xffff);
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

TEST_HARNESS_MAIN
