// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery: guest vCPUs take interrupts, and every one they take
 * is counted, per INTID and per vCPU, by the guest's IRQ handler. One case
 * per architected rule (SGIs, timer and PMU PPIs, SPIs from every source,
 * priorities, preemption, PMR, BPR, group enables, enables, and pending
 * state carried from one VM to another through the device attributes).
 * The host compares the final counts with the exact expected matrix (every
 * INTID on every vCPU: what was not targeted must not have been taken) and,
 * for the ordering rules and the "not before" rules, the order of handler
 * entries, handler exits and the guest's own steps (an enable, a PMR
 * raise...) in a per-vCPU log.
 *
 * Guest waits are bounded (WAIT_MS for what must happen, SETTLE_MS for a
 * window in which nothing more may happen), and the host gives each VM
 * RUN_S seconds, so that a missing interrupt is an assertion, not a hang.
 *
 * The same binary must pass with the in-kernel vgic and with kvm_vgic3.ko.
 * One known departure of Linux 6.12's vgic from the architecture (pending
 * interrupts not forwarded when GICD_CTLR.EnableGrp1 is set again) is
 * detected as such and reported as XFAIL for the in-kernel vgic; the
 * module re-queues them (Documentation/differences.rst) and must not lose
 * them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <linux/bits.h>
#include <linux/sizes.h>

#include "kselftest_harness.h"
#include "common_vgic.h"
#include "impl.h"
#include "arch_timer.h"
#include "ucall_common.h"

#define MAX_VCPUS	4
#define NR_IRQS		64	/* SGIs, PPIs, SPIs 32..63 */
#define LOG_LEN		32
#define EV_END		0x10000	/* log entry: handler of INTID returns */
#define EV_MARK		0x20000	/* log entry: the guest's step n begins */
#define WAIT_MS		10000	/* for an interrupt that must come */
#define SETTLE_MS	50	/* in which nothing (more) may come */
#define RUN_S		25	/* host: for all vCPUs of a VM to finish */

#define PPI_PMU		23
#define PPI_VTIMER	27
#define PPI_PTIMER	30

/* Guest -> host requests (GUEST_SYNC4(cmd, a, b, c)). */
enum {
	CMD_LINE = 1,		/* KVM_IRQ_LINE SPI a to level b */
	CMD_EDGE,		/* KVM_IRQ_LINE SPI a 1 then 0 */
	CMD_WAIT_BLOCKED,	/* until vCPU a is blocked (in WFI) */
	CMD_IRQFD,		/* signal irqfd slot a */
	CMD_RESAMPLED,		/* resamplefd of slot a signalled? must be b */
};

/* ---------------------------------------------------------------- guest */

/* Interrupts taken, by vCPU and INTID; handler entries and exits in order. */
static volatile uint32_t taken[MAX_VCPUS][NR_IRQS];
static volatile uint32_t spurious[MAX_VCPUS];
static volatile uint32_t evlog[MAX_VCPUS][LOG_LEN];
static volatile uint32_t evlen[MAX_VCPUS];
static volatile uint32_t phase[MAX_VCPUS];
/* Called by the handler after the acknowledge, before the EOI. */
static void (*volatile irq_hook)(uint32_t cpu, uint32_t intid);
/* Parameters the host writes before the first run. */
static volatile uint32_t nr_cpus_param;
struct sgi_shot {
	uint32_t sender, intid, targets;
	uint64_t sgi1r;
};
static volatile struct sgi_shot shots[4];
static volatile uint32_t nr_shots;
static volatile uint32_t timer_param;	/* 0 virtual, 1 physical */

#define SGI1R(intid, list)	((uint64_t)(intid) << 24 | (list))
#define SGI1R_IRM		BIT_ULL(40)

static uint64_t now(void)
{
	return timer_get_cntct(VIRTUAL);
}

static uint64_t deadline(uint32_t ms)
{
	return now() + msec_to_cycles(ms);
}

static void log_ev(uint32_t cpu, uint32_t ev)
{
	uint32_t n = evlen[cpu];

	if (n < LOG_LEN)
		evlog[cpu][n] = ev;
	evlen[cpu] = n + 1;
}

/*
 * Logged right before the step that allows an interrupt to be taken (an
 * enable, a PMR raise...): one taken earlier shows up before the mark in
 * the log. Interrupts are masked around it, the handler logs too.
 */
static void mark(uint32_t n)
{
	uint64_t daif = read_sysreg(daif);

	asm volatile("msr daifset, #3" ::: "memory");
	log_ev(guest_get_vcpuid(), EV_MARK | n);
	write_sysreg(daif, daif);
	isb();
}

/*
 * An UNDEFINED instruction, typically the first ICC_* access of a vCPU that
 * has no GICv3 CPU interface (KVM clears ID_AA64PFR0_EL1.GIC without an
 * in-kernel irqchip).
 */
