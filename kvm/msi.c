// SPDX-License-Identifier: GPL-2.0
/*
 * An ITS frame as KVM's MSI paths see it.
 *
 * KVM_SIGNAL_MSI and irqfd MSI routes go to KVM's vgic core, which finds
 * the ITS by looking the doorbell address up on the MMIO bus: the device
 * there must be a struct vgic_io_device of type IODEV_ITS with KVM's
 * kvm_io_gic_ops, pointing at a struct vgic_its. The core then looks
 * (DeviceID, EventID) up in that vgic_its's translation_cache, with RCU
 * and in atomic context for irqfds, and makes the LPI it finds pending.
 * On a miss it takes vgic_its.its_lock and walks its device_list, which is
 * always empty here: the MSI is dropped (-EBUSY while the ITS is
 * disabled, 0 otherwise).
 *
 * So the module's ITS frame is such a device, whose one register region
 * forwards every access to the model's handlers, and the model keeps the
 * translation cache (host msi_route) an exact image of its translations.
 * Each cache entry holds a reference to its LPI, as KVM's own do.
 */
#include <linux/slab.h>
#include "glue.h"
#include "../host/host.h"

/*
 * Layout of arch/arm64/kvm/vgic/vgic-mmio.h's struct vgic_register_region
 * (a private header) on the kernels the module supports, which is what
 * kvm_io_gic_ops's dispatcher reads through iodev->regions.
 */
struct vgic3_kvm_region {
	unsigned int reg_offset;
	unsigned int len;
	unsigned int bits_per_irq;
	unsigned int access_flags;
	unsigned long (*its_read)(struct kvm *kvm, struct vgic_its *its,
				  gpa_t addr, unsigned int len);
	void (*its_write)(struct kvm *kvm, struct vgic_its *its, gpa_t addr,
			  unsigned int len, unsigned long val);
	unsigned long (*uaccess_read)(struct kvm_vcpu *vcpu, gpa_t addr,
				      unsigned int len);
	int (*uaccess_its_write)(struct kvm *kvm, struct vgic_its *its,
				 gpa_t addr, unsigned int len,
				 unsigned long val);
};

#define VGIC3_KVM_ACCESS_8	1
#define VGIC3_KVM_ACCESS_32	2
#define VGIC3_KVM_ACCESS_64	4
/* vgic-its.c's cache key: DeviceID above the 16 EventID bits. */
#define VGIC3_KVM_ITS_KEY(devid, event)	((unsigned long)(devid) << 16 | (event))

/**
 * struct vgic3_msi_frame - an ITS frame on the bus
 * @its: what KVM's MSI paths see (only the frame, the enable and the
 *	 translation cache are used)
 * @region: the model's frame, its handlers
 */
struct vgic3_msi_frame {
	struct vgic_its its;
	struct vgic3_mmio_region *region;
};

static struct vgic3_mmio_region *its_region(struct vgic_its *its)
{
	return container_of(its, struct vgic3_msi_frame, its)->region;
}

static __vgic3_exit unsigned long msi_frame_read(struct kvm *kvm,
						 struct vgic_its *its,
						 gpa_t addr, unsigned int len)
{
	struct vgic3_mmio_region *r = its_region(its);
	__le64 v = 0;

	r->read(r, -1, addr - r->base, len, &v);
	return le64_to_cpu(v);
}

static __vgic3_exit void msi_frame_write(struct kvm *kvm, struct vgic_its *its,
					 gpa_t addr, unsigned int len,
					 unsigned long val)
{
	struct vgic3_mmio_region *r = its_region(its);
	__le64 v = cpu_to_le64(val);

	r->write(r, -1, addr - r->base, len, &v);
}

static const struct vgic3_kvm_region msi_frame_regions[] = {
	{
		.reg_offset = 0,
		.len = KVM_VGIC_V3_ITS_SIZE,
		.access_flags = VGIC3_KVM_ACCESS_8 | VGIC3_KVM_ACCESS_32 |
				VGIC3_KVM_ACCESS_64,
		.its_read = msi_frame_read,
		.its_write = msi_frame_write,
	},
};

int vgic3_msi_frame_map(struct kvm *kvm, struct vgic3_mmio_region *r)
{
	struct vgic3_msi_frame *f;
	struct vgic_io_device *iodev;
	int ret;

	if (r->size != KVM_VGIC_V3_ITS_SIZE)
		return -EINVAL;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->region = r;
	f->its.vgic_its_base = r->base;
	mutex_init(&f->its.its_lock);
	mutex_init(&f->its.cmd_lock);
	INIT_LIST_HEAD(&f->its.device_list);
	INIT_LIST_HEAD(&f->its.collection_list);
	xa_init(&f->its.translation_cache);
	iodev = &f->its.iodev;
	iodev->base_addr = r->base;
	iodev->iodev_type = IODEV_ITS;
	iodev->its = &f->its;
	iodev->regions = (const struct vgic_register_region *)msi_frame_regions;
	iodev->nr_regions = ARRAY_SIZE(msi_frame_regions);
	kvm_iodevice_init(&iodev->dev, vgic3_kvm.io_gic_ops);

	mutex_lock(&kvm->slots_lock);
	ret = vgic3_kvm.io_bus_register_dev(kvm, KVM_MMIO_BUS, r->base,
					    r->size, &iodev->dev);
	if (!ret)
		WRITE_ONCE(r->glue, f);
	mutex_unlock(&kvm->slots_lock);
	if (ret)
		kfree(f);
	return ret;
}

