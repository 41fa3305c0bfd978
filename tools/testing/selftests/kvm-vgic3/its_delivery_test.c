// SPDX-License-Identifier: GPL-2.0
/*
 * LPI delivery through the ITS, counted by the guest.
 *
 * A VM with 2 vCPUs, a vGICv3 and an ITS. The guest does what a guest OS
 * does: it writes the LPI property table, programs GICR_PROPBASER,
 * GICR_PENDBASER and GICR_CTLR.EnableLPIs of its own redistributor, the
 * ITS's BASERs, CBASER and GITS_CTLR, and issues MAPC/MAPD/MAPTI/INV/
 * INVALL/MOVI/MOVALL/DISCARD/SYNC through its command queue (GITS_CWRITER
 * stores). Its IRQ handler acknowledges, EOIs and COUNTS every interrupt
 * per INTID per vCPU, and records the running priority (ICC_RPR_EL1) at
 * which each LPI was taken. The host sends the MSIs (KVM_SIGNAL_MSI, an
 * irqfd on an MSI route) and asserts the exact counts.
 *
 * The vCPUs run one at a time from the test thread: each vcpu_run() makes
 * the guest execute one operation from its mailbox and stop at the next
 * GUEST_SYNC, so every assertion is made with both vCPUs stopped. Waits in
 * the guest are bounded (ITS_WAIT_US for an expected LPI, ITS_SETTLE_US to
 * see that nothing more arrives), so a missing LPI is an assertion, not a
 * hang.
 *
 * The standard mapping (guest_map_std): collection 0 -> vCPU 0, collection
 * 1 -> vCPU 1; DeviceID 5 with 16 events; events 0-3 -> LPIs 8192-8195 on
 * collection 0, events 4-7 -> LPIs 8196-8199 on collection 1; property
 * bytes: priority 0xa0, group 1, enabled.
 *
 * What the in-kernel vgic (Linux 6.12) does where it is not obvious, read
 * from arch/arm64/kvm/vgic and asserted here:
 *  - a vCPU's store to GITS_TRANSLATER is ignored: its ITS MMIO region table
 *    has no entry at 0x10040, so dispatch_mmio_write() drops the store, with
 *    no DeviceID and no translation. The module (deliberate difference,
 *    Documentation/differences.rst) translates it as DeviceID 0.
 *  - KVM_SIGNAL_MSI returns 1 when translated (also for an LPI disabled in
 *    the property table: it stays pending), 0 when there is no translation
 *    (DISCARDed event, unmapped device), -1/EBUSY when the ITS is disabled
 *    (after KVM_DEV_ARM_ITS_CTRL_RESET) or the target redistributor has
 *    EnableLPIs clear.
 *  - clearing GICR_CTLR.EnableLPIs drops the LPIs pending on that
 *    redistributor (vgic_flush_pending_lpis); they are not written to the
 *    pending table, so setting EnableLPIs again (which re-reads the pending
 *    table) does not bring them back.
 *  - MOVALL retargets every LPI of the source redistributor, pending or
 *    not, while the collection stays mapped to the source: later MSIs for
 *    those LPIs arrive on the destination too.
 *  - RESTORE_TABLES reads (and clears) each restored LPI's pending bit in
 *    the pending table of the collection's redistributor, so the
 *    redistributors (PROPBASER, PENDBASER, CTLR.EnableLPIs) are restored
 *    before the ITS, as arm-vgic-its.rst orders.
 *
 * Measured on the in-kernel vgic and deliberately NOT asserted (they
 * contradict the architecture or depend on an undocumented order):
 *  - an LPI already pending when its event is DISCARDed, its device
 *    unmapped (MAPD V=0) or the ITS reset (CTRL_RESET) is still delivered
 *    afterwards: the vgic_irq stays on the vCPU's ap_list with its pending
 *    latch. The tests here only send MSIs after those commands.
 *  - without INV, a property-table change is not seen (the old priority
 *    and enable bit apply); architecturally either may happen.
 *  - restoring the ITS into redistributors with EnableLPIs clear: the
 *    pending LPIs are delivered although EnableLPIs is 0 (if the guest is
 *    unmasked), or lost if the guest sets EnableLPIs before taking them
 *    (the bits were consumed at RESTORE_TABLES and the re-read clears the
 *    latch).
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "delay.h"
#include "arch_timer.h"
#include "gic_v3_its.h"
#include "impl.h"
#include "common_its.h"
#include "common_vgic.h"

#define NR_VCPUS	2
#define NR_LPIS		32		/* INTIDs 8192..8223 are counted */
#define DEV		5		/* the DeviceID of the standard mapping */
#define PRIO_DEF	0xa0
#define PROP(prio, en)	((prio) | LPI_PROP_GROUP1 | ((en) ? LPI_PROP_ENABLED : 0))

#define ITS_WAIT_US	10000000	/* an expected LPI: up to 10 s (nested TCG) */
#define ITS_SETTLE_US	20000		/* then nothing more for 20 ms */
#define ITS_CMD_WAIT_US	1000000

/* --- guest --- */

enum {
	OP_NOP,
	OP_RDIST_SETUP,		/* PROPBASER, PENDBASER, EnableLPIs = 1 */
	OP_ENABLE_LPIS,		/* a0: GICR_CTLR.EnableLPIs of this vCPU's RD */
	OP_PROP,		/* a0: LPI index, a1: property byte */
	OP_ITS_INIT,		/* BASERs, CBASER, GITS_CTLR.Enable */
	OP_MAP_STD,		/* the standard mapping */
	OP_CMD,			/* a0: C_*, a1 and a2: its fields */
	OP_TRANSLATER,		/* a0: EventID stored to GITS_TRANSLATER */
	OP_PMR,			/* a0: ICC_PMR_EL1 */
	OP_WAIT,		/* until cnt >= exp for this vCPU, then settle */
};

