/* SPDX-License-Identifier: GPL-2.0 */
/* The KVM glue's internal interface (kvm/ only). */
#ifndef __KVM_VGIC3_KVM_H
#define __KVM_VGIC3_KVM_H

#include <linux/kvm_host.h>
#include <kvm/iodev.h>

/* KVM functions and data that are not exported, found at load. */
struct vgic3_kvm_syms {
	int (*register_device_ops)(const struct kvm_device_ops *ops, u32 type);
	void (*unregister_device_ops)(u32 type);
	int (*io_bus_register_dev)(struct kvm *kvm, enum kvm_bus bus_idx,
				   gpa_t addr, int len,
				   struct kvm_io_device *dev);
	int (*io_bus_unregister_dev)(struct kvm *kvm, enum kvm_bus bus_idx,
				     struct kvm_io_device *dev);
	const struct kvm_device_ops **device_ops_table;
	/* KVM's vgic core, which delivers the interrupts the model holds */
	int (*vgic_create)(struct kvm *kvm, u32 type);
	int (*vgic_init)(struct kvm *kvm);
	bool (*queue_irq_unlock)(struct kvm *kvm, struct vgic_irq *irq,
				 unsigned long flags);
	void (*kick_vcpus)(struct kvm *kvm);
	void (*put_irq)(struct kvm *kvm, struct vgic_irq *irq);
	void (*flush_pending_lpis)(struct kvm_vcpu *vcpu);
	bool (*get_phys_line_level)(struct vgic_irq *irq);
	void (*irq_set_phys_active)(struct vgic_irq *irq, bool active);
	void (*irq_set_phys_pending)(struct vgic_irq *irq, bool pending);
	void (*halt_guest)(struct kvm *kvm);
	void (*resume_guest)(struct kvm *kvm);
	const struct kvm_io_device_ops *io_gic_ops;
};

extern struct vgic3_kvm_syms vgic3_kvm;

int vgic3_takeover(const struct kvm_device_ops *v3,
		   const struct kvm_device_ops *its);
void vgic3_giveback(void);

extern const struct vgic3_host_ops vgic3_kvm_host_ops;
extern const struct kvm_device_ops vgic3_v3_ops;
extern const struct kvm_device_ops vgic3_its_ops;

/* msi.c: ITS frames, which KVM's MSI paths find and translate through */
struct vgic3_mmio_region;
int vgic3_msi_frame_map(struct kvm *kvm, struct vgic3_mmio_region *r);
void vgic3_msi_frame_unmap(struct kvm *kvm, struct vgic3_mmio_region *r);
int vgic3_msi_route(struct kvm *kvm, struct vgic3_mmio_region *r, u32 devid,
		    u32 event, struct vgic_irq *irq);
bool vgic3_msi_signal(struct kvm *kvm, struct vgic3_mmio_region *r, u32 devid,
		      u32 event);
void vgic3_msi_route_clear(struct kvm *kvm, struct vgic3_mmio_region *r);
void vgic3_msi_enable(struct kvm *kvm, struct vgic3_mmio_region *r,
		      bool enabled);

int vgic3_debugfs_init(void);
void vgic3_debugfs_exit(void);

struct vgic3;
struct dentry;

/**
 * struct vgic3_vm - a VM served by the module
 * @node: in the module's list of VMs
 * @kvm: the VM
 * @gic: the model's per-VM state, shared by its vGICv3 and ITS devices
 * @users: devices of this VM that the module serves
 * @nr_its: ITS devices created so far (names their debugfs files)
 * @dir: debugfs directory of the VM
 */
struct vgic3_vm {
	struct list_head node;
	struct kvm *kvm;
	struct vgic3 *gic;
	unsigned int users;
	unsigned int nr_its;
	struct dentry *dir;
};
#endif /* __KVM_VGIC3_KVM_H */
