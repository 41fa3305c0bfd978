// SPDX-License-Identifier: GPL-2.0
/*
 * Migration between the two implementations (Documentation/migration.rst):
 * a VM leaves a host whose vGICv3/ITS is the in-kernel vgic for one where
 * kvm_vgic3.ko serves them, and the other way round.
 *
 * Per direction, in one process: VM A under implementation X (2 vCPUs,
 * 128 interrupts, an ITS, the ITS memslot of common_its.h) gets distributor,
 * redistributor, LEVEL_INFO and ICC_* state and an ITS programmed through
 * its command queue, with LPIs pending. It is saved as QEMU saves it
 * (SAVE_PENDING_TABLES, SAVE_TABLES, then the GETs of kvm_arm_gicv3_get()
 * and kvm_arm_its_pre_save(), in that order) and torn down. The test then
 * switches implementation (the module cannot go while a VM uses it),
 * creates VM B under Y in QEMU's creation order, and restores in the
 * documented order: GICD_CTLR, the LPI base registers before GICR_CTLR,
 * clear registers before set registers, the guest memory, then the ITS
 * (IIDR, CBASER, CREADR, CWRITER, BASER0-7, RESTORE_TABLES, CTLR).
 *
 * What must hold: B saves the same registers as A did, answers every
 * register GET as A did, writes the same ITS tables byte for byte and the
 * same pending bits into cleared memory, and its ITS goes on processing
 * commands from the restored queue position.
 *
 * The test loads or unloads kvm_vgic3.ko ($KVM_VGIC3_KO) itself and leaves
 * it as it found it, so check-guest.sh runs it once, not once per
 * implementation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sizes.h>
#include <linux/kvm_vgic3.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "impl.h"
#include "common_vgic.h"
#include "common_its.h"
#include "common_snap.h"


#define NR_VCPUS	2
#define NR_IRQS		128
#define XVM_MEMSLOT	1
#define PEND_LPI_OFF	(ITS_LPI(0) / 8)	/* first LPI byte of a pending table */


/* ------------------------------------------------------ implementations */

static bool initially_loaded;
static pid_t main_pid;

static void __attribute__((constructor)) record_initial_impl(void)
{
	initially_loaded = vgic3_module_loaded();
	main_pid = getpid();
}

static const char *impl_of(bool module)
{
	return module ? "module" : "in-kernel";
}

/*
 * Make @module the implementation that serves new devices. A VM that is
 * being torn down may hold the module for a moment after its last fd is
 * closed, hence the retries of an unload refused with EWOULDBLOCK.
 */
static int use_impl(bool module)
{
	int ret = 0;

	if (module == vgic3_module_loaded())
		return 0;
	if (module)
		return vgic3_module_load();
	for (int i = 0; i < 50; i++) {
		ret = vgic3_module_unload();
		if (ret != -EWOULDBLOCK && ret != -EAGAIN)
			break;
		usleep(100 * 1000);
	}
	return ret;
}

/* The last resort when a test process died with a VM: the main process. */
static void __attribute__((destructor)) leave_impl_as_found(void)
{
	if (getpid() == main_pid)
		use_impl(initially_loaded);
}

static bool served_by_module(int dev_fd)
{
	return !__kvm_has_device_attr(dev_fd, KVM_DEV_ARM_VGIC3_GRP_INFO,
				      KVM_DEV_ARM_VGIC3_INFO_VERSION);
}

/* ---------------------------------------------------------------- a VM */

static void xvm_guest(void)
{
	GUEST_DONE();
}

/*
 * A VM as QEMU creates it (vmm-sequences.md): vGICv3, NR_IRQS, INIT, the
 * probes, the ITS and its INIT, then the addresses. Guest memory: the ITS
 * memslot of common_its.h, so that its helpers (its_send() ...) apply. The
 * vCPUs never run: this memslot is all the memory the vGIC and ITS touch.
 */
static struct its_env *xvm_create(void)
{
	struct its_env *e = calloc(1, sizeof(*e));
	uint32_t nr_irqs = NR_IRQS;
	struct kvm_vm *vm;
	uint64_t addr;

