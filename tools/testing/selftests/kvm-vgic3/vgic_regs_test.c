// SPDX-License-Identifier: GPL-2.0
/*
 * Register values after INIT and the userspace write/read-back rules of
 * DIST_REGS / REDIST_REGS / LEVEL_INFO, as the in-kernel vgic of Linux 6.12
 * implements them (measured on the test host where the documentation is
 * silent or wrong).
 */
#include <errno.h>
#include <linux/sizes.h>

#include "kselftest_harness.h"
#include "common_vgic.h"
#include "impl.h"

#define A_DIST		KVM_VGIC_V3_ADDR_TYPE_DIST
#define A_REDIST	KVM_VGIC_V3_ADDR_TYPE_REDIST
#define A_REGION	KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION
#define IIDR_KVM(rev)	(0x4b000000 | ((rev) << 12) | 0x43b)

static struct vgic_vm *ready_vm(int nr_vcpus, uint32_t nr_irqs)
{
	struct vgic_vm *v = vgic_vm_create(nr_vcpus, NULL);

	vgic_vm_setup(v, nr_irqs);
	return v;
}

static int its_create(struct vgic_vm *v)
{
	uint64_t a = GITS_BASE_GPA;
	int its = kvm_create_device(v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);

	kvm_device_attr_set(its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &a);
	return its;
}

/* ------------------------------------------------------------- defaults */

TEST(gicd_id_registers_after_init)
{
	struct vgic_vm *v = ready_vm(1, 128);
	int fd = v->gic_fd;
	uint32_t typer = dist_rd(fd, GICD_TYPER);

	EXPECT_EQ(GICD_CTLR_ARE_NS | GICD_CTLR_DS, dist_rd(fd, GICD_CTLR));
	EXPECT_EQ(128 / 32 - 1, typer & 0x1f);
	EXPECT_EQ(10, GICD_TYPER_ID_BITS(typer));	/* no ITS: SPIs only */
	EXPECT_EQ(0, typer & GICD_TYPER_LPIS);
	EXPECT_EQ(IIDR_KVM(3), dist_rd(fd, GICD_IIDR));
	EXPECT_EQ(0, dist_rd(fd, GICD_TYPER2));
	EXPECT_EQ(0x3b, dist_rd(fd, GICD_PIDR2));
	vgic_vm_free(v);
}