static void guest_undef_handler(struct ex_regs *regs)
{
	GUEST_FAIL("UNDEFINED instruction %#x at %#lx (ID_AA64PFR0_EL1.GIC = %lu, "
		   "0: no GIC system registers)",
		   *(uint32_t *)regs->pc, regs->pc,
		   (read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf);
}

/*
 * The handler uses the ICC registers directly (not the guest GIC driver),
 * so that a guest that never ran gic_init() (a restored VM) can use it.
 */
static void guest_irq_handler(struct ex_regs *regs)
{
	uint32_t cpu = guest_get_vcpuid();
	uint32_t intid = read_sysreg_s(SYS_ICC_IAR1_EL1) & 0xffffff;

	dsb(sy);
	if (intid == IAR_SPURIOUS) {
		spurious[cpu]++;
		return;
	}
	__GUEST_ASSERT(intid < NR_IRQS, "vCPU%u acknowledged INTID %u", cpu, intid);
	log_ev(cpu, intid);
	taken[cpu][intid]++;
	if (irq_hook)
		irq_hook(cpu, intid);
	log_ev(cpu, EV_END | intid);
	write_sysreg_s(intid, SYS_ICC_EOIR1_EL1);
	isb();
}

/* Until vCPU cpu took intid n times (bounded); then it must be exactly n. */
static void wait_taken(uint32_t cpu, uint32_t intid, uint32_t n)
{
	uint64_t end = deadline(WAIT_MS);

	while (READ_ONCE(taken[cpu][intid]) < n && now() < end)
		cpu_relax();
	__GUEST_ASSERT(READ_ONCE(taken[cpu][intid]) == n,
		       "vCPU%u took INTID %u %u times, expected %u (waited %u ms)",
		       cpu, intid, taken[cpu][intid], n, WAIT_MS);
}

static void settle(void)
{
	uint64_t end = deadline(SETTLE_MS);

	while (now() < end)
		cpu_relax();
}

/* Nothing taken in a SETTLE_MS window: still exactly n. */
static void settle_expect(uint32_t cpu, uint32_t intid, uint32_t n)
{
	settle();
	__GUEST_ASSERT(READ_ONCE(taken[cpu][intid]) == n,
		       "vCPU%u took INTID %u %u times, expected still %u",
		       cpu, intid, taken[cpu][intid], n);
}

static void barrier_all(uint32_t nr, uint32_t p)
{
	uint32_t cpu = guest_get_vcpuid();
	uint64_t end = deadline(WAIT_MS);

	__atomic_store_n((uint32_t *)&phase[cpu], p, __ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < nr; i++) {
		while (__atomic_load_n((uint32_t *)&phase[i], __ATOMIC_SEQ_CST) < p &&
		       now() < end)
			cpu_relax();
		__GUEST_ASSERT(phase[i] >= p, "vCPU%u: vCPU%u did not reach step %u",
			       cpu, i, p);
	}
}

static void send_sgi(uint64_t sgi1r)
{
	write_sysreg_s(sgi1r, SYS_ICC_SGI1R_EL1);
	isb();
}

static void host_line(uint32_t intid, uint32_t level)
{
	GUEST_SYNC4(CMD_LINE, intid, level, 0);
}

static void set_pmr(uint32_t pmr)
{
	write_sysreg_s(pmr, SYS_ICC_PMR_EL1);
	isb();
}

static void set_igrpen1(uint32_t en)
{
	write_sysreg_s(en, SYS_ICC_IGRPEN1_EL1);
	isb();
}

static uint32_t gicd_read(uint32_t off)
{
	return readl(GICD_BASE_GVA + off);
}

static void gicd_write(uint32_t off, uint32_t val)
{
	writel(val, GICD_BASE_GVA + off);
}

/*
 * One INTID's bit of a set/clear register: the distributor's for an SPI,
 * the own redistributor's SGI frame for an SGI/PPI. Unlike the guest
 * driver's helpers, which read-modify-write, only that INTID's bit is
 * written (a read-modify-write of ISENABLER re-enables, and of ICPENDR
 * clears, every other INTID of the word).
 */
static volatile void *irq_reg(uint32_t off, uint32_t intid)
{
	if (intid < 32)
		return GICR_BASE_GVA + guest_get_vcpuid() * 2 * SZ_64K + SZ_64K + off;
	return GICD_BASE_GVA + off + 4 * (intid / 32);
}

static void irq_bit_write(uint32_t off, uint32_t intid)
{
	writel(BIT(intid % 32), irq_reg(off, intid));
}

static void irq_enable(uint32_t intid)
{
	irq_bit_write(GICD_ISENABLER, intid);
}

static void irq_disable(uint32_t intid)
{
	irq_bit_write(GICD_ICENABLER, intid);
}

static void irq_pend(uint32_t intid)
{
	irq_bit_write(GICD_ISPENDR, intid);
}

static void irq_unpend(uint32_t intid)
{
	irq_bit_write(GICD_ICPENDR, intid);
}

static bool irq_pending(uint32_t intid)
{
	return readl(irq_reg(GICD_ISPENDR, intid)) & BIT(intid % 32);
}

/* -- SGIs */

/*
 * Every vCPU enables the SGIs of all shots and unmasks interrupts; per shot,
 * the sender writes ICC_SGI1R_EL1 and each target waits until it took it.
 * A vCPU that is not a target spins with interrupts unmasked meanwhile, so
 * an SGI delivered to it is counted (and fails the host's check).
 */
static void guest_sgi_shots(void)
{
	uint32_t cpu = guest_get_vcpuid(), nr = nr_cpus_param;

	gic_init(GIC_V3, nr);
	for (uint32_t i = 0; i < nr_shots; i++)
		irq_enable(shots[i].intid);
	local_irq_enable();
	for (uint32_t i = 0; i < nr_shots; i++) {
		barrier_all(nr, 2 * i + 1);
		if (cpu == shots[i].sender)
			send_sgi(shots[i].sgi1r);
		if (shots[i].targets & BIT(cpu))
			wait_taken(cpu, shots[i].intid, 1);
		barrier_all(nr, 2 * i + 2);
	}
	settle();
	GUEST_DONE();
}

#define SGI_WFI	5

/* vCPU1 blocks in WFI; vCPU0 sends it an SGI once the host saw it block. */
static void guest_sgi_wfi(void)
{
	uint32_t cpu = guest_get_vcpuid();

	gic_init(GIC_V3, 2);
	if (cpu == 1) {
		irq_enable(SGI_WFI);
		barrier_all(2, 1);
		/*
		 * Interrupts masked around WFI (it completes on a pending
		 * interrupt all the same), so none is taken between the
		 * check and the WFI. Unbounded here, bounded by vCPU0's
		 * barrier below.
		 */
		while (!READ_ONCE(taken[1][SGI_WFI])) {
			asm volatile("wfi" ::: "memory");
			local_irq_enable();
			isb();
			local_irq_disable();
		}
		barrier_all(2, 2);
		local_irq_enable();
		settle();
		GUEST_DONE();
	}
	irq_enable(SGI_WFI);	/* vCPU0 must not take it: not a target */
	local_irq_enable();
	barrier_all(2, 1);
	GUEST_SYNC4(CMD_WAIT_BLOCKED, 1, 0, 0);
	send_sgi(SGI1R(SGI_WFI, BIT(1)));
	barrier_all(2, 2);
	settle();
	GUEST_DONE();
}

/* -- timers */

static void hook_timer(uint32_t cpu, uint32_t intid)
{
	enum arch_timer t = intid == PPI_VTIMER ? VIRTUAL : PHYSICAL;

	if (intid != PPI_VTIMER && intid != PPI_PTIMER)
		return;
	__GUEST_ASSERT(timer_get_ctl(t) & CTL_ISTATUS,
		       "INTID %u taken but the timer condition is not met", intid);
	/* The timer's output is level: mask it before the EOI. */
	timer_set_ctl(t, CTL_IMASK);
}

static void guest_timer(void)
{
	enum arch_timer t = timer_param ? PHYSICAL : VIRTUAL;
	uint32_t intid = timer_param ? PPI_PTIMER : PPI_VTIMER;

	gic_init(GIC_V3, 1);
	irq_hook = hook_timer;
	irq_enable(intid);
	local_irq_enable();
	timer_set_ctl(t, CTL_IMASK);
	timer_set_tval(t, msec_to_cycles(2));
	timer_set_ctl(t, CTL_ENABLE);
	wait_taken(0, intid, 1);
	settle_expect(0, intid, 1);
	GUEST_DONE();
}

/* -- PMU */

#define PMCR_E		BIT(0)
#define PMU_EVT_SW_INCR	0x0

static void hook_pmu(uint32_t cpu, uint32_t intid)
{
	if (intid != PPI_PMU)
		return;
	__GUEST_ASSERT(read_sysreg(pmovsset_el0) & BIT(0),
		       "PMU interrupt taken without counter 0 overflow");
	/* Overflow status is the (level) interrupt's source: clear it. */
	write_sysreg(BIT(0), pmovsclr_el0);
	isb();
}

/* Counter 0 counts SW_INCR from 0xffffffff: one PMSWINC_EL0 overflows it. */
static void guest_pmu(void)
{
	gic_init(GIC_V3, 1);
	irq_hook = hook_pmu;
	write_sysreg(0, pmcr_el0);
	write_sysreg(~0UL, pmcntenclr_el0);
	write_sysreg(~0UL, pmintenclr_el1);
	write_sysreg(~0UL, pmovsclr_el0);
	write_sysreg(PMU_EVT_SW_INCR, pmevtyper0_el0);
	write_sysreg(0xffffffffUL, pmevcntr0_el0);
	write_sysreg(BIT(0), pmintenset_el1);
	write_sysreg(BIT(0), pmcntenset_el0);
	write_sysreg(PMCR_E, pmcr_el0);
	isb();
	irq_enable(PPI_PMU);
	local_irq_enable();
	write_sysreg(BIT(0), pmswinc_el0);
	isb();
	wait_taken(0, PPI_PMU, 1);
	settle_expect(0, PPI_PMU, 1);
	GUEST_ASSERT(!(read_sysreg(pmovsset_el0) & BIT(0)));
	GUEST_DONE();
}

/* -- SPIs */

#define SPI_ISPENDR	40

/* vCPU0 routes SPI 40 to vCPU1 (GICD_IROUTER) and stores to ISPENDR. */
static void guest_spi_ispendr(void)
{
	uint32_t cpu = guest_get_vcpuid();

	gic_init(GIC_V3, 2);
	local_irq_enable();
	if (cpu == 1) {
		barrier_all(2, 1);
		wait_taken(1, SPI_ISPENDR, 1);
		barrier_all(2, 2);
		settle();
		GUEST_DONE();
	}
	writeq(1, GICD_BASE_GVA + GICD_IROUTER + 8 * SPI_ISPENDR); /* Aff0 1 */
	gic_irq_set_config(SPI_ISPENDR, true);
	irq_enable(SPI_ISPENDR);
	barrier_all(2, 1);
	irq_pend(SPI_ISPENDR);
	barrier_all(2, 2);
	settle();
	GUEST_DONE();
}

#define SPI_ICPENDR	41

static void guest_spi_icpendr(void)
{
	gic_init(GIC_V3, 1);
	local_irq_enable();
	gic_irq_set_config(SPI_ICPENDR, true);
	irq_pend(SPI_ICPENDR);
	GUEST_ASSERT(irq_pending(SPI_ICPENDR));
	irq_unpend(SPI_ICPENDR);
	GUEST_ASSERT(!irq_pending(SPI_ICPENDR));
	irq_enable(SPI_ICPENDR);
	settle_expect(0, SPI_ICPENDR, 0);
	/* The same interrupt made pending again is taken: the path works. */
	mark(1);
	irq_pend(SPI_ICPENDR);
	wait_taken(0, SPI_ICPENDR, 1);
	settle_expect(0, SPI_ICPENDR, 1);
	GUEST_DONE();
}

#define SPI_EDGE	42

static void guest_irq_line_edge(void)
{
	gic_init(GIC_V3, 1);
	gic_irq_set_config(SPI_EDGE, true);
	irq_enable(SPI_EDGE);
	local_irq_enable();
	for (uint32_t k = 1; k <= 3; k++) {
		GUEST_SYNC4(CMD_EDGE, SPI_EDGE, 0, 0);
		wait_taken(0, SPI_EDGE, k);
	}
	/* A line held high is one edge: taken once. */
	host_line(SPI_EDGE, 1);
	wait_taken(0, SPI_EDGE, 4);
	settle_expect(0, SPI_EDGE, 4);
	host_line(SPI_EDGE, 0);
	/* Two edges while it is disabled: pending once, taken once. */
	irq_disable(SPI_EDGE);
	GUEST_SYNC4(CMD_EDGE, SPI_EDGE, 0, 0);
	GUEST_SYNC4(CMD_EDGE, SPI_EDGE, 0, 0);
	GUEST_ASSERT(irq_pending(SPI_EDGE));
	settle_expect(0, SPI_EDGE, 4);
	mark(1);
	irq_enable(SPI_EDGE);
	wait_taken(0, SPI_EDGE, 5);
	settle_expect(0, SPI_EDGE, 5);
	GUEST_ASSERT(!irq_pending(SPI_EDGE));
	GUEST_DONE();
}

#define SPI_LEVEL	43
#define LEVEL_TAKES	3

static void hook_level(uint32_t cpu, uint32_t intid)
{
	/* The device's driver silences it on the last take. */
	if (intid == SPI_LEVEL && taken[cpu][intid] == LEVEL_TAKES)
		host_line(SPI_LEVEL, 0);
}

static void guest_irq_line_level(void)
{
	gic_init(GIC_V3, 1);
	irq_hook = hook_level;
	gic_irq_set_config(SPI_LEVEL, false);
	host_line(SPI_LEVEL, 1);
	GUEST_ASSERT(irq_pending(SPI_LEVEL));
	/* ICPENDR does not clear a level interrupt whose line is high. */
	irq_unpend(SPI_LEVEL);
	GUEST_ASSERT(irq_pending(SPI_LEVEL));
	irq_enable(SPI_LEVEL);
	local_irq_enable();
	/* Re-taken after each EOI while high; the 3rd take drops the line. */
	wait_taken(0, SPI_LEVEL, LEVEL_TAKES);
	settle_expect(0, SPI_LEVEL, LEVEL_TAKES);
	GUEST_ASSERT(!irq_pending(SPI_LEVEL));
	GUEST_DONE();
}

#define SPI_IRQFD	44

static void guest_irqfd(void)
{
	gic_init(GIC_V3, 1);
	gic_irq_set_config(SPI_IRQFD, true);
	irq_enable(SPI_IRQFD);
	local_irq_enable();
	for (uint32_t k = 1; k <= 2; k++) {
		GUEST_SYNC4(CMD_IRQFD, 0, 0, 0);
		wait_taken(0, SPI_IRQFD, k);
	}
	settle_expect(0, SPI_IRQFD, 2);
	GUEST_DONE();
}

#define SPI_RESAMPLE	45

static void hook_resample(uint32_t cpu, uint32_t intid)
{
	/* Acknowledged, not yet EOIed: the resamplefd has not fired. */
	if (intid == SPI_RESAMPLE)
		GUEST_SYNC4(CMD_RESAMPLED, 0, 0, 0);
}

static void guest_resample(void)
{
	gic_init(GIC_V3, 1);
	irq_hook = hook_resample;
	gic_irq_set_config(SPI_RESAMPLE, false);
	irq_enable(SPI_RESAMPLE);
	local_irq_enable();
	for (uint32_t k = 1; k <= 2; k++) {
		GUEST_SYNC4(CMD_IRQFD, 0, 0, 0);
		wait_taken(0, SPI_RESAMPLE, k);
		/* EOIed: the resamplefd fired, and the line is low again. */
		GUEST_SYNC4(CMD_RESAMPLED, 0, 1, 0);
		GUEST_ASSERT(!irq_pending(SPI_RESAMPLE));
	}
	settle_expect(0, SPI_RESAMPLE, 2);
	GUEST_DONE();
}

/* -- priorities */

#define SPI_PRIO_LO	46	/* 0xa0 */
#define SPI_PRIO_HI	47	/* 0x80 */
#define SGI_PRIO_MID	12	/* 0x90 */

/* Three pending at once (interrupts masked); unmasked, by priority. */
static void guest_prio_order(void)
{
	gic_init(GIC_V3, 1);
	gic_set_priority(SPI_PRIO_LO, 0xa0);
	gic_set_priority(SGI_PRIO_MID, 0x90);
	gic_set_priority(SPI_PRIO_HI, 0x80);
	irq_enable(SPI_PRIO_LO);
	irq_enable(SGI_PRIO_MID);
	irq_enable(SPI_PRIO_HI);
	/* made pending lowest priority first, highest INTID not first */
	irq_pend(SPI_PRIO_LO);
	send_sgi(SGI1R(SGI_PRIO_MID, BIT(0)));
	irq_pend(SPI_PRIO_HI);
	local_irq_enable();
	wait_taken(0, SPI_PRIO_LO, 1);
	wait_taken(0, SGI_PRIO_MID, 1);
	wait_taken(0, SPI_PRIO_HI, 1);
	settle();
	GUEST_DONE();
}

/*
 * Nesting: the handler of an "outer" INTID makes an "inner" one pending,
 * unmasks interrupts, and either waits until the inner one was taken
 * (it must preempt) or waits SETTLE_MS and checks that it was not.
 */
struct nest {
	uint32_t outer, inner, preempt;
};
static volatile struct nest nests[2];

static void hook_nest(uint32_t cpu, uint32_t intid)
{
	for (int i = 0; i < 2; i++) {
		if (!nests[i].outer || nests[i].outer != intid)
			continue;
		irq_pend(nests[i].inner);
		local_irq_enable();
		if (nests[i].preempt)
			wait_taken(cpu, nests[i].inner, 1);
		else
			settle_expect(cpu, nests[i].inner, 0);
		local_irq_disable();
	}
}

static void nest_run(int i, uint32_t outer_prio, uint32_t inner_prio, bool preempt)
{
	nests[i].outer = i ? 59 : 57;
	nests[i].inner = i ? 60 : 58;
	nests[i].preempt = preempt;
	gic_set_priority(nests[i].outer, outer_prio);
	gic_set_priority(nests[i].inner, inner_prio);
	irq_enable(nests[i].outer);
	irq_enable(nests[i].inner);
	irq_pend(nests[i].outer);
	wait_taken(0, nests[i].outer, 1);
	wait_taken(0, nests[i].inner, 1);
}

#define SPI_OUTER	48	/* 0xa0 */
#define SPI_INNER	49	/* 0x80 */

static void guest_preempt(void)
{
	gic_init(GIC_V3, 1);
	irq_hook = hook_nest;
	local_irq_enable();
	nests[0].outer = SPI_OUTER;
	nests[0].inner = SPI_INNER;
	nests[0].preempt = 1;
	gic_set_priority(SPI_OUTER, 0xa0);
	gic_set_priority(SPI_INNER, 0x80);
	irq_enable(SPI_OUTER);
	irq_enable(SPI_INNER);
	irq_pend(SPI_OUTER);
	wait_taken(0, SPI_OUTER, 1);
	wait_taken(0, SPI_INNER, 1);
	settle();
	GUEST_DONE();
}

/*
 * ICC_BPR1_EL1 = n: group priority is bits [7:n]. 0x90 and 0x80 differ in
 * bit 4: different groups at the minimum BPR1 (3 with 5 priority bits), the
 * same group at BPR1 = 5.
 */
static void guest_bpr(void)
{
	uint64_t bpr;

	gic_init(GIC_V3, 1);
	irq_hook = hook_nest;
	local_irq_enable();
	write_sysreg_s(0, SYS_ICC_BPR1_EL1);	/* below the minimum: minimum */
	isb();
	bpr = read_sysreg_s(SYS_ICC_BPR1_EL1);
	__GUEST_ASSERT(bpr >= 1 && bpr <= 4, "ICC_BPR1_EL1 minimum %lu", bpr);
	nest_run(0, 0x90, 0x80, true);
	write_sysreg_s(5, SYS_ICC_BPR1_EL1);
	isb();
	bpr = read_sysreg_s(SYS_ICC_BPR1_EL1);
	__GUEST_ASSERT(bpr == 5, "ICC_BPR1_EL1 = 5 reads %lu", bpr);
	nest_run(1, 0x90, 0x80, false);
	settle();
	GUEST_DONE();
}

#define SPI_PMR_EQ	50	/* 0x80 */
#define SPI_PMR_LO	51	/* 0xa0 */

static void guest_pmr(void)
{
	gic_init(GIC_V3, 1);
	set_pmr(0x80);
	gic_set_priority(SPI_PMR_EQ, 0x80);
	gic_set_priority(SPI_PMR_LO, 0xa0);
	irq_enable(SPI_PMR_EQ);
	irq_enable(SPI_PMR_LO);
	irq_pend(SPI_PMR_EQ);
	irq_pend(SPI_PMR_LO);
	local_irq_enable();
	/* Priority equal to the mask is not above it: not signalled. */
	settle_expect(0, SPI_PMR_EQ, 0);
	settle_expect(0, SPI_PMR_LO, 0);
	GUEST_ASSERT(irq_pending(SPI_PMR_EQ));
	GUEST_ASSERT(irq_pending(SPI_PMR_LO));
	mark(1);
	set_pmr(0x88);
	wait_taken(0, SPI_PMR_EQ, 1);
	settle_expect(0, SPI_PMR_LO, 0);
	mark(2);
	set_pmr(0xf0);
	wait_taken(0, SPI_PMR_LO, 1);
	settle_expect(0, SPI_PMR_EQ, 1);
	GUEST_DONE();
}

/* -- group enables, enables */

#define SPI_GRPEN	52

static void guest_igrpen1(void)
{
	gic_init(GIC_V3, 1);
	set_igrpen1(0);
	irq_enable(SPI_GRPEN);
	irq_pend(SPI_GRPEN);
	send_sgi(SGI1R(1, BIT(0)));
	irq_enable(1);
	local_irq_enable();
	settle_expect(0, SPI_GRPEN, 0);
	settle_expect(0, 1, 0);
	GUEST_ASSERT(irq_pending(SPI_GRPEN));
	/* With the group disabled the CPU interface has nothing to give. */
	GUEST_ASSERT_EQ(read_sysreg_s(SYS_ICC_IAR1_EL1) & 0xffffff, IAR_SPURIOUS);
	mark(1);
	set_igrpen1(1);
	wait_taken(0, SPI_GRPEN, 1);
	wait_taken(0, 1, 1);
	settle_expect(0, SPI_GRPEN, 1);
	GUEST_DONE();
}

#define SPI_DIST_EN	53	/* made pending while EnableGrp1 is clear */
#define SPI_DIST_EN_Q	61	/* pending (masked) before it was cleared */
#define DIST_EN_MS	2000	/* for the take once EnableGrp1 is set */

/* Bit n: SPI_DIST_EN / SPI_DIST_EN_Q not forwarded once EnableGrp1 was set. */
static volatile uint32_t dist_en_lost;

/*
 * Architecturally, a group enable gates forwarding only: what is pending
 * while EnableGrp1 is clear is taken once it is set. The guest does not
 * assert that part but records it (dist_en_lost), so that the host can tell
 * the known in-kernel behaviour (nothing is forwarded until something
 * re-queues the interrupt: here a second ISENABLER store) from other
 * failures.
 */
static void guest_gicd_enable(void)
{
	const uint32_t spi[2] = { SPI_DIST_EN, SPI_DIST_EN_Q };
	uint32_t ctlr;
	uint64_t end;

	gic_init(GIC_V3, 1);
	ctlr = gicd_read(GICD_CTLR);
	GUEST_ASSERT(ctlr & GICD_CTLR_ENABLE_SS_G1);
	irq_enable(SPI_DIST_EN_Q);
	irq_pend(SPI_DIST_EN_Q);	/* PSTATE.I masks it */
	gicd_write(GICD_CTLR, ctlr & ~(GICD_CTLR_ENABLE_SS_G1 | GICD_CTLR_ENABLE_SS_G0));
	GUEST_ASSERT(!(gicd_read(GICD_CTLR) & GICD_CTLR_ENABLE_SS_G1));
	irq_enable(SPI_DIST_EN);
	irq_pend(SPI_DIST_EN);
	local_irq_enable();
	settle_expect(0, SPI_DIST_EN, 0);
	settle_expect(0, SPI_DIST_EN_Q, 0);
	GUEST_ASSERT(irq_pending(SPI_DIST_EN));
	GUEST_ASSERT(irq_pending(SPI_DIST_EN_Q));
	mark(1);
	gicd_write(GICD_CTLR, ctlr);
	end = deadline(DIST_EN_MS);
	while ((!READ_ONCE(taken[0][SPI_DIST_EN]) || !READ_ONCE(taken[0][SPI_DIST_EN_Q])) &&
	       now() < end)
		cpu_relax();
	for (int i = 0; i < 2; i++)
		if (!READ_ONCE(taken[0][spi[i]]))
			dist_en_lost |= BIT(i);
	for (int i = 0; i < 2; i++) {
		if (!(dist_en_lost & BIT(i)))
			continue;
		/* Still pending, not forwarded; re-queued by an enable store. */
		GUEST_ASSERT(irq_pending(spi[i]));
		irq_enable(spi[i]);
		wait_taken(0, spi[i], 1);
	}
	settle_expect(0, SPI_DIST_EN, 1);
	settle_expect(0, SPI_DIST_EN_Q, 1);
	GUEST_DONE();
}

#define SPI_DIS_PEND	54	/* made pending while disabled */
#define SPI_DIS_QUEUED	55	/* pending while enabled and masked, then disabled */
#define SGI_DIS		11

static void guest_disabled(void)
{
	gic_init(GIC_V3, 1);
	irq_enable(SPI_DIS_QUEUED);
	irq_pend(SPI_DIS_PEND);
	irq_pend(SPI_DIS_QUEUED);
	send_sgi(SGI1R(SGI_DIS, BIT(0)));
	irq_disable(SPI_DIS_QUEUED);
	local_irq_enable();
	settle_expect(0, SPI_DIS_PEND, 0);
	settle_expect(0, SPI_DIS_QUEUED, 0);
	settle_expect(0, SGI_DIS, 0);
	GUEST_ASSERT(irq_pending(SPI_DIS_PEND));
	GUEST_ASSERT(irq_pending(SPI_DIS_QUEUED));
	GUEST_ASSERT(irq_pending(SGI_DIS));
	mark(1);
	irq_enable(SPI_DIS_PEND);
	wait_taken(0, SPI_DIS_PEND, 1);
	mark(2);
	irq_enable(SPI_DIS_QUEUED);
	wait_taken(0, SPI_DIS_QUEUED, 1);
	mark(3);
	irq_enable(SGI_DIS);
	wait_taken(0, SGI_DIS, 1);
	settle();
	GUEST_DONE();
}

/* -- save in VM A, restore into VM B */

#define SR_SPI_ISPENDR	56	/* edge, guest ISPENDR store */
#define SR_SPI_LEVEL	57	/* level, KVM_IRQ_LINE held high */
#define SR_SPI_EDGE	58	/* edge, KVM_IRQ_LINE edge */
#define SR_PPI		20	/* guest GICR_ISPENDR0 store, vCPU0 */
#define SR_SGI		3	/* vCPU0 -> vCPU1 */

/* VM A: everything made pending, nothing taken (interrupts stay masked). */
static void guest_save_src(void)
{
	uint32_t cpu = guest_get_vcpuid();

	gic_init(GIC_V3, 2);
	if (cpu == 1) {
		irq_enable(SR_SGI);
		barrier_all(2, 1);
		barrier_all(2, 2);
		GUEST_ASSERT(irq_pending(SR_SGI));
		GUEST_DONE();
	}
	gic_irq_set_config(SR_SPI_ISPENDR, true);
	gic_irq_set_config(SR_SPI_LEVEL, false);
	gic_irq_set_config(SR_SPI_EDGE, true);
	gic_set_priority(SR_SPI_ISPENDR, 0x90);
	irq_enable(SR_SPI_ISPENDR);
	irq_enable(SR_SPI_LEVEL);
	irq_enable(SR_SPI_EDGE);
	irq_enable(SR_PPI);
	barrier_all(2, 1);
	irq_pend(SR_SPI_ISPENDR);
	host_line(SR_SPI_LEVEL, 1);
	GUEST_SYNC4(CMD_EDGE, SR_SPI_EDGE, 0, 0);
	irq_pend(SR_PPI);
	send_sgi(SGI1R(SR_SGI, BIT(1)));
	GUEST_ASSERT(irq_pending(SR_SPI_ISPENDR));
	GUEST_ASSERT(irq_pending(SR_SPI_LEVEL));
	GUEST_ASSERT(irq_pending(SR_SPI_EDGE));
	GUEST_ASSERT(irq_pending(SR_PPI));
	barrier_all(2, 2);
	GUEST_DONE();
}

static void hook_restored(uint32_t cpu, uint32_t intid)
{
	if (intid == SR_SPI_LEVEL)
		host_line(SR_SPI_LEVEL, 0);
}

/* VM B: never runs gic_init(); its GIC state is VM A's. */
static void guest_restored(void)
{
	uint32_t cpu = guest_get_vcpuid();

	irq_hook = hook_restored;
	local_irq_enable();
	if (cpu == 0) {
		wait_taken(0, SR_SPI_ISPENDR, 1);
		wait_taken(0, SR_SPI_LEVEL, 1);
		wait_taken(0, SR_SPI_EDGE, 1);
		wait_taken(0, SR_PPI, 1);
	} else {
		wait_taken(1, SR_SGI, 1);
	}
	barrier_all(2, 1);
	settle();
	GUEST_DONE();
}

/* ----------------------------------------------------------------- host */

struct dvm;

struct vcpu_thread {
	struct dvm *d;
	int idx;
	pthread_t thread;
	bool started;
};

struct dvm {
	struct vgic_vm *v;
	int nr;
	struct vcpu_thread t[MAX_VCPUS];
	int efd[2], rfd[2];
	int stats_fd[MAX_VCPUS];
};

static void dvm_install(struct dvm *d)
{
	vm_init_descriptor_tables(d->v->vm);
	for (int i = 0; i < d->nr; i++)
		vcpu_init_descriptor_tables(d->v->vcpus[i]);
	vm_install_exception_handler(d->v->vm, VECTOR_IRQ_CURRENT,
				     guest_irq_handler);
	vm_install_sync_handler(d->v->vm, VECTOR_SYNC_CURRENT, ESR_EC_UNKNOWN,
				guest_undef_handler);
	d->efd[0] = d->efd[1] = d->rfd[0] = d->rfd[1] = -1;
	for (int i = 0; i < d->nr; i++)
		d->stats_fd[i] = vcpu_get_stats_fd(d->v->vcpus[i]);
}

/* nr vCPUs running guest, a vGICv3 with NR_IRQS interrupts, initialized. */
static struct dvm *dvm_create(int nr, void *guest)
{
	struct dvm *d = calloc(1, sizeof(*d));

	TEST_ASSERT(d, "calloc");
	d->nr = nr;
	d->v = vgic_vm_create(nr, guest);
	dvm_install(d);
	vgic_vm_setup(d->v, NR_IRQS);
	*(volatile uint32_t *)addr_gva2hva(d->v->vm, (vm_vaddr_t)&nr_cpus_param) = nr;
	return d;
}

/* The same with a vPMU (PPI 23) on every vCPU; NULL without PMUv3. */
static struct dvm *dvm_create_pmu(int nr, void *guest)
{
	struct kvm_vcpu_init init;
	struct dvm *d;
	uint64_t irq = PPI_PMU;

	if (!kvm_has_cap(KVM_CAP_ARM_PMU_V3))
		return NULL;
	d = calloc(1, sizeof(*d));
	d->v = calloc(1, sizeof(*d->v));
	TEST_ASSERT(d && d->v, "calloc");
	d->nr = d->v->nr_vcpus = nr;
	d->v->vm = vm_create(nr);
	vm_ioctl(d->v->vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1 << KVM_ARM_VCPU_PMU_V3;
	for (int i = 0; i < nr; i++)
		d->v->vcpus[i] = aarch64_vcpu_add(d->v->vm, i, &init, guest);
	d->v->gic_fd = __kvm_create_device(d->v->vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	TEST_ASSERT(d->v->gic_fd >= 0, "KVM_CREATE_DEVICE(VGIC_V3): %s",
		    strerror(errno));
	dvm_install(d);
	vgic_vm_setup(d->v, NR_IRQS);
	for (int i = 0; i < nr; i++) {
		vcpu_device_attr_set(d->v->vcpus[i], KVM_ARM_VCPU_PMU_V3_CTRL,
				     KVM_ARM_VCPU_PMU_V3_IRQ, &irq);
		vcpu_device_attr_set(d->v->vcpus[i], KVM_ARM_VCPU_PMU_V3_CTRL,
				     KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	}
	return d;
}

static void dvm_free(struct dvm *d)
{
	for (int i = 0; i < d->nr; i++)
		close(d->stats_fd[i]);
	for (int i = 0; i < 2; i++) {
		if (d->efd[i] >= 0)
			close(d->efd[i]);
		if (d->rfd[i] >= 0)
			close(d->rfd[i]);
	}
	vgic_vm_free(d->v);
	free(d);
}

/* Irqfd slot for SPI intid (GSI intid - 32, routed to the vGIC pin). */
static void dvm_irqfd(struct dvm *d, int slot, uint32_t intid, bool resample)
{
	struct kvm_irq_routing *r = kvm_gsi_routing_create();
	struct kvm_irqfd irqfd = {};

	kvm_gsi_routing_irqchip_add(r, intid - 32, intid - 32);
	kvm_gsi_routing_write(d->v->vm, r);
	d->efd[slot] = eventfd(0, 0);
	TEST_ASSERT(d->efd[slot] >= 0, "eventfd");
	irqfd.fd = d->efd[slot];
	irqfd.gsi = intid - 32;
	if (resample) {
		d->rfd[slot] = eventfd(0, EFD_NONBLOCK);
		TEST_ASSERT(d->rfd[slot] >= 0, "eventfd");
		irqfd.flags = KVM_IRQFD_FLAG_RESAMPLE;
		irqfd.resamplefd = d->rfd[slot];
	}
	vm_ioctl(d->v->vm, KVM_IRQFD, &irqfd);
}

/*
 * A vCPU statistic. The stats fds are opened before the vCPUs run: the
 * KVM_GET_STATS_FD ioctl waits for the vCPU's mutex, which KVM_RUN holds.
 */
static uint64_t dvm_stat(struct dvm *d, int idx, const char *name)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *descs, *desc;
	uint64_t val = ~0ULL;
	int fd = d->stats_fd[idx];

	read_stats_header(fd, &h);
	descs = read_stats_descriptors(fd, &h);
	for (uint32_t i = 0; i < h.num_desc; i++) {
		desc = get_stats_descriptor(descs, i, &h);
		if (!strcmp(desc->name, name)) {
			read_stat_data(fd, &h, desc, &val, 1);
			break;
		}
	}
	free(descs);
	TEST_ASSERT(val != ~0ULL, "no vCPU stat %s", name);
	return val;
}

static void host_cmd(struct dvm *d, int idx, struct ucall *uc)
{
	uint64_t a = uc->args[1], b = uc->args[2], v = 1;
	struct pollfd p;
	int i, r;

	switch (uc->args[0]) {
	case CMD_LINE:
		kvm_arm_irq_line(d->v->vm, a, b);
		break;
	case CMD_EDGE:
		kvm_arm_irq_line(d->v->vm, a, 1);
		kvm_arm_irq_line(d->v->vm, a, 0);
		break;
	case CMD_WAIT_BLOCKED:
		for (i = 0; i < WAIT_MS / 10 && !dvm_stat(d, a, "blocking"); i++)
			usleep(10000);
		TEST_ASSERT(i < WAIT_MS / 10, "vCPU%lu did not block (WFI) in %d ms",
			    a, WAIT_MS);
		break;
	case CMD_IRQFD:
		TEST_ASSERT(write(d->efd[a], &v, 8) == 8, "irqfd write");
		break;
	case CMD_RESAMPLED:
		p = (struct pollfd){ .fd = d->rfd[a], .events = POLLIN };
		r = poll(&p, 1, b ? WAIT_MS : 0);
		TEST_ASSERT(r >= 0, "poll: %s", strerror(errno));
		TEST_ASSERT(r == (int)b, "resamplefd %s after %s",
			    r ? "signalled" : "not signalled",
			    b ? "the guest's EOI" : "the acknowledge (before EOI)");
		if (r)
			TEST_ASSERT(read(d->rfd[a], &v, 8) == 8 && v == 1,
				    "resamplefd read %lu", v);
		break;
	default:
		TEST_FAIL("vCPU%d: unknown request %lu", idx, uc->args[0]);
	}
}

static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_vcpu *vcpu = t->d->v->vcpus[t->idx];
	struct ucall uc;

	for (;;) {
		vcpu_run(vcpu);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			host_cmd(t->d, t->idx, &uc);
			break;
		case UCALL_PRINTF:
			printf("# vCPU%d: %s", t->idx, uc.buffer);
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		case UCALL_DONE:
			return NULL;
		default:
			TEST_FAIL("vCPU%d: unexpected exit %s", t->idx,
				  exit_reason_str(vcpu->run->exit_reason));
		}
	}
}

static volatile uint32_t (*host_taken(struct dvm *d))[NR_IRQS]
{
	return addr_gva2hva(d->v->vm, (vm_vaddr_t)&taken[0][0]);
}

static void dump_taken(struct dvm *d)
{
	volatile uint32_t (*tk)[NR_IRQS] = host_taken(d);

	for (int c = 0; c < d->nr; c++)
		for (int i = 0; i < NR_IRQS; i++)
			if (tk[c][i])
				printf("# vCPU%d took INTID %d %u times\n", c, i, tk[c][i]);
}

/* Runs every vCPU to GUEST_DONE, each in a thread, within RUN_S seconds. */
static void dvm_run(struct dvm *d)
{
	struct timespec end;

	for (int i = 0; i < d->nr; i++) {
		d->t[i] = (struct vcpu_thread){ .d = d, .idx = i };
		TEST_ASSERT(!pthread_create(&d->t[i].thread, NULL, vcpu_thread_fn,
					    &d->t[i]), "pthread_create");
	}
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += RUN_S;
	for (int i = 0; i < d->nr; i++) {
		int r = pthread_timedjoin_np(d->t[i].thread, NULL, &end);

		if (r) {
			dump_taken(d);
			TEST_FAIL("vCPU%d did not finish in %d s (%s)", i, RUN_S,
				  strerror(r));
		}
	}
}

/* Every INTID on every vCPU against exp; prints and counts mismatches. */
static int dvm_check(struct dvm *d, uint32_t exp[MAX_VCPUS][NR_IRQS])
{
	volatile uint32_t (*tk)[NR_IRQS] = host_taken(d);
	int bad = 0;

	for (int c = 0; c < d->nr; c++)
		for (int i = 0; i < NR_IRQS; i++)
			if (tk[c][i] != exp[c][i]) {
				printf("# vCPU%d INTID %d: taken %u times, expected %u\n",
				       c, i, tk[c][i], exp[c][i]);
				bad++;
			}
	if (bad) {
		volatile uint32_t *sp = addr_gva2hva(d->v->vm, (vm_vaddr_t)&spurious[0]);

		for (int c = 0; c < d->nr; c++)
			printf("# vCPU%d: %u spurious acknowledges\n", c, sp[c]);
	}
	return bad;
}

/* The handler entries/exits of vCPU cpu against exp (n entries). */
static int dvm_check_log(struct dvm *d, int cpu, const uint32_t *exp, int n)
{
	volatile uint32_t *log = addr_gva2hva(d->v->vm, (vm_vaddr_t)&evlog[cpu][0]);
	uint32_t len = *(volatile uint32_t *)addr_gva2hva(d->v->vm,
							  (vm_vaddr_t)&evlen[cpu]);
	int bad = len != (uint32_t)n;

	for (int i = 0; i < n && !bad; i++)
		bad = log[i] != exp[i];
	if (bad) {
		printf("# vCPU%d handler log (INTID entry, 0x10000|INTID exit, 0x20000|n step):",
		       cpu);
		for (uint32_t i = 0; i < len && i < LOG_LEN; i++)
			printf(" %#x", log[i]);
		printf("\n# expected:");
		for (int i = 0; i < n; i++)
			printf(" %#x", exp[i]);
		printf("\n");
	}
	return bad;
}

/* The first entry of vCPU cpu's log is ev (nothing was taken before it). */
static int dvm_check_log_first(struct dvm *d, int cpu, uint32_t ev)
{
	volatile uint32_t *log = addr_gva2hva(d->v->vm, (vm_vaddr_t)&evlog[cpu][0]);
	uint32_t len = *(volatile uint32_t *)addr_gva2hva(d->v->vm,
							  (vm_vaddr_t)&evlen[cpu]);

	if (len && log[0] == ev)
		return 0;
	printf("# vCPU%d handler log:", cpu);
	for (uint32_t i = 0; i < len && i < LOG_LEN; i++)
		printf(" %#x", log[i]);
	printf("; expected %#x first\n", ev);
	return 1;
}

static uint32_t exp[MAX_VCPUS][NR_IRQS];

static void exp_reset(void)
{
	memset(exp, 0, sizeof(exp));
}

/* ---------------------------------------------------------------- cases */

static int run_shots(int nr, const struct sgi_shot *s, int n)
{
	struct dvm *d = dvm_create(nr, guest_sgi_shots);
	volatile struct sgi_shot *g = addr_gva2hva(d->v->vm, (vm_vaddr_t)&shots[0]);
	int bad;

	exp_reset();
	for (int i = 0; i < n; i++) {
		g[i].sender = s[i].sender;
		g[i].intid = s[i].intid;
		g[i].sgi1r = s[i].sgi1r;
		g[i].targets = s[i].targets;
		for (int c = 0; c < nr; c++)
			exp[c][s[i].intid] = !!(s[i].targets & BIT(c));
	}
	*(volatile uint32_t *)addr_gva2hva(d->v->vm, (vm_vaddr_t)&nr_shots) = n;
	dvm_run(d);
	bad = dvm_check(d, exp);
	dvm_free(d);
	return bad;
}

TEST(sgi_to_another_vcpu_blocked_in_wfi_wakes_it)
{
	struct dvm *d = dvm_create(2, guest_sgi_wfi);

	dvm_run(d);
	exp_reset();
	exp[1][SGI_WFI] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_LE(1, dvm_stat(d, 1, "halt_wakeup"));
	dvm_free(d);
}

TEST(sgi_target_list_reaches_exactly_the_listed_vcpus)
{
	const struct sgi_shot s[] = {
		{ .sender = 0, .intid = 6, .sgi1r = SGI1R(6, BIT(1) | BIT(3)),
		  .targets = BIT(1) | BIT(3) },
		{ .sender = 3, .intid = 7, .sgi1r = SGI1R(7, BIT(0) | BIT(2) | BIT(3)),
		  .targets = BIT(0) | BIT(2) | BIT(3) },
	};

	EXPECT_EQ(0, run_shots(4, s, 2));
}

TEST(sgi_broadcast_irm_reaches_all_but_the_sender)
{
	const struct sgi_shot s[] = {
		{ .sender = 2, .intid = 8, .sgi1r = SGI1R(8, 0) | SGI1R_IRM,
		  .targets = BIT(0) | BIT(1) | BIT(3) },
	};

	EXPECT_EQ(0, run_shots(4, s, 1));
}

TEST(sgi_to_self_is_taken_by_the_sender_only)
{
	const struct sgi_shot s[] = {
		{ .sender = 0, .intid = 9, .sgi1r = SGI1R(9, BIT(0)), .targets = BIT(0) },
		{ .sender = 1, .intid = 10, .sgi1r = SGI1R(10, BIT(1)), .targets = BIT(1) },
	};

	EXPECT_EQ(0, run_shots(2, s, 2));
}

static int run_timer(uint32_t which)
{
	struct dvm *d = dvm_create(1, guest_timer);
	int bad;

	*(volatile uint32_t *)addr_gva2hva(d->v->vm, (vm_vaddr_t)&timer_param) = which;
	dvm_run(d);
	exp_reset();
	exp[0][which ? PPI_PTIMER : PPI_VTIMER] = 1;
	bad = dvm_check(d, exp);
	dvm_free(d);
	return bad;
}

TEST(virtual_timer_ppi27_fires_once)
{
	EXPECT_EQ(0, run_timer(0));
}

TEST(physical_timer_ppi30_fires_once)
{
	EXPECT_EQ(0, run_timer(1));
}

TEST(pmu_overflow_ppi23_fires_once)
{
	struct dvm *d = dvm_create_pmu(1, guest_pmu);

	if (!d)
		SKIP(return, "no KVM_CAP_ARM_PMU_V3 in this host");
	dvm_run(d);
	exp_reset();
	exp[0][PPI_PMU] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	dvm_free(d);
}

TEST(spi_pending_by_guest_ispendr_taken_once_by_its_routed_vcpu)
{
	struct dvm *d = dvm_create(2, guest_spi_ispendr);

	dvm_run(d);
	exp_reset();
	exp[1][SPI_ISPENDR] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	dvm_free(d);
}

TEST(spi_cleared_by_icpendr_before_enable_is_never_taken)
{
	struct dvm *d = dvm_create(1, guest_spi_icpendr);

	dvm_run(d);
	exp_reset();
	exp[0][SPI_ICPENDR] = 1;	/* the second, control, pend */
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, (const uint32_t[]){
		EV_MARK | 1, SPI_ICPENDR, EV_END | SPI_ICPENDR }, 3));
	dvm_free(d);
}