	TEST_ASSERT(e, "calloc");
	e->nr_vcpus = NR_VCPUS;
	vm = vm_create_with_vcpus(NR_VCPUS, xvm_guest, e->vcpus);
	e->vm = vm;
	e->mem_gpa = ((vm_compute_max_gfn(vm) + 1) * vm->page_size) - ITS_MEM_SIZE;
	e->mem_gpa &= ~(uint64_t)(SZ_64K - 1);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, e->mem_gpa,
				    XVM_MEMSLOT, ITS_MEM_SIZE / vm->page_size, 0);
	e->mem = addr_gpa2hva(vm, e->mem_gpa);
	memset(e->mem, 0, ITS_MEM_SIZE);

	e->gic_fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	TEST_ASSERT(!attr_has(e->gic_fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION),
		    "HAS(ADDR, REDIST_REGION)");
	kvm_device_attr_set(e->gic_fd, GRP_NR_IRQS, 0, &nr_irqs);
	kvm_device_attr_set(e->gic_fd, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	TEST_ASSERT(!attr_has(e->gic_fd, GRP_DIST, GICD_CTLR), "HAS(DIST_REGS, GICD_CTLR)");
	TEST_ASSERT(!attr_has(e->gic_fd, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
		    "HAS(CTRL, SAVE_PENDING_TABLES)");
	e->its_fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	kvm_device_attr_set(e->its_fd, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	addr = GICD_BASE_GPA;
	kvm_device_attr_set(e->gic_fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &addr);
	addr = REDIST_REGION_ATTR_ADDR(NR_VCPUS, GICR_BASE_GPA, 0, 0);
	kvm_device_attr_set(e->gic_fd, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr);
	addr = GITS_BASE_GPA;
	kvm_device_attr_set(e->its_fd, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &addr);
	TEST_ASSERT(!attr_has(e->its_fd, GRP_ITS, GITS_CTLR), "HAS(ITS_REGS, GITS_CTLR)");
	return e;
}

/* ------------------------------------------------------------ VM A's state */

static void program_dist(int fd)
{
	for (uint32_t i = 32; i < NR_IRQS; i += 32) {
		uint32_t k = i / 32;

		dist_wr(fd, GICD_IGROUPR + i / 8, 0xa5a5a5a5 ^ k);
		dist_wr(fd, GICD_ISENABLER + i / 8, 0x0f0f00ff << (k & 3));
		dist_wr(fd, GICD_ICENABLER + i / 8, 0x3 << k);
		dist_wr(fd, GICD_ICFGR + i / 4, 0xaaaa0000);	/* half edge */
		dist_wr(fd, GICD_ICFGR + i / 4 + 4, 0x0000aaaa);
		TEST_ASSERT(!level_write(fd, 0, i, 0x00ff00ff ^ k), "LEVEL_INFO");
		dist_wr(fd, GICD_ISPENDR + i / 8, 0x11111111 << (k & 3));
		dist_wr(fd, GICD_ICPENDR + i / 8, 0x10000000);
		dist_wr(fd, GICD_ISACTIVER + i / 8, 0x01010101 << (k & 7));
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		dist_wr(fd, GICD_IPRIORITYR + i, 0x10203040 + i * 0x01010101);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		/* a vCPU, 1-of-N, an MPIDR no vCPU has, Aff1; Aff3 sometimes */
		static const uint32_t lo[] = { 0, 0x80000001, 0x5, 0x100 };
		uint32_t v = lo[i % 4] | (i % 4 ? 0 : (i / 4) % NR_VCPUS);

		dist_wr(fd, GICD_IROUTER + 8 * i, v);
		if (i % 8 == 7)
			dist_wr(fd, GICD_IROUTER + 8 * i + 4, 0x12);
	}
	dist_wr(fd, GICD_CTLR, GICD_CTLR_ENABLE_SS_G1 | GICD_CTLR_ENABLE_SS_G0);
}

static void program_redist_icc(int fd)
{
	for (int c = 0; c < NR_VCPUS; c++) {
		redist_wr(fd, c, SGI_BASE + GICR_IGROUPR0, 0xffff00ff ^ c);
		redist_wr(fd, c, SGI_BASE + GICR_ICENABLER0, 0xffffffff);
		redist_wr(fd, c, SGI_BASE + GICR_ISENABLER0, 0x0003ffff << c);
		redist_wr(fd, c, SGI_BASE + GICR_ICFGR0 + 4, 0xaaaaaaaa);
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
		/* EOImode on both, CBPR on vCPU 1 (its BPR1 then reads BPR0+1) */
		icc_wr(fd, c, ICC_CTLR, icc_rd(fd, c, ICC_CTLR) | (1 << 1) | c);
		icc_wr(fd, c, ICC_AP0R(0), 0x1 << c);
		icc_wr(fd, c, ICC_AP1R(0), 0x80000000 >> c);
	}
}

/* LPIs pending in A when it is saved: vCPU, LPI number (ITS_LPI(n)). */
static const struct { int vcpu, lpi; } pending_in_a[] = {
	{ 0, 0 }, { 0, 5 }, { 0, 42 }, { 0, 60 }, { 1, 40 }, { 1, 61 },
};

/*
 * The ITS, programmed through its command queue. Collections are mapped
 * out of ICID order, one is unmapped and one remapped, so that the
 * collection table (saved in the order the collections were mapped) tells
 * whether that order survives. Devices 0, 5, 2 (and 9, unmapped again)
 * have their ITTs in slots 0, 1, 2 (3).
 */
static void program_its(struct its_env *e)
{
	struct its_cmd map[] = {
		its_cmd_mapc(3, 1, true), its_cmd_mapc(0, 0, true),
		its_cmd_mapc(1, 1, true), its_cmd_mapc(6, 0, true),
		its_cmd_mapc(6, 0, false), its_cmd_mapc(2, 0, true),
		its_cmd_mapc(3, 0, true),			/* remap: 3 -> vCPU 0 */
		its_cmd_mapd(0, its_itt_gpa(e, 0), 3, true),
		its_cmd_mapd(5, its_itt_gpa(e, 1), 3, true),
		its_cmd_mapd(2, its_itt_gpa(e, 2), 1, true),
		its_cmd_mapd(9, its_itt_gpa(e, 3), 3, true),
		its_cmd_mapti(0, 0, ITS_LPI(0), 0), its_cmd_mapti(0, 1, ITS_LPI(1), 1),
		its_cmd_mapti(0, 5, ITS_LPI(5), 3), its_cmd_mapti(0, 15, ITS_LPI(15), 2),
		its_cmd_mapti(5, 2, ITS_LPI(40), 1), its_cmd_mapti(5, 7, ITS_LPI(41), 0),
		its_cmd_mapti(5, 9, ITS_LPI(42), 1),
		its_cmd_mapti(2, 0, ITS_LPI(60), 2), its_cmd_mapti(2, 3, ITS_LPI(61), 1),
		its_cmd_mapti(9, 1, ITS_LPI(50), 0),
		its_cmd_mapd(9, 0, 0, false),			/* device 9 and its ITE go */
		its_cmd_dev_ev(GITS_CMD_DISCARD, 0, 1),
		its_cmd_sync(0),
	};
	/* after EnableLPIs: LPIs pending, one moved while pending, one cleared */
	struct its_cmd pend[] = {
		its_cmd_dev_ev(GITS_CMD_INT, 0, 0),		/* LPI 0 -> vCPU 0 */
		its_cmd_dev_ev(GITS_CMD_INT, 0, 5),		/* LPI 5 (disabled) -> 0 */
		its_cmd_dev_ev(GITS_CMD_INT, 5, 2),		/* LPI 40 -> vCPU 1 */
		its_cmd_dev_ev(GITS_CMD_INT, 2, 3),		/* LPI 61 -> vCPU 1 */
		its_cmd_dev_ev(GITS_CMD_INT, 5, 9),		/* LPI 42 -> vCPU 1 */
		its_cmd_movi(5, 9, 0),				/* ... to vCPU 0 */
		its_cmd_dev_ev(GITS_CMD_INT, 5, 7),		/* LPI 41 */
		its_cmd_dev_ev(GITS_CMD_CLEAR, 5, 7),		/* ... no longer */
		its_cmd_invall(0),
		its_cmd_sync(1),
	};
	uint8_t *prop, *pend0;

	its_env_program_lpi_tables(e);
	its_env_setup_its(e);
	/* priorities 0x20 and up; every 7th LPI disabled (LPI 5 among them) */
	prop = its_hva(e, ITS_OFF_PROP);
	for (int i = 0; i < 64; i++)
		prop[i] = ((0x20 + 8 * i) & 0xfc) | LPI_PROP_GROUP1 |
			  (i % 7 == 5 ? 0 : LPI_PROP_ENABLED);
	its_sendv(e, map, ARRAY_SIZE(map));
	/* LPI 60 (vCPU 0) pending in its table, read in by EnableLPIs */
	pend0 = its_hva(e, ITS_OFF_PEND);
	pend0[ITS_LPI(60) / 8] |= 1 << (ITS_LPI(60) % 8);
	its_env_enable_lpis(e);
	its_sendv(e, pend, ARRAY_SIZE(pend));
}

/* ------------------------------------------------------------ snapshots */

static int dev_fd(struct its_env *e, int dev)
{
	return dev == SNAP_ITS ? e->its_fd : e->gic_fd;
}

static struct snap_ent *probe(struct its_env *e, struct snap *s, int dev,
			      uint32_t grp, uint64_t attr)
{
	return snap_probe(s, dev_fd(e, dev), dev, grp, attr);
}

static const char *ent_name(const struct snap_ent *x, char *buf, size_t n);

static void set(struct its_env *e, int dev, uint32_t grp, uint64_t attr,
		uint64_t val)
{
	struct snap_ent x = { .dev = dev, .grp = grp, .attr = attr, .val = val };
	char name[64];
	int r = snap_set(dev_fd(e, dev), grp, attr, val);

	TEST_ASSERT(!r, "%s: SET %s = 0x%lx: %s", vgic3_impl_name(),
		    ent_name(&x, name, sizeof(name)), val, strerror(r));
}

static uint64_t saved(const struct snap *s, int dev, uint32_t grp, uint64_t attr)
{
	return snap_find(s, dev, grp, attr)->val;
}

static void put(struct its_env *e, const struct snap *s, int dev, uint32_t grp,
		uint64_t attr)
{
	set(e, dev, grp, attr, saved(s, dev, grp, attr));
}

/* ----------------------------------------------------- QEMU's save/restore */

static const uint32_t icc_fixed[] = {
	ICC_SRE, ICC_CTLR, ICC_IGRPEN0, ICC_IGRPEN1, ICC_PMR, ICC_BPR0, ICC_BPR1,
};

static bool has_plpis(struct its_env *e)
{
	return redist_rd(e->gic_fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS;
}

/* The VM is stopped: QEMU's save (common_snap.c), with an ITS. */
static void save_qemu(struct its_env *e, struct snap *s)
{
	TEST_ASSERT(has_plpis(e), "%s: no GICR_TYPER.PLPIS with an ITS", vgic3_impl_name());
	snap_save_qemu(s, e->gic_fd, e->its_fd, NR_VCPUS, NR_IRQS);
}

/*
 * kvm_arm_gicv3_put(); QEMU writes ~0 to the redistributor's clear
 * registers and 0 to the distributor's.
 */
static void restore_gic(struct its_env *e, const struct snap *s)
{
	uint64_t m;

	put(e, s, SNAP_GIC, GRP_DIST, GICD_CTLR);
	TEST_ASSERT(has_plpis(e), "%s: no GICR_TYPER.PLPIS with an ITS", vgic3_impl_name());
	for (int c = 0; c < NR_VCPUS; c++) {
		m = vcpu_mpidr_attr(c);
		put(e, s, SNAP_GIC, GRP_REDIST, m | GICR_PROPBASER);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (GICR_PROPBASER + 4));
		put(e, s, SNAP_GIC, GRP_REDIST, m | GICR_PENDBASER);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (GICR_PENDBASER + 4));
	}
	for (int c = 0; c < NR_VCPUS; c++) {
		m = vcpu_mpidr_attr(c);
		put(e, s, SNAP_GIC, GRP_REDIST, m | GICR_CTLR);
		put(e, s, SNAP_GIC, GRP_REDIST, m | GICR_STATUSR);
		put(e, s, SNAP_GIC, GRP_REDIST, m | GICR_WAKER);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_IGROUPR0));
		set(e, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ICENABLER0), ~0u);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ISENABLER0));
		put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ICFGR0 + 4));
		put(e, s, SNAP_GIC, GRP_LEVEL, level_attr(c, 0, 0));
		set(e, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ICPENDR0), ~0u);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ISPENDR0));
		set(e, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ICACTIVER0), ~0u);
		put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_ISACTIVER0));
		for (int i = 0; i < 8; i++)
			put(e, s, SNAP_GIC, GRP_REDIST, m | (SGI_BASE + GICR_IPRIORITYR0 + 4 * i));
	}
	put(e, s, SNAP_GIC, GRP_DIST, GICD_STATUSR);
	for (uint32_t i = 32; i < NR_IRQS; i += 32) {
		set(e, SNAP_GIC, GRP_DIST, GICD_ICENABLER + i / 8, 0);
		put(e, s, SNAP_GIC, GRP_DIST, GICD_ISENABLER + i / 8);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 32)
		put(e, s, SNAP_GIC, GRP_DIST, GICD_IGROUPR + i / 8);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		put(e, s, SNAP_GIC, GRP_DIST, GICD_IROUTER + 8 * i);
		put(e, s, SNAP_GIC, GRP_DIST, GICD_IROUTER + 8 * i + 4);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 16)
		put(e, s, SNAP_GIC, GRP_DIST, GICD_ICFGR + i / 4);
	for (uint32_t i = 32; i < NR_IRQS; i += 32)
		put(e, s, SNAP_GIC, GRP_LEVEL, level_attr(0, 0, i));
	for (uint32_t i = 32; i < NR_IRQS; i += 32) {
		set(e, SNAP_GIC, GRP_DIST, GICD_ICPENDR + i / 8, 0);
		put(e, s, SNAP_GIC, GRP_DIST, GICD_ISPENDR + i / 8);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 32) {
		set(e, SNAP_GIC, GRP_DIST, GICD_ICACTIVER + i / 8, 0);
		put(e, s, SNAP_GIC, GRP_DIST, GICD_ISACTIVER + i / 8);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		put(e, s, SNAP_GIC, GRP_DIST, GICD_IPRIORITYR + i);
	for (int c = 0; c < NR_VCPUS; c++) {
		m = vcpu_mpidr_attr(c);
		for (int i = 0; i < ARRAY_SIZE(icc_fixed); i++)
			put(e, s, SNAP_GIC, GRP_SYSREGS, m | icc_fixed[i]);
		for (int n = icc_nr_apr(saved(s, SNAP_GIC, GRP_SYSREGS, m | ICC_CTLR)) - 1;
		     n >= 0; n--)
			put(e, s, SNAP_GIC, GRP_SYSREGS, m | ICC_AP0R(n));
		for (int n = icc_nr_apr(saved(s, SNAP_GIC, GRP_SYSREGS, m | ICC_CTLR)) - 1;
		     n >= 0; n--)
			put(e, s, SNAP_GIC, GRP_SYSREGS, m | ICC_AP1R(n));
	}
}

