// SPDX-License-Identifier: GPL-2.0
/*
 * A guest vCPU reads and writes the distributor and redistributor frames by
 * MMIO (8/32/64-bit where the architecture allows it), and the same state
 * is seen through the device attributes, and vice versa. Only register state
 * is compared: the guest never takes an interrupt.
 *
 * The guest is an MMIO executor: the host puts one access in guest memory,
 * runs the vCPU, and the guest performs it and reports with GUEST_SYNC.
 */
#include <errno.h>
#include <linux/sizes.h>

#include "kselftest_harness.h"
#include "common_vgic.h"
#include "impl.h"

enum { OP_READ = 1, OP_WRITE, OP_DONE };

struct mmio_cmd {
	uint64_t op, width, addr, val;
};

static volatile struct mmio_cmd cmd;

static uint64_t g_read(uint64_t addr, int width)
{
	uint64_t v;

	switch (width) {
	case 1:
		asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
		break;
	default:
		asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
		break;
	}
	return v;
}

static void g_write(uint64_t addr, int width, uint64_t v)
{
	switch (width) {
	case 1:
		asm volatile("strb %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
		break;
	case 2:
		asm volatile("strh %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
		break;
	case 4:
		asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
		break;
	default:
		asm volatile("str %0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
		break;
	}
}

static void mmio_guest(void)
{
	for (;;) {
		GUEST_SYNC(0);
		switch (cmd.op) {
		case OP_READ:
			cmd.val = g_read(cmd.addr, cmd.width);
			break;
		case OP_WRITE:
			g_write(cmd.addr, cmd.width, cmd.val);
			break;
		default:
			GUEST_DONE();
		}
	}
}

struct mvm {
	struct vgic_vm *v;
	volatile struct mmio_cmd *cmd;
	int fd;
};

static void mvm_run(struct mvm *m)
{
	struct ucall uc;

	vcpu_run(m->v->vcpus[0]);
	TEST_ASSERT(get_ucall(m->v->vcpus[0], &uc) == UCALL_SYNC,
		    "guest did not sync (exit %d)", m->v->vcpus[0]->run->exit_reason);
}

static void mvm_create(struct mvm *m, int nr_vcpus, uint32_t nr_irqs, bool its)
{
	m->v = vgic_vm_create(nr_vcpus, mmio_guest);
	m->fd = m->v->gic_fd;
	if (its) {
		uint64_t a = GITS_BASE_GPA;
		int f = kvm_create_device(m->v->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);

		kvm_device_attr_set(f, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &a);
	}
	vgic_vm_setup(m->v, nr_irqs);
	m->cmd = addr_gva2hva(m->v->vm, (vm_vaddr_t)&cmd);
	mvm_run(m);	/* to the first GUEST_SYNC */
}

static void mvm_free(struct mvm *m)
{
	vgic_vm_free(m->v);
}

static uint64_t gr(struct mvm *m, uint64_t addr, int width)
{
	m->cmd->op = OP_READ;
	m->cmd->addr = addr;
	m->cmd->width = width;
	m->cmd->val = 0xbadbadbadULL;
	mvm_run(m);
	return m->cmd->val;
}

static void gw(struct mvm *m, uint64_t addr, int width, uint64_t val)
{
	m->cmd->op = OP_WRITE;
	m->cmd->addr = addr;
	m->cmd->width = width;
	m->cmd->val = val;
	mvm_run(m);
}

#define D(off)		(GICD_BASE_GPA + (off))
#define R(cpu, off)	(GICR_BASE_GPA + (cpu) * REDIST_SIZE + (off))
#define S(cpu, off)	(R(cpu, SGI_BASE + (off)))

/* ------------------------------------------------------------------ tests */

TEST(guest_and_attr_see_the_same_id_registers)
{
	struct mvm m;

	mvm_create(&m, 2, 128, false);
	EXPECT_EQ(dist_rd(m.fd, GICD_CTLR), gr(&m, D(GICD_CTLR), 4));
	EXPECT_EQ(dist_rd(m.fd, GICD_TYPER), gr(&m, D(GICD_TYPER), 4));
	EXPECT_EQ(dist_rd(m.fd, GICD_IIDR), gr(&m, D(GICD_IIDR), 4));
	EXPECT_EQ(dist_rd(m.fd, GICD_TYPER2), gr(&m, D(GICD_TYPER2), 4));
	EXPECT_EQ(0x3b, gr(&m, D(GICD_PIDR2), 4));
	EXPECT_EQ(0xffffffff, gr(&m, D(GICD_STATUSR), 4));
	for (int c = 0; c < 2; c++) {
		uint64_t typer = (uint64_t)redist_rd(m.fd, c, GICR_TYPER + 4) << 32 |
				 redist_rd(m.fd, c, GICR_TYPER);

		EXPECT_EQ(typer, gr(&m, R(c, GICR_TYPER), 8));
		EXPECT_EQ(typer & 0xffffffff, gr(&m, R(c, GICR_TYPER), 4));
		EXPECT_EQ(typer >> 32, gr(&m, R(c, GICR_TYPER + 4), 4));
		EXPECT_EQ(c, (typer >> 8) & 0xffff);
		EXPECT_EQ(c == 1, !!(typer & GICR_TYPER_LAST));
		EXPECT_EQ(redist_rd(m.fd, c, GICR_IIDR), gr(&m, R(c, GICR_IIDR), 4));
		EXPECT_EQ(redist_rd(m.fd, c, GICR_CTLR), gr(&m, R(c, GICR_CTLR), 4));
		EXPECT_EQ(0x3b, gr(&m, R(c, GICR_PIDR2), 4));
	}
	mvm_free(&m);
}

TEST(guest_gicd_ctlr_write_seen_by_attr)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_CTLR), 4, GICD_CTLR_ENABLE_SS_G1);
	EXPECT_EQ(GICD_CTLR_ARE_NS | GICD_CTLR_DS | GICD_CTLR_ENABLE_SS_G1,
		  dist_rd(m.fd, GICD_CTLR));
	dist_wr(m.fd, GICD_CTLR, 0);
	EXPECT_EQ(GICD_CTLR_ARE_NS | GICD_CTLR_DS, gr(&m, D(GICD_CTLR), 4));
	/* a guest write of the IIDR is ignored (the revision is userspace's) */
	gw(&m, D(GICD_IIDR), 4, 0x4b00243b);
	EXPECT_EQ(0x4b00343b, dist_rd(m.fd, GICD_IIDR));
	mvm_free(&m);
}