struct op {
	uint64_t code;
	uint64_t a[3];
};

/* Filled by the host before the first run. */
static struct {
	uint64_t dt, ct, cmdq, itt, prop, pend;
	bool resume;	/* VM B: no gic_init(), the host restored the GIC */
} gd;

static struct op mbox[NR_VCPUS];
static uint32_t exp_cnt[NR_VCPUS][NR_LPIS];	/* written by the host */
static uint32_t cnt[NR_VCPUS][NR_LPIS];
static uint8_t rpr[NR_VCPUS][NR_LPIS];		/* ICC_RPR_EL1 when last taken */
static uint32_t other_cnt[NR_VCPUS];
static uint32_t other_intid[NR_VCPUS];
static uint32_t wait_timeouts[NR_VCPUS];

static void guest_irq_handler(struct ex_regs *regs)
{
	uint32_t cpu = guest_get_vcpuid();
	uint32_t intid = read_sysreg_s(SYS_ICC_IAR1_EL1) & 0xffffff;
	uint64_t prio;

	dsb(sy);
	if (intid == IAR_SPURIOUS)
		return;
	prio = read_sysreg_s(SYS_ICC_RPR_EL1);
	write_sysreg_s(intid, SYS_ICC_EOIR1_EL1);
	isb();
	if (intid >= ITS_LPI(0) && intid < ITS_LPI(NR_LPIS)) {
		WRITE_ONCE(cnt[cpu][intid - ITS_LPI(0)], cnt[cpu][intid - ITS_LPI(0)] + 1);
		WRITE_ONCE(rpr[cpu][intid - ITS_LPI(0)], prio);
	} else {
		WRITE_ONCE(other_cnt[cpu], other_cnt[cpu] + 1);
		WRITE_ONCE(other_intid[cpu], intid);
	}
}

/* The guest's ICC_* accesses are UNDEFINED when KVM exposes no GICv3 CPU
 * interface to the VM (a VM without an in-kernel irqchip): say so. */
static void guest_undef_handler(struct ex_regs *regs)
{
	GUEST_FAIL("UNDEFINED instruction 0x%x at 0x%lx (an ICC_* system register: no GICv3 CPU interface in this VM)",
		   *(uint32_t *)regs->pc, regs->pc);
}

static volatile void *gicr(uint32_t cpu)
{
	return GICR_BASE_GVA + cpu * 2 * SZ_64K;
}

static uint64_t now_us_deadline(uint64_t us)
{
	return timer_get_cntct(VIRTUAL) + usec_to_cycles(us);
}

static bool before(uint64_t deadline)
{
	return (int64_t)(timer_get_cntct(VIRTUAL) - deadline) < 0;
}

/*
 * CWRITER and the queue size come from the ITS each time: VM B goes on
 * from the registers the host restored.
 */
static void guest_its_send(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct its_cmd c = { { w0, w1, w2, w3 } };
	uint64_t cw = readq_relaxed(GITS_BASE_GVA + GITS_CWRITER), at = cw;
	uint64_t size = its_cmdq_bytes(readq_relaxed(GITS_BASE_GVA + GITS_CBASER));

	if (!its_guest_send(gd.cmdq, size, &cw, &c, ITS_GUEST_SEND_READS))
		GUEST_FAIL("command 0x%lx at 0x%lx not consumed", w0 & 0xff, at);
}

static uint64_t itt_of(uint32_t dev)
{
	return gd.itt + (uint64_t)dev * ITS_ITT_STRIDE;
}

/* ITS commands, encoded by the guest (GITS_TYPER.PTA = 0: RDbase = vCPU). */
static void cmd_mapd(uint32_t dev, bool v)
{
	guest_its_send(GITS_CMD_MAPD | (uint64_t)dev << 32, ITS_NR_EVENT_BITS - 1,
		       (v ? 1ULL << 63 : 0) | (v ? itt_of(dev) & GENMASK_ULL(51, 8) : 0), 0);
}

static void cmd_mapc(uint32_t icid, uint32_t rd, bool v)
{
	guest_its_send(GITS_CMD_MAPC, 0,
		       (v ? 1ULL << 63 : 0) | (uint64_t)rd << 16 | icid, 0);
}

static void cmd_mapti(uint32_t dev, uint32_t ev, uint32_t lpi, uint32_t icid)
{
	guest_its_send(GITS_CMD_MAPTI | (uint64_t)dev << 32,
		       ev | (uint64_t)lpi << 32, icid, 0);
}

static void cmd_dev_ev(uint8_t op, uint32_t dev, uint32_t ev, uint32_t icid)
{
	guest_its_send(op | (uint64_t)dev << 32, ev, icid, 0);
}

static void cmd_invall(uint32_t icid)
{
	guest_its_send(GITS_CMD_INVALL, 0, icid, 0);
}

static void cmd_movall(uint32_t rd1, uint32_t rd2)
{
	guest_its_send(GITS_CMD_MOVALL, 0, (uint64_t)rd1 << 16, (uint64_t)rd2 << 16);
}

static void cmd_sync(uint32_t rd)
{
	guest_its_send(GITS_CMD_SYNC, 0, (uint64_t)rd << 16, 0);
}

/*
 * OP_CMD: a[0] the command, a[1] and a[2] its fields:
 *   C_MAPD   dev, valid            C_MAPC    icid, rd | valid << 32
 *   C_MAPTI  dev << 32 | ev, lpi | icid << 32
 *   C_MOVI   dev << 32 | ev, icid  C_DISCARD, C_INV  dev << 32 | ev
 *   C_INVALL icid                  C_MOVALL  rd1, rd2      C_SYNC  rd
 */
enum { C_MAPD, C_MAPC, C_MAPTI, C_MOVI, C_DISCARD, C_INV, C_INVALL,
       C_MOVALL, C_SYNC };

