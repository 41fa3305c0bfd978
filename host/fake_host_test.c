// SPDX-License-Identifier: GPL-2.0
/* The fake VM of the KUnit suites (fake_host_test.h). */
#include "fake_host_test.h"

static struct fake_vm *to_fake(struct vgic3_host *h)
{
	return h->priv;
}

static int fake_read_guest(struct vgic3_host *h, u64 gpa, void *buf,
			   unsigned long len)
{
	struct fake_vm *vm = to_fake(h);

	if (gpa >= vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	memcpy(buf, vm->mem + gpa, len);
	return 0;
}

static int fake_write_guest(struct vgic3_host *h, u64 gpa,
			    const void *buf, unsigned long len)
{
	struct fake_vm *vm = to_fake(h);

	if (gpa >= vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	memcpy(vm->mem + gpa, buf, len);
	return 0;
}

static bool fake_gpa_visible(struct vgic3_host *h, u64 gpa)
{
	return gpa < to_fake(h)->mem_size;
}

static unsigned int fake_nr_vcpus(struct vgic3_host *h)
{
	return to_fake(h)->nr_vcpus;
}

static u32 fake_vcpu_id(struct vgic3_host *h, unsigned int idx)
{
	const u32 *ids = to_fake(h)->vcpu_ids;

	return ids ? ids[idx] : idx;
}

u64 fake_mpidr_of_id(u32 id)
{
	return (id & 0xf) | ((id >> 4) & 0xff) << 8 | ((id >> 12) & 0xff) << 16;
}

static u64 fake_vcpu_mpidr(struct vgic3_host *h, unsigned int idx)
{
	return fake_mpidr_of_id(fake_vcpu_id(h, idx));
}

static int fake_lock_vcpus(struct vgic3_host *h)
{
	return to_fake(h)->vcpu_running ? -EBUSY : 0;
}

static void fake_unlock_vcpus(struct vgic3_host *h)
{
}

static int fake_mmio_map(struct vgic3_host *h, struct vgic3_mmio_region *r)
{
	struct fake_vm *vm = to_fake(h);

	if (vm->nr_regions == FAKE_MAX_REGIONS)
		return -ENOSPC;
	vm->regions[vm->nr_regions++] = r;
	return 0;
}

static void fake_mmio_unmap(struct vgic3_host *h, struct vgic3_mmio_region *r)
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

static struct kvm_vcpu *fake_vcpu(struct vgic3_host *h, unsigned int idx)
{
	struct fake_vm *vm = to_fake(h);

	if (idx >= vm->nr_vcpus || idx >= FAKE_MAX_VCPUS)
		return NULL;
	return (struct kvm_vcpu *)&vm->vcpu_names[idx];
}

int fake_vcpu_index(struct vgic3_host *h, struct kvm_vcpu *v)
{
	struct fake_vm *vm = to_fake(h);

	return v ? (u8 *)v - vm->vcpu_names : -1;
}

static void fake_irq_init(struct vgic_irq *irq, u32 intid,
			  struct kvm_vcpu *target)
{
	INIT_LIST_HEAD(&irq->ap_list);
	raw_spin_lock_init(&irq->irq_lock);
	kref_init(&irq->refcount);
	irq->intid = intid;
	irq->target_vcpu = target;
}

static int fake_core_create(struct vgic3_host *h)
{
	struct fake_vm *vm = to_fake(h);

	if (vm->core_created)
		return -EEXIST;
	vm->core_created = true;
	return 0;
}

/* What vgic_init() gives the interrupts of a GICv3. */
static int fake_core_init(struct vgic3_host *h, unsigned int nr_spis)
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

static void fake_core_ready(struct vgic3_host *h)
{
	to_fake(h)->core_ready = true;
}

static void fake_core_enable(struct vgic3_host *h, bool enabled)
{
	to_fake(h)->core_enabled = enabled;
}

static void fake_core_has_its(struct vgic3_host *h)
{
	to_fake(h)->has_its = true;
}

static void fake_core_addrs(struct vgic3_host *h, u64 dist,
			    unsigned int idx, u64 redist)
{
}

static struct vgic_irq *fake_spis(struct vgic3_host *h)
{
	return to_fake(h)->spis;
}

static struct vgic_irq *fake_private_irqs(struct vgic3_host *h,
					  unsigned int idx)
{
	return idx < FAKE_MAX_VCPUS ? to_fake(h)->priv[idx] : NULL;
}

static struct vgic_v3_cpu_if *fake_cpu_if(struct vgic3_host *h,
					  unsigned int idx)
{
	return idx < FAKE_MAX_VCPUS ? &to_fake(h)->cif[idx] : NULL;
}

/* The core's vgic_target_oracle(), reduced to "would it be delivered". */
static void fake_queue(struct vgic3_host *h, struct vgic_irq *irq,
		       unsigned long flags)
{
	to_fake(h)->queue_calls++;
	if (irq->target_vcpu && (irq->active ||
				 (irq->enabled && vgic3_irq_is_pending(irq))))
		to_fake(h)->queued++;
	vgic3_irq_unlock(irq, flags);
}

static bool fake_hw_line_level(struct vgic3_host *h, struct vgic_irq *irq)
{
	return irq->line_level;
}

static void fake_hw_set(struct vgic3_host *h, struct vgic_irq *irq, bool on)
{
}

static void fake_halt(struct vgic3_host *h)
{
	to_fake(h)->halts++;
}

static void fake_resume(struct vgic3_host *h)
{
}

static struct xarray *fake_lpi_xa(struct vgic3_host *h)
{
	return &to_fake(h)->lpis;
}

static void fake_put_lpi(struct vgic3_host *h, struct vgic_irq *irq)
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
static void fake_flush_lpis(struct vgic3_host *h, unsigned int idx)
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

static int fake_msi_route(struct vgic3_host *h,
			  struct vgic3_mmio_region *r, u32 devid,
			  u32 event, struct vgic_irq *irq)
{
	unsigned long key = (unsigned long)devid << 16 | event;
	struct fake_vm *vm = to_fake(h);

	vm->msi_routes++;
	if (!irq) {
		xa_erase(&vm->msi, key);
		return 0;
	}
	return xa_err(xa_store(&vm->msi, key, irq, GFP_KERNEL));
}

static void fake_msi_route_clear(struct vgic3_host *h,
				 struct vgic3_mmio_region *r)
{
	struct fake_vm *vm = to_fake(h);
	unsigned long key;
	void *irq;

	xa_for_each(&vm->msi, key, irq)
		xa_erase(&vm->msi, key);
}

/* As the glue's: a translation's LPI made pending, without the model. */
static bool fake_msi_signal(struct vgic3_host *h, struct vgic3_mmio_region *r,
			    u32 devid, u32 event)
{
	struct fake_vm *vm = to_fake(h);
	struct vgic_irq *irq = fake_msi_lookup(vm, devid, event);
	unsigned long flags;

	if (!irq)
		return false;
	vm->msi_signals++;
	if (vm->msi_latch) {
		vm->msi_latch(vm->msi_latch_arg, irq);
		return true;
	}
	flags = vgic3_irq_lock(irq);
	irq->pending_latch = true;
	fake_queue(h, irq, flags);
	return true;
}

static void fake_msi_enable(struct vgic3_host *h,
			    struct vgic3_mmio_region *r, bool enabled)
{
	to_fake(h)->msi_enabled = enabled;
}

struct vgic_irq *fake_msi_lookup(struct fake_vm *vm, u32 devid, u32 event)
{
	return xa_load(&vm->msi, (unsigned long)devid << 16 | event);
}

static bool fake_core_lock(struct vgic3_host *h)
{
	return to_fake(h)->spis;
}

static void fake_core_unlock(struct vgic3_host *h)
{
}

static unsigned int fake_ipa_bits(struct vgic3_host *h)
{
	return to_fake(h)->ipa_bits;
}

static u32 fake_ich_vtr(struct vgic3_host *h)
{
	return to_fake(h)->ich_vtr;
}

const struct vgic3_host_ops fake_host_ops = {
	.read_guest = fake_read_guest,
	.write_guest = fake_write_guest,
	.gpa_visible = fake_gpa_visible,
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
	.msi_signal = fake_msi_signal,
	.msi_enable = fake_msi_enable,
};

/* As KVM's teardown: the interrupts go with the VM, LPIs included. */
static void fake_vm_free(void *p)
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

struct fake_vm *fake_vm_new(struct kunit *test, u64 mem_size,
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

u64 fake_peek64(struct fake_vm *vm, u64 gpa)
{
	u64 v;

	memcpy(&v, vm->mem + gpa, sizeof(v));
	return le64_to_cpu(v);
}

void fake_poke64(struct fake_vm *vm, u64 gpa, u64 val)
{
	__le64 v = cpu_to_le64(val);

	memcpy(vm->mem + gpa, &v, sizeof(v));
}
