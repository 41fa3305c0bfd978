// SPDX-License-Identifier: GPL-2.0
/*
 * The call sequences of the VMMs users run (QEMU, Firecracker,
 * cloud-hypervisor, crosvm, kvmtool; see vmm-sequences.md): create VM A in
 * that VMM's order, give it non-trivial vGIC state, save it with that VMM's
 * GETs, create VM B in the same order, restore with that VMM's SETs, and
 * compare every saved register of A and B. Plus the field bugs that are
 * properties of the ABI.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sizes.h>

#include "kselftest_harness.h"
#include "common_vgic.h"
#include "impl.h"
#include "common_snap.h"


#define GITS_CTLR_OFF	0x0
#define GITS_IIDR_OFF	0x4
#define GITS_CBASER_OFF	0x80
#define GITS_CWRITER_OFF 0x88
#define GITS_CREADR_OFF	0x90
#define GITS_BASER_OFF(n) (0x100 + 8 * (n))

#define NR_VCPUS	2

/* ------------------------------------------------------------- snapshots */

struct sys {
	struct vgic_vm *v;
	int its_fd;
	uint32_t nr_irqs;
	bool plpis;
};

static int sys_fd(struct sys *s, int idx)
{
	return idx ? s->its_fd : s->v->gic_fd;
}

/* GET one register and append it to the snapshot (a VMM aborts on error) */
static void save(struct sys *s, struct snap *sn, int fd_idx, uint32_t grp,
		 uint64_t attr)
{
	snap_get(sn, sys_fd(s, fd_idx), fd_idx, grp, attr);
}

static const struct snap_ent *find(struct snap *sn, int fd_idx, uint32_t grp,
				   uint64_t attr)
{
	return snap_find(sn, fd_idx, grp, attr);
}

/* SET one saved register (a VMM aborts on error, so do we) */
static void put_val(struct sys *s, struct snap *sn, int fd_idx, uint32_t grp,
		    uint64_t attr, uint64_t val)
{
	int r = snap_set(sys_fd(s, fd_idx), grp, attr, val);

	(void)sn;
	TEST_ASSERT(!r, "%s restore: SET grp %u attr 0x%lx = 0x%lx: %s",
		    vgic3_impl_name(), grp, attr, val, strerror(r));
}

static void put(struct sys *s, struct snap *sn, int fd_idx, uint32_t grp, uint64_t attr)
{
	put_val(s, sn, fd_idx, grp, attr, find(sn, fd_idx, grp, attr)->val);
}

/* Write the clear register with ~0 (QEMU writes ~value; B is fresh) then the
 * set register with the saved value. */
static void put_clear_set(struct sys *s, struct snap *sn, uint32_t grp,
			  uint64_t mpidr, uint32_t set_off, uint32_t clr_off)
{
	uint64_t val = find(sn, 0, grp, mpidr | set_off)->val;

	put_val(s, sn, 0, grp, mpidr | clr_off, (uint32_t)~val);
	put_val(s, sn, 0, grp, mpidr | set_off, val);
}

static int snap_compare(struct __test_metadata *_metadata, struct snap *a,
			struct snap *b)
{
	int diffs = 0;

	EXPECT_EQ(a->n, b->n);
	for (int i = 0; i < a->n && i < b->n; i++) {
		EXPECT_EQ(a->e[i].attr, b->e[i].attr);
		if (a->e[i].val != b->e[i].val) {
			if (diffs++ < 20)
				TH_LOG("%s: grp %u attr 0x%lx: A 0x%lx B 0x%lx",
				       vgic3_impl_name(), a->e[i].grp, a->e[i].attr,
				       a->e[i].val, b->e[i].val);
		}
	}
	return diffs;
}

/* ------------------------------------------------------ register catalogue */

#define ICC_REGS_N 15
static const uint32_t icc_order[ICC_REGS_N] = {
	ICC_SRE, ICC_CTLR, ICC_IGRPEN0, ICC_IGRPEN1, ICC_PMR, ICC_BPR0, ICC_BPR1,
	ICC_AP0R(0), ICC_AP0R(1), ICC_AP0R(2), ICC_AP0R(3),
	ICC_AP1R(0), ICC_AP1R(1), ICC_AP1R(2), ICC_AP1R(3),
};

static int nr_apr(struct sys *s)
{
	return icc_nr_apr(icc_rd(s->v->gic_fd, 0, ICC_CTLR));
}