static void guest_cmd(const struct op *o)
{
	uint32_t dev = o->a[1] >> 32, ev = o->a[1];

	switch (o->a[0]) {
	case C_MAPD:	cmd_mapd(o->a[1], o->a[2]); break;
	case C_MAPC:	cmd_mapc(o->a[1], (uint32_t)o->a[2], o->a[2] >> 32); break;
	case C_MAPTI:	cmd_mapti(dev, ev, (uint32_t)o->a[2], o->a[2] >> 32); break;
	case C_MOVI:	cmd_dev_ev(GITS_CMD_MOVI, dev, ev, o->a[2]); break;
	case C_DISCARD:	cmd_dev_ev(GITS_CMD_DISCARD, dev, ev, 0); break;
	case C_INV:	cmd_dev_ev(GITS_CMD_INV, dev, ev, 0); break;
	case C_INVALL:	cmd_invall(o->a[1]); break;
	case C_MOVALL:	cmd_movall(o->a[1], o->a[2]); break;
	case C_SYNC:	cmd_sync(o->a[1]); break;
	default:	GUEST_FAIL("unknown command %lu", o->a[0]);
	}
}

static void guest_redist_enable_lpis(uint32_t cpu, bool on)
{
	volatile void *rd = gicr(cpu);
	uint64_t dl = now_us_deadline(ITS_CMD_WAIT_US);

	writel_relaxed(on ? GICR_CTLR_ENABLE_LPIS : 0, rd + GICR_CTLR);
	while (readl_relaxed(rd + GICR_CTLR) & GICR_CTLR_RWP) {
		__GUEST_ASSERT(before(dl), "GICR_CTLR.RWP stuck");
		cpu_relax();
	}
	GUEST_ASSERT_EQ(!!(readl_relaxed(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS), on);
}

static void guest_map_std(void)
{
	cmd_mapc(0, 0, true);
	cmd_mapc(1, 1, true);
	cmd_mapd(DEV, true);
	for (int ev = 0; ev < 8; ev++)
		cmd_mapti(DEV, ev, ITS_LPI(ev), ev / 4);
	cmd_invall(0);
	cmd_invall(1);
	cmd_sync(0);
	cmd_sync(1);
}

static void guest_wait(uint32_t cpu, uint64_t settle_us)
{
	uint64_t dl = now_us_deadline(ITS_WAIT_US);
	bool short_of;

	do {
		short_of = false;
		for (int i = 0; i < NR_LPIS; i++)
			if (READ_ONCE(cnt[cpu][i]) < READ_ONCE(exp_cnt[cpu][i]))
				short_of = true;
		if (!short_of)
			break;
		udelay(50);
	} while (before(dl));
	if (short_of)
		WRITE_ONCE(wait_timeouts[cpu], wait_timeouts[cpu] + 1);
	udelay(settle_us);
}

static void guest_do(uint32_t cpu, const struct op *o)
{
	switch (o->code) {
	case OP_NOP:
		break;
	case OP_RDIST_SETUP:
		gic_rdist_enable_lpis(gd.prop, SZ_64K, gd.pend + cpu * SZ_64K);
		GUEST_ASSERT(readl_relaxed(gicr(cpu) + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS);
		break;
	case OP_ENABLE_LPIS:
		guest_redist_enable_lpis(cpu, o->a[0]);
		break;
	case OP_PROP:
		WRITE_ONCE(((volatile uint8_t *)gd.prop)[o->a[0]], o->a[1]);
		dsb(ishst);
		break;
	case OP_ITS_INIT:
		its_init(gd.ct, SZ_64K, gd.dt, SZ_64K, gd.cmdq, SZ_64K);
		GUEST_ASSERT(readl_relaxed(GITS_BASE_GVA + GITS_CTLR) & GITS_CTLR_ENABLE);
		break;
	case OP_MAP_STD:
		guest_map_std();
		break;
	case OP_CMD:
		guest_cmd(o);
		break;
	case OP_TRANSLATER:
		writel(o->a[0], GITS_BASE_GVA + GITS_TRANSLATER);
		break;
	case OP_PMR:
		write_sysreg_s(o->a[0], SYS_ICC_PMR_EL1);
		isb();
		break;
	case OP_WAIT:
		guest_wait(cpu, o->a[0]);
		break;
	default:
		GUEST_FAIL("unknown op %lu", o->code);
	}
}

static void guest_code(void)
{
	uint32_t cpu = guest_get_vcpuid();

	/* VM B resumes on the GIC state the host restored: no re-init. */
	if (!READ_ONCE(gd.resume))
		gic_init(GIC_V3, NR_VCPUS);
	local_irq_enable();
	for (;;) {
		struct op o;

		GUEST_SYNC(0);
		o.code = READ_ONCE(mbox[cpu].code);
		for (int i = 0; i < 3; i++)
			o.a[i] = READ_ONCE(mbox[cpu].a[i]);
		guest_do(cpu, &o);
	}
}

/* --- host --- */

struct dt {
	struct its_env *e;
	struct op *mbox;
	uint32_t (*exp)[NR_LPIS];	/* guest's exp_cnt */
	uint32_t (*cnt)[NR_LPIS];
	uint8_t (*rpr)[NR_LPIS];
	uint32_t *other_cnt, *other_intid, *timeouts;
};

static void gop(struct dt *t, int cpu, uint64_t code, uint64_t a0, uint64_t a1,
		uint64_t a2)
{
	struct kvm_vcpu *vcpu = t->e->vcpus[cpu];
	struct ucall uc;

	t->mbox[cpu] = (struct op){ code, { a0, a1, a2 } };
	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("vCPU%d: exit %s (ucall %lu) during op %lu", cpu,
			  exit_reason_str(vcpu->run->exit_reason), uc.cmd, code);
	}
}

#define gop0(t, cpu, code)		gop(t, cpu, code, 0, 0, 0)
#define gop1(t, cpu, code, a0)		gop(t, cpu, code, a0, 0, 0)

/* ITS commands the guest of vCPU cpu issues. */
static void g_mapd(struct dt *t, int cpu, uint32_t dev, bool v)
{
	gop(t, cpu, OP_CMD, C_MAPD, dev, v);
}
static void g_mapti(struct dt *t, int cpu, uint32_t dev, uint32_t ev, int lpi,
		    uint32_t icid)
{
	gop(t, cpu, OP_CMD, C_MAPTI, (uint64_t)dev << 32 | ev,
	    ITS_LPI(lpi) | (uint64_t)icid << 32);
}
static void g_movi(struct dt *t, int cpu, uint32_t dev, uint32_t ev, uint32_t icid)
{
	gop(t, cpu, OP_CMD, C_MOVI, (uint64_t)dev << 32 | ev, icid);
}
static void g_discard(struct dt *t, int cpu, uint32_t dev, uint32_t ev)
{
	gop(t, cpu, OP_CMD, C_DISCARD, (uint64_t)dev << 32 | ev, 0);
}
static void g_inv(struct dt *t, int cpu, uint32_t dev, uint32_t ev)
{
	gop(t, cpu, OP_CMD, C_INV, (uint64_t)dev << 32 | ev, 0);
}
static void g_invall(struct dt *t, int cpu, uint32_t icid)
{
	gop(t, cpu, OP_CMD, C_INVALL, icid, 0);
}
static void g_movall(struct dt *t, int cpu, uint32_t rd1, uint32_t rd2)
{
	gop(t, cpu, OP_CMD, C_MOVALL, rd1, rd2);
}
static void g_sync(struct dt *t, int cpu, uint32_t rd)
{
	gop(t, cpu, OP_CMD, C_SYNC, rd, 0);
}
/* The guest of vCPU 0 rewrites LPI index lpi's property byte. */
static void g_prop(struct dt *t, int lpi, uint8_t prop)
{
	gop(t, 0, OP_PROP, lpi, prop, 0);
}
static void g_pmr(struct dt *t, int cpu, uint8_t pmr)
{
	gop1(t, cpu, OP_PMR, pmr);
}
#define PMR_MASK_ALL	0x00
#define PMR_DEF		0xf0	/* gic_init()'s */

static void dt_bind(struct dt *t, struct its_env *e)
{
	struct kvm_vm *vm = e->vm;

	t->e = e;
	t->mbox = addr_gva2hva(vm, (vm_vaddr_t)mbox);
	t->exp = addr_gva2hva(vm, (vm_vaddr_t)exp_cnt);
	t->cnt = addr_gva2hva(vm, (vm_vaddr_t)cnt);
	t->rpr = addr_gva2hva(vm, (vm_vaddr_t)rpr);
	t->other_cnt = addr_gva2hva(vm, (vm_vaddr_t)other_cnt);
	t->other_intid = addr_gva2hva(vm, (vm_vaddr_t)other_intid);
	t->timeouts = addr_gva2hva(vm, (vm_vaddr_t)wait_timeouts);

	gd.dt = its_gpa(e, ITS_OFF_DT);
	gd.ct = its_gpa(e, ITS_OFF_CT);
	gd.cmdq = its_gpa(e, ITS_OFF_CMDQ);
	gd.itt = its_gpa(e, ITS_OFF_ITT);
	gd.prop = its_gpa(e, ITS_OFF_PROP);
	gd.pend = its_gpa(e, ITS_OFF_PEND);
	sync_global_to_guest(vm, gd);
}

/* A VM up to the first GUEST_SYNC of each vCPU (gic_init() done, or not
 * in resume mode); nothing of the LPI machinery programmed. */
static void dt_create(struct dt *t, bool resume)
{
	struct its_env *e = its_env_create(NR_VCPUS, guest_code);

	vm_init_descriptor_tables(e->vm);
	for (int i = 0; i < NR_VCPUS; i++)
		vcpu_init_descriptor_tables(e->vcpus[i]);
	vm_install_exception_handler(e->vm, VECTOR_IRQ_CURRENT, guest_irq_handler);
	vm_install_sync_handler(e->vm, VECTOR_SYNC_CURRENT, ESR_EC_UNKNOWN,
				guest_undef_handler);
	/* its_env_create() programmed PROPBASER/PENDBASER from the host: the
	 * guest does it itself here (the VM B of a restore gets A's values). */
	for (int i = 0; i < NR_VCPUS; i++) {
		its_redist_set64(e, i, GICR_PROPBASER, 0);
		its_redist_set64(e, i, GICR_PENDBASER, 0);
	}
	gd.resume = resume;
	dt_bind(t, e);
	gd.resume = false;
}

static void dt_start(struct dt *t)
{
	for (int i = 0; i < NR_VCPUS; i++)
		gop0(t, i, OP_NOP);
}

/* The guest programs its LPIs and the ITS, and maps the standard set. */
static void dt_program(struct dt *t)
{
	dt_start(t);
	for (int i = 0; i < NR_LPIS; i++)
		gop(t, 0, OP_PROP, i, PROP(PRIO_DEF, true), 0);
	for (int i = 0; i < NR_VCPUS; i++)
		gop0(t, i, OP_RDIST_SETUP);
	gop0(t, 0, OP_ITS_INIT);
	gop0(t, 0, OP_MAP_STD);
}

static void dt_setup(struct dt *t)
{
	dt_create(t, false);
	dt_program(t);
}

static void dt_free(struct dt *t)
{
	its_env_free(t->e);
}

static int signal_msi(struct dt *t, uint32_t dev, uint32_t ev, int *err)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)(GITS_BASE_GPA + GITS_TRANSLATER),
		.address_hi = (GITS_BASE_GPA + GITS_TRANSLATER) >> 32,
		.data = ev,
		.devid = dev,
		.flags = KVM_MSI_VALID_DEVID,
	};
	int r;

	errno = 0;
	r = __vm_ioctl(t->e->vm, KVM_SIGNAL_MSI, &msi);
	if (err)
		*err = r < 0 ? errno : 0;
	return r;
}

