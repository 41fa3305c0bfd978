/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vGICv3 model's private state, shared by the files under vgic/ (not
 * by the glue, not by the ITS model).
 *
 * Locking: one mutex per VM (struct vgic3.lock) guards everything below.
 * Guest MMIO handlers take it from vCPU context; attribute paths take it
 * after lock_vcpus(). The MMIO bus is never (un)mapped with it held.
 */
#ifndef __KVM_VGIC3_INTERNAL_H
#define __KVM_VGIC3_INTERNAL_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include "../host/host.h"
#include "../regs/regs.h"
#include "../host/irq.h"

#define VGIC3_NR_SGIS		16
#define VGIC3_NR_PRIVATE	32
/* GICD_TYPER.ITLinesNumber: at most 1020 INTIDs, NR_IRQS a multiple of 32. */
#define VGIC3_MAX_NR_IRQS	1023
#define VGIC3_MIN_NR_IRQS	(VGIC3_NR_PRIVATE + 32)
/* What the in-kernel vgic picks when userspace did not set NR_IRQS. */
#define VGIC3_DEFAULT_NR_IRQS	256
/* Priority bits the model implements (GICD_IPRIORITYR keeps [7:3]). */
#define VGIC3_PRI_BITS		5

/* GICD_IIDR.Revision values userspace may restore. */
#define VGIC3_IMP_REV_2		2	/* guest-configurable groups */
#define VGIC3_IMP_REV_3		3	/* GICR_CTLR.{IR,CES} */
#define VGIC3_IMP_REV_LATEST	VGIC3_IMP_REV_3

/* KVM's MPIDR affinity mask: Aff3 in [39:32], Aff2..0 in [23:0]. */
#define VGIC3_MPIDR_AFF_MASK	0xff00ffffffULL

/**
 * struct vgic3_rdreg - a redistributor region (ADDR REDIST / REDIST_REGION)
 * @list: in struct vgic3.rdregs, in index order
 * @gic: owner
 * @base: guest physical address
 * @count: redistributors (0: the legacy REDIST region, one per vCPU)
 * @index: REDIST_REGION index
 * @mmio: the frames on the MMIO bus
 * @mapped: @mmio is on (or being put on) the bus
 */
struct vgic3_rdreg {
	struct list_head list;
	struct vgic3 *gic;
	u64 base;
	u32 count;
	u32 index;
	struct vgic3_mmio_region mmio;
	bool mapped;
};

/**
 * struct vgic3_icc - what a vCPU's CPU interface is built with (CPU_SYSREGS)
 * @pri_bits: priority bits: the host's (ICH_VTR_EL2.PRIbits + 1) at INIT,
 *	      fewer once userspace restores an ICC_CTLR_EL1 that has fewer
 * @id_bits: ICC_CTLR_EL1.IDbits encoding, likewise from ICH_VTR_EL2.IDbits
 * @host_seis: ICH_VTR_EL2.SEIS, which ICC_CTLR_EL1.SEIS reports
 * @host_a3v: ICH_VTR_EL2.A3V, which ICC_CTLR_EL1.A3V reports
 *
 * The interface's state (PMR, BPRs, CBPR, EOImode, group enables, active
 * priorities) is the vCPU's own, in KVM's struct vgic_v3_cpu_if.
 */
struct vgic3_icc {
	u8 pri_bits;
	u8 id_bits;
	bool host_seis;
	bool host_a3v;
};

/**
 * struct vgic3_cpu - one vCPU's redistributor and CPU interface
 * @idx: vCPU index: the order vCPUs were created in, which is the order
 *	 they take redistributor slots in
 * @vcpu_id: the id userspace created it with (GICR_TYPER.Processor_Number)
 * @mpidr: its MPIDR affinity (VGIC3_MPIDR_AFF_MASK)
 * @vcpu: its name in struct vgic_irq.target_vcpu
 * @priv: its SGIs and PPIs (KVM's)
 * @cif: its CPU interface state (KVM's)
 * @enable_lpis: GICR_CTLR.EnableLPIs
 * @pendbaser: GICR_PENDBASER
 * @icc: CPU interface configuration
 */
struct vgic3_cpu {
	unsigned int idx;
	u32 vcpu_id;
	u64 mpidr;
	struct kvm_vcpu *vcpu;
	struct vgic_irq *priv;
	struct vgic_v3_cpu_if *cif;
	bool enable_lpis;
	u64 pendbaser;
	struct vgic3_icc icc;
};