/* AP0R<n>/AP1R<n> exist only for n below the number of APRs. */
static bool icc_reg_exists(uint32_t r, int apr)
{
	bool is_apr = (r & ~3) == (ICC_AP0R(0) & ~3) ||
		      (r & ~3) == (ICC_AP1R(0) & ~3);

	return !is_apr || (r & 3) < apr;
}

static void save_icc(struct sys *s, struct snap *sn, int cpu)
{
	int apr = nr_apr(s);

	for (int i = 0; i < ICC_REGS_N; i++) {
		if (icc_reg_exists(icc_order[i], apr))
			save(s, sn, 0, GRP_SYSREGS,
			     vcpu_mpidr_attr(cpu) | icc_order[i]);
	}
}

static void put_icc(struct sys *s, struct snap *sn, int cpu)
{
	int apr = nr_apr(s);

	for (int i = 0; i < ICC_REGS_N; i++) {
		if (icc_reg_exists(icc_order[i], apr))
			put(s, sn, 0, GRP_SYSREGS,
			    vcpu_mpidr_attr(cpu) | icc_order[i]);
	}
}

/* QEMU's GICD list (kvm_arm_gicv3_get) */
static void save_dist(struct sys *s, struct snap *sn, bool with_ctlr)
{
	uint32_t n = s->nr_irqs;

	if (with_ctlr)
		save(s, sn, 0, GRP_DIST, GICD_CTLR);
	save(s, sn, 0, GRP_DIST, GICD_STATUSR);
	for (uint32_t i = 32; i < n; i += 32)
		save(s, sn, 0, GRP_DIST, GICD_IGROUPR + i / 8);
	for (uint32_t i = 32; i < n; i += 32)
		save(s, sn, 0, GRP_DIST, GICD_ISENABLER + i / 8);
	for (uint32_t i = 32; i < n; i += 32)
		save(s, sn, 0, GRP_LEVEL, level_attr(0, 0, i));
	for (uint32_t i = 32; i < n; i += 32)
		save(s, sn, 0, GRP_DIST, GICD_ISPENDR + i / 8);
	for (uint32_t i = 32; i < n; i += 32)
		save(s, sn, 0, GRP_DIST, GICD_ISACTIVER + i / 8);
	for (uint32_t i = 32; i < n; i += 16)
		save(s, sn, 0, GRP_DIST, GICD_ICFGR + i / 4);
	for (uint32_t i = 32; i < n; i += 4)
		save(s, sn, 0, GRP_DIST, GICD_IPRIORITYR + i);
	for (uint32_t i = 32; i < n; i++) {
		save(s, sn, 0, GRP_DIST, GICD_IROUTER + 8 * i);
		save(s, sn, 0, GRP_DIST, GICD_IROUTER + 8 * i + 4);
	}
}

static void put_dist(struct sys *s, struct snap *sn, bool with_ctlr)
{
	uint32_t n = s->nr_irqs;

	if (with_ctlr)
		put(s, sn, 0, GRP_DIST, GICD_CTLR);
	put(s, sn, 0, GRP_DIST, GICD_STATUSR);
	for (uint32_t i = 32; i < n; i += 32)
		put(s, sn, 0, GRP_DIST, GICD_IGROUPR + i / 8);
	for (uint32_t i = 32; i < n; i += 32)
		put_clear_set(s, sn, GRP_DIST, 0, GICD_ISENABLER + i / 8,
			      GICD_ICENABLER + i / 8);
	/* edge/level before the line levels and the pending latches */
	for (uint32_t i = 32; i < n; i += 16)
		put(s, sn, 0, GRP_DIST, GICD_ICFGR + i / 4);
	for (uint32_t i = 32; i < n; i += 32)
		put(s, sn, 0, GRP_LEVEL, level_attr(0, 0, i));
	for (uint32_t i = 32; i < n; i += 32)
		put_clear_set(s, sn, GRP_DIST, 0, GICD_ISPENDR + i / 8,
			      GICD_ICPENDR + i / 8);
	for (uint32_t i = 32; i < n; i += 32)
		put_clear_set(s, sn, GRP_DIST, 0, GICD_ISACTIVER + i / 8,
			      GICD_ICACTIVER + i / 8);
	for (uint32_t i = 32; i < n; i += 4)
		put(s, sn, 0, GRP_DIST, GICD_IPRIORITYR + i);
	for (uint32_t i = 32; i < n; i++) {
		put(s, sn, 0, GRP_DIST, GICD_IROUTER + 8 * i);
		put(s, sn, 0, GRP_DIST, GICD_IROUTER + 8 * i + 4);
	}
}

