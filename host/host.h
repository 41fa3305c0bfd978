/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's one window onto KVM.
 *
 * Nothing under vgic/, its/ or host/ (only the glue, kvm/) includes
 * <linux/kvm_host.h>: guest memory, vCPUs, the MMIO bus and KVM's vgic
 * core are reached through these operations only. The glue implements them
 * over a real VM; the KUnit suites implement them over a fake.
 *
 * The IRQ state itself is KVM's: struct vgic_irq (include/kvm/arm_vgic.h)
 * for every SGI, PPI, SPI and LPI, and the vCPU's struct vgic_v3_cpu_if
 * (VMCR, AP0R/AP1R) for the CPU interface. The host hands out pointers to
 * them; the model reads and changes them through host/irq.h only, and a
 * struct kvm_vcpu is an opaque name of a vCPU (irq->target_vcpu) to it.
 *
 * Lock order, the one statement of it (outermost first; each lock that is
 * held where a comment says so is checked with lockdep_assert_held()):
 *   kvm->lock (KVM_CREATE_DEVICE, CTRL INIT)
 *   -> every vCPU's mutex (host lock_vcpus: state-changing attributes)
 *   -> the vGICv3's listen_lock (struct vgic3: EnableLPIs listeners)
 *   -> an ITS's addr_lock, then that ITS's lock (struct vgic3_its)
 *   -> the vGICv3's lock (struct vgic3)
 *   -> KVM's config_lock -> the core's ap_list_lock -> lpi_xa's lock
 *   -> irq->irq_lock (host/irq.h).
 * The glue's vgic3_vms_lock (kvm/device.c) nests inside kvm->lock and
 * outside the vGICv3's and the ITSes' locks. Neither model maps or unmaps
 * a frame on the MMIO bus, nor locks the vCPUs, with the vGICv3's or an
 * ITS's lock held (an ITS maps its frame under addr_lock, which no MMIO
 * handler takes): a vCPU in an MMIO handler holds the bus's SRCU read side
 * and waits for those locks, while kvm_io_bus_register_dev() waits for the
 * grace period.
 */
#ifndef __KVM_VGIC3_HOST_H
#define __KVM_VGIC3_HOST_H

#include <linux/compiler_attributes.h>
#include <linux/types.h>
#include <asm/sysreg.h>

/*
 * Code a guest's access to an ITS frame runs (the CWRITER store and its
 * commands, the CREADR poll, a GITS_TRANSLATER store) goes together, so
 * that an exit touches a few pages of the module's text, not a page of
 * every file it passes through. Each page costs a TLB fill after every
 * world switch, and the test host's (QEMU's TCG) TLB is empty then: it
 * flushes it whenever HCR_EL2.VM changes, which KVM's VHE entry and exit
 * both do (Documentation/benchmarks.rst, seventh pass). __vgic3_exit is
 * what every such exit runs (the frame's read and write, CREADR, CWRITER,
 * the command queue's loop), __vgic3_hot the commands and the rest,
 * __vgic3_msi a GITS_TRANSLATER store's lock-free translation; host/hot.lds
 * puts the first at the start of a page and the others after it, in that
 * order, in one section (the last at the end: a store's path does not
 * move the commands' code across a page).
 */
#define __vgic3_exit __section(".text.vgic3_exit")
#define __vgic3_hot __section(".text.vgic3_hot")
#define __vgic3_msi __section(".text.vgic3_msi")

/*
 * ICH_VTR_EL2 of QEMU's GICv3 model, which the test host runs on: 5 priority
 * bits, 24-bit INTIDs (IDbits 1), A3V set, SEIS clear. The glue reports it
 * when it cannot read the register (see kvm/host.c); the fake host of the
 * KUnit suites starts from it.
 */
#define VGIC3_ICH_VTR_DEFAULT						\
	((5U - 1) << ICH_VTR_PRI_BITS_SHIFT | 1U << ICH_VTR_ID_BITS_SHIFT |	\
	 ICH_VTR_A3V_MASK)

struct vgic3_host;
struct vgic3_mmio_region;
struct vgic_irq;
struct vgic_v3_cpu_if;
struct kvm_vcpu;
struct xarray;

/**
 * struct vgic3_mmio_region - a frame the model serves on the guest MMIO bus
 * @base: guest physical address of the first byte
 * @size: bytes
 * @read: access of @len bytes at @offset from @base by vCPU @vcpu (-1 when
 *	  the access does not come from a vCPU); fills *@val (little endian)
 * @write: likewise for a store
 * @msi_doorbell: an ITS frame: KVM's MSI paths (KVM_SIGNAL_MSI, irqfd MSI
 *		  routes) find it by its GITS_TRANSLATER address and look the
 *		  MSI up in the translations the model gives with msi_route
 * @glue: owned by the host implementation while the region is mapped
 */
