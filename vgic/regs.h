/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers are data: each frame (distributor, redistributor RD + SGI) is
 * one sorted table of descriptors (struct vgic3_reg, regs/regs.h, the type
 * the ITS's frame uses too), served by one dispatcher (mmio.c) for both
 * guest MMIO and the DIST_REGS/REDIST_REGS attributes.
 */
#ifndef __KVM_VGIC3_REGS_H
#define __KVM_VGIC3_REGS_H

#include <linux/types.h>
#include "../regs/regs.h"
#include "internal.h"

extern const struct vgic3_frame vgic3_dist_frame;
extern const struct vgic3_frame vgic3_redist_frame;

/* mmio.c: the dispatcher */
const struct vgic3_reg *vgic3_find_reg(struct vgic3 *gic,
				       const struct vgic3_frame *f,
				       u32 offset, unsigned int len);
u64 vgic3_frame_read(struct vgic3 *gic, const struct vgic3_frame *f,
		     struct vgic3_cpu *cpu, int vcpu, u32 offset,
		     unsigned int len);
void vgic3_frame_write(struct vgic3 *gic, const struct vgic3_frame *f,
		       struct vgic3_cpu *cpu, int vcpu, u32 offset,
		       unsigned int len, u64 val);
int vgic3_frame_uaccess(struct vgic3 *gic, const struct vgic3_frame *f,
			struct vgic3_cpu *cpu, u32 offset, bool write,
			u32 *val);
void vgic3_mmio_bus_read(struct vgic3 *gic, const struct vgic3_frame *f,
			 struct vgic3_cpu *cpu, int vcpu, u64 offset,
			 unsigned int len, void *val);
void vgic3_mmio_bus_write(struct vgic3 *gic, const struct vgic3_frame *f,
			  struct vgic3_cpu *cpu, int vcpu, u64 offset,
			  unsigned int len, const void *val);

/* irqregs.c: per-IRQ handlers shared by distributor and SGI frame */
u64 vgic3_read_raz(const struct vgic3_access *a);
u64 vgic3_read_rao(const struct vgic3_access *a);
void vgic3_write_wi(const struct vgic3_access *a, u64 val);
int vgic3_uwrite_wi(const struct vgic3_access *a, u64 val);
u64 vgic3_read_group(const struct vgic3_access *a);
void vgic3_write_group(const struct vgic3_access *a, u64 val);
u64 vgic3_read_enable(const struct vgic3_access *a);
void vgic3_write_senable(const struct vgic3_access *a, u64 val);
void vgic3_write_cenable(const struct vgic3_access *a, u64 val);
u64 vgic3_read_pending(const struct vgic3_access *a);
u64 vgic3_uread_pending(const struct vgic3_access *a);
void vgic3_write_spending(const struct vgic3_access *a, u64 val);
void vgic3_write_cpending(const struct vgic3_access *a, u64 val);
int vgic3_uwrite_pending(const struct vgic3_access *a, u64 val);
u64 vgic3_read_active(const struct vgic3_access *a);
void vgic3_write_sactive(const struct vgic3_access *a, u64 val);
void vgic3_write_cactive(const struct vgic3_access *a, u64 val);
u64 vgic3_read_priority(const struct vgic3_access *a);
void vgic3_write_priority(const struct vgic3_access *a, u64 val);
u64 vgic3_read_config(const struct vgic3_access *a);
void vgic3_write_config(const struct vgic3_access *a, u64 val);
u64 vgic3_read_idregs(const struct vgic3_access *a);

#endif /* __KVM_VGIC3_REGS_H */