TEST(gicd_typer_with_its_reports_lpis_and_16_id_bits)
{
	struct vgic_vm *v = vgic_vm_create(1, NULL);
	int its = its_create(v), fd = v->gic_fd;
	uint32_t typer;

	vgic_vm_setup(v, 64);
	typer = dist_rd(fd, GICD_TYPER);
	EXPECT_EQ(GICD_TYPER_LPIS, typer & GICD_TYPER_LPIS);
	EXPECT_EQ(16, GICD_TYPER_ID_BITS(typer));
	EXPECT_EQ(GICR_TYPER_PLPIS, redist_rd(fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS);
	close(its);
	vgic_vm_free(v);
}

TEST(per_irq_registers_after_init)
{
	struct vgic_vm *v = ready_vm(2, 96);
	int fd = v->gic_fd;

	for (int i = 32; i < 96; i += 32) {
		EXPECT_EQ(0xffffffff, dist_rd(fd, GICD_IGROUPR + i / 8));	/* group 1 */
		EXPECT_EQ(0, dist_rd(fd, GICD_ISENABLER + i / 8));
		EXPECT_EQ(0, dist_rd(fd, GICD_ISPENDR + i / 8));
		EXPECT_EQ(0, dist_rd(fd, GICD_ISACTIVER + i / 8));
		/* measured: SPIs are edge-triggered after INIT */
		EXPECT_EQ(0xaaaaaaaa, dist_rd(fd, GICD_ICFGR + i / 4));
		EXPECT_EQ(0xaaaaaaaa, dist_rd(fd, GICD_ICFGR + i / 4 + 4));
		EXPECT_EQ(0, dist_rd(fd, GICD_IPRIORITYR + i));
		EXPECT_EQ(0, dist_rd(fd, GICD_IROUTER + 8 * i));
	}
	for (int c = 0; c < 2; c++) {
		EXPECT_EQ(0xffffffff, redist_rd(fd, c, SGI_BASE + GICR_IGROUPR0));
		/* SGIs are always enabled in the in-kernel vgic */
		EXPECT_EQ(0x0000ffff, redist_rd(fd, c, SGI_BASE + GICR_ISENABLER0));
		EXPECT_EQ(0xaaaaaaaa, redist_rd(fd, c, SGI_BASE + GICR_ICFGR0));
		EXPECT_EQ(0, redist_rd(fd, c, SGI_BASE + GICR_ICFGR0 + 4));
		EXPECT_EQ(0, redist_rd(fd, c, SGI_BASE + GICR_IPRIORITYR0));
		EXPECT_EQ(0, redist_rd(fd, c, GICR_WAKER));
		EXPECT_EQ(GICR_CTLR_IR | GICR_CTLR_CES, redist_rd(fd, c, GICR_CTLR));
		EXPECT_EQ(IIDR_KVM(0), redist_rd(fd, c, GICR_IIDR));
		EXPECT_EQ(0x3b, redist_rd(fd, c, GICR_PIDR2));
	}
	vgic_vm_free(v);
}

TEST(icc_registers_after_init)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;
	uint64_t ctlr = icc_rd(fd, 0, ICC_CTLR);

	TH_LOG("%s: ICC_CTLR 0x%lx BPR0 %lu BPR1 %lu", vgic3_impl_name(), ctlr,
	       icc_rd(fd, 0, ICC_BPR0), icc_rd(fd, 0, ICC_BPR1));
	EXPECT_EQ(7, icc_rd(fd, 0, ICC_SRE));
	EXPECT_EQ(0, icc_rd(fd, 0, ICC_PMR));
	EXPECT_EQ(0, icc_rd(fd, 0, ICC_IGRPEN0));
	EXPECT_EQ(0, icc_rd(fd, 0, ICC_IGRPEN1));
	EXPECT_EQ(0, icc_rd(fd, 0, ICC_AP0R(0)));
	EXPECT_EQ(0, icc_rd(fd, 0, ICC_AP1R(0)));
	EXPECT_EQ(0, ctlr & 3);			/* CBPR, EOImode */
	/*
	 * The host's ICH_VTR_EL2 as both implementations present it: A3V,
	 * 24-bit INTIDs, 5 priority bits (QEMU's -cpu max GICv3, the test
	 * host), SEIS clear.
	 */
	EXPECT_EQ(0x8c00, ctlr);
	vgic_vm_free(v);
}

/* ----------------------------------------------------------------- GICD */

TEST(gicd_ctlr_enable_grp1_only)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_CTLR, 0xffffffff);
	EXPECT_EQ(GICD_CTLR_ARE_NS | GICD_CTLR_DS | GICD_CTLR_ENABLE_SS_G1,
		  dist_rd(fd, GICD_CTLR));
	dist_wr(fd, GICD_CTLR, 0);
	EXPECT_EQ(GICD_CTLR_ARE_NS | GICD_CTLR_DS, dist_rd(fd, GICD_CTLR));
	vgic_vm_free(v);
}

TEST(gicd_iidr_revision_write_back)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(0, dist_write(fd, GICD_IIDR, IIDR_KVM(3)));
	EXPECT_EQ(0, dist_write(fd, GICD_IIDR, IIDR_KVM(2)));
	EXPECT_EQ(IIDR_KVM(2), dist_rd(fd, GICD_IIDR));
	/* revision 2 has no GICR_CTLR.{IR,CES} */
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_CTLR));
	EXPECT_EQ(0, dist_write(fd, GICD_IIDR, IIDR_KVM(3)));
	EXPECT_EQ(GICR_CTLR_IR | GICR_CTLR_CES, redist_rd(fd, 0, GICR_CTLR));
	vgic_vm_free(v);
}

