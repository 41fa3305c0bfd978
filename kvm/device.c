// SPDX-License-Identifier: GPL-2.0
/*
 * The two KVM device types the module serves: per-VM bookkeeping, the
 * attribute ioctls (the only place that touches userspace pointers) and the
 * debugfs files.
 *
 * The module stays loaded while any of its devices exists: each one holds a
 * module reference from create to destroy, and KVM destroys devices only
 * with their VM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "glue.h"
#include "../vgic/api.h"
#include "../its/api.h"

static LIST_HEAD(vgic3_vms);
static DEFINE_MUTEX(vgic3_vms_lock);
static struct dentry *vgic3_debugfs_root;
static unsigned int vgic3_vm_serial;

struct vgic3_its_dev {
	struct vgic3_vm *vm;
	struct vgic3_its *its;
	struct dentry *file;
};

/* The VM's bookkeeping, made with its first device. */
static struct vgic3_vm *vm_get(struct kvm *kvm)
{
	struct vgic3_vm *vm;
	char name[32];

	lockdep_assert_held(&vgic3_vms_lock);
	list_for_each_entry(vm, &vgic3_vms, node) {
		if (vm->kvm == kvm) {
			vm->users++;
			return vm;
		}
	}
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->kvm = kvm;
	vm->gic = vgic3_alloc(&vgic3_kvm_host_ops, vm);
	if (!vm->gic) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}
	vm->users = 1;
	snprintf(name, sizeof(name), "vm%u-%d", ++vgic3_vm_serial,
		 task_pid_nr(current));
	vm->dir = debugfs_create_dir(name, vgic3_debugfs_root);
	list_add(&vm->node, &vgic3_vms);
	return vm;
}

static void vm_put(struct vgic3_vm *vm)
{
	lockdep_assert_held(&vgic3_vms_lock);
	if (--vm->users)
		return;
	list_del(&vm->node);
	debugfs_remove_recursive(vm->dir);
	vgic3_free(vm->gic);
	kfree(vm);
}

static int vgic_state_show(struct seq_file *m, void *unused)
{
	vgic3_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vgic_state);

static int its_state_show(struct seq_file *m, void *unused)
{
	vgic3_its_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(its_state);

/* Copy an attribute's value in; @width 0 means the attribute has none. */
static int attr_copy_in(struct kvm_device_attr *attr, int width, u64 *val)
{
	void __user *uaddr = u64_to_user_ptr(attr->addr);
	u32 v32;

	*val = 0;
	if (width == 4) {
		if (get_user(v32, (u32 __user *)uaddr))
			return -EFAULT;
		*val = v32;
	} else if (width == 8) {
		if (get_user(*val, (u64 __user *)uaddr))
			return -EFAULT;
	}
	return 0;
}

static int attr_copy_out(struct kvm_device_attr *attr, int width, u64 val)
{
	void __user *uaddr = u64_to_user_ptr(attr->addr);

	if (width == 4)
		return put_user((u32)val, (u32 __user *)uaddr) ? -EFAULT : 0;
	if (width == 8)
		return put_user(val, (u64 __user *)uaddr) ? -EFAULT : 0;
	return 0;
}

/* vGICv3 */

static int v3_create(struct kvm_device *dev, u32 type)
{
	struct kvm_vcpu *vcpu;
	struct vgic3_vm *vm;
	unsigned long i;
	int ret;

	if (type != KVM_DEV_TYPE_ARM_VGIC_V3)
		return -ENODEV;
	/* As in-kernel: a vGIC cannot appear under a vCPU that has run. */
	kvm_for_each_vcpu(i, vcpu, dev->kvm) {
		if (vcpu_has_run_once(vcpu))
			return -EBUSY;
	}
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	mutex_lock(&vgic3_vms_lock);
	vm = vm_get(dev->kvm);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto out;
	}
	ret = vgic3_dev_create(vm->gic);
	if (ret) {
		vm_put(vm);
		goto out;
	}
	dev->private = vm;
	debugfs_create_file("vgic-state", 0444, vm->dir, vm->gic,
			    &vgic_state_fops);
out:
	mutex_unlock(&vgic3_vms_lock);
	if (ret)
		module_put(THIS_MODULE);
	return ret;
}

static void v3_destroy(struct kvm_device *dev)
{
	struct vgic3_vm *vm = dev->private;

	mutex_lock(&vgic3_vms_lock);
	debugfs_lookup_and_remove("vgic-state", vm->dir);
	vgic3_dev_destroy(vm->gic);
	vm_put(vm);
	mutex_unlock(&vgic3_vms_lock);
	kfree(dev);
	/*
	 * Last: from here rmmod may go ahead. What remains to run is the
	 * return into KVM.
	 */
	module_put(THIS_MODULE);
}