static void save_redist(struct sys *s, struct snap *sn, int cpu)
{
	uint64_t m = vcpu_mpidr_attr(cpu);

	save(s, sn, 0, GRP_REDIST, m | GICR_CTLR);
	save(s, sn, 0, GRP_REDIST, m | GICR_STATUSR);
	save(s, sn, 0, GRP_REDIST, m | GICR_WAKER);
	save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_IGROUPR0));
	save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_ISENABLER0));
	save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_ICFGR0 + 4));
	save(s, sn, 0, GRP_LEVEL, level_attr(cpu, 0, 0));
	save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_ISPENDR0));
	save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_ISACTIVER0));
	for (int i = 0; i < 8; i++)
		save(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_IPRIORITYR0 + 4 * i));
	if (s->plpis) {
		for (int h = 0; h < 8; h += 4) {
			save(s, sn, 0, GRP_REDIST, m | (GICR_PROPBASER + h));
			save(s, sn, 0, GRP_REDIST, m | (GICR_PENDBASER + h));
		}
	}
}

/* QEMU/Firecracker order: bases before GICR_CTLR; clear before set */
static void put_redist(struct sys *s, struct snap *sn, int cpu, bool ctlr_last)
{
	uint64_t m = vcpu_mpidr_attr(cpu);

	if (s->plpis) {
		for (int h = 0; h < 8; h += 4) {
			put(s, sn, 0, GRP_REDIST, m | (GICR_PROPBASER + h));
			put(s, sn, 0, GRP_REDIST, m | (GICR_PENDBASER + h));
		}
	}
	if (!ctlr_last)
		put(s, sn, 0, GRP_REDIST, m | GICR_CTLR);
	put(s, sn, 0, GRP_REDIST, m | GICR_STATUSR);
	put(s, sn, 0, GRP_REDIST, m | GICR_WAKER);
	put(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_IGROUPR0));
	put_clear_set(s, sn, GRP_REDIST, m, SGI_BASE + GICR_ISENABLER0,
		      SGI_BASE + GICR_ICENABLER0);
	put(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_ICFGR0 + 4));
	put(s, sn, 0, GRP_LEVEL, level_attr(cpu, 0, 0));
	put_clear_set(s, sn, GRP_REDIST, m, SGI_BASE + GICR_ISPENDR0,
		      SGI_BASE + GICR_ICPENDR0);
	put_clear_set(s, sn, GRP_REDIST, m, SGI_BASE + GICR_ISACTIVER0,
		      SGI_BASE + GICR_ICACTIVER0);
	for (int i = 0; i < 8; i++)
		put(s, sn, 0, GRP_REDIST, m | (SGI_BASE + GICR_IPRIORITYR0 + 4 * i));
	if (ctlr_last)
		put(s, sn, 0, GRP_REDIST, m | GICR_CTLR);
}

static const uint32_t its_save_order[] = {
	GITS_BASER_OFF(0), GITS_BASER_OFF(1), GITS_BASER_OFF(2),
	GITS_BASER_OFF(3), GITS_BASER_OFF(4), GITS_BASER_OFF(5),
	GITS_BASER_OFF(6), GITS_BASER_OFF(7), GITS_CTLR_OFF, GITS_CBASER_OFF,
	GITS_CREADR_OFF, GITS_CWRITER_OFF, GITS_IIDR_OFF,
};

static void save_its(struct sys *s, struct snap *sn)
{
	for (int i = 0; i < ARRAY_SIZE(its_save_order); i++)
		save(s, sn, 1, GRP_ITS, its_save_order[i]);
}

static void put_its(struct sys *s, struct snap *sn)
{
	put(s, sn, 1, GRP_ITS, GITS_IIDR_OFF);
	put(s, sn, 1, GRP_ITS, GITS_CBASER_OFF);
	put(s, sn, 1, GRP_ITS, GITS_CREADR_OFF);
	put(s, sn, 1, GRP_ITS, GITS_CWRITER_OFF);
	for (int i = 0; i < 8; i++)
		put(s, sn, 1, GRP_ITS, GITS_BASER_OFF(i));
	TEST_ASSERT(!attr_set(s->its_fd, GRP_CTRL, KVM_DEV_ARM_ITS_RESTORE_TABLES, NULL),
		    "ITS RESTORE_TABLES");
	put(s, sn, 1, GRP_ITS, GITS_CTLR_OFF);
}

/* ------------------------------------------------------------ the state */