TEST(gicd_iidr_unknown_revision_is_einval)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(0)));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(1)));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(4)));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(15)));
	EXPECT_EQ(IIDR_KVM(3), dist_rd(fd, GICD_IIDR));
	vgic_vm_free(v);
}

TEST(gicd_iidr_other_fields_changed_is_einval)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(3) ^ 1));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(3) ^ (1 << 24)));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_IIDR, IIDR_KVM(3) | (1 << 16)));
	vgic_vm_free(v);
}

TEST(gicd_typer2_write_must_match)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(0, dist_write(fd, GICD_TYPER2, dist_rd(fd, GICD_TYPER2)));
	EXPECT_EQ(EINVAL, dist_write(fd, GICD_TYPER2, dist_rd(fd, GICD_TYPER2) ^ 1));
	vgic_vm_free(v);
}

TEST(gicd_typer_is_read_only)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;
	uint32_t typer = dist_rd(fd, GICD_TYPER);

	EXPECT_EQ(0, dist_write(fd, GICD_TYPER, 0));
	EXPECT_EQ(typer, dist_rd(fd, GICD_TYPER));
	vgic_vm_free(v);
}

/*
 * The documentation says a userspace write of GICD_STATUSR sets the bits as
 * written. Measured on 6.12: GICD_STATUSR reads all ones and ignores
 * writes; GICR_STATUSR reads zero and ignores writes.
 */
TEST(statusr_is_rao_wi_for_gicd_and_raz_wi_for_gicr)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(0xffffffff, dist_rd(fd, GICD_STATUSR));
	dist_wr(fd, GICD_STATUSR, 0);
	EXPECT_EQ(0xffffffff, dist_rd(fd, GICD_STATUSR));
	redist_wr(fd, 0, GICR_STATUSR, 0xf);
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_STATUSR));
	vgic_vm_free(v);
}

TEST(isenabler_sets_icenabler_clears)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_ISENABLER + 4, 0xf0f0);
	EXPECT_EQ(0xf0f0, dist_rd(fd, GICD_ISENABLER + 4));
	EXPECT_EQ(0xf0f0, dist_rd(fd, GICD_ICENABLER + 4));
	dist_wr(fd, GICD_ISENABLER + 4, 0x0001);	/* 0 bits leave it */
	EXPECT_EQ(0xf0f1, dist_rd(fd, GICD_ISENABLER + 4));
	dist_wr(fd, GICD_ICENABLER + 4, 0x3030);
	EXPECT_EQ(0xc0c1, dist_rd(fd, GICD_ISENABLER + 4));
	/* SGIs/PPIs through the redistributor */
	redist_wr(fd, 0, SGI_BASE + GICR_ICENABLER0, 0xffffffff);
	EXPECT_EQ(0, redist_rd(fd, 0, SGI_BASE + GICR_ISENABLER0));
	redist_wr(fd, 0, SGI_BASE + GICR_ISENABLER0, 0x80000001);
	EXPECT_EQ(0x80000001, redist_rd(fd, 0, SGI_BASE + GICR_ISENABLER0));
	/* the private part of the GICD registers is RAZ/WI */
	dist_wr(fd, GICD_ISENABLER, 0xffffffff);
	EXPECT_EQ(0, dist_rd(fd, GICD_ISENABLER));
	vgic_vm_free(v);
}