/*
 * Every entry erased in one walk, a batch at a time under the xarray's
 * lock: an xa_erase() per entry walks from the root each time (1M of them
 * when a VM of 1M events goes, scale_vm_destroy). Only the context that
 * erases an entry puts its reference.
 */
static void msi_frame_clear(struct kvm *kvm, struct vgic3_msi_frame *f)
{
	XA_STATE(xas, &f->its.translation_cache, 0);
	struct vgic_irq *irq;
	unsigned int n = 0;

	xas_lock(&xas);
	xas_for_each(&xas, irq, ULONG_MAX) {
		xas_store(&xas, NULL);
		vgic3_kvm.put_irq(kvm, irq);
		if (++n % 1024)
			continue;
		xas_pause(&xas);
		xas_unlock(&xas);
		cond_resched();
		xas_lock(&xas);
	}
	xas_unlock(&xas);
}

/*
 * At VM teardown the bus is gone already (unregistering is then a no-op)
 * and no MSI can be in flight: irqfds went with the VM's file.
 */
void vgic3_msi_frame_unmap(struct kvm *kvm, struct vgic3_mmio_region *r)
{
	struct vgic3_msi_frame *f;

	mutex_lock(&kvm->slots_lock);
	f = r->glue;
	if (f) {
		vgic3_kvm.io_bus_unregister_dev(kvm, KVM_MMIO_BUS,
						&f->its.iodev.dev);
		WRITE_ONCE(r->glue, NULL);
	}
	mutex_unlock(&kvm->slots_lock);
	if (!f)
		return;
	msi_frame_clear(kvm, f);
	xa_destroy(&f->its.translation_cache);
	kfree(f);
}

__vgic3_hot int vgic3_msi_route(struct kvm *kvm, struct vgic3_mmio_region *r,
				u32 devid, u32 event, struct vgic_irq *irq)
{
	struct vgic3_msi_frame *f = r->glue;
	unsigned long key = VGIC3_KVM_ITS_KEY(devid, event);
	struct vgic_irq *old;

	if (!f)
		return 0;
	/*
	 * Only the model changes this cache, under the ITS lock: an entry
	 * already as asked (MOVI, MAPC between redistributors that both take
	 * LPIs) needs no store and no reference moved. (An erase is asked
	 * of an entry that is there, mostly: it does not look first.)
	 */
	if (irq && xa_load(&f->its.translation_cache, key) == irq)
		return 0;
	if (irq) {
		/* Held by an ITE, so alive: the entry takes its own. */
		kref_get(&irq->refcount);
		old = xa_store(&f->its.translation_cache, key, irq,
			       GFP_KERNEL_ACCOUNT);
		if (xa_is_err(old)) {
			vgic3_kvm.put_irq(kvm, irq);
			return xa_err(old);
		}
	} else {
		old = xa_erase(&f->its.translation_cache, key);
	}
	if (old)
		vgic3_kvm.put_irq(kvm, old);
	return 0;
}

/*
 * What the core's vgic_its_inject_cached_translation() does, on a frame
 * the model already holds: no lookup on the bus. The entry's LPI may be
 * on its way out (its last reference dropped): then it is a miss.
 */
__vgic3_msi bool vgic3_msi_signal(struct kvm *kvm, struct vgic3_mmio_region *r,
				  u32 devid, u32 event)
{
	struct vgic3_msi_frame *f = READ_ONCE(r->glue);
	struct vgic_irq *irq;
	unsigned long flags;

	if (!f)
		return false;
	rcu_read_lock();
	irq = xa_load(&f->its.translation_cache, VGIC3_KVM_ITS_KEY(devid, event));
	if (irq && !kref_get_unless_zero(&irq->refcount))
		irq = NULL;
	rcu_read_unlock();
	if (!irq)
		return false;
	raw_spin_lock_irqsave(&irq->irq_lock, flags);
	irq->pending_latch = true;
	vgic3_kvm.queue_irq_unlock(kvm, irq, flags);
	vgic3_kvm.put_irq(kvm, irq);
	return true;
}

void vgic3_msi_route_clear(struct kvm *kvm, struct vgic3_mmio_region *r)
{
	if (r->glue)
		msi_frame_clear(kvm, r->glue);
}

/* Read by the core's slow path under its_lock. */
void vgic3_msi_enable(struct kvm *kvm, struct vgic3_mmio_region *r,
		      bool enabled)
{
	struct vgic3_msi_frame *f = r->glue;

	if (!f)
		return;
	mutex_lock(&f->its.its_lock);
	f->its.enabled = enabled;
	mutex_unlock(&f->its.its_lock);
}