struct vgic3_mmio_region {
	u64 base;
	u64 size;
	bool msi_doorbell;
	void (*read)(struct vgic3_mmio_region *r, int vcpu, u64 offset,
		     unsigned int len, void *val);
	void (*write)(struct vgic3_mmio_region *r, int vcpu, u64 offset,
		      unsigned int len, const void *val);
	void *glue;
};

/**
 * struct vgic3_host_ops - what the model may ask of KVM
 * @read_guest: copy guest memory at @gpa; 0 or -EFAULT
 * @write_guest: copy into guest memory at @gpa; 0 or -EFAULT
 * @gpa_visible: whether a memslot the guest sees holds @gpa (what the
 *		 in-kernel ITS asks before it takes an ITT or table entry)
 * @nr_vcpus: vCPUs created so far (indexes 0..n-1)
 * @vcpu_mpidr: MPIDR_EL1 affinity of vCPU @idx, as KVM computes it
 * @vcpu_id: the id userspace gave vCPU @idx in KVM_CREATE_VCPU; it may
 *	     differ from @idx, and GICR_TYPER.Processor_Number reports it
 * @lock_vcpus: take every vCPU's mutex; -EBUSY when one is running
 * @unlock_vcpus: release what @lock_vcpus took
 * @mmio_map: put @r on the guest MMIO bus
 * @mmio_unmap: take it off again
 * @ipa_bits: the guest's physical address size
 * @ich_vtr: ICH_VTR_EL2 as KVM's vgic sees it, for the CPU interface each
 *	     vCPU gets (ICC_CTLR_EL1 PRIbits, IDbits, SEIS, A3V; APnR count)
 *
 * KVM's vgic core (the glue calls the functions it resolved at load):
 * @core_create: kvm_vgic_create(): the VM has an in-kernel irqchip of the
 *		 GICv3 model from now on; -EEXIST, -EBUSY, -E2BIG as KVM
 * @core_init: vgic_init() with @nr_spis SPIs: allocates the SPIs' and every
 *	       vCPU's private struct vgic_irq, enables the vCPUs' interfaces
 * @core_ready: the frames are on the bus: the first KVM_RUN may go ahead
 * @core_enable: GICD_CTLR.EnableGrp1 as the core sees it (dist->enabled);
 *		 turning it on kicks the vCPUs that now have work
 * @core_has_its: an ITS exists: MSIs need a DeviceID (KVM_CAP_MSI_DEVID)
 * @core_addrs: the distributor's and vCPU @idx's redistributor addresses
 *		(~0: none), which KVM's first KVM_RUN checks before the
 *		vGIC is ready, with the in-kernel vgic's errnos
 *		(-ENXIO: an address is missing, -EBUSY: not initialised)
 * @spis: the SPIs, INTID 32 up (NULL before @core_init)
 * @private_irqs: vCPU @idx's SGIs and PPIs (NULL before @core_init)
 * @cpu_if: vCPU @idx's CPU interface state (VMCR, APRs)
 * @vcpu: the name of vCPU @idx in irq->target_vcpu, NULL if none
 * @vcpu_index: the index of such a name, -1 for NULL
 * @queue: vgic_queue_irq_unlock(): called with @irq's lock held (flags from
 *	   vgic3_irq_lock()), drops it, puts a pending and enabled @irq on
 *	   its target's list and kicks it
 * @hw_line_level: a hardware-mapped level IRQ's input line
 * @hw_set_active: a hardware-mapped IRQ's physical active state
 * @hw_set_pending: a hardware-mapped IRQ's physical pending state
 * @halt: stop every vCPU (kvm_arm_halt_guest), so that no list register
 *	  holds a stale copy of an active state about to be read or changed
 * @resume: undo @halt
 * @lpi_xa: where LPIs live, by INTID (the core's lpi_xa)
 * @put_lpi: vgic_put_irq(): the last reference frees the LPI (after RCU)
 * @flush_lpis: drop the LPIs queued on vCPU @idx (EnableLPIs 1 -> 0)
 * @core_lock: take KVM's vgic configuration lock, under which the core
 *	       frees its interrupts and vCPUs at VM teardown; true if they
 *	       are still there (for readers, such as debugfs, that may race
 *	       with teardown)
 * @core_unlock: release it
 *
 * An ITS frame's translations (regions with @msi_doorbell), through which
 * KVM's core delivers MSIs on its own, without calling the model:
 * @msi_route: (@devid, @event) now delivers to LPI @irq (which gets a
 *	       reference of its own), or to nothing when @irq is NULL
 * @msi_route_clear: no MSI of the frame delivers anything
 * @msi_signal: what KVM_SIGNAL_MSI does with (@devid, @event): if the
 *		frame's translations hold it, make that LPI pending (no lock
 *		of the model's) and return true; false on a miss
 * @msi_enable: GITS_CTLR.Enabled as KVM's MSI path sees it: an MSI it
 *		finds no translation for fails with -EBUSY while disabled
 */