TEST(guest_enable_writes_seen_by_attr_and_back)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_ISENABLER + 4), 4, 0x00ff00f0);
	EXPECT_EQ(0x00ff00f0, dist_rd(m.fd, GICD_ISENABLER + 4));
	gw(&m, D(GICD_ICENABLER + 4), 4, 0x000f0030);
	EXPECT_EQ(0x00f000c0, dist_rd(m.fd, GICD_ISENABLER + 4));
	dist_wr(m.fd, GICD_ICENABLER + 4, 0xffffffff);
	dist_wr(m.fd, GICD_ISENABLER + 4, 0x81);
	EXPECT_EQ(0x81, gr(&m, D(GICD_ISENABLER + 4), 4));
	EXPECT_EQ(0x81, gr(&m, D(GICD_ICENABLER + 4), 4));
	/* SGI/PPI enables in the redistributor's SGI frame */
	gw(&m, S(0, GICR_ICENABLER0), 4, 0xffffffff);
	EXPECT_EQ(0, redist_rd(m.fd, 0, SGI_BASE + GICR_ISENABLER0));
	gw(&m, S(0, GICR_ISENABLER0), 4, 0x08000002);
	EXPECT_EQ(0x08000002, redist_rd(m.fd, 0, SGI_BASE + GICR_ISENABLER0));
	mvm_free(&m);
}

TEST(guest_priority_byte_and_word_accesses)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_IPRIORITYR + 40), 4, 0x10203040);
	EXPECT_EQ(0x10203040, dist_rd(m.fd, GICD_IPRIORITYR + 40));
	gw(&m, D(GICD_IPRIORITYR + 41), 1, 0xa8);
	EXPECT_EQ(0x1020a840, dist_rd(m.fd, GICD_IPRIORITYR + 40));
	EXPECT_EQ(0xa8, gr(&m, D(GICD_IPRIORITYR + 41), 1));
	EXPECT_EQ(0x10, gr(&m, D(GICD_IPRIORITYR + 43), 1));
	/* low bits are dropped on both paths alike */
	gw(&m, D(GICD_IPRIORITYR + 44), 1, 0xff);
	EXPECT_EQ(0xf8, dist_rd(m.fd, GICD_IPRIORITYR + 44) & 0xff);
	dist_wr(m.fd, GICD_IPRIORITYR + 48, 0x80706050);
	EXPECT_EQ(0x80706050, gr(&m, D(GICD_IPRIORITYR + 48), 4));
	EXPECT_EQ(0x70, gr(&m, D(GICD_IPRIORITYR + 50), 1));
	/* private priorities in the SGI frame */
	gw(&m, S(0, GICR_IPRIORITYR0 + 29), 1, 0x48);
	EXPECT_EQ(0x4800, redist_rd(m.fd, 0, SGI_BASE + GICR_IPRIORITYR0 + 28));
	mvm_free(&m);
}