TEST(spi_irq_line_edge_taken_once_per_edge)
{
	struct dvm *d = dvm_create(1, guest_irq_line_edge);

	dvm_run(d);
	exp_reset();
	exp[0][SPI_EDGE] = 5;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, (const uint32_t[]){
		SPI_EDGE, EV_END | SPI_EDGE, SPI_EDGE, EV_END | SPI_EDGE,
		SPI_EDGE, EV_END | SPI_EDGE, SPI_EDGE, EV_END | SPI_EDGE,
		EV_MARK | 1, SPI_EDGE, EV_END | SPI_EDGE }, 11));
	dvm_free(d);
}

TEST(spi_irq_line_level_retaken_while_high_and_stops_when_low)
{
	struct dvm *d = dvm_create(1, guest_irq_line_level);

	dvm_run(d);
	exp_reset();
	exp[0][SPI_LEVEL] = LEVEL_TAKES;
	EXPECT_EQ(0, dvm_check(d, exp));
	dvm_free(d);
}

TEST(spi_irqfd_taken_once_per_signal)
{
	struct dvm *d = dvm_create(1, guest_irqfd);

	dvm_irqfd(d, 0, SPI_IRQFD, false);
	dvm_run(d);
	exp_reset();
	exp[0][SPI_IRQFD] = 2;
	EXPECT_EQ(0, dvm_check(d, exp));
	dvm_free(d);
}