struct vgic3_host_ops {
	int (*read_guest)(struct vgic3_host *h, u64 gpa, void *buf,
			  unsigned long len);
	int (*write_guest)(struct vgic3_host *h, u64 gpa, const void *buf,
			   unsigned long len);
	bool (*gpa_visible)(struct vgic3_host *h, u64 gpa);
	unsigned int (*nr_vcpus)(struct vgic3_host *h);
	u64 (*vcpu_mpidr)(struct vgic3_host *h, unsigned int idx);
	u32 (*vcpu_id)(struct vgic3_host *h, unsigned int idx);
	int (*lock_vcpus)(struct vgic3_host *h);
	void (*unlock_vcpus)(struct vgic3_host *h);
	int (*mmio_map)(struct vgic3_host *h, struct vgic3_mmio_region *r);
	void (*mmio_unmap)(struct vgic3_host *h, struct vgic3_mmio_region *r);
	unsigned int (*ipa_bits)(struct vgic3_host *h);
	u32 (*ich_vtr)(struct vgic3_host *h);

	int (*core_create)(struct vgic3_host *h);
	int (*core_init)(struct vgic3_host *h, unsigned int nr_spis);
	void (*core_ready)(struct vgic3_host *h);
	void (*core_enable)(struct vgic3_host *h, bool enabled);
	void (*core_has_its)(struct vgic3_host *h);
	void (*core_addrs)(struct vgic3_host *h, u64 dist, unsigned int idx,
			   u64 redist);
	struct vgic_irq *(*spis)(struct vgic3_host *h);
	struct vgic_irq *(*private_irqs)(struct vgic3_host *h, unsigned int idx);
	struct vgic_v3_cpu_if *(*cpu_if)(struct vgic3_host *h, unsigned int idx);
	struct kvm_vcpu *(*vcpu)(struct vgic3_host *h, unsigned int idx);
	int (*vcpu_index)(struct vgic3_host *h, struct kvm_vcpu *vcpu);
	void (*queue)(struct vgic3_host *h, struct vgic_irq *irq,
		      unsigned long flags);
	bool (*hw_line_level)(struct vgic3_host *h, struct vgic_irq *irq);
	void (*hw_set_active)(struct vgic3_host *h, struct vgic_irq *irq,
			      bool active);
	void (*hw_set_pending)(struct vgic3_host *h, struct vgic_irq *irq,
			       bool pending);
	void (*halt)(struct vgic3_host *h);
	void (*resume)(struct vgic3_host *h);
	struct xarray *(*lpi_xa)(struct vgic3_host *h);
	void (*put_lpi)(struct vgic3_host *h, struct vgic_irq *irq);
	void (*flush_lpis)(struct vgic3_host *h, unsigned int idx);
	bool (*core_lock)(struct vgic3_host *h);
	void (*core_unlock)(struct vgic3_host *h);
	int (*msi_route)(struct vgic3_host *h, struct vgic3_mmio_region *r,
			 u32 devid, u32 event, struct vgic_irq *irq);
	void (*msi_route_clear)(struct vgic3_host *h,
				struct vgic3_mmio_region *r);
	bool (*msi_signal)(struct vgic3_host *h, struct vgic3_mmio_region *r,
			   u32 devid, u32 event);
	void (*msi_enable)(struct vgic3_host *h, struct vgic3_mmio_region *r,
			   bool enabled);
};

/**
 * struct vgic3_host - a VM as the model sees it
 * @ops: the operations above
 * @priv: the implementation's (struct kvm * in the glue)
 * @writes: guest-memory writes made through vgic3_write_guest(), so far
 *	(the ITS drops commands it read ahead when one of them might have
 *	been overwritten: its_process_commands())
 */
struct vgic3_host {
	const struct vgic3_host_ops *ops;
	void *priv;
	atomic64_t writes;
};

static inline int vgic3_read_guest(struct vgic3_host *h, u64 gpa, void *buf,
				   unsigned long len)
{
	return h->ops->read_guest(h, gpa, buf, len);
}

static inline bool vgic3_gpa_visible(struct vgic3_host *h, u64 gpa)
{
	return h->ops->gpa_visible(h, gpa);
}

static inline int vgic3_write_guest(struct vgic3_host *h, u64 gpa,
				    const void *buf, unsigned long len)
{
	atomic64_inc(&h->writes);
	return h->ops->write_guest(h, gpa, buf, len);
}

#endif /* __KVM_VGIC3_HOST_H */