/* kvm_arm_its_post_load() */
static void restore_its(struct its_env *e, const struct snap *s)
{
	int r;

	put(e, s, SNAP_ITS, GRP_ITS, GITS_IIDR);
	put(e, s, SNAP_ITS, GRP_ITS, GITS_CBASER);
	put(e, s, SNAP_ITS, GRP_ITS, GITS_CREADR);
	put(e, s, SNAP_ITS, GRP_ITS, GITS_CWRITER);
	for (int i = 0; i < 8; i++)
		put(e, s, SNAP_ITS, GRP_ITS, GITS_BASER + 8 * i);
	r = __its_restore(e->its_fd);
	TEST_ASSERT(!r, "%s: ITS RESTORE_TABLES: %s", vgic3_impl_name(), strerror(-r));
	put(e, s, SNAP_ITS, GRP_ITS, GITS_CTLR);
}

/*
 * Every register, not only those QEMU saves: each 32-bit word of the
 * spans of the distributor and redistributor frames that hold registers
 * (the rest is RAZ/WI, vgic_attr_test), every ICC_* register, every
 * LEVEL_INFO word, every ITS register offset. Errors are recorded, not
 * fatal: both implementations must answer the same.
 */
static void sweep(struct its_env *e, struct snap *s)
{
	static const uint32_t icc_all[] = {
		ICC_SRE, ICC_CTLR, ICC_IGRPEN0, ICC_IGRPEN1, ICC_PMR, ICC_BPR0,
		ICC_BPR1, ICC_AP0R(0), ICC_AP0R(1), ICC_AP0R(2), ICC_AP0R(3),
		ICC_AP1R(0), ICC_AP1R(1), ICC_AP1R(2), ICC_AP1R(3),
	};
	uint32_t off;

	for (off = 0; off < 0xe00; off += 4)
		probe(e, s, SNAP_GIC, GRP_DIST, off);
	for (off = GICD_IROUTER; off < GICD_IROUTER + 8 * NR_IRQS; off += 4)
		probe(e, s, SNAP_GIC, GRP_DIST, off);
	for (off = GICD_IDREGS; off < 0x10000; off += 4)
		probe(e, s, SNAP_GIC, GRP_DIST, off);
	for (int c = 0; c < NR_VCPUS; c++) {
		uint64_t m = vcpu_mpidr_attr(c);

		for (off = 0; off < 0x100; off += 4)
			probe(e, s, SNAP_GIC, GRP_REDIST, m | off);
		for (off = GICR_IDREGS; off < 0x10000; off += 4)
			probe(e, s, SNAP_GIC, GRP_REDIST, m | off);
		for (off = SGI_BASE; off < SGI_BASE + 0xe04; off += 4)
			probe(e, s, SNAP_GIC, GRP_REDIST, m | off);
		for (off = SGI_BASE + GICR_IDREGS; off < 0x20000; off += 4)
			probe(e, s, SNAP_GIC, GRP_REDIST, m | off);
		for (int i = 0; i < ARRAY_SIZE(icc_all); i++)
			probe(e, s, SNAP_GIC, GRP_SYSREGS, m | icc_all[i]);
		for (uint32_t i = 0; i < NR_IRQS; i += 32)
			probe(e, s, SNAP_GIC, GRP_LEVEL, level_attr(c, 0, i));
	}
	for (off = 0; off < 0x140; off += 4)
		probe(e, s, SNAP_ITS, GRP_ITS, off);
	for (off = GITS_IDREGS_BASE; off < 0x10000; off += 4)
		probe(e, s, SNAP_ITS, GRP_ITS, off);
}