TEST(spi_resample_irqfd_fires_after_the_guest_eoi)
{
	struct dvm *d;

	if (!kvm_has_cap(KVM_CAP_IRQFD_RESAMPLE))
		SKIP(return, "no KVM_CAP_IRQFD_RESAMPLE");
	d = dvm_create(1, guest_resample);
	dvm_irqfd(d, 0, SPI_RESAMPLE, true);
	dvm_run(d);
	exp_reset();
	exp[0][SPI_RESAMPLE] = 2;
	EXPECT_EQ(0, dvm_check(d, exp));
	dvm_free(d);
}

TEST(pending_interrupts_taken_highest_priority_first)
{
	struct dvm *d = dvm_create(1, guest_prio_order);
	const uint32_t log[] = {
		SPI_PRIO_HI, EV_END | SPI_PRIO_HI,
		SGI_PRIO_MID, EV_END | SGI_PRIO_MID,
		SPI_PRIO_LO, EV_END | SPI_PRIO_LO,
	};

	dvm_run(d);
	exp_reset();
	exp[0][SPI_PRIO_HI] = exp[0][SGI_PRIO_MID] = exp[0][SPI_PRIO_LO] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, log, 6));
	dvm_free(d);
}

TEST(higher_priority_preempts_a_lower_priority_handler)
{
	struct dvm *d = dvm_create(1, guest_preempt);
	const uint32_t log[] = {
		SPI_OUTER, SPI_INNER, EV_END | SPI_INNER, EV_END | SPI_OUTER,
	};

	dvm_run(d);
	exp_reset();
	exp[0][SPI_OUTER] = exp[0][SPI_INNER] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, log, 4));
	dvm_free(d);
}

