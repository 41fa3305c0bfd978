// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the CPU interface follows the host's ICH_VTR_EL2 (priority and ID
 * bits, SEIS, A3V) in ICC_CTLR_EL1, in the ICC_CTLR_EL1 userspace may
 * restore, and in which ICC_AP0R/AP1R registers exist.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/module.h>
#include <asm/sysreg.h>
#include "vgic_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static u32 host_vtr(unsigned int pri_bits, unsigned int id_bits, bool seis,
		    bool a3v)
{
	return FIELD_PREP(ICH_VTR_PRI_BITS_MASK, pri_bits - 1) |
	       FIELD_PREP(ICH_VTR_ID_BITS_MASK, id_bits) |
	       FIELD_PREP(ICH_VTR_SEIS_MASK, seis) |
	       FIELD_PREP(ICH_VTR_A3V_MASK, a3v);
}

/* ICC_CTLR_EL1 with the given fields, CBPR and EOImode clear. */
static u64 ctlr(unsigned int pri_bits, unsigned int id_bits, bool seis,
		bool a3v)
{
	return FIELD_PREP(ICC_CTLR_EL1_PRI_BITS_MASK, pri_bits - 1) |
	       FIELD_PREP(ICC_CTLR_EL1_ID_BITS_MASK, id_bits) |
	       FIELD_PREP(ICC_CTLR_EL1_SEIS_MASK, seis) |
	       FIELD_PREP(ICC_CTLR_EL1_A3V_MASK, a3v);
}

/* A one-vCPU VM on a host whose ICH_VTR_EL2 is @vtr, initialised. */
static struct vgic_t cpuif_vm(struct kunit *test, u32 vtr)
{
	struct vgic_t t = vgic_t_new(test, 1, false);

	t.vm->ich_vtr = vtr;
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_set_attr(t.gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	return t;
}

/*
 * CPU_SYSREGS attribute of vCPU 0's register @reg (a SYS_ICC_* encoding).
 * (checkpatch CAMELCASE: sys_reg_Op0() and its kin are asm/sysreg.h's.)
 */
static u64 icc(u32 reg)
{
	return vgic_t_attr_mpidr(0) |
	       (u64)sys_reg_Op0(reg) << 14 | (u64)sys_reg_Op1(reg) << 11 |
	       (u64)sys_reg_CRn(reg) << 7 | (u64)sys_reg_CRm(reg) << 3 |
	       sys_reg_Op2(reg);
}

static int icc_get(struct vgic_t *t, u32 reg, u64 *val)
{
	return vgic3_get_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			      icc(reg), val);
}

static int icc_set(struct vgic_t *t, u32 reg, u64 val)
{
	return vgic3_set_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			      icc(reg), &val);
}

/* Hosts of other ICH_VTR_EL2s, and the APnR registers each implements. */
struct host_case {
	unsigned int pri_bits;
	unsigned int id_bits;
	bool seis;
	bool a3v;
	unsigned int nr_aprs;	/* of each group: AP0R0.. and AP1R0.. */
};

static const struct host_case host_cases[] = {
	{ 7, 0, true, false, 4 },
	{ 6, 1, false, true, 2 },
	{ 5, 1, false, true, 1 },
};

static void host_case_desc(const struct host_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "%u priority bits, IDbits %u, SEIS %d, A3V %d", c->pri_bits,
		 c->id_bits, c->seis, c->a3v);
}

KUNIT_ARRAY_PARAM(host, host_cases, host_case_desc);

static void ctlr_reports_the_hosts_priority_and_id_bits_seis_and_a3v(struct kunit *test)
{
	const struct host_case *c = test->param_value;
	struct vgic_t t = cpuif_vm(test, host_vtr(c->pri_bits, c->id_bits,
						  c->seis, c->a3v));
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0, icc_get(&t, SYS_ICC_CTLR_EL1, &v));
	KUNIT_EXPECT_EQ(test, ctlr(c->pri_bits, c->id_bits, c->seis, c->a3v),
			v);
}

static const u32 icc_ap0r[] = {
	SYS_ICC_AP0R0_EL1, SYS_ICC_AP0R1_EL1, SYS_ICC_AP0R2_EL1,
	SYS_ICC_AP0R3_EL1,
};

static const u32 icc_ap1r[] = {
	SYS_ICC_AP1R0_EL1, SYS_ICC_AP1R1_EL1, SYS_ICC_AP1R2_EL1,
	SYS_ICC_AP1R3_EL1,
};

