// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU interface state userspace saves and restores (CPU_SYSREGS):
 * ICC_PMR, BPR0/1, AP0R0..3, AP1R0..3, CTLR, SRE, IGRPEN0/1. The state is
 * the vCPU's own, in KVM's struct vgic_v3_cpu_if: the fields of its
 * ICH_VMCR_EL2 image and its active priority registers, which the
 * hardware's virtual CPU interface runs on while the vCPU runs (and which
 * are in memory whenever userspace can reach them: no vCPU runs then).
 */
#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/kernel.h>
#include <asm/kvm.h>
#include <asm/sysreg.h>
#include <kvm/arm_vgic.h>
#include "internal.h"

/**
 * vgic3_icc_reset - the CPU interface of a vCPU that has not run yet
 * @icc: the state to reset
 * @ich_vtr: the host's ICH_VTR_EL2 (struct vgic3_host_ops.ich_vtr)
 *
 * The priority and ID bits, SEIS and A3V are those of the host's virtual
 * CPU interface, which is what a vCPU would get from the hardware: KVM
 * reports them in ICC_CTLR_EL1 and refuses to restore more than them.
 */
void vgic3_icc_reset(struct vgic3_icc *icc, u32 ich_vtr)
{
	memset(icc, 0, sizeof(*icc));
	icc->pri_bits = FIELD_GET(ICH_VTR_PRI_BITS_MASK, ich_vtr) + 1;
	icc->id_bits = FIELD_GET(ICH_VTR_ID_BITS_MASK, ich_vtr);
	icc->host_seis = FIELD_GET(ICH_VTR_SEIS_MASK, ich_vtr);
	icc->host_a3v = FIELD_GET(ICH_VTR_A3V_MASK, ich_vtr);
}

/* System register interface only, no IRQ/FIQ bypass. */
#define VGIC3_ICC_SRE	(ICC_SRE_EL1_DIB | ICC_SRE_EL1_DFB | ICC_SRE_EL1_SRE)

/* One field of the vCPU's ICH_VMCR_EL2 image. */
static u32 vmcr_get(struct vgic3_cpu *cpu, u32 mask, unsigned int shift)
{
	return (cpu->cif->vgic_vmcr & mask) >> shift;
}

static void vmcr_set(struct vgic3_cpu *cpu, u32 mask, unsigned int shift,
		     u32 val)
{
	cpu->cif->vgic_vmcr = (cpu->cif->vgic_vmcr & ~mask) |
			      ((val << shift) & mask);
}

#define VMCR_GET(cpu, f)	vmcr_get(cpu, ICH_VMCR_##f##_MASK,	\
					 ICH_VMCR_##f##_SHIFT)
#define VMCR_SET(cpu, f, v)	vmcr_set(cpu, ICH_VMCR_##f##_MASK,	\
					 ICH_VMCR_##f##_SHIFT, v)

/* CPU_SYSREGS attr[15:0]: Op0[15:14] Op1[13:11] CRn[10:7] CRm[6:3] Op2[2:0] */
#define ATTR_OP0	GENMASK_ULL(15, 14)
#define ATTR_OP1	GENMASK_ULL(13, 11)
#define ATTR_CRN	GENMASK_ULL(10, 7)
#define ATTR_CRM	GENMASK_ULL(6, 3)
#define ATTR_OP2	GENMASK_ULL(2, 0)

static u32 attr_to_sysreg(u64 attr)
{
	return sys_reg((u32)FIELD_GET(ATTR_OP0, attr),
		       (u32)FIELD_GET(ATTR_OP1, attr),
		       (u32)FIELD_GET(ATTR_CRN, attr),
		       (u32)FIELD_GET(ATTR_CRM, attr),
		       (u32)FIELD_GET(ATTR_OP2, attr));
}

/*
 * APnR registers implemented for the priority bits: 1, 2 or 4. Uses the
 * current bits, so a restored CTLR with fewer bits hides the upper ones.
 */
static unsigned int max_apr_idx(const struct vgic3_icc *icc)
{
	switch (icc->pri_bits) {
	case 7:
		return 3;
	case 6:
		return 1;
	default:
		return 0;
	}
}

/* Which ICC register, and for APnR which group and index; -1 if none. */
static int icc_decode(u64 attr, bool *ap1, unsigned int *n)
{
	u32 r = attr_to_sysreg(attr);

	switch (r) {
	case SYS_ICC_PMR_EL1:
	case SYS_ICC_BPR0_EL1:
	case SYS_ICC_BPR1_EL1:
	case SYS_ICC_CTLR_EL1:
	case SYS_ICC_SRE_EL1:
	case SYS_ICC_IGRPEN0_EL1:
	case SYS_ICC_IGRPEN1_EL1:
		return r;
	case SYS_ICC_AP0R0_EL1:
	case SYS_ICC_AP0R1_EL1:
	case SYS_ICC_AP0R2_EL1:
	case SYS_ICC_AP0R3_EL1:
		*ap1 = false;
		*n = (r - SYS_ICC_AP0R0_EL1) >> 5;
		return SYS_ICC_AP0R0_EL1;
	case SYS_ICC_AP1R0_EL1:
	case SYS_ICC_AP1R1_EL1:
	case SYS_ICC_AP1R2_EL1:
	case SYS_ICC_AP1R3_EL1:
		*ap1 = true;
		*n = (r - SYS_ICC_AP1R0_EL1) >> 5;
		return SYS_ICC_AP0R0_EL1;
	}
	return -1;
}

