/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's one window onto KVM.
 *
 * Nothing under vgic/ or its/ (apart from the kvm-*.c glue) includes
 * <linux/kvm_host.h>: guest memory, vCPUs and the MMIO bus are reached
 * through these operations only. The glue implements them over a real VM;
 * the KUnit suites implement them over a fake guest memory.
 */
#ifndef __KVM_VGIC3_HOST_H
#define __KVM_VGIC3_HOST_H

#include <linux/types.h>
#include <asm/sysreg.h>

/*
 * ICH_VTR_EL2 of QEMU's GICv3 model, which the test host runs on: 5 priority
 * bits, 24-bit INTIDs (IDbits 1), A3V set, SEIS clear. The glue reports it
 * when it cannot read the register (see kvm-host.c); the fake host of the
 * KUnit suites starts from it.
 */
#define VGIC3_ICH_VTR_DEFAULT						\
	((5U - 1) << ICH_VTR_PRI_BITS_SHIFT | 1U << ICH_VTR_ID_BITS_SHIFT |	\
	 ICH_VTR_A3V_MASK)

struct vgic3_host;
struct vgic3_mmio_region;

/**
 * struct vgic3_mmio_region - a frame the model serves on the guest MMIO bus
 * @base: guest physical address of the first byte
 * @size: bytes
 * @read: access of @len bytes at @offset from @base by vCPU @vcpu (-1 when
 *	  the access does not come from a vCPU); fills *@val (little endian)
 * @write: likewise for a store
 * @glue: owned by the host implementation while the region is mapped
 */
struct vgic3_mmio_region {
	u64 base;
	u64 size;
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
 * @nr_vcpus: vCPUs created so far (indexes 0..n-1)
 * @vcpu_mpidr: MPIDR_EL1 affinity of vCPU @idx, as KVM computes it
 * @vcpu_id: the id userspace gave vCPU @idx in KVM_CREATE_VCPU; it may
 *	     differ from @idx, and GICR_TYPER.Processor_Number reports it
 * @lock_vcpus: take every vCPU's mutex; -EBUSY when one is running
 * @unlock_vcpus: release what @lock_vcpus took
 * @mmio_map: put @r on the guest MMIO bus
 * @mmio_unmap: take it off again
 * @kick: make vCPU @idx re-evaluate its interrupts
 * @ipa_bits: the guest's physical address size
 * @ich_vtr: ICH_VTR_EL2 as KVM's vgic sees it, for the CPU interface each
 *	     vCPU gets (ICC_CTLR_EL1 PRIbits, IDbits, SEIS, A3V; APnR count)
 */
struct vgic3_host_ops {
	int (*read_guest)(struct vgic3_host *h, u64 gpa, void *buf,
			  unsigned long len);
	int (*write_guest)(struct vgic3_host *h, u64 gpa, const void *buf,
			   unsigned long len);
	unsigned int (*nr_vcpus)(struct vgic3_host *h);
	u64 (*vcpu_mpidr)(struct vgic3_host *h, unsigned int idx);
	u32 (*vcpu_id)(struct vgic3_host *h, unsigned int idx);
	int (*lock_vcpus)(struct vgic3_host *h);
	void (*unlock_vcpus)(struct vgic3_host *h);
	int (*mmio_map)(struct vgic3_host *h, struct vgic3_mmio_region *r);
	void (*mmio_unmap)(struct vgic3_host *h, struct vgic3_mmio_region *r);
	void (*kick)(struct vgic3_host *h, unsigned int idx);
	unsigned int (*ipa_bits)(struct vgic3_host *h);
	u32 (*ich_vtr)(struct vgic3_host *h);
};

/**
 * struct vgic3_host - a VM as the model sees it
 * @ops: the operations above
 * @priv: the implementation's (struct kvm * in the glue)
 */
struct vgic3_host {
	const struct vgic3_host_ops *ops;
	void *priv;
};

static inline int vgic3_read_guest(struct vgic3_host *h, u64 gpa, void *buf,
				   unsigned long len)
{
	return h->ops->read_guest(h, gpa, buf, len);
}

static inline int vgic3_write_guest(struct vgic3_host *h, u64 gpa,
				    const void *buf, unsigned long len)
{
	return h->ops->write_guest(h, gpa, buf, len);
}

#endif /* __KVM_VGIC3_HOST_H */