TEST(ispendr_is_the_latch_icpendr_is_raz_wi)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_ISPENDR + 4, 0x5);
	EXPECT_EQ(0x5, dist_rd(fd, GICD_ISPENDR + 4));
	EXPECT_EQ(0, dist_rd(fd, GICD_ICPENDR + 4));
	dist_wr(fd, GICD_ICPENDR + 4, 0xffffffff);
	EXPECT_EQ(0x5, dist_rd(fd, GICD_ISPENDR + 4));
	/* a userspace ISPENDR write sets the latch exactly as written */
	dist_wr(fd, GICD_ISPENDR + 4, 0x4);
	EXPECT_EQ(0x4, dist_rd(fd, GICD_ISPENDR + 4));
	dist_wr(fd, GICD_ISPENDR + 4, 0);
	EXPECT_EQ(0, dist_rd(fd, GICD_ISPENDR + 4));
	/* same for GICR_ISPENDR0 */
	redist_wr(fd, 0, SGI_BASE + GICR_ISPENDR0, 0x80010002);
	EXPECT_EQ(0x80010002, redist_rd(fd, 0, SGI_BASE + GICR_ISPENDR0));
	EXPECT_EQ(0, redist_rd(fd, 0, SGI_BASE + GICR_ICPENDR0));
	redist_wr(fd, 0, SGI_BASE + GICR_ICPENDR0, 0xffffffff);
	EXPECT_EQ(0x80010002, redist_rd(fd, 0, SGI_BASE + GICR_ISPENDR0));
	redist_wr(fd, 0, SGI_BASE + GICR_ISPENDR0, 0x2);
	EXPECT_EQ(0x2, redist_rd(fd, 0, SGI_BASE + GICR_ISPENDR0));
	vgic_vm_free(v);
}

TEST(isactiver_sets_icactiver_clears)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_ISACTIVER + 4, 0x30003);
	EXPECT_EQ(0x30003, dist_rd(fd, GICD_ISACTIVER + 4));
	EXPECT_EQ(0x30003, dist_rd(fd, GICD_ICACTIVER + 4));
	dist_wr(fd, GICD_ISACTIVER + 4, 0x4);
	EXPECT_EQ(0x30007, dist_rd(fd, GICD_ISACTIVER + 4));
	dist_wr(fd, GICD_ICACTIVER + 4, 0x10001);
	EXPECT_EQ(0x20006, dist_rd(fd, GICD_ISACTIVER + 4));
	redist_wr(fd, 0, SGI_BASE + GICR_ISACTIVER0, 0x10001);
	EXPECT_EQ(0x10001, redist_rd(fd, 0, SGI_BASE + GICR_ISACTIVER0));
	redist_wr(fd, 0, SGI_BASE + GICR_ICACTIVER0, 0x1);
	EXPECT_EQ(0x10000, redist_rd(fd, 0, SGI_BASE + GICR_ISACTIVER0));
	vgic_vm_free(v);
}

TEST(ipriorityr_keeps_5_priority_bits)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_IPRIORITYR + 32, 0xffffffff);
	EXPECT_EQ(0xf8f8f8f8, dist_rd(fd, GICD_IPRIORITYR + 32));
	dist_wr(fd, GICD_IPRIORITYR + 36, 0x12345678);
	EXPECT_EQ(0x10305078, dist_rd(fd, GICD_IPRIORITYR + 36));
	redist_wr(fd, 0, SGI_BASE + GICR_IPRIORITYR0 + 28, 0x87654321);
	EXPECT_EQ(0x80604020, redist_rd(fd, 0, SGI_BASE + GICR_IPRIORITYR0 + 28));
	vgic_vm_free(v);
}

TEST(icfgr_spi_odd_bits_only_ppi_read_only)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_ICFGR + 8, 0xffffffff);
	EXPECT_EQ(0xaaaaaaaa, dist_rd(fd, GICD_ICFGR + 8));
	dist_wr(fd, GICD_ICFGR + 12, 0x0000000a);
	EXPECT_EQ(0x0000000a, dist_rd(fd, GICD_ICFGR + 12));
	/* SGI and PPI configuration is read-only */
	redist_wr(fd, 0, SGI_BASE + GICR_ICFGR0, 0);
	EXPECT_EQ(0xaaaaaaaa, redist_rd(fd, 0, SGI_BASE + GICR_ICFGR0));
	redist_wr(fd, 0, SGI_BASE + GICR_ICFGR0 + 4, 0xaaaaaaaa);
	EXPECT_EQ(0, redist_rd(fd, 0, SGI_BASE + GICR_ICFGR0 + 4));
	vgic_vm_free(v);
}