/* KVM_SIGNAL_MSI must return ret (and errno err when ret is -1). */
#define MSI(t, dev, ev, ret, err) do {					\
	int __e, __r = signal_msi(t, dev, ev, &__e);			\
	ASSERT_EQ(ret, __r) TH_LOG("KVM_SIGNAL_MSI(dev %u, ev %u): %d errno %d",\
				   dev, ev, __r, __e);			\
	if ((ret) < 0)							\
		ASSERT_EQ(err, __e);					\
} while (0)

/* Expect one more delivery of LPI index lpi on vCPU cpu. */
static void taken(struct dt *t, int cpu, int lpi)
{
	t->exp[cpu][lpi]++;
}

/*
 * Every vCPU waits until it has taken what is expected and then nothing
 * more for ITS_SETTLE_US (vCPU 0 twice: an LPI moved away from it reaches
 * the new vCPU's list only when vCPU 0 exits); then every count, of every
 * LPI on every vCPU, must be exactly what is expected.
 */
static void __check(struct __test_metadata *_metadata, struct dt *t,
		    const char *what)
{
	bool ok = true;

	gop1(t, 0, OP_WAIT, ITS_SETTLE_US);
	gop1(t, 1, OP_WAIT, ITS_SETTLE_US);
	gop1(t, 0, OP_WAIT, ITS_SETTLE_US);
	for (int c = 0; c < NR_VCPUS; c++) {
		for (int i = 0; i < NR_LPIS; i++) {
			if (t->cnt[c][i] == t->exp[c][i])
				continue;
			ok = false;
			TH_LOG("%s: vCPU%d took LPI %d %u times, expected %u",
			       what, c, ITS_LPI(i), t->cnt[c][i], t->exp[c][i]);
		}
		if (t->other_cnt[c]) {
			ok = false;
			TH_LOG("%s: vCPU%d took %u other interrupts (last INTID %u)",
			       what, c, t->other_cnt[c], t->other_intid[c]);
		}
		if (t->timeouts[c])
			TH_LOG("%s: vCPU%d gave up waiting %u times (%u us each)",
			       what, c, t->timeouts[c], ITS_WAIT_US);
	}
	ASSERT_TRUE(ok) TH_LOG("%s (%s)", what, vgic3_impl_name());
}
#define check(t, what)	__check(_metadata, t, what)

