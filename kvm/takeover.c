// SPDX-License-Identifier: GPL-2.0
/*
 * Taking KVM's vGICv3 and ITS device types over.
 *
 * Why this file exists: on arm64, KVM is built into the kernel and its vgic
 * registers the device ops of KVM_DEV_TYPE_ARM_VGIC_V3 and
 * KVM_DEV_TYPE_ARM_VGIC_ITS at boot. A module cannot register a second
 * implementation of a type, and kvm_register_device_ops(),
 * kvm_unregister_device_ops(), kvm_io_bus_register_dev() and
 * kvm_io_bus_unregister_dev() are not exported; kvm_device_ops_table (where
 * the saved in-kernel ops are read from) is static. kallsyms_lookup_name()
 * resolves all of them (data symbols need CONFIG_KALLSYMS_ALL), but it is
 * not exported either since Linux 5.7: a kprobe placed on it reports its
 * address. That is the only trick in the module, and it stays in this file.
 *
 * A KVM_CREATE_DEVICE racing with load or unload can see the slot empty for
 * a moment and fail with -ENODEV; VMMs create their devices at start-up, so
 * the window is not worth a lock KVM does not offer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include "glue.h"

struct vgic3_kvm_syms vgic3_kvm;

static const struct kvm_device_ops *saved_ops[2];
static const u32 taken_types[2] = {
	KVM_DEV_TYPE_ARM_VGIC_V3, KVM_DEV_TYPE_ARM_VGIC_ITS,
};

typedef unsigned long (*lookup_fn)(const char *name);

static lookup_fn find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	lookup_fn fn;

	if (register_kprobe(&kp) < 0)
		return NULL;
	fn = (lookup_fn)kp.addr;
	unregister_kprobe(&kp);
	return fn;
}

static int resolve(lookup_fn lookup, const char *name, void *slot)
{
	unsigned long addr = lookup(name);

	if (!addr) {
		pr_err("cannot find %s (needs CONFIG_KALLSYMS_ALL and a KVM that has it); not loading\n",
		       name);
		return -ENOENT;
	}
	*(unsigned long *)slot = addr;
	return 0;
}

static int resolve_all(struct vgic3_kvm_syms *s)
{
	lookup_fn lookup = find_kallsyms_lookup_name();
	int ret = 0;

	if (!lookup) {
		pr_err("cannot find kallsyms_lookup_name with a kprobe (needs CONFIG_KPROBES); not loading\n");
		return -ENOENT;
	}
	ret = ret ?: resolve(lookup, "kvm_register_device_ops",
			     &s->register_device_ops);
	ret = ret ?: resolve(lookup, "kvm_unregister_device_ops",
			     &s->unregister_device_ops);
	ret = ret ?: resolve(lookup, "kvm_io_bus_register_dev",
			     &s->io_bus_register_dev);
	ret = ret ?: resolve(lookup, "kvm_io_bus_unregister_dev",
			     &s->io_bus_unregister_dev);
	ret = ret ?: resolve(lookup, "kvm_device_ops_table",
			     &s->device_ops_table);
	ret = ret ?: resolve(lookup, "kvm_vgic_create", &s->vgic_create);
	ret = ret ?: resolve(lookup, "vgic_init", &s->vgic_init);
	ret = ret ?: resolve(lookup, "vgic_queue_irq_unlock",
			     &s->queue_irq_unlock);
	ret = ret ?: resolve(lookup, "vgic_kick_vcpus", &s->kick_vcpus);
	ret = ret ?: resolve(lookup, "vgic_put_irq", &s->put_irq);
	ret = ret ?: resolve(lookup, "vgic_flush_pending_lpis",
			     &s->flush_pending_lpis);
	ret = ret ?: resolve(lookup, "vgic_get_phys_line_level",
			     &s->get_phys_line_level);
	ret = ret ?: resolve(lookup, "vgic_irq_set_phys_active",
			     &s->irq_set_phys_active);
	ret = ret ?: resolve(lookup, "vgic_irq_set_phys_pending",
			     &s->irq_set_phys_pending);
	ret = ret ?: resolve(lookup, "kvm_arm_halt_guest", &s->halt_guest);
	ret = ret ?: resolve(lookup, "kvm_arm_resume_guest",
			     &s->resume_guest);
	ret = ret ?: resolve(lookup, "kvm_io_gic_ops", &s->io_gic_ops);
	return ret;
}

/* Put @ops in the slot of @type, whatever is there now. */
static int install(u32 type, const struct kvm_device_ops *ops)
{
	if (READ_ONCE(vgic3_kvm.device_ops_table[type]))
		vgic3_kvm.unregister_device_ops(type);
	return ops ? vgic3_kvm.register_device_ops(ops, type) : 0;
}

/**
 * vgic3_takeover - serve the vGICv3 and ITS device types with our ops
 * @v3: ops for KVM_DEV_TYPE_ARM_VGIC_V3
 * @its: ops for KVM_DEV_TYPE_ARM_VGIC_ITS
 *
 * Saves the in-kernel ops first. On failure nothing is changed.
 */
int vgic3_takeover(const struct kvm_device_ops *v3,
		   const struct kvm_device_ops *its)
{
	const struct kvm_device_ops *ours[2] = { v3, its };
	struct vgic3_kvm_syms s;
	int i, j, ret;

	ret = resolve_all(&s);
	if (ret)
		return ret;
	vgic3_kvm = s;

	for (i = 0; i < 2; i++)
		saved_ops[i] = READ_ONCE(vgic3_kvm.device_ops_table[taken_types[i]]);

	for (i = 0; i < 2; i++) {
		ret = install(taken_types[i], ours[i]);
		if (ret) {
			pr_err("cannot register device type %u: %d\n",
			       taken_types[i], ret);
			for (j = 0; j <= i; j++)
				install(taken_types[j], saved_ops[j]);
			return ret;
		}
	}
	pr_info("serving KVM_DEV_TYPE_ARM_VGIC_V3 and KVM_DEV_TYPE_ARM_VGIC_ITS (in-kernel ops saved: %s, %s)\n",
		saved_ops[0] ? saved_ops[0]->name : "none",
		saved_ops[1] ? saved_ops[1]->name : "none");
	return 0;
}

/* Give the two device types back to the in-kernel vgic. */
void vgic3_giveback(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (install(taken_types[i], saved_ops[i]))
			pr_err("cannot restore the in-kernel ops of type %u\n",
			       taken_types[i]);
	}
	pr_info("in-kernel vgic serves device types 7 and 8 again\n");
}
