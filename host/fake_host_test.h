/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake VM for the KUnit suites: flat guest memory from GPA 0, a number of
 * vCPUs whose ids are their indexes unless a test gives others, with the
 * MPIDR KVM derives from the id (Aff0 = id[3:0], Aff1 = id[11:4],
 * Aff2 = id[19:12]), a switch that makes lock_vcpus() report a running
 * vCPU, a host ICH_VTR_EL2 a test may change, and a record of the frames
 * the model maps on the MMIO bus.
 *
 * It also stands in for KVM's vgic core: it allocates struct vgic_irq for
 * SPIs and private interrupts at INIT with the values vgic_init() gives
 * them, keeps LPIs in an xarray with the core's refcounting, and records
 * what would reach a vCPU: queue() counts the interrupts that are pending,
 * enabled and routed when queued (and drops the lock, as the core does).
 */
#ifndef __KVM_VGIC3_FAKE_HOST_TEST_H
#define __KVM_VGIC3_FAKE_HOST_TEST_H

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include "host.h"
#include "irq.h"

#define FAKE_MAX_REGIONS 16
#define FAKE_MAX_VCPUS	 64

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
 * @regions: frames on the MMIO bus
 * @nr_regions: how many
 * @core_created: core_create() succeeded
 * @core_ready: core_ready() was called
 * @core_enabled: the core's dist->enabled
 * @has_its: core_has_its() was called
 * @nr_spis: SPIs core_init() made
 * @spis: those SPIs
 * @priv: each vCPU's private interrupts, from core_init()
 * @cif: each vCPU's CPU interface
 * @vcpu_names: what stands for a struct kvm_vcpu (never dereferenced)
 * @lpis: LPIs by INTID
 * @queued: queue() calls that found the interrupt deliverable
 * @halts: halt() calls
 * @flushes: flush_lpis() calls
 * @msi: the ITS frame's translations KVM's core would deliver through,
 *	 by DeviceID << 16 | EventID (one ITS frame per fake VM)
 * @msi_enabled: msi_enable() as last called
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
	struct vgic3_mmio_region *regions[FAKE_MAX_REGIONS];
	unsigned int nr_regions;
	bool core_created;
	bool core_ready;
	bool core_enabled;
	bool has_its;
	unsigned int nr_spis;
	struct vgic_irq *spis;
	struct vgic_irq *priv[FAKE_MAX_VCPUS];
	struct vgic_v3_cpu_if cif[FAKE_MAX_VCPUS];
	u8 vcpu_names[FAKE_MAX_VCPUS];
	struct xarray lpis;
	unsigned int queued;
	unsigned int halts;
	unsigned int flushes;
	struct xarray msi;
	bool msi_enabled;
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

static inline struct kvm_vcpu *fake_vcpu(struct vgic3_host *h,
					 unsigned int idx)
{
	struct fake_vm *vm = to_fake(h);

	if (idx >= vm->nr_vcpus || idx >= FAKE_MAX_VCPUS)
		return NULL;
	return (struct kvm_vcpu *)&vm->vcpu_names[idx];
}

static inline int fake_vcpu_index(struct vgic3_host *h, struct kvm_vcpu *v)
{
	struct fake_vm *vm = to_fake(h);

	return v ? (u8 *)v - vm->vcpu_names : -1;
}

static inline void fake_irq_init(struct vgic_irq *irq, u32 intid,
				 struct kvm_vcpu *target)
{
	INIT_LIST_HEAD(&irq->ap_list);
	raw_spin_lock_init(&irq->irq_lock);
	kref_init(&irq->refcount);
	irq->intid = intid;
	irq->target_vcpu = target;
}

static inline int fake_core_create(struct vgic3_host *h)
{
	struct fake_vm *vm = to_fake(h);

	if (vm->core_created)
		return -EEXIST;
	vm->core_created = true;
	return 0;
}

