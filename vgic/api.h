/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vGICv3 model's entry points: what the KVM glue (kvm/) calls, and
 * what the ITS model (its/) calls to reach the VM's host. The ITS model's
 * own entry points are in its/api.h.
 *
 * Attribute values travel as a u64 in kernel memory: the glue copies them
 * from and to userspace with the width vgic3_attr_width() gives, so the model
 * (and KUnit) never touches a user pointer.
 */
#ifndef __KVM_VGIC3_VGIC_API_H
#define __KVM_VGIC3_VGIC_API_H

#include <linux/types.h>
#include "../host/host.h"

struct seq_file;
struct vgic3;

/* Per VM, created with the VM's first device of either type. */
struct vgic3 *vgic3_alloc(const struct vgic3_host_ops *ops, void *priv);
void vgic3_free(struct vgic3 *gic);
struct vgic3_host *vgic3_host(struct vgic3 *gic);

/* KVM_DEV_TYPE_ARM_VGIC_V3: at most one per VM (-EEXIST). */
int vgic3_dev_create(struct vgic3 *gic);
void vgic3_dev_destroy(struct vgic3 *gic);

/*
 * Attribute access. *val is the value (in and out). For get, *val holds what
 * userspace passed in (REDIST_REGION reads select the region by its index).
 * vgic3_attr_width() is 0 for attributes without a value (CTRL), else 4 or 8.
 */
int vgic3_attr_width(u32 group, u64 attr);
int vgic3_set_attr(struct vgic3 *gic, u32 group, u64 attr, u64 *val);
int vgic3_get_attr(struct vgic3 *gic, u32 group, u64 attr, u64 *val);
int vgic3_has_attr(struct vgic3 *gic, u32 group, u64 attr);
void vgic3_show(struct seq_file *m, struct vgic3 *gic);

/* At module load; at module exit, after the last VM's vGICv3 went. */
int vgic3_lpi_init(void);
void vgic3_lpi_exit(void);

#endif /* __KVM_VGIC3_VGIC_API_H */