/* ------------------------------------------------------------ reporting */

struct span_name {
	uint32_t base, end, stride;
	const char *name;
};

static const struct span_name gicd_names[] = {
	{ 0x0000, 0x0004, 4, "GICD_CTLR" }, { 0x0004, 0x0008, 4, "GICD_TYPER" },
	{ 0x0008, 0x000c, 4, "GICD_IIDR" }, { 0x000c, 0x0010, 4, "GICD_TYPER2" },
	{ 0x0010, 0x0014, 4, "GICD_STATUSR" },
	{ 0x0040, 0x0044, 4, "GICD_SETSPI_NSR" }, { 0x0048, 0x004c, 4, "GICD_CLRSPI_NSR" },
	{ 0x0080, 0x0100, 4, "GICD_IGROUPR" }, { 0x0100, 0x0180, 4, "GICD_ISENABLER" },
	{ 0x0180, 0x0200, 4, "GICD_ICENABLER" }, { 0x0200, 0x0280, 4, "GICD_ISPENDR" },
	{ 0x0280, 0x0300, 4, "GICD_ICPENDR" }, { 0x0300, 0x0380, 4, "GICD_ISACTIVER" },
	{ 0x0380, 0x0400, 4, "GICD_ICACTIVER" }, { 0x0400, 0x0800, 4, "GICD_IPRIORITYR" },
	{ 0x0800, 0x0c00, 4, "GICD_ITARGETSR" }, { 0x0c00, 0x0d00, 4, "GICD_ICFGR" },
	{ 0x0d00, 0x0d80, 4, "GICD_IGRPMODR" }, { 0x0e00, 0x0f00, 4, "GICD_NSACR" },
	{ 0x6000, 0x8000, 8, "GICD_IROUTER" }, { 0xffd0, 0x10000, 4, "GICD_IDREG" },
};