/* --- the rules --- */

TEST(lpi_from_kvm_signal_msi_is_taken_once_on_its_collections_vcpu)
{
	struct dt t;

	dt_create(&t, false);
	ASSERT_EQ(1, vm_check_cap(t.e->vm, KVM_CAP_MSI_DEVID));
	dt_program(&t);
	check(&t, "nothing before the first MSI");

	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI (5, 0) -> LPI 8192, collection 0, vCPU 0");
	EXPECT_EQ(PRIO_DEF, t.rpr[0][0]);

	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 1, 4);
	check(&t, "MSI (5, 4) -> LPI 8196, collection 1, vCPU 1");
	EXPECT_EQ(PRIO_DEF, t.rpr[1][4]);

	/* each MSI is one more delivery (the translation is cached now) */
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 0, 0);
	taken(&t, 1, 4);
	check(&t, "second MSIs");

	/* no ITE: blocked, 0 */
	MSI(&t, DEV, 9, 0, 0);
	MSI(&t, 6, 0, 0, 0);
	check(&t, "MSIs without a translation");
	dt_free(&t);
}

TEST(lpi_from_an_irqfd_with_an_msi_route_is_taken_once)
{
	struct kvm_irq_routing *routing = kvm_gsi_routing_create();
	uint64_t db = GITS_BASE_GPA + GITS_TRANSLATER, one = 1;
	struct kvm_irqfd irqfd = {};
	int efd[2];
	struct dt t;

	dt_setup(&t);
	for (int i = 0; i < 2; i++) {
		routing->entries[i] = (struct kvm_irq_routing_entry){
			.gsi = 10 + i,
			.type = KVM_IRQ_ROUTING_MSI,
			.flags = KVM_MSI_VALID_DEVID,
			.u.msi = {
				.address_lo = (uint32_t)db,
				.address_hi = db >> 32,
				.data = i ? 5 : 1,	/* LPI 8193 on vCPU 0, 8197 on vCPU 1 */
				.devid = DEV,
			},
		};
	}
	routing->nr = 2;
	ASSERT_EQ(0, _kvm_gsi_routing_write(t.e->vm, routing))
		TH_LOG("KVM_SET_GSI_ROUTING (MSI, devid): errno %d", errno);
	for (int i = 0; i < 2; i++) {
		efd[i] = eventfd(0, EFD_CLOEXEC);
		ASSERT_GE(efd[i], 0);
		irqfd.fd = efd[i];
		irqfd.gsi = 10 + i;
		ASSERT_EQ(0, __vm_ioctl(t.e->vm, KVM_IRQFD, &irqfd))
			TH_LOG("KVM_IRQFD gsi %d: errno %d", 10 + i, errno);
	}

	/* cold: no cached translation yet (the in-kernel injection worker) */
	ASSERT_EQ(8, write(efd[0], &one, 8));
	taken(&t, 0, 1);
	check(&t, "irqfd gsi 10 -> (5, 1) -> LPI 8193 on vCPU 0");
	ASSERT_EQ(8, write(efd[1], &one, 8));
	taken(&t, 1, 5);
	check(&t, "irqfd gsi 11 -> (5, 5) -> LPI 8197 on vCPU 1");

	/* warm: the translation is cached (the atomic path) */
	ASSERT_EQ(8, write(efd[0], &one, 8));
	ASSERT_EQ(8, write(efd[1], &one, 8));
	taken(&t, 0, 1);
	taken(&t, 1, 5);
	check(&t, "second irqfd signals");

	irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	for (int i = 0; i < 2; i++) {
		irqfd.fd = efd[i];
		irqfd.gsi = 10 + i;
		EXPECT_EQ(0, __vm_ioctl(t.e->vm, KVM_IRQFD, &irqfd));
		close(efd[i]);
	}
	dt_free(&t);
}

