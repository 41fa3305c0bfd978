/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake VM for the KUnit suites: flat guest memory from GPA 0, a number of
 * vCPUs whose ids are their indexes unless a test gives others, with the
 * MPIDR KVM derives from the id (Aff0 = id[3:0], Aff1 = id[11:4],
 * Aff2 = id[19:12]), a switch that makes lock_vcpus() report a running
 * vCPU, a host ICH_VTR_EL2 a test may change, and a record of the frames
 * the model maps on the MMIO bus.
 */
#ifndef __KVM_VGIC3_FAKE_HOST_TEST_H
#define __KVM_VGIC3_FAKE_HOST_TEST_H

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "host.h"

#define FAKE_MAX_REGIONS 16

/**
 * struct fake_vm - the fake VM
 * @host: what the model is given
 * @mem: guest memory, GPA 0 to @mem_size
 * @mem_size: bytes
 * @nr_vcpus: vCPUs created
 * @vcpu_ids: the vcpu_id of each index, NULL when they are the indexes
 * @vcpu_running: lock_vcpus() fails with -EBUSY
 * @ipa_bits: the guest's physical address size
 * @ich_vtr: the host's ICH_VTR_EL2 (VGIC3_ICH_VTR_DEFAULT)
 * @kicks: kick() calls so far
 * @regions: frames on the MMIO bus
 * @nr_regions: how many
 */
struct fake_vm {
	struct vgic3_host host;
	u8 *mem;
	u64 mem_size;
	unsigned int nr_vcpus;
	const u32 *vcpu_ids;
	bool vcpu_running;
	unsigned int ipa_bits;
	u32 ich_vtr;
	unsigned int kicks;
	struct vgic3_mmio_region *regions[FAKE_MAX_REGIONS];
	unsigned int nr_regions;
};

static inline struct fake_vm *to_fake(struct vgic3_host *h)
{
	return h->priv;
}

static inline int fake_read_guest(struct vgic3_host *h, u64 gpa, void *buf,
				  unsigned long len)
{
	struct fake_vm *vm = to_fake(h);

	if (gpa >= vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	memcpy(buf, vm->mem + gpa, len);
	return 0;
}

static inline int fake_write_guest(struct vgic3_host *h, u64 gpa,
				   const void *buf, unsigned long len)
{
	struct fake_vm *vm = to_fake(h);

	if (gpa >= vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	memcpy(vm->mem + gpa, buf, len);
	return 0;
}

static inline unsigned int fake_nr_vcpus(struct vgic3_host *h)
{
	return to_fake(h)->nr_vcpus;
}

static inline u32 fake_vcpu_id(struct vgic3_host *h, unsigned int idx)
{
	const u32 *ids = to_fake(h)->vcpu_ids;

	return ids ? ids[idx] : idx;
}

/* KVM's reset value of MPIDR_EL1: 16 vCPUs per cluster (Aff0). */
static inline u64 fake_mpidr_of_id(u32 id)
{
	return (id & 0xf) | ((id >> 4) & 0xff) << 8 | ((id >> 12) & 0xff) << 16;
}

static inline u64 fake_vcpu_mpidr(struct vgic3_host *h, unsigned int idx)
{
	return fake_mpidr_of_id(fake_vcpu_id(h, idx));
}

static inline int fake_lock_vcpus(struct vgic3_host *h)
{
	return to_fake(h)->vcpu_running ? -EBUSY : 0;
}

static inline void fake_unlock_vcpus(struct vgic3_host *h)
{
}

static inline int fake_mmio_map(struct vgic3_host *h,
				struct vgic3_mmio_region *r)
{
	struct fake_vm *vm = to_fake(h);

	if (vm->nr_regions == FAKE_MAX_REGIONS)
		return -ENOSPC;
	vm->regions[vm->nr_regions++] = r;
	return 0;
}

static inline void fake_mmio_unmap(struct vgic3_host *h,
				   struct vgic3_mmio_region *r)
{
	struct fake_vm *vm = to_fake(h);
	unsigned int i;

	for (i = 0; i < vm->nr_regions; i++) {
		if (vm->regions[i] == r) {
			vm->regions[i] = vm->regions[--vm->nr_regions];
			return;
		}
	}
}

static inline void fake_kick(struct vgic3_host *h, unsigned int idx)
{
	to_fake(h)->kicks++;
}

static inline unsigned int fake_ipa_bits(struct vgic3_host *h)
{
	return to_fake(h)->ipa_bits;
}

static inline u32 fake_ich_vtr(struct vgic3_host *h)
{
	return to_fake(h)->ich_vtr;
}

static const struct vgic3_host_ops fake_host_ops __maybe_unused = {
	.read_guest = fake_read_guest,
	.write_guest = fake_write_guest,
	.nr_vcpus = fake_nr_vcpus,
	.vcpu_mpidr = fake_vcpu_mpidr,
	.vcpu_id = fake_vcpu_id,
	.lock_vcpus = fake_lock_vcpus,
	.unlock_vcpus = fake_unlock_vcpus,
	.mmio_map = fake_mmio_map,
	.mmio_unmap = fake_mmio_unmap,
	.kick = fake_kick,
	.ipa_bits = fake_ipa_bits,
	.ich_vtr = fake_ich_vtr,
};

static inline void fake_vm_free(void *p)
{
	struct fake_vm *vm = p;

	vfree(vm->mem);
}

/* A fake VM of @mem_size bytes and @nr_vcpus vCPUs, freed with the test. */
static inline struct fake_vm *fake_vm_new(struct kunit *test, u64 mem_size,
					  unsigned int nr_vcpus)
{
	struct fake_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	vm->mem = vzalloc(mem_size);
	KUNIT_ASSERT_NOT_NULL(test, vm->mem);
	vm->mem_size = mem_size;
	vm->nr_vcpus = nr_vcpus;
	vm->ipa_bits = 40;
	vm->ich_vtr = VGIC3_ICH_VTR_DEFAULT;
	vm->host.ops = &fake_host_ops;
	vm->host.priv = vm;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, fake_vm_free, vm));
	return vm;
}

/* Guest memory accessors for test assertions. */
static inline u64 fake_peek64(struct fake_vm *vm, u64 gpa)
{
	u64 v;

	memcpy(&v, vm->mem + gpa, sizeof(v));
	return le64_to_cpu(v);
}

static inline void fake_poke64(struct fake_vm *vm, u64 gpa, u64 val)
{
	__le64 v = cpu_to_le64(val);

	memcpy(vm->mem + gpa, &v, sizeof(v));
}

#endif /* __KVM_VGIC3_FAKE_HOST_TEST_H */