/* What vgic_init() gives the interrupts of a GICv3. */
static inline int fake_core_init(struct vgic3_host *h, unsigned int nr_spis)
{
	struct fake_vm *vm = to_fake(h);
	unsigned int i, j;

	if (vm->spis)
		return 0;
	vm->spis = kcalloc(nr_spis, sizeof(*vm->spis), GFP_KERNEL);
	if (!vm->spis)
		return -ENOMEM;
	vm->nr_spis = nr_spis;
	for (i = 0; i < nr_spis; i++) {
		fake_irq_init(&vm->spis[i], 32 + i, fake_vcpu(h, 0));
		vm->spis[i].group = 1;
	}
	for (i = 0; i < vm->nr_vcpus && i < FAKE_MAX_VCPUS; i++) {
		vm->priv[i] = kcalloc(32, sizeof(struct vgic_irq), GFP_KERNEL);
		if (!vm->priv[i])
			return -ENOMEM;
		for (j = 0; j < 32; j++) {
			struct vgic_irq *irq = &vm->priv[i][j];

			fake_irq_init(irq, j, fake_vcpu(h, i));
			irq->group = 1;
			irq->mpidr = fake_vcpu_mpidr(h, i);
			irq->enabled = j < 16;
			irq->config = j < 16 ? VGIC_CONFIG_EDGE :
					       VGIC_CONFIG_LEVEL;
		}
	}
	return 0;
}

static inline void fake_core_ready(struct vgic3_host *h)
{
	to_fake(h)->core_ready = true;
}

static inline void fake_core_enable(struct vgic3_host *h, bool enabled)
{
	to_fake(h)->core_enabled = enabled;
}

static inline void fake_core_has_its(struct vgic3_host *h)
{
	to_fake(h)->has_its = true;
}

static inline void fake_core_addrs(struct vgic3_host *h, u64 dist,
				   unsigned int idx, u64 redist)
{
}

static inline struct vgic_irq *fake_spis(struct vgic3_host *h)
{
	return to_fake(h)->spis;
}

static inline struct vgic_irq *fake_private_irqs(struct vgic3_host *h,
						 unsigned int idx)
{
	return idx < FAKE_MAX_VCPUS ? to_fake(h)->priv[idx] : NULL;
}

static inline struct vgic_v3_cpu_if *fake_cpu_if(struct vgic3_host *h,
						 unsigned int idx)
{
	return idx < FAKE_MAX_VCPUS ? &to_fake(h)->cif[idx] : NULL;
}

/* The core's vgic_target_oracle(), reduced to "would it be delivered". */
static inline void fake_queue(struct vgic3_host *h, struct vgic_irq *irq,
			      unsigned long flags)
{
	if (irq->target_vcpu && (irq->active ||
				 (irq->enabled && vgic3_irq_is_pending(irq))))
		to_fake(h)->queued++;
	vgic3_irq_unlock(irq, flags);
}

static inline bool fake_hw_line_level(struct vgic3_host *h,
				      struct vgic_irq *irq)
{
	return irq->line_level;
}

static inline void fake_hw_set(struct vgic3_host *h, struct vgic_irq *irq,
			       bool on)
{
}

static inline void fake_halt(struct vgic3_host *h)
{
	to_fake(h)->halts++;
}

static inline void fake_resume(struct vgic3_host *h)
{
}

static inline struct xarray *fake_lpi_xa(struct vgic3_host *h)
{
	return &to_fake(h)->lpis;
}

static inline void fake_put_lpi(struct vgic3_host *h, struct vgic_irq *irq)
{
	struct fake_vm *vm = to_fake(h);
	unsigned long flags;

	if (irq->intid < 8192 || !refcount_dec_and_test(&irq->refcount.refcount))
		return;
	xa_lock_irqsave(&vm->lpis, flags);
	__xa_erase(&vm->lpis, irq->intid);
	xa_unlock_irqrestore(&vm->lpis, flags);
	kfree_rcu(irq, rcu);
}