TEST(guest_byte_access_to_word_register_is_raz_wi)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_CTLR), 1, GICD_CTLR_ENABLE_SS_G1);
	EXPECT_EQ(0, dist_rd(m.fd, GICD_CTLR) & GICD_CTLR_ENABLE_SS_G1);
	EXPECT_EQ(0, gr(&m, D(GICD_TYPER), 1));
	gw(&m, D(GICD_ISENABLER + 4), 1, 0xff);
	EXPECT_EQ(0, dist_rd(m.fd, GICD_ISENABLER + 4));
	/* 16-bit accesses are never allowed */
	EXPECT_EQ(0, gr(&m, D(GICD_IPRIORITYR + 32), 2));
	mvm_free(&m);
}

TEST(guest_irouter_64bit_and_32bit)
{
	struct mvm m;

	mvm_create(&m, 2, 64, false);
	gw(&m, D(GICD_IROUTER + 8 * 40), 8, 0xff00000001ULL);	/* Aff3 dropped */
	EXPECT_EQ(1, dist_rd(m.fd, GICD_IROUTER + 8 * 40));
	EXPECT_EQ(0, dist_rd(m.fd, GICD_IROUTER + 8 * 40 + 4));
	EXPECT_EQ(1, gr(&m, D(GICD_IROUTER + 8 * 40), 8));
	gw(&m, D(GICD_IROUTER + 8 * 41), 4, 0x80000001);	/* IRM dropped */
	EXPECT_EQ(1, dist_rd(m.fd, GICD_IROUTER + 8 * 41));
	dist_wr(m.fd, GICD_IROUTER + 8 * 42, 0x010203);
	EXPECT_EQ(0x010203, gr(&m, D(GICD_IROUTER + 8 * 42), 8));
	EXPECT_EQ(0x010203, gr(&m, D(GICD_IROUTER + 8 * 42), 4));
	mvm_free(&m);
}

TEST(guest_icfgr_and_igroupr_seen_by_attr)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_ICFGR + 8), 4, 0xffffffff);
	EXPECT_EQ(0xaaaaaaaa, dist_rd(m.fd, GICD_ICFGR + 8));
	gw(&m, D(GICD_ICFGR + 8), 4, 0x0000000a);
	EXPECT_EQ(0x0000000a, dist_rd(m.fd, GICD_ICFGR + 8));
	dist_wr(m.fd, GICD_ICFGR + 12, 0x20000000);
	EXPECT_EQ(0x20000000, gr(&m, D(GICD_ICFGR + 12), 4));
	gw(&m, D(GICD_IGROUPR + 4), 4, 0x0000ffff);
	EXPECT_EQ(0x0000ffff, dist_rd(m.fd, GICD_IGROUPR + 4));
	dist_wr(m.fd, GICD_IGROUPR + 4, 0x12345678);
	EXPECT_EQ(0x12345678, gr(&m, D(GICD_IGROUPR + 4), 4));
	mvm_free(&m);
}

/* The guest sees latch OR line level; userspace sees the latch. */
TEST(guest_ispendr_is_latch_or_line_attr_is_latch)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	dist_wr(m.fd, GICD_ICFGR + 8, 0);	/* 32..47 level */
	EXPECT_EQ(0, level_write(m.fd, 0, 32, 0x2));
	EXPECT_EQ(0x2, gr(&m, D(GICD_ISPENDR + 4), 4));
	EXPECT_EQ(0x2, gr(&m, D(GICD_ICPENDR + 4), 4));
	EXPECT_EQ(0, dist_rd(m.fd, GICD_ISPENDR + 4));
	/* guest ISPENDR write latches */
	gw(&m, D(GICD_ISPENDR + 4), 4, 0x4);
	EXPECT_EQ(0x4, dist_rd(m.fd, GICD_ISPENDR + 4));
	EXPECT_EQ(0x6, gr(&m, D(GICD_ISPENDR + 4), 4));
	/* guest ICPENDR clears the latch, not the line */
	gw(&m, D(GICD_ICPENDR + 4), 4, 0x6);
	EXPECT_EQ(0, dist_rd(m.fd, GICD_ISPENDR + 4));
	EXPECT_EQ(0x2, gr(&m, D(GICD_ISPENDR + 4), 4));
	EXPECT_EQ(0, level_write(m.fd, 0, 32, 0));
	EXPECT_EQ(0, gr(&m, D(GICD_ISPENDR + 4), 4));
	mvm_free(&m);
}