static const struct span_name gicr_names[] = {
	{ 0x0000, 0x0004, 4, "GICR_CTLR" }, { 0x0004, 0x0008, 4, "GICR_IIDR" },
	{ 0x0008, 0x0010, 8, "GICR_TYPER" }, { 0x0010, 0x0014, 4, "GICR_STATUSR" },
	{ 0x0014, 0x0018, 4, "GICR_WAKER" }, { 0x0040, 0x0048, 8, "GICR_SETLPIR" },
	{ 0x0048, 0x0050, 8, "GICR_CLRLPIR" }, { 0x0070, 0x0078, 8, "GICR_PROPBASER" },
	{ 0x0078, 0x0080, 8, "GICR_PENDBASER" }, { 0x00a0, 0x00a8, 8, "GICR_INVLPIR" },
	{ 0x00b0, 0x00b8, 8, "GICR_INVALLR" }, { 0x00c0, 0x00c4, 4, "GICR_SYNCR" },
	{ 0xffd0, 0x10000, 4, "GICR_IDREG" },
	{ 0x10080, 0x10084, 4, "GICR_IGROUPR0" }, { 0x10100, 0x10104, 4, "GICR_ISENABLER0" },
	{ 0x10180, 0x10184, 4, "GICR_ICENABLER0" }, { 0x10200, 0x10204, 4, "GICR_ISPENDR0" },
	{ 0x10280, 0x10284, 4, "GICR_ICPENDR0" }, { 0x10300, 0x10304, 4, "GICR_ISACTIVER0" },
	{ 0x10380, 0x10384, 4, "GICR_ICACTIVER0" }, { 0x10400, 0x10420, 4, "GICR_IPRIORITYR" },
	{ 0x10c00, 0x10c08, 4, "GICR_ICFGR" }, { 0x10d00, 0x10d04, 4, "GICR_IGRPMODR0" },
	{ 0x10e00, 0x10e04, 4, "GICR_NSACR" },
};

static const struct span_name gits_names[] = {
	{ 0x0000, 0x0004, 4, "GITS_CTLR" }, { 0x0004, 0x0008, 4, "GITS_IIDR" },
	{ 0x0008, 0x0010, 8, "GITS_TYPER" }, { 0x0080, 0x0088, 8, "GITS_CBASER" },
	{ 0x0088, 0x0090, 8, "GITS_CWRITER" }, { 0x0090, 0x0098, 8, "GITS_CREADR" },
	{ 0x0100, 0x0140, 8, "GITS_BASER" }, { 0xffd0, 0x10000, 4, "GITS_IDREG" },
};

static void span_name(const struct span_name *t, int nt, const char *frame,
		      uint32_t off, char *buf, size_t n)
{
	for (int i = 0; i < nt; i++) {
		uint32_t idx = (off - t[i].base) / t[i].stride;
		uint32_t rem = (off - t[i].base) % t[i].stride;

		if (off < t[i].base || off >= t[i].end)
			continue;
		if (t[i].end - t[i].base == t[i].stride)
			snprintf(buf, n, "%s%s", t[i].name, rem ? " (upper half)" : "");
		else
			snprintf(buf, n, "%s%u%s", t[i].name, idx, rem ? " (upper half)" : "");
		return;
	}
	snprintf(buf, n, "%s+0x%x", frame, off);
}