TEST(igroupr_is_writable)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_IGROUPR + 4, 0x12345678);
	EXPECT_EQ(0x12345678, dist_rd(fd, GICD_IGROUPR + 4));
	redist_wr(fd, 0, SGI_BASE + GICR_IGROUPR0, 0xf0f0f0f0);
	EXPECT_EQ(0xf0f0f0f0, redist_rd(fd, 0, SGI_BASE + GICR_IGROUPR0));
	/* IGRPMODR is RAZ/WI */
	dist_wr(fd, GICD_IGRPMODR + 4, 0xffffffff);
	EXPECT_EQ(0, dist_rd(fd, GICD_IGRPMODR + 4));
	vgic_vm_free(v);
}

TEST(irouter_keeps_aff2_aff1_aff0)
{
	struct vgic_vm *v = ready_vm(2, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_IROUTER + 8 * 40, 0x80000001);	/* IRM | Aff0 1 */
	EXPECT_EQ(0x1, dist_rd(fd, GICD_IROUTER + 8 * 40));
	dist_wr(fd, GICD_IROUTER + 8 * 41, 0x00ffffff);
	EXPECT_EQ(0x00ffffff, dist_rd(fd, GICD_IROUTER + 8 * 41));
	dist_wr(fd, GICD_IROUTER + 8 * 41 + 4, 0xff);	/* Aff3 */
	EXPECT_EQ(0, dist_rd(fd, GICD_IROUTER + 8 * 41 + 4));
	/* private INTIDs have no IROUTER */
	dist_wr(fd, GICD_IROUTER + 8 * 20, 1);
	EXPECT_EQ(0, dist_rd(fd, GICD_IROUTER + 8 * 20));
	vgic_vm_free(v);
}

TEST(registers_beyond_nr_irqs_are_raz_wi)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	dist_wr(fd, GICD_ISENABLER + 8, 0xffffffff);
	EXPECT_EQ(0, dist_rd(fd, GICD_ISENABLER + 8));
	dist_wr(fd, GICD_IPRIORITYR + 64, 0xffffffff);
	EXPECT_EQ(0, dist_rd(fd, GICD_IPRIORITYR + 64));
	dist_wr(fd, GICD_IROUTER + 8 * 64, 1);
	EXPECT_EQ(0, dist_rd(fd, GICD_IROUTER + 8 * 64));
	vgic_vm_free(v);
}

/* ----------------------------------------------------------------- GICR */

static void check_typer(struct __test_metadata *_metadata, int fd, int nr,
			const bool *last)
{
	for (int c = 0; c < nr; c++) {
		uint32_t lo = redist_rd(fd, c, GICR_TYPER);
		uint32_t hi = redist_rd(fd, c, GICR_TYPER + 4);

		EXPECT_EQ(c, (lo >> 8) & 0xffff) TH_LOG("vcpu %d", c);
		EXPECT_EQ(last[c], !!(lo & GICR_TYPER_LAST)) TH_LOG("vcpu %d", c);
		EXPECT_EQ(vcpu_mpidr_attr(c) >> 32, hi) TH_LOG("vcpu %d", c);
	}
}

static void set_addr(int fd, uint64_t type, uint64_t val)
{
	kvm_device_attr_set(fd, GRP_ADDR, type, &val);
}

static void init(int fd)
{
	kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

TEST(gicr_typer_single_region)
{
	struct vgic_vm *v = vgic_vm_create(4, NULL);
	bool last[4] = { 0, 0, 0, 1 };

	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(4, 0x200000, 0, 0));
	init(v->gic_fd);
	check_typer(_metadata, v->gic_fd, 4, last);
	vgic_vm_free(v);
}

TEST(gicr_typer_legacy_redist)
{
	struct vgic_vm *v = vgic_vm_create(3, NULL);
	bool last[3] = { 0, 0, 1 };

	set_addr(v->gic_fd, A_REDIST, 0x200000);
	init(v->gic_fd);
	check_typer(_metadata, v->gic_fd, 3, last);
	vgic_vm_free(v);
}

