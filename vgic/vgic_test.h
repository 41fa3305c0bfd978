/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the vGICv3 KUnit suites. */
#ifndef __KVM_VGIC3_VGIC_TEST_H
#define __KVM_VGIC3_VGIC_TEST_H

#include <kunit/test.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/kvm.h>
#include "../host/fake_host_test.h"
#include "api.h"

struct vgic_t {
	struct fake_vm *vm;
	struct vgic3 *gic;
};

/* A VM with @nr_vcpus and a created V3 device; initialised if @init. */
struct vgic_t vgic_t_new(struct kunit *test, unsigned int nr_vcpus, bool init);

u64 vgic_t_attr_mpidr(unsigned int vcpu);

u32 dist_get(struct kunit *test, struct vgic_t *t, u32 off);

int dist_set(struct vgic_t *t, u32 off, u32 val);

u32 rd_get(struct kunit *test, struct vgic_t *t, unsigned int vcpu, u32 off);

int rd_set(struct vgic_t *t, unsigned int vcpu, u32 off, u32 val);

int addr_set(struct vgic_t *t, u64 type, u64 val);

u64 region_attr(u64 count, u64 base, u64 flags, u64 index);

/* Guest MMIO through the region the model put on the fake bus. */
struct vgic3_mmio_region *vgic_t_region(struct vgic_t *t, u64 base);

/* The frame of address @type placed at @base, and its region (asserted). */
struct vgic3_mmio_region *vgic_t_place(struct kunit *test, struct vgic_t *t,
				       u64 type, u64 base);

u64 mmio_rd(struct vgic3_mmio_region *r, u64 off, unsigned int len);

void mmio_wr(struct vgic3_mmio_region *r, u64 off, unsigned int len, u64 val);

#endif /* __KVM_VGIC3_VGIC_TEST_H */
