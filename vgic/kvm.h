/* SPDX-License-Identifier: GPL-2.0 */
/* The KVM glue's internal interface (vgic/kvm-*.c only). */
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
};

extern struct vgic3_kvm_syms vgic3_kvm;

int vgic3_takeover(const struct kvm_device_ops *v3,
		   const struct kvm_device_ops *its);
void vgic3_giveback(void);

extern const struct vgic3_host_ops vgic3_kvm_host_ops;
extern const struct kvm_device_ops vgic3_v3_ops;
extern const struct kvm_device_ops vgic3_its_ops;

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