TEST(bpr1_same_group_priority_does_not_preempt)
{
	struct dvm *d = dvm_create(1, guest_bpr);
	const uint32_t log[] = {
		57, 58, EV_END | 58, EV_END | 57,	/* BPR1 min: preempts */
		59, EV_END | 59, 60, EV_END | 60,	/* BPR1 5: waits */
	};

	dvm_run(d);
	exp_reset();
	exp[0][57] = exp[0][58] = exp[0][59] = exp[0][60] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, log, 8));
	dvm_free(d);
}

TEST(priority_not_above_pmr_waits_until_pmr_is_raised)
{
	struct dvm *d = dvm_create(1, guest_pmr);
	const uint32_t log[] = {
		EV_MARK | 1, SPI_PMR_EQ, EV_END | SPI_PMR_EQ,
		EV_MARK | 2, SPI_PMR_LO, EV_END | SPI_PMR_LO,
	};

	dvm_run(d);
	exp_reset();
	exp[0][SPI_PMR_EQ] = exp[0][SPI_PMR_LO] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, log, 6));
	dvm_free(d);
}

TEST(icc_igrpen1_clear_nothing_taken_until_set)
{
	struct dvm *d = dvm_create(1, guest_igrpen1);

	dvm_run(d);
	exp_reset();
	exp[0][SPI_GRPEN] = exp[0][1] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	/* Both after the mark; their order is the implementation's choice. */
	EXPECT_EQ(0, dvm_check_log_first(d, 0, EV_MARK | 1));
	dvm_free(d);
}