TEST(gicr_typer_two_separate_regions)
{
	struct vgic_vm *v = vgic_vm_create(4, NULL);
	bool last[4] = { 0, 1, 0, 1 };

	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(2, 0x200000, 0, 0));
	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(2, 0x800000, 0, 1));
	init(v->gic_fd);
	check_typer(_metadata, v->gic_fd, 4, last);
	vgic_vm_free(v);
}

TEST(gicr_typer_two_contiguous_regions)
{
	struct vgic_vm *v = vgic_vm_create(4, NULL);
	bool last[4] = { 0, 0, 0, 1 };

	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(2, 0x200000, 0, 0));
	set_addr(v->gic_fd, A_REGION,
		 REDIST_REGION_ATTR_ADDR(2, 0x200000 + 2 * REDIST_SIZE, 0, 1));
	init(v->gic_fd);
	check_typer(_metadata, v->gic_fd, 4, last);
	vgic_vm_free(v);
}

TEST(gicr_typer_region_larger_than_vcpus)
{
	struct vgic_vm *v = vgic_vm_create(2, NULL);
	bool last[2] = { 0, 1 };

	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(8, 0x200000, 0, 0));
	init(v->gic_fd);
	check_typer(_metadata, v->gic_fd, 2, last);
	vgic_vm_free(v);
}

TEST(gicr_typer_regions_set_after_init)
{
	struct vgic_vm *v = vgic_vm_create(3, NULL);
	bool last[3] = { 1, 0, 1 };

	init(v->gic_fd);
	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(1, 0x200000, 0, 0));
	set_addr(v->gic_fd, A_REGION, REDIST_REGION_ATTR_ADDR(2, 0x800000, 0, 1));
	check_typer(_metadata, v->gic_fd, 3, last);
	vgic_vm_free(v);
}

/* A vCPU with no redistributor frame is "Last" by default */
TEST(gicr_typer_without_addresses)
{
	struct vgic_vm *v = vgic_vm_create(2, NULL);

	init(v->gic_fd);
	EXPECT_EQ(0, redist_rd(v->gic_fd, 0, GICR_TYPER) & GICR_TYPER_LAST);
	EXPECT_EQ(1 << 8, redist_rd(v->gic_fd, 1, GICR_TYPER) & 0xffff00);
	TH_LOG("%s: GICR_TYPER vcpu0 0x%x vcpu1 0x%x", vgic3_impl_name(),
	       redist_rd(v->gic_fd, 0, GICR_TYPER), redist_rd(v->gic_fd, 1, GICR_TYPER));
	vgic_vm_free(v);
}

/*
 * vCPU ids need not be dense: GICR_TYPER's Processor_Number is the vcpu_id
 * and its affinity the vCPU's MPIDR, while redistributors are laid out in
 * creation order (the last created is Last).
 */
TEST(gicr_typer_of_sparse_vcpu_ids)
{
	static const int ids[] = { 0, 5, 17 };
	struct kvm_vm *vm = vm_create(ARRAY_SIZE(ids));
	uint64_t a = REDIST_REGION_ATTR_ADDR(ARRAY_SIZE(ids), GICR_BASE_GPA, 0, 0);
	int fd;

	for (int i = 0; i < ARRAY_SIZE(ids); i++)
		vm_vcpu_add(vm, ids[i], spin_guest_code);
	fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &a);
	kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	for (int i = 0; i < ARRAY_SIZE(ids); i++) {
		uint32_t lo = redist_rd(fd, ids[i], GICR_TYPER);

		EXPECT_EQ(ids[i], (lo >> 8) & 0xffff);
		EXPECT_EQ(vcpu_mpidr_attr(ids[i]) >> 32,
			  redist_rd(fd, ids[i], GICR_TYPER + 4));
		EXPECT_EQ(i == ARRAY_SIZE(ids) - 1, !!(lo & GICR_TYPER_LAST));
	}
	/* An MPIDR that names no vCPU (id 1 was never created). */
	EXPECT_EQ(EINVAL, redist_read(fd, 1, GICR_TYPER, &(uint32_t){ 0 }));
	close(fd);
	kvm_vm_free(vm);
}