static void populate(struct sys *s)
{
	int fd = s->v->gic_fd;
	uint32_t n = s->nr_irqs;

	dist_wr(fd, GICD_CTLR, GICD_CTLR_ENABLE_SS_G1);
	for (uint32_t i = 32; i < n; i += 32) {
		uint32_t k = i / 32;

		dist_wr(fd, GICD_IGROUPR + i / 8, 0xa5a5a5a5 ^ k);
		dist_wr(fd, GICD_ISENABLER + i / 8, 0x0f0f00ff << (k & 3));
		dist_wr(fd, GICD_ICFGR + i / 4, 0xaaaa0000);	/* half edge */
		dist_wr(fd, GICD_ICFGR + i / 4 + 4, 0x0000aaaa);
		TEST_ASSERT(!level_write(fd, 0, i, 0x00ff00ff ^ k), "LEVEL_INFO");
		dist_wr(fd, GICD_ISPENDR + i / 8, 0x11111111 << (k & 3));
		dist_wr(fd, GICD_ISACTIVER + i / 8, 0x01010101 << (k & 7));
	}
	for (uint32_t i = 32; i < n; i += 4)
		dist_wr(fd, GICD_IPRIORITYR + i, 0x10203040 + i * 0x01010101);
	for (uint32_t i = 32; i < n; i++)
		dist_wr(fd, GICD_IROUTER + 8 * i, vcpu_mpidr_attr(i % NR_VCPUS) >> 32);

	for (int c = 0; c < NR_VCPUS; c++) {
		redist_wr(fd, c, SGI_BASE + GICR_IGROUPR0, 0xffff00ff ^ c);
		redist_wr(fd, c, SGI_BASE + GICR_ISENABLER0, 0x0003ffff << c);
		TEST_ASSERT(!level_write(fd, c, 0, 0x80000000 >> c), "LEVEL_INFO");
		redist_wr(fd, c, SGI_BASE + GICR_ISPENDR0, 0x00010003 << c);
		redist_wr(fd, c, SGI_BASE + GICR_ISACTIVER0, 0x100 << c);
		for (int i = 0; i < 8; i++)
			redist_wr(fd, c, SGI_BASE + GICR_IPRIORITYR0 + 4 * i,
				  0x80706050 - 0x10101010 * c + i);
		icc_wr(fd, c, ICC_PMR, 0xf0 - 8 * c);
		icc_wr(fd, c, ICC_BPR0, 2 + c);
		icc_wr(fd, c, ICC_BPR1, 3 + c);
		icc_wr(fd, c, ICC_IGRPEN0, 1);
		icc_wr(fd, c, ICC_IGRPEN1, c);
		icc_wr(fd, c, ICC_CTLR, icc_rd(fd, c, ICC_CTLR) | (1 << 1)); /* EOImode */
		icc_wr(fd, c, ICC_AP0R(0), 0x1 << c);
		icc_wr(fd, c, ICC_AP1R(0), 0x80000000 >> c);
		if (s->plpis) {
			uint64_t prop = 0x100000 | 0xf;	/* 16 ID bits */
			uint64_t pend = 0x200000 + 0x10000 * c;

			redist_wr(fd, c, GICR_PROPBASER, prop);
			redist_wr(fd, c, GICR_PROPBASER + 4, prop >> 32);
			redist_wr(fd, c, GICR_PENDBASER, pend);
			redist_wr(fd, c, GICR_PENDBASER + 4, pend >> 32);
		}
	}
	if (s->plpis)	/* LPIs on for vCPU 0 */
		redist_wr(fd, 0, GICR_CTLR, 1);
	if (s->its_fd >= 0) {
		uint64_t cbaser = (1ULL << 63) | 0x300000 | 1;	/* valid, 2 pages */

		TEST_ASSERT(!attr_set(s->its_fd, GRP_ITS, GITS_CBASER_OFF, &cbaser), "CBASER");
	}
}

/* A snapshot must show the state, else the comparison proves nothing. */
static void check_nontrivial(struct __test_metadata *_metadata, struct sys *s)
{
	int fd = s->v->gic_fd;

	EXPECT_NE(0, dist_rd(fd, GICD_ISENABLER + 4));
	EXPECT_NE(0, dist_rd(fd, GICD_ISPENDR + 4));
	EXPECT_NE(0, dist_rd(fd, GICD_ISACTIVER + 4));
	EXPECT_NE(0, dist_rd(fd, GICD_IPRIORITYR + 32));
	EXPECT_EQ(1, dist_rd(fd, GICD_IROUTER + 33 * 8));
	EXPECT_NE(0, redist_rd(fd, 1, SGI_BASE + GICR_ISACTIVER0));
	EXPECT_EQ(0xf0, icc_rd(fd, 0, ICC_PMR));
}