TEST(gicd_ctlr_enablegrp1_clear_nothing_taken_until_set)
{
	struct dvm *d = dvm_create(1, guest_gicd_enable);
	uint32_t lost;

	dvm_run(d);
	exp_reset();
	exp[0][SPI_DIST_EN] = exp[0][SPI_DIST_EN_Q] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log_first(d, 0, EV_MARK | 1));
	lost = *(volatile uint32_t *)addr_gva2hva(d->v->vm, (vm_vaddr_t)&dist_en_lost);
	dvm_free(d);
	/*
	 * Linux 6.12's vgic does not forward an interrupt that was pending
	 * while EnableGrp1 was clear once it is set (vgic_target_oracle() keeps
	 * it off the ap_list while the distributor is disabled, and the
	 * GICD_CTLR write only kicks vCPUs whose ap_list has work); it is
	 * taken after something re-queues it. That is not the architecture:
	 * reported as an expected failure, not hidden.
	 */
	if (vgic3_module_loaded()) {
		/* The module re-queues them when EnableGrp1 is set. */
		EXPECT_EQ(0, lost);
	} else if (lost && _metadata->exit_code == KSFT_PASS) {
		snprintf(_metadata->results->reason, sizeof(_metadata->results->reason),
			 "%s vgic: %s%s%s not forwarded when EnableGrp1 was set, only after a second ISENABLER store",
			 vgic3_impl_name(),
			 lost & 1 ? "SPI made pending while EnableGrp1 was clear" : "",
			 lost == 3 ? " and " : "",
			 lost & 2 ? "SPI pending before EnableGrp1 was cleared" : "");
		ksft_print_msg("%s\n", _metadata->results->reason);
		_metadata->exit_code = KSFT_XFAIL;
	}
}