TEST(gicr_typer_is_read_only)
{
	struct vgic_vm *v = ready_vm(2, 64);
	uint32_t t = redist_rd(v->gic_fd, 1, GICR_TYPER);

	redist_wr(v->gic_fd, 1, GICR_TYPER, 0);
	redist_wr(v->gic_fd, 1, GICR_TYPER + 4, 0);
	EXPECT_EQ(t, redist_rd(v->gic_fd, 1, GICR_TYPER));
	EXPECT_EQ(1, redist_rd(v->gic_fd, 1, GICR_TYPER + 4));
	vgic_vm_free(v);
}

TEST(gicr_waker_is_raz_wi)
{
	struct vgic_vm *v = ready_vm(1, 64);

	redist_wr(v->gic_fd, 0, GICR_WAKER, GICR_WAKER_ProcessorSleep);
	EXPECT_EQ(0, redist_rd(v->gic_fd, 0, GICR_WAKER));
	vgic_vm_free(v);
}

TEST(gicr_propbaser_pendbaser_sanitised)
{
	struct vgic_vm *v = ready_vm(2, 64);
	int fd = v->gic_fd;

	/* measured: PROPBASER resets to 0 without an ITS (0x580 with one),
	 * PENDBASER to 0x580 (RaWb, InnerShareable) */
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_PROPBASER));
	EXPECT_EQ(0, redist_rd(fd, 0, GICR_PROPBASER + 4));
	EXPECT_EQ(0x580, redist_rd(fd, 1, GICR_PENDBASER));
	/* all ones: RES0 dropped, outer shareable -> inner, outer cache -> same */
	redist_wr(fd, 0, GICR_PROPBASER, 0xffffffff);
	redist_wr(fd, 0, GICR_PROPBASER + 4, 0xffffffff);
	TH_LOG("%s: PROPBASER all ones -> 0x%08x%08x", vgic3_impl_name(),
	       redist_rd(fd, 0, GICR_PROPBASER + 4), redist_rd(fd, 0, GICR_PROPBASER));
	EXPECT_EQ(0xffffff9f, redist_rd(fd, 0, GICR_PROPBASER));
	EXPECT_EQ(0x000fffff, redist_rd(fd, 0, GICR_PROPBASER + 4));
	/* PROPBASER is one register shared by all redistributors */
	EXPECT_EQ(redist_rd(fd, 0, GICR_PROPBASER), redist_rd(fd, 1, GICR_PROPBASER));
	/* PENDBASER is per redistributor; PTZ reads as 0 */
	redist_wr(fd, 1, GICR_PENDBASER, 0x123f0580);
	redist_wr(fd, 1, GICR_PENDBASER + 4, 0x40000000);	/* PTZ */
	EXPECT_EQ(0x123f0580 & ~0xf000, redist_rd(fd, 1, GICR_PENDBASER));
	EXPECT_EQ(0, redist_rd(fd, 1, GICR_PENDBASER + 4));
	EXPECT_EQ(0x580, redist_rd(fd, 0, GICR_PENDBASER));
	vgic_vm_free(v);
}

/* Measured: the unsanitised reset value 0 of PROPBASER (no ITS) cannot be
 * written back: a write of 0 stores the sanitised 0x180 (inner RaWb). */
TEST(gicr_propbaser_zero_write_back_reads_sanitised)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;

	EXPECT_EQ(0, redist_rd(fd, 0, GICR_PROPBASER));
	redist_wr(fd, 0, GICR_PROPBASER, 0);
	EXPECT_EQ(0x180, redist_rd(fd, 0, GICR_PROPBASER));
	vgic_vm_free(v);
}