/* 7 bits: AP0R0..3 and AP1R0..3; 6 bits: 0..1; 5 bits: AP0R0 and AP1R0. */
static void apr_count_follows_the_hosts_priority_bits(struct kunit *test)
{
	const struct host_case *c = test->param_value;
	struct vgic_t t = cpuif_vm(test, host_vtr(c->pri_bits, c->id_bits,
						  c->seis, c->a3v));
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(icc_ap0r); n++) {
		int ret = n < c->nr_aprs ? 0 : -EINVAL;
		u64 v0 = 0, v1 = 0;

		KUNIT_EXPECT_EQ(test, ret, icc_set(&t, icc_ap0r[n], 0x80000001));
		KUNIT_EXPECT_EQ(test, ret, icc_set(&t, icc_ap1r[n], 0x10));
		KUNIT_EXPECT_EQ(test, ret, icc_get(&t, icc_ap0r[n], &v0));
		KUNIT_EXPECT_EQ(test, ret, icc_get(&t, icc_ap1r[n], &v1));
		if (ret)
			continue;
		KUNIT_EXPECT_EQ(test, 0x80000001, v0);
		KUNIT_EXPECT_EQ(test, 0x10, v1);
	}
}

static void ctlr_restore_with_fewer_priority_bits_hides_upper_aprs(struct kunit *test)
{
	struct vgic_t t = cpuif_vm(test, host_vtr(7, 1, false, true));
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0, icc_set(&t, SYS_ICC_CTLR_EL1,
					 ctlr(5, 1, false, true)));
	KUNIT_EXPECT_EQ(test, 0, icc_get(&t, SYS_ICC_CTLR_EL1, &v));
	KUNIT_EXPECT_EQ(test, ctlr(5, 1, false, true), v);
	KUNIT_EXPECT_EQ(test, -EINVAL, icc_get(&t, SYS_ICC_AP0R1_EL1, &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_AP1R3_EL1, 1));
}

static void ctlr_restore_refuses_more_priority_bits_than_the_vcpu_has(struct kunit *test)
{
	struct vgic_t t = cpuif_vm(test, host_vtr(6, 1, false, true));
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_CTLR_EL1,
					       ctlr(7, 1, false, true)));
	/* Once lowered, the bits cannot go back up to the host's. */
	KUNIT_EXPECT_EQ(test, 0, icc_set(&t, SYS_ICC_CTLR_EL1,
					 ctlr(5, 1, false, true)));
	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_CTLR_EL1,
					       ctlr(6, 1, false, true)));
	KUNIT_EXPECT_EQ(test, 0, icc_get(&t, SYS_ICC_CTLR_EL1, &v));
	KUNIT_EXPECT_EQ(test, ctlr(5, 1, false, true), v);
}

static void ctlr_restore_refuses_more_id_bits_than_the_host(struct kunit *test)
{
	struct vgic_t t = cpuif_vm(test, host_vtr(5, 0, false, true));

	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_CTLR_EL1,
					       ctlr(5, 1, false, true)));
	KUNIT_EXPECT_EQ(test, 0, icc_set(&t, SYS_ICC_CTLR_EL1,
					 ctlr(5, 0, false, true)));
}

static void ctlr_restore_refuses_seis_or_a3v_unlike_the_hosts(struct kunit *test)
{
	struct vgic_t t = cpuif_vm(test, host_vtr(5, 1, true, false));

	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_CTLR_EL1,
					       ctlr(5, 1, false, false)));
	KUNIT_EXPECT_EQ(test, -EINVAL, icc_set(&t, SYS_ICC_CTLR_EL1,
					       ctlr(5, 1, true, true)));
	KUNIT_EXPECT_EQ(test, 0, icc_set(&t, SYS_ICC_CTLR_EL1,
					 ctlr(5, 1, true, false)));
}

static struct kunit_case cpuif_cases[] = {
	KUNIT_CASE_PARAM(ctlr_reports_the_hosts_priority_and_id_bits_seis_and_a3v,
			 host_gen_params),
	KUNIT_CASE_PARAM(apr_count_follows_the_hosts_priority_bits,
			 host_gen_params),
	KUNIT_CASE(ctlr_restore_with_fewer_priority_bits_hides_upper_aprs),
	KUNIT_CASE(ctlr_restore_refuses_more_priority_bits_than_the_vcpu_has),
	KUNIT_CASE(ctlr_restore_refuses_more_id_bits_than_the_host),
	KUNIT_CASE(ctlr_restore_refuses_seis_or_a3v_unlike_the_hosts),
	{}
};

static struct kunit_suite cpuif_suite = {
	.name = "kvm_vgic3_cpuif",
	.test_cases = cpuif_cases,
};

kunit_test_suite(cpuif_suite);