int vgic3_icc_has(u64 attr)
{
	bool ap1;
	unsigned int n;

	return icc_decode(attr, &ap1, &n) < 0 ? -ENXIO : 0;
}

int vgic3_icc_get(struct vgic3_cpu *cpu, u64 attr, u64 *val)
{
	struct vgic3_icc *icc = &cpu->icc;
	unsigned int n = 0;
	bool ap1 = false;

	switch (icc_decode(attr, &ap1, &n)) {
	case SYS_ICC_PMR_EL1:
		*val = VMCR_GET(cpu, PMR);
		return 0;
	case SYS_ICC_BPR0_EL1:
		*val = VMCR_GET(cpu, BPR0);
		return 0;
	case SYS_ICC_BPR1_EL1:
		/* With CBPR, BPR1 reads as BPR0 + 1, saturated. */
		if (VMCR_GET(cpu, CBPR))
			*val = min(VMCR_GET(cpu, BPR0) + 1, 7U);
		else
			*val = VMCR_GET(cpu, BPR1);
		return 0;
	case SYS_ICC_CTLR_EL1:
		*val = FIELD_PREP(ICC_CTLR_EL1_PRI_BITS_MASK, icc->pri_bits - 1) |
		       FIELD_PREP(ICC_CTLR_EL1_ID_BITS_MASK, icc->id_bits) |
		       FIELD_PREP(ICC_CTLR_EL1_SEIS_MASK, icc->host_seis) |
		       FIELD_PREP(ICC_CTLR_EL1_A3V_MASK, icc->host_a3v) |
		       FIELD_PREP(ICC_CTLR_EL1_CBPR_MASK, VMCR_GET(cpu, CBPR)) |
		       /* checkpatch CAMELCASE: asm/sysreg.h's name */
		       FIELD_PREP(ICC_CTLR_EL1_EOImode_MASK,
				  VMCR_GET(cpu, EOIM));
		return 0;
	case SYS_ICC_SRE_EL1:
		*val = VGIC3_ICC_SRE;
		return 0;
	case SYS_ICC_IGRPEN0_EL1:
		*val = VMCR_GET(cpu, ENG0);
		return 0;
	case SYS_ICC_IGRPEN1_EL1:
		*val = VMCR_GET(cpu, ENG1);
		return 0;
	case SYS_ICC_AP0R0_EL1:
		if (n > max_apr_idx(icc))
			return -EINVAL;
		*val = ap1 ? cpu->cif->vgic_ap1r[n] : cpu->cif->vgic_ap0r[n];
		return 0;
	}
	return -ENOENT;
}

/*
 * Refuse a CTLR the host could not run: more priority or ID bits than the
 * vCPU has (the host's, until a restore lowered them), or another SEIS or
 * A3V than the host's. Fewer bits are taken and stay, and hide the APnR
 * registers beyond them. As in KVM, the priority bits are taken before the
 * ID bits are checked.
 */
static int set_ctlr(struct vgic3_cpu *cpu, u64 val)
{
	struct vgic3_icc *icc = &cpu->icc;
	unsigned int pri = FIELD_GET(ICC_CTLR_EL1_PRI_BITS_MASK, val) + 1;
	unsigned int id = FIELD_GET(ICC_CTLR_EL1_ID_BITS_MASK, val);

	if (pri > icc->pri_bits)
		return -EINVAL;
	icc->pri_bits = pri;
	if (id > icc->id_bits)
		return -EINVAL;
	icc->id_bits = id;
	if (FIELD_GET(ICC_CTLR_EL1_SEIS_MASK, val) != icc->host_seis ||
	    FIELD_GET(ICC_CTLR_EL1_A3V_MASK, val) != icc->host_a3v)
		return -EINVAL;
	VMCR_SET(cpu, CBPR, FIELD_GET(ICC_CTLR_EL1_CBPR_MASK, val));
	VMCR_SET(cpu, EOIM, FIELD_GET(ICC_CTLR_EL1_EOImode_MASK, val));
	return 0;
}

int vgic3_icc_set(struct vgic3_cpu *cpu, u64 attr, u64 val)
{
	struct vgic3_icc *icc = &cpu->icc;
	unsigned int n = 0;
	bool ap1 = false;

	switch (icc_decode(attr, &ap1, &n)) {
	case SYS_ICC_PMR_EL1:
		VMCR_SET(cpu, PMR, val & 0xff);
		return 0;
	case SYS_ICC_BPR0_EL1:
		VMCR_SET(cpu, BPR0, val & 7);
		return 0;
	case SYS_ICC_BPR1_EL1:
		/* With CBPR, BPR1 is an alias of BPR0 and ignores writes. */
		if (!VMCR_GET(cpu, CBPR))
			VMCR_SET(cpu, BPR1, val & 7);
		return 0;
	case SYS_ICC_CTLR_EL1:
		return set_ctlr(cpu, val);
	case SYS_ICC_SRE_EL1:
		/* SRE is RAO/WI: the only thing checked is that it is set. */
		return val & ICC_SRE_EL1_SRE ? 0 : -EINVAL;
	case SYS_ICC_IGRPEN0_EL1:
		VMCR_SET(cpu, ENG0, val & 1);
		return 0;
	case SYS_ICC_IGRPEN1_EL1:
		VMCR_SET(cpu, ENG1, val & 1);
		return 0;
	case SYS_ICC_AP0R0_EL1:
		if (n > max_apr_idx(icc))
			return -EINVAL;
		if (ap1)
			cpu->cif->vgic_ap1r[n] = val;
		else
			cpu->cif->vgic_ap0r[n] = val;
		return 0;
	}
	return -ENOENT;
}