TEST(guest_sees_attr_pending_and_clears_it)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	dist_wr(m.fd, GICD_ISPENDR + 4, 0x00010001);	/* edge SPIs */
	EXPECT_EQ(0x00010001, gr(&m, D(GICD_ISPENDR + 4), 4));
	gw(&m, D(GICD_ICPENDR + 4), 4, 0x1);
	EXPECT_EQ(0x00010000, dist_rd(m.fd, GICD_ISPENDR + 4));
	redist_wr(m.fd, 0, SGI_BASE + GICR_ISPENDR0, 0x00020000);	/* PPI 17 */
	EXPECT_EQ(0x00020000, gr(&m, S(0, GICR_ISPENDR0), 4));
	gw(&m, S(0, GICR_ICPENDR0), 4, 0x00020000);
	EXPECT_EQ(0, redist_rd(m.fd, 0, SGI_BASE + GICR_ISPENDR0));
	mvm_free(&m);
}

TEST(guest_active_writes_seen_by_attr)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, D(GICD_ISACTIVER + 4), 4, 0x300);
	EXPECT_EQ(0x300, dist_rd(m.fd, GICD_ISACTIVER + 4));
	gw(&m, D(GICD_ICACTIVER + 4), 4, 0x100);
	EXPECT_EQ(0x200, dist_rd(m.fd, GICD_ISACTIVER + 4));
	dist_wr(m.fd, GICD_ISACTIVER + 4, 0x10000);
	EXPECT_EQ(0x10200, gr(&m, D(GICD_ISACTIVER + 4), 4));
	EXPECT_EQ(0x10200, gr(&m, D(GICD_ICACTIVER + 4), 4));
	mvm_free(&m);
}

TEST(guest_reaches_every_redistributor_frame)
{
	struct mvm m;

	mvm_create(&m, 3, 64, false);
	for (int c = 0; c < 3; c++) {
		gw(&m, S(c, GICR_IGROUPR0), 4, 0x1000 << c);
		gw(&m, S(c, GICR_ICENABLER0), 4, 0xffffffff);
		gw(&m, S(c, GICR_ISENABLER0), 4, 0x10000 << c);
	}
	for (int c = 0; c < 3; c++) {
		EXPECT_EQ(0x1000 << c, redist_rd(m.fd, c, SGI_BASE + GICR_IGROUPR0));
		EXPECT_EQ(0x10000 << c, redist_rd(m.fd, c, SGI_BASE + GICR_ISENABLER0));
		EXPECT_EQ(c == 2, !!(gr(&m, R(c, GICR_TYPER), 4) & GICR_TYPER_LAST));
	}
	mvm_free(&m);
}

TEST(guest_waker_and_unmapped_offsets_are_raz_wi)
{
	struct mvm m;

	mvm_create(&m, 1, 64, false);
	gw(&m, R(0, GICR_WAKER), 4, GICR_WAKER_ProcessorSleep);
	EXPECT_EQ(0, gr(&m, R(0, GICR_WAKER), 4));
	EXPECT_EQ(0, redist_rd(m.fd, 0, GICR_WAKER));
	EXPECT_EQ(0, gr(&m, D(0xc000), 4));
	EXPECT_EQ(0, gr(&m, D(GICD_SETSPI_NSR), 4));
	gw(&m, D(GICD_SETSPI_NSR), 4, 33);	/* no message-based SPIs */
	EXPECT_EQ(0, dist_rd(m.fd, GICD_ISPENDR + 4));
	EXPECT_EQ(0, gr(&m, R(0, 0x8000), 4));
	/* beyond nr_irqs */
	gw(&m, D(GICD_ISENABLER + 8), 4, 0xffffffff);
	EXPECT_EQ(0, gr(&m, D(GICD_ISENABLER + 8), 4));
	mvm_free(&m);
}