/*
 * A vCPU's store to GITS_TRANSLATER carries no DeviceID. The in-kernel ITS
 * has no register at 0x10040 and ignores the store: no translation for
 * DeviceID 0, nor for the storing vCPU's id, nor for any device. The
 * module translates it as an MSI from DeviceID 0
 * (Documentation/differences.rst). The same (DeviceID, EventID) pairs sent
 * by KVM_SIGNAL_MSI are delivered: the mappings are live.
 */
TEST(guest_store_to_gits_translater_is_ignored_in_kernel_and_devid0_in_module)
{
	int module = vgic3_module_loaded();
	struct dt t;

	dt_setup(&t);
	/* EventID 2: DeviceID 0 -> LPI 8208, 1 -> 8209, 5 -> 8194 (std) */
	g_mapd(&t, 0, 0, true);
	g_mapti(&t, 0, 0, 2, 16, 0);
	g_mapd(&t, 0, 1, true);
	g_mapti(&t, 0, 1, 2, 17, 0);
	g_sync(&t, 0, 0);

	gop1(&t, 0, OP_TRANSLATER, 2);
	t.exp[0][16] += module;
	check(&t, "vCPU 0 stores EventID 2 to GITS_TRANSLATER");
	gop1(&t, 1, OP_TRANSLATER, 2);
	t.exp[0][16] += module;
	check(&t, "vCPU 1 stores EventID 2 to GITS_TRANSLATER");

	MSI(&t, 0, 2, 1, 0);
	MSI(&t, 1, 2, 1, 0);
	MSI(&t, DEV, 2, 1, 0);
	taken(&t, 0, 16);
	taken(&t, 0, 17);
	taken(&t, 0, 2);
	check(&t, "KVM_SIGNAL_MSI for DeviceIDs 0, 1, 5, EventID 2");
	dt_free(&t);
}

TEST(inv_applies_the_property_tables_priority_and_enable_bit)
{
	struct dt t;

	dt_setup(&t);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI at the initial priority");
	EXPECT_EQ(PRIO_DEF, t.rpr[0][0]);

	/* priority 0x80 + INV: taken at 0x80 */
	g_prop(&t, 0, PROP(0x80, true));
	g_inv(&t, 0, DEV, 0);
	g_sync(&t, 0, 0);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI after priority 0x80 + INV");
	EXPECT_EQ(0x80, t.rpr[0][0]);

	/* disabled + INV: still translated (1), not taken, stays pending */
	g_prop(&t, 0, PROP(0x80, false));
	g_inv(&t, 0, DEV, 0);
	g_sync(&t, 0, 0);
	MSI(&t, DEV, 0, 1, 0);
	check(&t, "MSI after Enable = 0 + INV");
	MSI(&t, DEV, 0, 1, 0);		/* a second one: still one latch */
	check(&t, "second MSI while disabled");

	/* re-enabled at 0xa0 + INV: the pending LPI is taken once, at 0xa0 */
	g_prop(&t, 0, PROP(PRIO_DEF, true));
	g_inv(&t, 0, DEV, 0);
	g_sync(&t, 0, 0);
	taken(&t, 0, 0);
	check(&t, "Enable = 1 + INV: the pending LPI");
	EXPECT_EQ(PRIO_DEF, t.rpr[0][0]);

	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI after re-enabling");

	/* the same on collection 1 (vCPU 1), INV issued by vCPU 1 */
	g_prop(&t, 4, PROP(PRIO_DEF, false));
	g_inv(&t, 1, DEV, 4);
	MSI(&t, DEV, 4, 1, 0);
	check(&t, "vCPU 1's LPI disabled + INV");
	g_prop(&t, 4, PROP(0x80, true));
	g_inv(&t, 1, DEV, 4);
	taken(&t, 1, 4);
	check(&t, "vCPU 1's LPI enabled + INV");
	EXPECT_EQ(0x80, t.rpr[1][4]);
	dt_free(&t);
}

TEST(invall_applies_the_property_table_to_the_collections_lpis)
{
	struct dt t;

	dt_setup(&t);
	g_prop(&t, 1, PROP(0x80, true));
	g_prop(&t, 2, PROP(PRIO_DEF, false));
	g_prop(&t, 6, PROP(PRIO_DEF, false));
	g_invall(&t, 0, 0);
	g_invall(&t, 1, 1);
	g_sync(&t, 0, 0);

	MSI(&t, DEV, 1, 1, 0);
	MSI(&t, DEV, 2, 1, 0);
	MSI(&t, DEV, 6, 1, 0);
	taken(&t, 0, 1);
	check(&t, "after INVALL: 8193 at 0x80, 8194 and 8198 disabled");
	EXPECT_EQ(0x80, t.rpr[0][1]);

	g_prop(&t, 2, PROP(PRIO_DEF, true));
	g_prop(&t, 6, PROP(0x80, true));
	g_invall(&t, 0, 0);
	g_invall(&t, 0, 1);
	taken(&t, 0, 2);
	taken(&t, 1, 6);
	check(&t, "re-enabled + INVALL: the pending 8194 and 8198, once each");
	EXPECT_EQ(PRIO_DEF, t.rpr[0][2]);
	EXPECT_EQ(0x80, t.rpr[1][6]);

	MSI(&t, DEV, 2, 1, 0);
	MSI(&t, DEV, 6, 1, 0);
	taken(&t, 0, 2);
	taken(&t, 1, 6);
	check(&t, "MSIs after re-enabling");
	dt_free(&t);
}

