/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ITS model's entry points: what the KVM glue (kvm/) calls for
 * KVM_DEV_TYPE_ARM_VGIC_ITS. Attribute values travel as in vgic/api.h.
 */
#ifndef __KVM_VGIC3_ITS_API_H
#define __KVM_VGIC3_ITS_API_H

#include <linux/types.h>

struct seq_file;
struct vgic3;
struct vgic3_its;

/* KVM_DEV_TYPE_ARM_VGIC_ITS: any number per VM. */
/* The ITE slab cache, made at module load, before any ITS. */
int vgic3_its_cache_init(void);
void vgic3_its_cache_exit(void);
struct vgic3_its *vgic3_its_create(struct vgic3 *gic);
void vgic3_its_destroy(struct vgic3_its *its);
int vgic3_its_attr_width(u32 group, u64 attr);
int vgic3_its_set_attr(struct vgic3_its *its, u32 group, u64 attr, u64 *val);
int vgic3_its_get_attr(struct vgic3_its *its, u32 group, u64 attr, u64 *val);
int vgic3_its_has_attr(struct vgic3_its *its, u32 group, u64 attr);
void vgic3_its_show(struct seq_file *m, struct vgic3_its *its);

#endif /* __KVM_VGIC3_ITS_API_H */