TEST(guest_propbaser_pendbaser_64bit_seen_by_attr)
{
	struct mvm m;
	uint64_t prop = 0x100000 | (7 << 7) | (1 << 10) | 0xf;
	uint64_t pend = 0x12340000ULL | (7 << 7) | (1 << 10);

	mvm_create(&m, 1, 64, true);
	gw(&m, R(0, GICR_PROPBASER), 8, prop);
	gw(&m, R(0, GICR_PENDBASER), 8, pend | (1ULL << 62));	/* PTZ */
	EXPECT_EQ(prop, redist_rd(m.fd, 0, GICR_PROPBASER));
	EXPECT_EQ(0, redist_rd(m.fd, 0, GICR_PROPBASER + 4));
	EXPECT_EQ(pend, redist_rd(m.fd, 0, GICR_PENDBASER));
	EXPECT_EQ(prop, gr(&m, R(0, GICR_PROPBASER), 8));
	EXPECT_EQ(pend, gr(&m, R(0, GICR_PENDBASER), 8));
	/* the guest enables LPIs; userspace sees it */
	gw(&m, R(0, GICR_CTLR), 4, GICR_CTLR_ENABLE_LPIS);
	EXPECT_EQ(GICR_CTLR_ENABLE_LPIS,
		  redist_rd(m.fd, 0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
	mvm_free(&m);
}

/*
 * QEMU's order: NR_IRQS, INIT, then the addresses. The frames go on the MMIO
 * bus once placed, wherever each vCPU's redistributor lands.
 */
#define GICR2_GPA	0x8400000ULL	/* a second redistributor region */

static void mvm_create_late(struct mvm *m, int nr_vcpus, bool legacy)
{
	uint32_t nr_irqs = 64;
	uint64_t a;

	m->v = vgic_vm_create(nr_vcpus, mmio_guest);
	m->fd = m->v->gic_fd;
	kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	a = GICD_BASE_GPA;
	kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &a);
	if (legacy) {
		a = GICR_BASE_GPA;
		kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST, &a);
	} else {
		/* vCPU 0 in region 0, the others in region 1 */
		a = REDIST_REGION_ATTR_ADDR(1, GICR_BASE_GPA, 0, 0);
		kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &a);
		a = REDIST_REGION_ATTR_ADDR(nr_vcpus - 1, GICR2_GPA, 0, 1);
		kvm_device_attr_set(m->fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &a);
		virt_map(m->v->vm, GICR2_GPA, GICR2_GPA,
			 (nr_vcpus - 1) * REDIST_SIZE / m->v->vm->page_size);
	}
	vgic_vm_map_frames(m->v);
	m->cmd = addr_gva2hva(m->v->vm, (vm_vaddr_t)&cmd);
	mvm_run(m);
}

static uint64_t rd_frame(int c, bool legacy)
{
	if (legacy || !c)
		return R(c, 0);
	return GICR2_GPA + (c - 1) * REDIST_SIZE;
}

static void reach_late_frames(struct __test_metadata *_metadata, bool legacy)
{
	struct mvm m;
	int n = 3;

	mvm_create_late(&m, n, legacy);
	gw(&m, D(GICD_ISENABLER + 4), 4, 0x5a);
	EXPECT_EQ(0x5a, dist_rd(m.fd, GICD_ISENABLER + 4));
	for (int c = 0; c < n; c++)
		gw(&m, rd_frame(c, legacy) + SGI_BASE + GICR_IGROUPR0, 4, 0x100 << c);
	for (int c = 0; c < n; c++) {
		uint64_t typer = gr(&m, rd_frame(c, legacy) + GICR_TYPER, 8);

		EXPECT_EQ(0x100 << c, redist_rd(m.fd, c, SGI_BASE + GICR_IGROUPR0));
		EXPECT_EQ(c, (typer >> 8) & 0xffff);	/* Processor_Number */
		EXPECT_EQ(redist_rd(m.fd, c, GICR_TYPER), (uint32_t)typer);
		EXPECT_EQ(redist_rd(m.fd, c, GICR_TYPER + 4), typer >> 32);
	}
	/* The highest vCPU's redistributor is the last; vCPU 1's is not. */
	EXPECT_TRUE(gr(&m, rd_frame(n - 1, legacy) + GICR_TYPER, 4) & GICR_TYPER_LAST);
	EXPECT_FALSE(gr(&m, rd_frame(1, legacy) + GICR_TYPER, 4) & GICR_TYPER_LAST);
	mvm_free(&m);
}

TEST(guest_reaches_frames_placed_after_init_in_two_regions)
{
	reach_late_frames(_metadata, false);
}

TEST(guest_reaches_frames_placed_after_init_legacy_redist)
{
	reach_late_frames(_metadata, true);
}

TEST_HARNESS_MAIN