TEST(movi_moves_the_lpi_to_the_new_collections_vcpu)
{
	struct dt t;

	dt_setup(&t);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI (5, 0) before MOVI");

	g_movi(&t, 0, DEV, 0, 1);
	g_sync(&t, 0, 1);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 1, 0);
	check(&t, "MSI (5, 0) after MOVI to collection 1");

	/* a pending LPI moves with its ITE */
	g_pmr(&t, 0, PMR_MASK_ALL);
	MSI(&t, DEV, 1, 1, 0);
	check(&t, "MSI (5, 1) held on vCPU 0 by ICC_PMR 0");
	g_movi(&t, 0, DEV, 1, 1);
	g_sync(&t, 0, 1);
	taken(&t, 1, 1);
	check(&t, "the pending 8193 after MOVI to collection 1");
	g_pmr(&t, 0, PMR_DEF);
	check(&t, "vCPU 0 unmasked");

	/* and back */
	g_movi(&t, 1, DEV, 0, 0);
	g_sync(&t, 1, 0);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI (5, 0) after MOVI back to collection 0");
	dt_free(&t);
}

/*
 * MOVALL moves every LPI of RD 0 to RD 1: the pending ones are taken on
 * vCPU 1, and (measured on the in-kernel vgic: it retargets the LPIs, not
 * the collection, which stays mapped to RD 0) later MSIs for them too.
 */
TEST(movall_moves_the_redistributors_lpis_to_the_new_vcpu)
{
	struct dt t;

	dt_setup(&t);
	g_pmr(&t, 0, PMR_MASK_ALL);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 1, 1, 0);
	check(&t, "8192 and 8193 held on vCPU 0 by ICC_PMR 0");

	g_movall(&t, 0, 0, 1);
	g_sync(&t, 0, 1);
	taken(&t, 1, 0);
	taken(&t, 1, 1);
	check(&t, "the pending 8192 and 8193 after MOVALL RD0 -> RD1");
	g_pmr(&t, 0, PMR_DEF);
	check(&t, "vCPU 0 unmasked");

	MSI(&t, DEV, 2, 1, 0);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 1, 2);
	taken(&t, 1, 0);
	taken(&t, 1, 4);
	check(&t, "MSIs for LPIs of RD 0 after MOVALL, and for RD 1's");
	dt_free(&t);
}

TEST(discard_stops_delivery_kvm_signal_msi_returns_0)
{
	struct dt t;

	dt_setup(&t);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI (5, 0) before DISCARD");

	g_discard(&t, 0, DEV, 0);
	g_sync(&t, 0, 0);
	MSI(&t, DEV, 0, 0, 0);
	check(&t, "MSI (5, 0) after DISCARD");

	MSI(&t, DEV, 1, 1, 0);
	taken(&t, 0, 1);
	check(&t, "MSI (5, 1): the device's other events still translate");

	g_mapti(&t, 0, DEV, 0, 0, 1);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 1, 0);
	check(&t, "MSI (5, 0) mapped again, to collection 1");
	dt_free(&t);
}

TEST(mapd_v0_stops_delivery_and_a_remapped_device_has_no_old_events)
{
	struct dt t;

	dt_setup(&t);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 0, 0);
	taken(&t, 1, 4);
	check(&t, "MSIs before MAPD V=0");

	g_mapd(&t, 0, DEV, false);
	g_sync(&t, 0, 0);
	MSI(&t, DEV, 0, 0, 0);
	MSI(&t, DEV, 4, 0, 0);
	check(&t, "MSIs after MAPD V=0");

	g_mapd(&t, 0, DEV, true);
	MSI(&t, DEV, 0, 0, 0);
	check(&t, "MSI after MAPD V=1 (no ITE)");

	g_mapti(&t, 0, DEV, 0, 0, 0);
	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI after MAPTI");
	dt_free(&t);
}

/*
 * VM A: LPIs 8192, 8193 (vCPU 0) and 8196 (vCPU 1) pending, held by
 * ICC_PMR 0; SAVE_PENDING_TABLES, SAVE_TABLES. VM B (its guest does not
 * re-initialise the GIC) is restored in the order of arm-vgic-its.rst:
 * guest memory, the distributor and redistributors (PROPBASER, PENDBASER,
 * CTLR.EnableLPIs), the CPU interface, then the ITS (IIDR, CBASER, CREADR,
 * CWRITER, BASERs, RESTORE_TABLES, CTLR). B's guest unmasks and takes each
 * pending LPI exactly once, and only those; B translates new MSIs.
 */