static int v3_set_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_vm *vm = dev->private;
	int width = vgic3_attr_width(attr->group, attr->attr);
	u64 val;
	int ret;

	ret = attr_copy_in(attr, width, &val);
	return ret ?: vgic3_set_attr(vm->gic, attr->group, attr->attr, &val);
}

static int v3_get_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_vm *vm = dev->private;
	int width = vgic3_attr_width(attr->group, attr->attr);
	u64 val = 0;
	int ret;

	/* REDIST_REGION reads select the region by the index passed in. */
	if (attr->group == KVM_DEV_ARM_VGIC_GRP_ADDR) {
		ret = attr_copy_in(attr, width, &val);
		if (ret)
			return ret;
	}
	ret = vgic3_get_attr(vm->gic, attr->group, attr->attr, &val);
	return ret ?: attr_copy_out(attr, width, val);
}

static int v3_has_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_vm *vm = dev->private;

	return vgic3_has_attr(vm->gic, attr->group, attr->attr);
}

const struct kvm_device_ops vgic3_v3_ops = {
	.name = "kvm-vgic3-v3",
	.create = v3_create,
	.destroy = v3_destroy,
	.set_attr = v3_set_attr,
	.get_attr = v3_get_attr,
	.has_attr = v3_has_attr,
};

/* ITS */

static int its_create(struct kvm_device *dev, u32 type)
{
	struct vgic3_its_dev *idev;
	struct vgic3_vm *vm;
	char name[16];
	int ret = 0;

	if (type != KVM_DEV_TYPE_ARM_VGIC_ITS)
		return -ENODEV;
	idev = kzalloc(sizeof(*idev), GFP_KERNEL_ACCOUNT);
	if (!idev)
		return -ENOMEM;
	if (!try_module_get(THIS_MODULE)) {
		kfree(idev);
		return -ENODEV;
	}

	mutex_lock(&vgic3_vms_lock);
	vm = vm_get(dev->kvm);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto out;
	}
	idev->its = vgic3_its_create(vm->gic);
	if (IS_ERR(idev->its)) {
		ret = PTR_ERR(idev->its);
		vm_put(vm);
		goto out;
	}
	idev->vm = vm;
	dev->private = idev;
	snprintf(name, sizeof(name), "its%u", vm->nr_its++);
	idev->file = debugfs_create_file(name, 0444, vm->dir, idev->its,
					 &its_state_fops);
out:
	mutex_unlock(&vgic3_vms_lock);
	if (ret) {
		kfree(idev);
		module_put(THIS_MODULE);
	}
	return ret;
}

static void its_destroy(struct kvm_device *dev)
{
	struct vgic3_its_dev *idev = dev->private;

	mutex_lock(&vgic3_vms_lock);
	/*
	 * The file goes before the ITS it shows (debugfs_remove() waits for
	 * readers in it): the VM's directory lives on while other devices do,
	 * and KVM also destroys a device whose file descriptor it failed to
	 * make.
	 */
	debugfs_remove(idev->file);
	vgic3_its_destroy(idev->its);
	vm_put(idev->vm);
	mutex_unlock(&vgic3_vms_lock);
	kfree(idev);
	kfree(dev);
	module_put(THIS_MODULE);
}

static int its_set_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_its_dev *idev = dev->private;
	int width = vgic3_its_attr_width(attr->group, attr->attr);
	u64 val;
	int ret;

	ret = attr_copy_in(attr, width, &val);
	return ret ?: vgic3_its_set_attr(idev->its, attr->group, attr->attr,
					 &val);
}

static int its_get_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_its_dev *idev = dev->private;
	int width = vgic3_its_attr_width(attr->group, attr->attr);
	u64 val = 0;
	int ret;

	ret = vgic3_its_get_attr(idev->its, attr->group, attr->attr, &val);
	return ret ?: attr_copy_out(attr, width, val);
}

static int its_has_attr(struct kvm_device *dev, struct kvm_device_attr *attr)
{
	struct vgic3_its_dev *idev = dev->private;

	return vgic3_its_has_attr(idev->its, attr->group, attr->attr);
}

const struct kvm_device_ops vgic3_its_ops = {
	.name = "kvm-vgic3-its",
	.create = its_create,
	.destroy = its_destroy,
	.set_attr = its_set_attr,
	.get_attr = its_get_attr,
	.has_attr = its_has_attr,
};

int vgic3_debugfs_init(void)
{
	vgic3_debugfs_root = debugfs_create_dir("kvm-vgic3", NULL);
	return 0;
}

void vgic3_debugfs_exit(void)
{
	debugfs_remove_recursive(vgic3_debugfs_root);
}