/*
 * vgic_flush_pending_lpis(): the LPIs on the vCPU's list lose their
 * pending state; those are the pending, enabled ones routed to it.
 */
static inline void fake_flush_lpis(struct vgic3_host *h, unsigned int idx)
{
	struct fake_vm *vm = to_fake(h);
	struct kvm_vcpu *vcpu = fake_vcpu(h, idx);
	struct vgic_irq *irq;
	unsigned long intid, flags;

	vm->flushes++;
	xa_for_each(&vm->lpis, intid, irq) {
		flags = vgic3_irq_lock(irq);
		if (irq->target_vcpu == vcpu && irq->enabled)
			irq->pending_latch = false;
		vgic3_irq_unlock(irq, flags);
	}
}

static inline int fake_msi_route(struct vgic3_host *h,
				 struct vgic3_mmio_region *r, u32 devid,
				 u32 event, struct vgic_irq *irq)
{
	unsigned long key = (unsigned long)devid << 16 | event;
	struct fake_vm *vm = to_fake(h);

	if (!irq) {
		xa_erase(&vm->msi, key);
		return 0;
	}
	return xa_err(xa_store(&vm->msi, key, irq, GFP_KERNEL));
}

static inline void fake_msi_route_clear(struct vgic3_host *h,
					struct vgic3_mmio_region *r)
{
	struct fake_vm *vm = to_fake(h);
	unsigned long key;
	void *irq;

	xa_for_each(&vm->msi, key, irq)
		xa_erase(&vm->msi, key);
}

static inline void fake_msi_enable(struct vgic3_host *h,
				   struct vgic3_mmio_region *r, bool enabled)
{
	to_fake(h)->msi_enabled = enabled;
}

/* What KVM's MSI fast path would find for (@devid, @event). */
static inline struct vgic_irq *fake_msi_lookup(struct fake_vm *vm, u32 devid,
					       u32 event)
{
	return xa_load(&vm->msi, (unsigned long)devid << 16 | event);
}

static inline bool fake_core_lock(struct vgic3_host *h)
{
	return to_fake(h)->spis;
}

static inline void fake_core_unlock(struct vgic3_host *h)
{
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
	.ipa_bits = fake_ipa_bits,
	.ich_vtr = fake_ich_vtr,
	.core_create = fake_core_create,
	.core_init = fake_core_init,
	.core_ready = fake_core_ready,
	.core_enable = fake_core_enable,
	.core_has_its = fake_core_has_its,
	.core_addrs = fake_core_addrs,
	.spis = fake_spis,
	.private_irqs = fake_private_irqs,
	.cpu_if = fake_cpu_if,
	.vcpu = fake_vcpu,
	.vcpu_index = fake_vcpu_index,
	.queue = fake_queue,
	.hw_line_level = fake_hw_line_level,
	.hw_set_active = fake_hw_set,
	.hw_set_pending = fake_hw_set,
	.halt = fake_halt,
	.resume = fake_resume,
	.lpi_xa = fake_lpi_xa,
	.put_lpi = fake_put_lpi,
	.flush_lpis = fake_flush_lpis,
	.core_lock = fake_core_lock,
	.core_unlock = fake_core_unlock,
	.msi_route = fake_msi_route,
	.msi_route_clear = fake_msi_route_clear,
	.msi_enable = fake_msi_enable,
};

/* As KVM's teardown: the interrupts go with the VM, LPIs included. */
static inline void fake_vm_free(void *p)
{
	struct fake_vm *vm = p;
	struct vgic_irq *irq;
	unsigned long intid;
	unsigned int i;

	kfree(vm->spis);
	for (i = 0; i < FAKE_MAX_VCPUS; i++)
		kfree(vm->priv[i]);
	xa_for_each(&vm->lpis, intid, irq)
		kfree(irq);
	xa_destroy(&vm->lpis);
	xa_destroy(&vm->msi);
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
	xa_init_flags(&vm->lpis, XA_FLAGS_LOCK_IRQ);
	xa_init(&vm->msi);
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