TEST(pending_lpis_saved_in_vm_a_are_taken_once_in_vm_b)
{
	uint64_t propbaser[NR_VCPUS], pendbaser[NR_VCPUS];
	uint32_t gicr_ctlr[NR_VCPUS], gicd_ctlr;
	uint64_t pmr[NR_VCPUS], igrpen1[NR_VCPUS];
	struct its_regs r;
	struct dt a, b;

	dt_setup(&a);
	for (int c = 0; c < NR_VCPUS; c++)
		g_pmr(&a, c, PMR_MASK_ALL);
	MSI(&a, DEV, 0, 1, 0);
	MSI(&a, DEV, 1, 1, 0);
	MSI(&a, DEV, 4, 1, 0);
	check(&a, "VM A: three LPIs held by ICC_PMR 0");

	ASSERT_EQ(0, __gic_save_pending(a.e->gic_fd));
	ASSERT_EQ(0, __its_save(a.e->its_fd));
	EXPECT_TRUE(its_lpi_pending_bit(a.e, 0, ITS_LPI(0)));
	EXPECT_TRUE(its_lpi_pending_bit(a.e, 0, ITS_LPI(1)));
	EXPECT_TRUE(its_lpi_pending_bit(a.e, 1, ITS_LPI(4)));
	EXPECT_FALSE(its_lpi_pending_bit(a.e, 0, ITS_LPI(2)));
	its_regs_save(a.e->its_fd, &r);
	gicd_ctlr = dist_rd(a.e->gic_fd, GICD_CTLR);
	for (int c = 0; c < NR_VCPUS; c++) {
		propbaser[c] = its_redist_get64(a.e, c, GICR_PROPBASER);
		pendbaser[c] = its_redist_get64(a.e, c, GICR_PENDBASER);
		gicr_ctlr[c] = redist_rd(a.e->gic_fd, c, GICR_CTLR);
		pmr[c] = icc_rd(a.e->gic_fd, c, ICC_PMR);
		igrpen1[c] = icc_rd(a.e->gic_fd, c, ICC_IGRPEN1);
		EXPECT_TRUE(gicr_ctlr[c] & GICR_CTLR_ENABLE_LPIS);
	}

	dt_create(&b, true);
	ASSERT_EQ(a.e->mem_gpa, b.e->mem_gpa);
	memcpy(b.e->mem, a.e->mem, ITS_MEM_SIZE);
	dt_free(&a);
	dist_wr(b.e->gic_fd, GICD_CTLR, gicd_ctlr);
	for (int c = 0; c < NR_VCPUS; c++) {
		its_redist_set64(b.e, c, GICR_PROPBASER, propbaser[c]);
		its_redist_set64(b.e, c, GICR_PENDBASER, pendbaser[c]);
		redist_wr(b.e->gic_fd, c, GICR_CTLR, gicr_ctlr[c]);
		icc_wr(b.e->gic_fd, c, ICC_PMR, pmr[c]);
		icc_wr(b.e->gic_fd, c, ICC_IGRPEN1, igrpen1[c]);
	}
	ASSERT_EQ(0, its_regs_restore(b.e->its_fd, &r));

	dt_start(&b);
	check(&b, "VM B before its guest unmasks");
	for (int c = 0; c < NR_VCPUS; c++)
		g_pmr(&b, c, PMR_DEF);
	taken(&b, 0, 0);
	taken(&b, 0, 1);
	taken(&b, 1, 4);
	check(&b, "VM B: the LPIs pending in A, once each");

	MSI(&b, DEV, 0, 1, 0);
	MSI(&b, DEV, 2, 1, 0);
	MSI(&b, DEV, 5, 1, 0);
	taken(&b, 0, 0);
	taken(&b, 0, 2);
	taken(&b, 1, 5);
	check(&b, "VM B: new MSIs through the restored tables");
	dt_free(&b);
}

/*
 * KVM_DEV_ARM_ITS_CTRL_RESET with the vCPUs stopped: the ITS is disabled
 * and forgets every mapping. An MSI for the old mapping is refused
 * (-EBUSY, the ITS is disabled) and, once the guest has re-enabled the ITS
 * but not mapped anything, finds no translation (0): no stale cached
 * translation. After the guest maps again, one MSI is one LPI.
 */
TEST(its_reset_delivers_nothing_stale_and_a_reprogrammed_its_delivers)
{
	struct dt t;

	dt_setup(&t);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 0, 0);
	taken(&t, 1, 4);
	check(&t, "MSIs before the reset (translations cached)");

	ASSERT_EQ(0, __its_reset(t.e->its_fd));
	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(t.e->its_fd, GITS_CTLR));
	MSI(&t, DEV, 0, -1, EBUSY);
	MSI(&t, DEV, 4, -1, EBUSY);
	check(&t, "MSIs after the reset");

	gop0(&t, 0, OP_ITS_INIT);
	MSI(&t, DEV, 0, 0, 0);
	MSI(&t, DEV, 4, 0, 0);
	check(&t, "MSIs with the ITS enabled again, nothing mapped");

	gop0(&t, 0, OP_MAP_STD);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	taken(&t, 0, 0);
	taken(&t, 1, 4);
	check(&t, "MSIs after the guest mapped again");
	dt_free(&t);
}

/*
 * Clearing GICR_CTLR.EnableLPIs drops the LPIs pending on that
 * redistributor (the in-kernel vgic_flush_pending_lpis(); nothing is
 * written to the pending table, so setting EnableLPIs again, which reads
 * it, brings nothing back). Meanwhile MSIs to it are dropped: the
 * in-kernel ITS says EBUSY; under the module KVM_SIGNAL_MSI finds no
 * translation KVM's core may deliver through and says 0 (a deliberate
 * difference, Documentation/differences.rst). Another redistributor's
 * pending LPIs are untouched.
 */
TEST(clearing_enable_lpis_drops_the_redistributors_pending_lpis)
{
	struct dt t;

	dt_setup(&t);
	for (int c = 0; c < NR_VCPUS; c++)
		g_pmr(&t, c, PMR_MASK_ALL);
	MSI(&t, DEV, 0, 1, 0);
	MSI(&t, DEV, 1, 1, 0);
	MSI(&t, DEV, 4, 1, 0);
	check(&t, "8192, 8193 (vCPU 0) and 8196 (vCPU 1) held by ICC_PMR 0");

	gop1(&t, 0, OP_ENABLE_LPIS, 0);
	if (vgic3_module_loaded())
		MSI(&t, DEV, 0, 0, 0);
	else
		MSI(&t, DEV, 0, -1, EBUSY);
	for (int c = 0; c < NR_VCPUS; c++)
		g_pmr(&t, c, PMR_DEF);
	taken(&t, 1, 4);
	check(&t, "unmasked after vCPU 0 cleared EnableLPIs");

	gop1(&t, 0, OP_ENABLE_LPIS, 1);
	check(&t, "vCPU 0 set EnableLPIs again");
	EXPECT_FALSE(its_lpi_pending_bit(t.e, 0, ITS_LPI(0)));

	MSI(&t, DEV, 0, 1, 0);
	taken(&t, 0, 0);
	check(&t, "MSI after EnableLPIs is set again");
	dt_free(&t);
}

TEST_HARNESS_MAIN