static int mpidr_vcpu(uint64_t attr)
{
	return ((attr >> 32) & 0xf) | (((attr >> 40) & 0xff) << 4);
}

static const char *icc_name(uint32_t r)
{
	static const struct { uint32_t r; const char *n; } t[] = {
		{ ICC_SRE, "ICC_SRE_EL1" }, { ICC_CTLR, "ICC_CTLR_EL1" },
		{ ICC_IGRPEN0, "ICC_IGRPEN0_EL1" }, { ICC_IGRPEN1, "ICC_IGRPEN1_EL1" },
		{ ICC_PMR, "ICC_PMR_EL1" }, { ICC_BPR0, "ICC_BPR0_EL1" },
		{ ICC_BPR1, "ICC_BPR1_EL1" }, { ICC_AP0R(0), "ICC_AP0R0_EL1" },
		{ ICC_AP0R(1), "ICC_AP0R1_EL1" }, { ICC_AP0R(2), "ICC_AP0R2_EL1" },
		{ ICC_AP0R(3), "ICC_AP0R3_EL1" }, { ICC_AP1R(0), "ICC_AP1R0_EL1" },
		{ ICC_AP1R(1), "ICC_AP1R1_EL1" }, { ICC_AP1R(2), "ICC_AP1R2_EL1" },
		{ ICC_AP1R(3), "ICC_AP1R3_EL1" },
	};

	for (int i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].r == r)
			return t[i].n;
	return "ICC_?";
}

static const char *ent_name(const struct snap_ent *x, char *buf, size_t n)
{
	uint32_t off = x->attr & 0xffffffff;
	int cpu = mpidr_vcpu(x->attr);
	char reg[40];

	switch (x->grp) {
	case GRP_DIST:
		span_name(gicd_names, ARRAY_SIZE(gicd_names), "GICD", off, buf, n);
		break;
	case GRP_REDIST:
		span_name(gicr_names, ARRAY_SIZE(gicr_names), "GICR", off, reg, sizeof(reg));
		snprintf(buf, n, "vCPU%d %s", cpu, reg);
		break;
	case GRP_SYSREGS:
		snprintf(buf, n, "vCPU%d %s", cpu, icc_name(off));
		break;
	case GRP_LEVEL:
		off &= KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK;
		snprintf(buf, n, "vCPU%d LEVEL_INFO INTID %u-%u", cpu, off, off + 31);
		break;
	case GRP_ITS:
		span_name(gits_names, ARRAY_SIZE(gits_names), "GITS", off, buf, n);
		break;
	default:
		snprintf(buf, n, "group %u attr 0x%lx", x->grp, x->attr);
	}
	return buf;
}

/* Two snapshots taken with the same sequence of GETs, value by value. */
static int snap_diff(struct __test_metadata *_metadata, const char *dir,
		     const char *what, const struct snap *a, const struct snap *b)
{
	int diffs = 0;

	TEST_ASSERT(a->n == b->n, "%s: %d GETs against %d", what, a->n, b->n);
	for (int i = 0; i < a->n; i++) {
		const struct snap_ent *x = &a->e[i], *y = &b->e[i];
		char name[64];

		TEST_ASSERT(x->grp == y->grp && x->attr == y->attr, "%s: order", what);
		if (x->val == y->val && x->err == y->err)
			continue;
		if (diffs++ < 40)
			TH_LOG("%s: %s: %s: A 0x%lx%s%s, B 0x%lx%s%s", dir, what,
			       ent_name(x, name, sizeof(name)),
			       x->val, x->err ? " " : "", x->err ? strerror(x->err) : "",
			       y->val, y->err ? " " : "", y->err ? strerror(y->err) : "");
	}
	return diffs;
}

/* Guest memory byte for byte; the first difference is named. */
static int mem_diff(struct __test_metadata *_metadata, const char *dir,
		    const char *what, const uint8_t *a, const uint8_t *b,
		    uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++) {
		uint64_t ea, eb, at = i & ~7ULL;

		if (a[i] == b[i])
			continue;
		memcpy(&ea, a + at, 8);
		memcpy(&eb, b + at, 8);
		TH_LOG("%s: %s: first difference at +0x%lx: A 0x%016lx, B 0x%016lx",
		       dir, what, at - from, ea, eb);
		return 1;
	}
	return 0;
}

static bool pend_bit(const uint8_t *mem, int vcpu, uint32_t intid)
{
	return mem[ITS_OFF_PEND + vcpu * SZ_64K + intid / 8] & (1 << (intid % 8));
}

static int pend_bits(const uint8_t *mem)
{
	int n = 0;

	for (int c = 0; c < NR_VCPUS; c++)
		for (int i = PEND_LPI_OFF; i < SZ_64K; i++)
			n += __builtin_popcount(mem[ITS_OFF_PEND + c * SZ_64K + i]);
	return n;
}

static uint64_t ent64(const uint8_t *mem, uint64_t off)
{
	uint64_t v;

	memcpy(&v, mem + off, 8);
	return v;
}

#define DTE(mem, dev)		ent64(mem, ITS_OFF_DT + 8 * (dev))
#define CTE(mem, i)		ent64(mem, ITS_OFF_CT + 8 * (i))
#define ITE(mem, slot, ev)	ent64(mem, ITS_OFF_ITT + (slot) * ITS_ITT_STRIDE + 8 * (ev))

/*
 * What A's save wrote (ABI revision 0), so that identical bytes on B mean
 * the state survived, not that both sides wrote nothing. @e: a VM with A's
 * memory layout (B's is the same), for the ITT addresses.
 */