/**
 * struct vgic3 - the per-VM vGICv3 state
 * @host: the VM
 * @lock: guards everything below
 * @v3_created: a KVM_DEV_TYPE_ARM_VGIC_V3 device exists
 * @initialized: CTRL INIT done
 * @nr_spis: SPIs (NR_IRQS - 32), 0 until NR_IRQS or INIT
 * @enabled: GICD_CTLR.EnableGrp1
 * @implementation_rev: GICD_IIDR.Revision (0 until INIT or restored)
 * @has_its: an ITS was created (GICD_TYPER.LPIS, GICR_TYPER.PLPIS)
 * @dist_base: distributor address, VGIC3_ADDR_UNDEF if unset
 * @dist_mmio: the distributor frame on the MMIO bus
 * @dist_mapped: @dist_mmio is on (or being put on) the bus
 * @rdregs: redistributor regions, in index order
 * @nr_cpus: vCPUs frozen at INIT
 * @cpus: per vCPU state, @nr_cpus of them (NULL before INIT)
 * @spis: @nr_spis SPIs, KVM's (NULL before INIT)
 * @propbaser: GICR_PROPBASER, shared by all redistributors as in KVM
 * @lpis: KVM's LPIs by INTID (the core's lpi_xa)
 * @ready: the core was told the frames are on the bus
 * @lpis_changed: an EnableLPIs moved; the listeners were not told yet
 * @listen_lock: guards @lpi_listeners (lock order: host/host.h)
 * @lpi_listeners: struct vgic3_lpi_listener, one per ITS
 */
struct vgic3 {
	struct vgic3_host host;
	struct mutex lock;		/* everything below */
	bool v3_created;
	bool initialized;
	unsigned int nr_spis;
	bool enabled;
	u32 implementation_rev;
	bool has_its;
	u64 dist_base;
	struct vgic3_mmio_region dist_mmio;
	bool dist_mapped;
	struct list_head rdregs;
	unsigned int nr_cpus;
	struct vgic3_cpu *cpus;
	struct vgic_irq *spis;
	u64 propbaser;
	struct xarray *lpis;
	bool ready;
	bool lpis_changed;
	struct mutex listen_lock;	/* @lpi_listeners */
	struct list_head lpi_listeners;
};

static inline unsigned int vgic3_nr_irqs(struct vgic3 *gic)
{
	return gic->nr_spis + VGIC3_NR_PRIVATE;
}

/* lookup.c */
unsigned int vgic3_nr_vcpus_locked(struct vgic3 *gic);
/* INTID -> KVM's state: private ones of @cpu, SPIs; NULL if none. */
struct vgic_irq *vgic3_get_irq(struct vgic3 *gic, struct vgic3_cpu *cpu,
			       u32 intid);
/* vCPU by MPIDR affinity, -1 if none (uses the host's vCPU list). */
int vgic3_mpidr_to_vcpu(struct vgic3 *gic, u64 mpidr);
/* KVM_DEV_ARM_VGIC_V3_MPIDR field of an attribute -> MPIDR affinity. */
u64 vgic3_attr_mpidr(u64 attr);

/* dist.c */
void vgic3_dist_mmio_init(struct vgic3 *gic);

/* redist.c */
void vgic3_rdreg_mmio_init(struct vgic3_rdreg *rd, u64 size);

/* device.c */
int vgic3_init(struct vgic3 *gic);
int vgic3_map_frames(struct vgic3 *gic);

/* redist.c: region layout */
struct vgic3_rdreg *vgic3_rdreg_of_cpu(struct vgic3 *gic, unsigned int idx,
				       unsigned int *slot);
unsigned int vgic3_rdreg_used(struct vgic3 *gic, struct vgic3_rdreg *rd);
bool vgic3_redist_is_last(struct vgic3 *gic, unsigned int idx);

/* addr.c */
int vgic3_addr_set(struct vgic3 *gic, u64 attr, u64 val);
int vgic3_addr_get(struct vgic3 *gic, u64 attr, u64 *val);

/* cpuif.c */
void vgic3_icc_reset(struct vgic3_icc *icc, u32 ich_vtr);
int vgic3_icc_has(u64 attr);
int vgic3_icc_get(struct vgic3_cpu *cpu, u64 attr, u64 *val);
int vgic3_icc_set(struct vgic3_cpu *cpu, u64 attr, u64 val);

/* lpi.c */
int vgic3_lpi_enable(struct vgic3 *gic, struct vgic3_cpu *cpu);
void vgic3_lpi_disable(struct vgic3 *gic, struct vgic3_cpu *cpu);
int vgic3_save_pending_tables(struct vgic3 *gic);
int vgic3_lpi_inv_locked(struct vgic3 *gic, u32 intid);
int vgic3_lpi_invall_locked(struct vgic3 *gic, unsigned int vcpu);

#endif /* __KVM_VGIC3_INTERNAL_H */