/* ------------------------------------------------------- the VMMs' orders */

static uint64_t u64v;
static uint32_t u32v;

static void set64(int fd, uint32_t grp, uint64_t attr, uint64_t val)
{
	u64v = val;
	kvm_device_attr_set(fd, grp, attr, &u64v);
}

static void set32(int fd, uint32_t grp, uint64_t attr, uint32_t val)
{
	u32v = val;
	kvm_device_attr_set(fd, grp, attr, &u32v);
}

static void ctrl(int fd, uint64_t attr)
{
	kvm_device_attr_set(fd, GRP_CTRL, attr, NULL);
}

static void create_qemu(struct sys *s, bool its)
{
	int fd;

	s->v = vgic_vm_create(NR_VCPUS, NULL);
	fd = s->v->gic_fd;
	s->its_fd = -1;
	s->nr_irqs = 128;
	TEST_ASSERT(!attr_has(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION), "HAS");
	set32(fd, GRP_NR_IRQS, 0, s->nr_irqs);
	ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	TEST_ASSERT(!attr_has(fd, GRP_DIST, GICD_CTLR), "HAS(DIST_REGS, GICD_CTLR)");
	TEST_ASSERT(!attr_has(fd, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES), "HAS");
	if (its) {
		s->its_fd = kvm_create_device(s->v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
		ctrl(s->its_fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	}
	/* addresses after INIT, from the machine-init-done notifier */
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
	      REDIST_REGION_ATTR_ADDR(NR_VCPUS, GICR_BASE_GPA, 0, 0));
	if (its) {
		set64(s->its_fd, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, GITS_BASE_GPA);
		TEST_ASSERT(!attr_has(s->its_fd, GRP_ITS, GITS_CTLR_OFF), "HAS");
	}
	s->plpis = its;
}

static void create_firecracker(struct sys *s, bool its)
{
	int fd;

	s->v = vgic_vm_create(NR_VCPUS, NULL);
	fd = s->v->gic_fd;
	s->its_fd = -1;
	s->nr_irqs = 128;
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_BASE_GPA);
	if (its) {
		s->its_fd = kvm_create_device(s->v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
		set64(s->its_fd, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, GITS_BASE_GPA);
		ctrl(s->its_fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	}
	set32(fd, GRP_NR_IRQS, 0, s->nr_irqs);
	ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	s->plpis = its;
}

static void create_crosvm(struct sys *s)
{
	int fd;

	s->v = vgic_vm_create(NR_VCPUS, NULL);
	fd = s->v->gic_fd;
	s->its_fd = -1;
	s->nr_irqs = 64;
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE_GPA);
	set32(fd, GRP_NR_IRQS, 0, s->nr_irqs);
	ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	s->plpis = false;
}

static void create_kvmtool(struct sys *s, bool its)
{
	int fd;

	s->v = vgic_vm_create(NR_VCPUS, NULL);
	fd = s->v->gic_fd;
	s->its_fd = -1;
	s->nr_irqs = 96;
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE_GPA);
	if (its) {
		s->its_fd = kvm_create_device(s->v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
		TEST_ASSERT(!attr_has(s->its_fd, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE), "HAS");
		set64(s->its_fd, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, GITS_BASE_GPA);
		ctrl(s->its_fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	}
	TEST_ASSERT(!attr_has(fd, GRP_NR_IRQS, 0), "HAS(NR_IRQS)");
	set32(fd, GRP_NR_IRQS, 0, s->nr_irqs);
	TEST_ASSERT(!attr_has(fd, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT), "HAS(INIT)");
	ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	s->plpis = its;
}

static void sys_free(struct sys *s)
{
	if (s->its_fd >= 0)
		close(s->its_fd);
	vgic_vm_free(s->v);
}

static void pause_save_tables(struct sys *s)
{
	ctrl(s->v->gic_fd, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES);
	if (s->its_fd >= 0)
		ctrl(s->its_fd, KVM_DEV_ARM_ITS_SAVE_TABLES);
}

/* QEMU: kvm_arm_gicv3_get() and kvm_arm_its_pre_save() (common_snap.c) */
static void save_qemu(struct sys *s, struct snap *sn)
{
	snap_save_qemu(sn, s->v->gic_fd, s->its_fd, NR_VCPUS, s->nr_irqs);
}

static void restore_qemu(struct sys *s, struct snap *sn)
{
	put(s, sn, 0, GRP_DIST, GICD_CTLR);
	for (int c = 0; c < NR_VCPUS; c++)
		put_redist(s, sn, c, false);
	put_dist(s, sn, false);
	for (int c = 0; c < NR_VCPUS; c++)
		put_icc(s, sn, c);
	if (s->its_fd >= 0)
		put_its(s, sn);
}

/* Firecracker: redist + ICC per vCPU, ITS, dist */
static void save_firecracker(struct sys *s, struct snap *sn)
{
	pause_save_tables(s);
	for (int c = 0; c < NR_VCPUS; c++) {
		save_redist(s, sn, c);
		save_icc(s, sn, c);
	}
	if (s->its_fd >= 0)
		save_its(s, sn);
	save_dist(s, sn, true);
}

static void restore_firecracker(struct sys *s, struct snap *sn)
{
	put_dist(s, sn, true);
	for (int c = 0; c < NR_VCPUS; c++) {
		put_redist(s, sn, c, false);
		put_icc(s, sn, c);
	}
	if (s->its_fd >= 0)
		put_its(s, sn);
}

/* cloud-hypervisor: GICD_CTLR, dist, redist, ICC, ITS; GICR_CTLR last */
static void save_cloudhv(struct sys *s, struct snap *sn)
{
	pause_save_tables(s);
	save(s, sn, 0, GRP_DIST, GICD_CTLR);
	save_dist(s, sn, false);
	for (int c = 0; c < NR_VCPUS; c++)
		save_redist(s, sn, c);
	for (int c = 0; c < NR_VCPUS; c++)
		save_icc(s, sn, c);
	if (s->its_fd >= 0)
		save_its(s, sn);
}

static void restore_cloudhv(struct sys *s, struct snap *sn)
{
	put(s, sn, 0, GRP_DIST, GICD_CTLR);
	put_dist(s, sn, false);
	for (int c = 0; c < NR_VCPUS; c++)
		put_redist(s, sn, c, true);
	for (int c = 0; c < NR_VCPUS; c++)
		put_icc(s, sn, c);
	if (s->its_fd >= 0)
		put_its(s, sn);
}

/*
 * crosvm: ICC per vCPU, every word of both redistributor frames, every word
 * of the distributor frame. Under TCG the 82K GETs of a full snapshot take
 * minutes, so the words that are unmapped for this configuration (RAZ/WI,
 * checked in vgic_attr_test) are left out: what is kept are the spans that
 * hold registers, in crosvm's ascending order.
 */
static void save_span(struct sys *s, struct snap *sn, uint32_t grp,
		      uint64_t mpidr, uint32_t from, uint32_t to)
{
	for (uint32_t off = from; off < to; off += 4)
		save(s, sn, 0, grp, mpidr | off);
}

static void save_crosvm(struct sys *s, struct snap *sn)
{
	ctrl(s->v->gic_fd, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES);
	for (int c = 0; c < NR_VCPUS; c++) {
		uint64_t m = vcpu_mpidr_attr(c);

		save_icc(s, sn, c);
		save_span(s, sn, GRP_REDIST, m, 0, 0x100);
		save_span(s, sn, GRP_REDIST, m, 0xffd0, 0x10000);
		save_span(s, sn, GRP_REDIST, m, 0x10000, 0x10000 + 0xe04);
		save_span(s, sn, GRP_REDIST, m, 0x1ffd0, 0x20000);
	}
	save_span(s, sn, GRP_DIST, 0, 0, 0xe00);
	save_span(s, sn, GRP_DIST, 0, GICD_IROUTER, GICD_IROUTER + 8 * 64);
	save_span(s, sn, GRP_DIST, 0, 0xffd0, 0x10000);
}

static void restore_crosvm(struct sys *s, struct snap *sn)
{
	for (int i = 0; i < sn->n; i++)
		put_val(s, sn, 0, sn->e[i].grp, sn->e[i].attr, sn->e[i].val);
}

typedef void (*create_fn)(struct sys *s, bool its);
typedef void (*snap_fn)(struct sys *s, struct snap *sn);

static void round_trip(struct __test_metadata *_metadata, create_fn create,
		       bool its, snap_fn savef, snap_fn restoref)
{
	struct sys a, b;
	struct snap sa = {}, sb = {}, dummy = {};

	create(&a, its);
	populate(&a);
	check_nontrivial(_metadata, &a);
	savef(&a, &sa);
	TH_LOG("%s: %d registers saved", vgic3_impl_name(), sa.n);

	create(&b, its);
	restoref(&b, &sa);
	savef(&b, &sb);
	EXPECT_EQ(0, snap_compare(_metadata, &sa, &sb));
	/* saving did not change A */
	savef(&a, &dummy);
	EXPECT_EQ(0, snap_compare(_metadata, &sa, &dummy));
	snap_free(&sa);
	snap_free(&sb);
	snap_free(&dummy);
	sys_free(&a);
	sys_free(&b);
}

static void create_qemu_noits(struct sys *s, bool its) { create_qemu(s, false); }

TEST(qemu_save_restore_round_trip)
{
	round_trip(_metadata, create_qemu_noits, false, save_qemu, restore_qemu);
}

TEST(qemu_save_restore_round_trip_with_its)
{
	round_trip(_metadata, create_qemu, true, save_qemu, restore_qemu);
}

TEST(firecracker_save_restore_round_trip)
{
	round_trip(_metadata, create_firecracker, true, save_firecracker,
		   restore_firecracker);
}

TEST(cloud_hypervisor_save_restore_round_trip)
{
	round_trip(_metadata, create_firecracker, true, save_cloudhv,
		   restore_cloudhv);
}

/* kvmtool does not migrate; its creation order must give a working vGIC
 * that round-trips with the QEMU GETs/SETs. */
TEST(kvmtool_creation_order_then_round_trip)
{
	round_trip(_metadata, create_kvmtool, true, save_qemu, restore_qemu);
}

/*
 * crosvm writes every saved word back in ascending offset order: the
 * GICD_ICENABLER/ICACTIVER words (which read as the enable/active bits)
 * come after the ISENABLER/ISACTIVER ones and clear what they set. Measured
 * on the in-kernel vgic: everything round-trips except enables and actives,
 * which end up 0, and GICR_PROPBASER (see below).
 */
FIXTURE(crosvm) {};
FIXTURE_SETUP(crosvm) {}
FIXTURE_TEARDOWN(crosvm) {}

TEST_F_TIMEOUT(crosvm, ascending_restore_clears_enables_and_actives, 150)
{
	struct sys a, b;
	struct snap sa = {}, sb = {};
	int diffs = 0;

	create_crosvm(&a);
	populate(&a);
	check_nontrivial(_metadata, &a);
	save_crosvm(&a, &sa);
	create_crosvm(&b);
	restore_crosvm(&b, &sa);
	save_crosvm(&b, &sb);
	ASSERT_EQ(sa.n, sb.n);
	for (int i = 0; i < sa.n; i++) {
		struct snap_ent *ea = &sa.e[i], *eb = &sb.e[i];
		uint32_t off = ea->attr & 0xffffffff;
		bool redist = ea->grp == GRP_REDIST;
		bool en_act = false;

		if (ea->grp == GRP_REDIST && off >= SGI_BASE)
			off -= SGI_BASE;
		else if (redist)
			off = 0xffff0000;	/* RD_base frame: never en/act */
		if (ea->grp != GRP_SYSREGS &&
		    ((off >= GICD_ISENABLER && off < GICD_ISPENDR) ||
		     (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR)))
			en_act = true;
		if (en_act) {
			EXPECT_EQ(0, eb->val) TH_LOG("grp %u attr 0x%lx", ea->grp, ea->attr);
		} else if (redist && (ea->attr & 0xffffffff) == GICR_PROPBASER &&
			   ea->val == 0) {
			/*
			 * Measured: without an ITS PROPBASER resets to 0, which
			 * is not a sanitised value; writing 0 back stores the
			 * sanitised 0x180 (inner RaWb).
			 */
			EXPECT_EQ(0x180, eb->val);
		} else if (ea->val != eb->val && diffs++ < 20) {
			TH_LOG("grp %u attr 0x%lx: A 0x%lx B 0x%lx", ea->grp,
			       ea->attr, ea->val, eb->val);
		}
	}
	EXPECT_EQ(0, diffs);
	snap_free(&sa);
	snap_free(&sb);
	sys_free(&a);
	sys_free(&b);
}

/*
 * The field bug: GICR_CTLR.EnableLPIs restored before PROPBASER/PENDBASER.
 * With LPIs enabled the base writes are ignored, so B keeps its reset bases.
 */
TEST(enable_lpis_restored_before_bases_makes_base_writes_ineffective)
{
	struct vgic_vm *v = vgic_vm_create(1, NULL);
	int fd = v->gic_fd, its;
	/* already sanitised: RaWb, InnerShareable */
	uint64_t prop = 0x100000 | (7 << 7) | (1 << 10) | 0xf;
	uint64_t pend = 0x200000 | (7 << 7) | (1 << 10);
	uint32_t prop0, pend0;

	its = kvm_create_device(v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	set64(its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, GITS_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE_GPA);
	set64(fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_BASE_GPA);
	ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT);
	ASSERT_EQ(GICR_TYPER_PLPIS, redist_rd(fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS);
	/* measured reset values: the sanitised 0 (RaWb, InnerShareable) */
	prop0 = redist_rd(fd, 0, GICR_PROPBASER);
	pend0 = redist_rd(fd, 0, GICR_PENDBASER);
	EXPECT_EQ(0x580, prop0);
	EXPECT_EQ(0x580, pend0);

	/* the buggy order */
	redist_wr(fd, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	EXPECT_EQ(GICR_CTLR_ENABLE_LPIS, redist_rd(fd, 0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
	redist_wr(fd, 0, GICR_PROPBASER, prop);
	redist_wr(fd, 0, GICR_PENDBASER, pend);
	EXPECT_EQ(prop0, redist_rd(fd, 0, GICR_PROPBASER));
	EXPECT_EQ(pend0, redist_rd(fd, 0, GICR_PENDBASER));

	/* the fixed order works: disable, bases, enable */
	redist_wr(fd, 0, GICR_CTLR, 0);
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
	redist_wr(fd, 0, GICR_PROPBASER, prop);
	redist_wr(fd, 0, GICR_PENDBASER, pend);
	redist_wr(fd, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	EXPECT_EQ(prop, redist_rd(fd, 0, GICR_PROPBASER));
	EXPECT_EQ(pend, redist_rd(fd, 0, GICR_PENDBASER));
	close(its);
	vgic_vm_free(v);
}

/* Without an ITS GICR_CTLR.EnableLPIs cannot be set at all. */
TEST(enable_lpis_without_its_is_ignored)
{
	struct vgic_vm *v = vgic_vm_create(1, NULL);
	int fd = v->gic_fd;

	vgic_vm_setup(v, 64);
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS);
	redist_wr(fd, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
	vgic_vm_free(v);
}

/* The field bug: CPU_SYSREGS read into a 4-byte buffer: 8 bytes are written */
TEST(cpu_sysregs_read_into_4_byte_buffer_writes_8_bytes)
{
	struct vgic_vm *v = vgic_vm_create(1, NULL);
	struct { uint32_t val; uint32_t next; } buf = { 0x11111111, 0xdeadbeef };
	uint64_t wide = 0x1234567800000000ULL | 0xa0;

	vgic_vm_setup(v, 64);
	icc_wr(v->gic_fd, 0, ICC_PMR, 0xa0);
	EXPECT_EQ(0, attr_get(v->gic_fd, GRP_SYSREGS, vcpu_mpidr_attr(0) | ICC_PMR, &buf));
	EXPECT_EQ(0xa0, buf.val);
	EXPECT_EQ(0, buf.next);	/* the upper half of the u64 clobbered it */
	/* and a write reads 8 bytes: the upper word is taken along */
	EXPECT_EQ(0, attr_set(v->gic_fd, GRP_SYSREGS, vcpu_mpidr_attr(0) | ICC_PMR, &wide));
	EXPECT_EQ(0xa0, icc_rd(v->gic_fd, 0, ICC_PMR));
	vgic_vm_free(v);
}

/* QEMU's migration-blocker probe: HAS(DIST_REGS, GICD_CTLR) after INIT. */
TEST(qemu_has_dist_regs_probe_is_true_after_init)
{
	struct sys s;

	create_qemu(&s, false);
	EXPECT_EQ(0, attr_has(s.v->gic_fd, GRP_DIST, GICD_CTLR));
	EXPECT_EQ(0, attr_has(s.v->gic_fd, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES));
	sys_free(&s);
}

/* Firecracker initialises the ITS before the GIC */
TEST(firecracker_its_init_before_gic_init_is_accepted)
{
	struct sys s;

	create_firecracker(&s, true);
	EXPECT_EQ(GICR_TYPER_PLPIS, redist_rd(s.v->gic_fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS);
	EXPECT_EQ(GICD_TYPER_LPIS, dist_rd(s.v->gic_fd, GICD_TYPER) & GICD_TYPER_LPIS);
	sys_free(&s);
}

TEST_HARNESS_MAIN