static void check_saved_image(struct __test_metadata *_metadata,
			      struct its_env *e, const uint8_t *mem)
{
	EXPECT_EQ(mk_dte(2, its_itt_gpa(e, 0), 3), DTE(mem, 0));
	EXPECT_EQ(mk_dte(3, its_itt_gpa(e, 2), 1), DTE(mem, 2));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 1), 3), DTE(mem, 5));
	EXPECT_EQ(0, DTE(mem, 9));
	EXPECT_EQ(mk_ite(5, ITS_LPI(0), 0), ITE(mem, 0, 0));
	EXPECT_EQ(0, ITE(mem, 0, 1));
	EXPECT_EQ(mk_ite(10, ITS_LPI(5), 3), ITE(mem, 0, 5));
	EXPECT_EQ(mk_ite(0, ITS_LPI(15), 2), ITE(mem, 0, 15));
	EXPECT_EQ(mk_ite(5, ITS_LPI(40), 1), ITE(mem, 1, 2));
	EXPECT_EQ(mk_ite(2, ITS_LPI(41), 0), ITE(mem, 1, 7));
	EXPECT_EQ(mk_ite(0, ITS_LPI(42), 0), ITE(mem, 1, 9));
	EXPECT_EQ(mk_ite(3, ITS_LPI(60), 2), ITE(mem, 2, 0));
	EXPECT_EQ(mk_ite(0, ITS_LPI(61), 1), ITE(mem, 2, 3));
	EXPECT_EQ(0, ITE(mem, 3, 1));
	/* in the order the collections were mapped */
	EXPECT_EQ(mk_cte(0, 3), CTE(mem, 0));
	EXPECT_EQ(mk_cte(0, 0), CTE(mem, 1));
	EXPECT_EQ(mk_cte(1, 1), CTE(mem, 2));
	EXPECT_EQ(mk_cte(0, 2), CTE(mem, 3));
	EXPECT_EQ(0, CTE(mem, 4));
	for (int i = 0; i < ARRAY_SIZE(pending_in_a); i++) {
		EXPECT_TRUE(pend_bit(mem, pending_in_a[i].vcpu, ITS_LPI(pending_in_a[i].lpi)))
			TH_LOG("LPI %d on vCPU %d", ITS_LPI(pending_in_a[i].lpi),
			       pending_in_a[i].vcpu);
	}
	EXPECT_EQ((int)ARRAY_SIZE(pending_in_a), pend_bits(mem));
}

/* ------------------------------------------------------------ the test */

struct xfer {
	bool from_module;
	char dir[32];
	struct snap saved_a, saved_b;	/* QEMU's GETs */
	struct snap all_a, all_b;	/* every register */
	uint8_t *img_a, *img_b;		/* the ITS memslot after each save */
	int restored_pend_bits;		/* bits left in B's pending tables */
	struct its_env *b;		/* alive, for the checks that go on */
};

/*
 * The whole migration of one direction; B stays alive. Fatal on any
 * failed ioctl (a VMM aborts the migration there).
 */
static void cross_migrate(struct __test_metadata *_metadata, bool from_module,
			  struct xfer *x)
{
	struct its_env *a, *b;
	int ret;

	memset(x, 0, sizeof(*x));
	x->from_module = from_module;
	snprintf(x->dir, sizeof(x->dir), "%s -> %s", impl_of(from_module),
		 impl_of(!from_module));
	x->img_a = malloc(ITS_MEM_SIZE);
	x->img_b = malloc(ITS_MEM_SIZE);
	ASSERT_TRUE(x->img_a && x->img_b);

	/* the source host */
	ret = use_impl(from_module);
	ASSERT_EQ(0, ret) TH_LOG("switching to %s: %s", impl_of(from_module), strerror(-ret));
	a = xvm_create();
	ASSERT_EQ(from_module, served_by_module(a->gic_fd));
	ASSERT_EQ(from_module, served_by_module(a->its_fd));
	program_dist(a->gic_fd);
	program_redist_icc(a->gic_fd);
	program_its(a);
	save_qemu(a, &x->saved_a);
	memcpy(x->img_a, a->mem, ITS_MEM_SIZE);
	sweep(a, &x->all_a);
	its_env_free(a);

	/* the destination host */
	ret = use_impl(!from_module);
	ASSERT_EQ(0, ret) TH_LOG("switching to %s: %s", impl_of(!from_module), strerror(-ret));
	b = x->b = xvm_create();
	ASSERT_EQ(!from_module, served_by_module(b->gic_fd));
	ASSERT_EQ(!from_module, served_by_module(b->its_fd));
	restore_gic(b, &x->saved_a);
	memcpy(b->mem, x->img_a, ITS_MEM_SIZE);
	restore_its(b, &x->saved_a);
	sweep(b, &x->all_b);
	x->restored_pend_bits = pend_bits(b->mem);

	/* B's own save, into tables and pending tables cleared beforehand */
	memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	for (int c = 0; c < NR_VCPUS; c++)
		memset(its_hva(b, ITS_OFF_PEND + c * SZ_64K + PEND_LPI_OFF), 0,
		       SZ_64K - PEND_LPI_OFF);
	save_qemu(b, &x->saved_b);
	memcpy(x->img_b, b->mem, ITS_MEM_SIZE);
}

static void xfer_free(struct xfer *x)
{
	if (x->b)
		its_env_free(x->b);
	snap_free(&x->saved_a);
	snap_free(&x->saved_b);
	snap_free(&x->all_a);
	snap_free(&x->all_b);
	free(x->img_a);
	free(x->img_b);
}

/*
 * B's ITS goes on from the restored CWRITER: a new ITE, an LPI made pending
 * through it, a DISCARD, a new collection (appended to the table after the
 * restored ones) and a MOVI to it, all visible in B's next save.
 */