TEST(disabled_interrupts_stay_pending_and_are_taken_when_enabled)
{
	struct dvm *d = dvm_create(1, guest_disabled);
	const uint32_t log[] = {
		EV_MARK | 1, SPI_DIS_PEND, EV_END | SPI_DIS_PEND,
		EV_MARK | 2, SPI_DIS_QUEUED, EV_END | SPI_DIS_QUEUED,
		EV_MARK | 3, SGI_DIS, EV_END | SGI_DIS,
	};

	dvm_run(d);
	exp_reset();
	exp[0][SPI_DIS_PEND] = exp[0][SPI_DIS_QUEUED] = exp[0][SGI_DIS] = 1;
	EXPECT_EQ(0, dvm_check(d, exp));
	EXPECT_EQ(0, dvm_check_log(d, 0, log, 9));
	dvm_free(d);
}

/* The GIC state a VMM migrates: distributor, redistributors, CPU interfaces. */
struct gic_state {
	uint32_t ctlr;
	uint32_t igroupr, isenabler, ispendr, isactiver, icfgr[2], ipriorityr[8];
	uint32_t irouter[32][2];
	uint32_t level;
	struct {
		uint32_t igroupr, isenabler, ispendr, isactiver, icfgr[2];
		uint32_t ipriorityr[8], level;
		uint64_t ctlr, pmr, bpr0, bpr1, ap0r0, ap1r0, igrpen0, igrpen1;
	} cpu[2];
};