TEST(gicr_ctlr_enable_lpis_needs_its)
{
	struct vgic_vm *v = vgic_vm_create(1, NULL);
	int its = its_create(v), fd = v->gic_fd;

	vgic_vm_setup(v, 64);
	redist_wr(fd, 0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	EXPECT_EQ(GICR_CTLR_ENABLE_LPIS | GICR_CTLR_IR | GICR_CTLR_CES,
		  redist_rd(fd, 0, GICR_CTLR));
	/* bases are frozen while LPIs are enabled */
	redist_wr(fd, 0, GICR_PENDBASER, 0x100580);
	EXPECT_EQ(0x580, redist_rd(fd, 0, GICR_PENDBASER));
	redist_wr(fd, 0, GICR_CTLR, 0);
	EXPECT_EQ(GICR_CTLR_IR | GICR_CTLR_CES, redist_rd(fd, 0, GICR_CTLR));
	redist_wr(fd, 0, GICR_PENDBASER, 0x100580);
	EXPECT_EQ(0x100580, redist_rd(fd, 0, GICR_PENDBASER));
	close(its);
	vgic_vm_free(v);
}

/* ------------------------------------------------------------ LEVEL_INFO */

TEST(level_info_line_level_is_separate_from_latch)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;
	uint32_t val;

	dist_wr(fd, GICD_ICFGR + 8, 0);		/* INTIDs 32..47 level */
	EXPECT_EQ(0, level_write(fd, 0, 32, 0x100));
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0x100, val);
	/* the userspace ISPENDR view is the latch only */
	EXPECT_EQ(0, dist_rd(fd, GICD_ISPENDR + 4));
	dist_wr(fd, GICD_ISPENDR + 4, 0x100);
	EXPECT_EQ(0x100, dist_rd(fd, GICD_ISPENDR + 4));
	/* lowering the line leaves the latch */
	EXPECT_EQ(0, level_write(fd, 0, 32, 0));
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(0x100, dist_rd(fd, GICD_ISPENDR + 4));
	/* clearing the latch leaves the line */
	EXPECT_EQ(0, level_write(fd, 0, 32, 0x100));
	dist_wr(fd, GICD_ISPENDR + 4, 0);
	EXPECT_EQ(0, dist_rd(fd, GICD_ISPENDR + 4));
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0x100, val);
	vgic_vm_free(v);
}

TEST(level_info_reports_only_level_triggered)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;
	uint32_t val;

	dist_wr(fd, GICD_ICFGR + 8, 0x2);	/* INTID 32 edge, 33 level */
	EXPECT_EQ(0, level_write(fd, 0, 32, 0x3));
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0x2, val);
	/* back to level: the stored line shows up again */
	dist_wr(fd, GICD_ICFGR + 8, 0);
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0x3, val);
	vgic_vm_free(v);
}

TEST(level_info_sgis_raz_wi_ppis_per_vcpu)
{
	struct vgic_vm *v = ready_vm(2, 64);
	int fd = v->gic_fd;
	uint32_t val;

	EXPECT_EQ(0, level_write(fd, 0, 0, 0xffffffff));
	EXPECT_EQ(0, level_read(fd, 0, 0, &val));
	EXPECT_EQ(0xffff0000, val);	/* PPIs are level, SGIs edge */
	EXPECT_EQ(0, level_read(fd, 1, 0, &val));
	EXPECT_EQ(0, val);
	/* SPIs are the same whatever the MPIDR */
	dist_wr(fd, GICD_ICFGR + 8, 0);
	EXPECT_EQ(0, level_write(fd, 1, 32, 0xf));
	EXPECT_EQ(0, level_read(fd, 0, 32, &val));
	EXPECT_EQ(0xf, val);
	vgic_vm_free(v);
}

TEST(level_info_beyond_nr_irqs_is_raz_wi)
{
	struct vgic_vm *v = ready_vm(1, 64);
	int fd = v->gic_fd;
	uint32_t val = 0xdead;

	EXPECT_EQ(0, level_write(fd, 0, 64, 0xffffffff));
	EXPECT_EQ(0, level_read(fd, 0, 64, &val));
	EXPECT_EQ(0, val);
	val = 0xdead;
	EXPECT_EQ(0, level_read(fd, 0, 992, &val));
	EXPECT_EQ(0, val);
	vgic_vm_free(v);
}

TEST_HARNESS_MAIN