static void check_its_is_live(struct __test_metadata *_metadata, struct xfer *x)
{
	struct its_env *b = x->b;
	struct its_cmd seq[] = {
		its_cmd_mapti(2, 1, ITS_LPI(62), 3),
		its_cmd_dev_ev(GITS_CMD_INT, 2, 1),		/* -> vCPU 0 */
		its_cmd_dev_ev(GITS_CMD_DISCARD, 5, 7),
		its_cmd_mapc(7, 1, true),
		its_cmd_movi(0, 15, 7),
		its_cmd_sync(1),
	};
	uint64_t cw = saved(&x->saved_a, SNAP_ITS, GRP_ITS, GITS_CWRITER);
	uint64_t cbaser = saved(&x->saved_a, SNAP_ITS, GRP_ITS, GITS_CBASER);
	uint64_t qsize = its_cmdq_bytes(cbaser);

	its_sendv(b, seq, ARRAY_SIZE(seq));
	EXPECT_EQ((cw + sizeof(seq)) % qsize, its_reg_get(b->its_fd, GITS_CREADR));
	ASSERT_EQ(0, __its_save(b->its_fd));
	ASSERT_EQ(0, __gic_save_pending(b->gic_fd));
	EXPECT_EQ(mk_ite(1, ITS_LPI(60), 2), ITE(b->mem, 2, 0));
	EXPECT_EQ(mk_ite(2, ITS_LPI(62), 3), ITE(b->mem, 2, 1));
	EXPECT_EQ(mk_ite(0, ITS_LPI(61), 1), ITE(b->mem, 2, 3));
	EXPECT_EQ(mk_ite(7, ITS_LPI(40), 1), ITE(b->mem, 1, 2));
	EXPECT_EQ(0, ITE(b->mem, 1, 7));
	EXPECT_EQ(mk_ite(0, ITS_LPI(42), 0), ITE(b->mem, 1, 9));
	EXPECT_EQ(mk_ite(0, ITS_LPI(15), 7), ITE(b->mem, 0, 15));
	EXPECT_EQ(mk_cte(1, 7), CTE(b->mem, 4));
	EXPECT_TRUE(pend_bit(b->mem, 0, ITS_LPI(62)));
	EXPECT_FALSE(pend_bit(b->mem, 1, ITS_LPI(41)));
	EXPECT_EQ((int)ARRAY_SIZE(pending_in_a) + 1, pend_bits(b->mem));
}

FIXTURE(cross) {};

FIXTURE_VARIANT(cross) {
	bool from_module;
};

FIXTURE_VARIANT_ADD(cross, in_kernel_to_module) {
	.from_module = false,
};

FIXTURE_VARIANT_ADD(cross, module_to_in_kernel) {
	.from_module = true,
};

FIXTURE_SETUP(cross)
{
	const char *ko = getenv("KVM_VGIC3_KO");

	/* Without the .ko a loaded module could not be put back. */
	if (access(ko ? ko : "./kvm_vgic3.ko", R_OK))
		SKIP(return, "no kvm_vgic3.ko to load (set KVM_VGIC3_KO)");
}

/* In the test's parent, once the process holding the VMs is gone. */
FIXTURE_TEARDOWN_PARENT(cross)
{
	int ret = use_impl(initially_loaded);

	EXPECT_EQ(0, ret) TH_LOG("putting back %s: %s", impl_of(initially_loaded),
				 strerror(-ret));
	EXPECT_EQ(initially_loaded, vgic3_module_loaded());
}

TEST_F_TIMEOUT(cross, saved_state_restores_into_the_other_implementation, 900)
{
	struct xfer x;
	struct its_env *b;
	int regs, all, tables;

	cross_migrate(_metadata, variant->from_module, &x);
	b = x.b;

	/* A's save holds the programmed state */
	check_saved_image(_metadata, b, x.img_a);

	/* registers: B saves what A saved, and answers every GET as A did */
	regs = snap_diff(_metadata, x.dir, "QEMU's registers", &x.saved_a, &x.saved_b);
	all = snap_diff(_metadata, x.dir, "register GET", &x.all_a, &x.all_b);
	TH_LOG("%s: %d registers saved, %d GETs compared", x.dir, x.saved_a.n, x.all_a.n);
	EXPECT_EQ(0, regs);
	EXPECT_EQ(0, all);

	/* ITS tables byte for byte */
	tables = mem_diff(_metadata, x.dir, "device table", x.img_a, x.img_b,
			  ITS_OFF_DT, ITS_OFF_CT);
	tables += mem_diff(_metadata, x.dir, "collection table", x.img_a, x.img_b,
			   ITS_OFF_CT, ITS_OFF_CMDQ);
	tables += mem_diff(_metadata, x.dir, "ITTs", x.img_a, x.img_b,
			   ITS_OFF_ITT, ITS_OFF_PROP);
	EXPECT_EQ(0, tables);

	/* pending LPIs: the same bits, in memory B's save started from zero */
	for (int c = 0; c < NR_VCPUS; c++)
		EXPECT_EQ(0, mem_diff(_metadata, x.dir, c ? "pending table vCPU1" :
				      "pending table vCPU0", x.img_a, x.img_b,
				      ITS_OFF_PEND + c * SZ_64K,
				      ITS_OFF_PEND + (c + 1) * SZ_64K));
	/* a restored LPI takes its bit out of the table, as KVM's vgic_add_lpi() */
	EXPECT_EQ(0, x.restored_pend_bits)
		TH_LOG("%s: %d pending bits left in memory by RESTORE_TABLES",
		       x.dir, x.restored_pend_bits);

	check_its_is_live(_metadata, &x);
	xfer_free(&x);
}

TEST_HARNESS_MAIN