static void gic_save(int fd, struct gic_state *s)
{
	s->ctlr = dist_rd(fd, GICD_CTLR);
	s->igroupr = dist_rd(fd, GICD_IGROUPR + 4);
	s->isenabler = dist_rd(fd, GICD_ISENABLER + 4);
	s->ispendr = dist_rd(fd, GICD_ISPENDR + 4);
	s->isactiver = dist_rd(fd, GICD_ISACTIVER + 4);
	for (int i = 0; i < 2; i++)
		s->icfgr[i] = dist_rd(fd, GICD_ICFGR + 8 + 4 * i);
	for (int i = 0; i < 8; i++)
		s->ipriorityr[i] = dist_rd(fd, GICD_IPRIORITYR + 32 + 4 * i);
	for (int i = 0; i < 32; i++) {
		s->irouter[i][0] = dist_rd(fd, GICD_IROUTER + 8 * (32 + i));
		s->irouter[i][1] = dist_rd(fd, GICD_IROUTER + 8 * (32 + i) + 4);
	}
	TEST_ASSERT(!level_read(fd, 0, 32, &s->level), "LEVEL_INFO get");
	for (int c = 0; c < 2; c++) {
		s->cpu[c].igroupr = redist_rd(fd, c, SGI_BASE + GICR_IGROUPR0);
		s->cpu[c].isenabler = redist_rd(fd, c, SGI_BASE + GICR_ISENABLER0);
		s->cpu[c].ispendr = redist_rd(fd, c, SGI_BASE + GICR_ISPENDR0);
		s->cpu[c].isactiver = redist_rd(fd, c, SGI_BASE + GICR_ISACTIVER0);
		for (int i = 0; i < 2; i++)
			s->cpu[c].icfgr[i] = redist_rd(fd, c, SGI_BASE + GICR_ICFGR0 + 4 * i);
		for (int i = 0; i < 8; i++)
			s->cpu[c].ipriorityr[i] =
				redist_rd(fd, c, SGI_BASE + GICR_IPRIORITYR0 + 4 * i);
		TEST_ASSERT(!level_read(fd, c, 0, &s->cpu[c].level), "LEVEL_INFO get");
		s->cpu[c].ctlr = icc_rd(fd, c, ICC_CTLR);
		s->cpu[c].pmr = icc_rd(fd, c, ICC_PMR);
		s->cpu[c].bpr0 = icc_rd(fd, c, ICC_BPR0);
		s->cpu[c].bpr1 = icc_rd(fd, c, ICC_BPR1);
		s->cpu[c].ap0r0 = icc_rd(fd, c, ICC_AP0R(0));
		s->cpu[c].ap1r0 = icc_rd(fd, c, ICC_AP1R(0));
		s->cpu[c].igrpen0 = icc_rd(fd, c, ICC_IGRPEN0);
		s->cpu[c].igrpen1 = icc_rd(fd, c, ICC_IGRPEN1);
	}
}

/* In QEMU's order: GICD_CTLR first, configuration, then the state. */
static void gic_restore(int fd, const struct gic_state *s)
{
	dist_wr(fd, GICD_CTLR, s->ctlr);
	dist_wr(fd, GICD_IGROUPR + 4, s->igroupr);
	for (int i = 0; i < 2; i++)
		dist_wr(fd, GICD_ICFGR + 8 + 4 * i, s->icfgr[i]);
	for (int i = 0; i < 8; i++)
		dist_wr(fd, GICD_IPRIORITYR + 32 + 4 * i, s->ipriorityr[i]);
	for (int i = 0; i < 32; i++) {
		dist_wr(fd, GICD_IROUTER + 8 * (32 + i), s->irouter[i][0]);
		dist_wr(fd, GICD_IROUTER + 8 * (32 + i) + 4, s->irouter[i][1]);
	}
	TEST_ASSERT(!level_write(fd, 0, 32, s->level), "LEVEL_INFO set");
	dist_wr(fd, GICD_ICENABLER + 4, ~s->isenabler);
	dist_wr(fd, GICD_ISENABLER + 4, s->isenabler);
	dist_wr(fd, GICD_ISPENDR + 4, s->ispendr);
	dist_wr(fd, GICD_ISACTIVER + 4, s->isactiver);
	for (int c = 0; c < 2; c++) {
		redist_wr(fd, c, SGI_BASE + GICR_IGROUPR0, s->cpu[c].igroupr);
		for (int i = 0; i < 2; i++)
			redist_wr(fd, c, SGI_BASE + GICR_ICFGR0 + 4 * i, s->cpu[c].icfgr[i]);
		for (int i = 0; i < 8; i++)
			redist_wr(fd, c, SGI_BASE + GICR_IPRIORITYR0 + 4 * i,
				  s->cpu[c].ipriorityr[i]);
		TEST_ASSERT(!level_write(fd, c, 0, s->cpu[c].level), "LEVEL_INFO set");
		redist_wr(fd, c, SGI_BASE + GICR_ICENABLER0, ~s->cpu[c].isenabler);
		redist_wr(fd, c, SGI_BASE + GICR_ISENABLER0, s->cpu[c].isenabler);
		redist_wr(fd, c, SGI_BASE + GICR_ISPENDR0, s->cpu[c].ispendr);
		redist_wr(fd, c, SGI_BASE + GICR_ISACTIVER0, s->cpu[c].isactiver);
		icc_wr(fd, c, ICC_CTLR, s->cpu[c].ctlr);
		icc_wr(fd, c, ICC_PMR, s->cpu[c].pmr);
		icc_wr(fd, c, ICC_BPR0, s->cpu[c].bpr0);
		icc_wr(fd, c, ICC_BPR1, s->cpu[c].bpr1);
		icc_wr(fd, c, ICC_AP0R(0), s->cpu[c].ap0r0);
		icc_wr(fd, c, ICC_AP1R(0), s->cpu[c].ap1r0);
		icc_wr(fd, c, ICC_IGRPEN0, s->cpu[c].igrpen0);
		icc_wr(fd, c, ICC_IGRPEN1, s->cpu[c].igrpen1);
	}
}

TEST(pending_state_saved_in_one_vm_is_taken_once_in_the_restored_vm)
{
	struct dvm *a = dvm_create(2, guest_save_src), *b;
	struct gic_state s;

	dvm_run(a);
	exp_reset();
	ASSERT_EQ(0, dvm_check(a, exp));	/* VM A took nothing */
	gic_save(a->v->gic_fd, &s);
	/* The ABI's view: ISPENDR is the latch, the line is LEVEL_INFO. */
	EXPECT_EQ(BIT(SR_SPI_ISPENDR - 32) | BIT(SR_SPI_EDGE - 32), s.ispendr);
	EXPECT_EQ(BIT(SR_SPI_LEVEL - 32), s.level);
	EXPECT_EQ(BIT(SR_PPI), s.cpu[0].ispendr);
	EXPECT_EQ(BIT(SR_SGI), s.cpu[1].ispendr);
	EXPECT_EQ(1, s.cpu[0].igrpen1);
	dvm_free(a);

	b = dvm_create(2, guest_restored);
	gic_restore(b->v->gic_fd, &s);
	EXPECT_EQ(s.ispendr, dist_rd(b->v->gic_fd, GICD_ISPENDR + 4));
	dvm_run(b);
	exp[0][SR_SPI_ISPENDR] = exp[0][SR_SPI_LEVEL] = exp[0][SR_SPI_EDGE] = 1;
	exp[0][SR_PPI] = 1;
	exp[1][SR_SGI] = 1;
	EXPECT_EQ(0, dvm_check(b, exp));
	dvm_free(b);
}

TEST_HARNESS_MAIN
