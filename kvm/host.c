// SPDX-License-Identifier: GPL-2.0
/*
 * The model's window onto KVM (host/host.h) implemented over a real VM.
 */
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/kvm_emulate.h>
#include <asm/kvm_mmu.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include "glue.h"
#include "../host/host.h"

static struct kvm *host_kvm(struct vgic3_host *h)
{
	return ((struct vgic3_vm *)h->priv)->kvm;
}

static __vgic3_exit int kvm_host_read_guest(struct vgic3_host *h, u64 gpa,
					    void *buf, unsigned long len)
{
	struct kvm *kvm = host_kvm(h);
	int idx, ret;

	idx = srcu_read_lock(&kvm->srcu);
	ret = kvm_read_guest(kvm, gpa, buf, len);
	srcu_read_unlock(&kvm->srcu, idx);
	return ret ? -EFAULT : 0;
}

static __vgic3_hot int kvm_host_write_guest(struct vgic3_host *h, u64 gpa,
					    const void *buf, unsigned long len)
{
	struct kvm *kvm = host_kvm(h);
	int idx, ret;

	/*
	 * Table writes from an ioctl have no running vCPU to log the dirty
	 * page in its dirty ring; KVM asks the vgic whether such a write is
	 * expected (kvm_arch_allow_write_without_running_vcpu()) and reads
	 * this flag, which the in-kernel vgic raises the same way.
	 */
	kvm->arch.vgic.table_write_in_progress = true;
	idx = srcu_read_lock(&kvm->srcu);
	ret = kvm_write_guest(kvm, gpa, buf, len);
	srcu_read_unlock(&kvm->srcu, idx);
	kvm->arch.vgic.table_write_in_progress = false;
	return ret ? -EFAULT : 0;
}

static __vgic3_hot bool kvm_host_gpa_visible(struct vgic3_host *h, u64 gpa)
{
	struct kvm *kvm = host_kvm(h);
	bool ret;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	ret = kvm_is_visible_gfn(kvm, gpa_to_gfn(gpa));
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

static unsigned int kvm_host_nr_vcpus(struct vgic3_host *h)
{
	return atomic_read(&host_kvm(h)->online_vcpus);
}

static u64 kvm_host_vcpu_mpidr(struct vgic3_host *h, unsigned int idx)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu(host_kvm(h), idx);

	return vcpu ? kvm_vcpu_get_mpidr_aff(vcpu) : ~0ULL;
}

static u32 kvm_host_vcpu_id(struct vgic3_host *h, unsigned int idx)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu(host_kvm(h), idx);

	return vcpu ? vcpu->vcpu_id : idx;
}

/*
 * KVM reads ICH_VTR_EL2 once, at EL2, when it probes the GIC, and keeps it
 * in kvm_vgic_global_state, which is not exported. A VHE kernel runs at EL2
 * and can read the register itself. A nVHE (or protected) kernel runs at
 * EL1, where the register UNDEFs and KVM reaches it through a hypercall a
 * module cannot make: there, and on a host without the GICv3 system
 * register interface, the model gets the values of QEMU's GICv3, the only
 * host it has been measured against.
 */
static u32 kvm_host_ich_vtr(struct vgic3_host *h)
{
	if (is_kernel_in_hyp_mode() &&
	    cpus_have_final_cap(ARM64_HAS_GIC_CPUIF_SYSREGS))
		return read_sysreg_s(SYS_ICH_VTR_EL2);
	return VGIC3_ICH_VTR_DEFAULT;
}

static void unlock_vcpus_below(struct kvm *kvm, unsigned long n)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (i >= n)
			break;
		mutex_unlock(&vcpu->mutex);
	}
}

/*
 * KVM_RUN holds vcpu->mutex for as long as the vCPU runs: failing to take
 * one means a vCPU is running, which the ABI answers with -EBUSY. The lock
 * order is KVM's: kvm->lock, then the vCPUs' mutexes.
 */
static int kvm_host_lock_vcpus(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);
	struct kvm_vcpu *vcpu;
	unsigned long i;

	mutex_lock(&kvm->lock);
	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (!mutex_trylock(&vcpu->mutex)) {
			unlock_vcpus_below(kvm, i);
			mutex_unlock(&kvm->lock);
			return -EBUSY;
		}
	}
	return 0;
}

static void kvm_host_unlock_vcpus(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);

	unlock_vcpus_below(kvm, ULONG_MAX);
	mutex_unlock(&kvm->lock);
}

struct vgic3_iodev {
	struct kvm_io_device dev;
	struct vgic3_mmio_region *region;
	struct kvm *kvm;
};

static struct vgic3_iodev *to_iodev(struct kvm_io_device *dev)
{
	return container_of(dev, struct vgic3_iodev, dev);
}

static int iodev_read(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
		      gpa_t addr, int len, void *val)
{
	struct vgic3_mmio_region *r = to_iodev(dev)->region;

	r->read(r, vcpu ? vcpu->vcpu_idx : -1, addr - r->base, len, val);
	return 0;
}

static int iodev_write(struct kvm_vcpu *vcpu, struct kvm_io_device *dev,
		       gpa_t addr, int len, const void *val)
{
	struct vgic3_mmio_region *r = to_iodev(dev)->region;

	r->write(r, vcpu ? vcpu->vcpu_idx : -1, addr - r->base, len, val);
	return 0;
}

/* The bus goes away before the devices when a VM is destroyed. */
static void iodev_destructor(struct kvm_io_device *dev)
{
	struct vgic3_iodev *io = to_iodev(dev);

	io->region->glue = NULL;
	kfree(io);
}

static const struct kvm_io_device_ops vgic3_iodev_ops = {
	.read = iodev_read,
	.write = iodev_write,
	.destructor = iodev_destructor,
};

static int kvm_host_mmio_map(struct vgic3_host *h, struct vgic3_mmio_region *r)
{
	struct kvm *kvm = host_kvm(h);
	struct vgic3_iodev *io;
	int ret;

	if (r->glue)
		return -EEXIST;
	if (!r->size || r->size > INT_MAX)
		return -EINVAL;
	if (r->msi_doorbell)
		return vgic3_msi_frame_map(kvm, r);
	io = kzalloc(sizeof(*io), GFP_KERNEL_ACCOUNT);
	if (!io)
		return -ENOMEM;
	kvm_iodevice_init(&io->dev, &vgic3_iodev_ops);
	io->region = r;
	io->kvm = kvm;
	mutex_lock(&kvm->slots_lock);
	ret = vgic3_kvm.io_bus_register_dev(kvm, KVM_MMIO_BUS, r->base,
					    r->size, &io->dev);
	if (!ret)
		r->glue = io;
	mutex_unlock(&kvm->slots_lock);
	if (ret)
		kfree(io);
	return ret;
}

static void kvm_host_mmio_unmap(struct vgic3_host *h,
				struct vgic3_mmio_region *r)
{
	struct kvm *kvm = host_kvm(h);
	struct vgic3_iodev *io;

	if (r->msi_doorbell) {
		vgic3_msi_frame_unmap(kvm, r);
		return;
	}
	mutex_lock(&kvm->slots_lock);
	io = r->glue;
	if (io) {
		vgic3_kvm.io_bus_unregister_dev(kvm, KVM_MMIO_BUS, &io->dev);
		r->glue = NULL;
	}
	mutex_unlock(&kvm->slots_lock);
	kfree(io);
}

static unsigned int kvm_host_ipa_bits(struct vgic3_host *h)
{
	return kvm_phys_shift(&host_kvm(h)->arch.mmu);
}

/* --- KVM's vgic core ---------------------------------------------------- */

/*
 * KVM_CREATE_DEVICE holds kvm->lock, which kvm_vgic_create() needs (it
 * races with vCPU creation otherwise).
 */
static int kvm_host_core_create(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);

	lockdep_assert_held(&kvm->lock);
	return vgic3_kvm.vgic_create(kvm, KVM_DEV_TYPE_ARM_VGIC_V3);
}

static int kvm_host_core_init(struct vgic3_host *h, unsigned int nr_spis)
{
	struct kvm *kvm = host_kvm(h);
	int ret;

	mutex_lock(&kvm->arch.config_lock);
	if (!vgic_initialized(kvm))
		kvm->arch.vgic.nr_spis = nr_spis;
	ret = vgic3_kvm.vgic_init(kvm);
	mutex_unlock(&kvm->arch.config_lock);
	return ret;
}

/*
 * The module's frames are on the bus (kvm_io_bus_register_dev() ends with
 * synchronize_srcu(), so every vCPU sees them): the first KVM_RUN's
 * kvm_vgic_map_resources() now returns at its vgic_ready() test and never
 * registers the in-kernel distributor.
 */
static void kvm_host_core_ready(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);

	mutex_lock(&kvm->arch.config_lock);
	WRITE_ONCE(kvm->arch.vgic.ready, true);
	mutex_unlock(&kvm->arch.config_lock);
}

static void kvm_host_core_enable(struct vgic3_host *h, bool enabled)
{
	struct kvm *kvm = host_kvm(h);
	bool was = kvm->arch.vgic.enabled;

	WRITE_ONCE(kvm->arch.vgic.enabled, enabled);
	if (enabled && !was && vgic_initialized(kvm))
		vgic3_kvm.kick_vcpus(kvm);
}

static void kvm_host_core_has_its(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);

	mutex_lock(&kvm->arch.config_lock);
	kvm->arch.vgic.has_its = true;
	kvm->arch.vgic.msis_require_devid = true;
	mutex_unlock(&kvm->arch.config_lock);
}

/*
 * Read by vgic_v3_map_resources() only (never registered: rd_regions stays
 * empty, so neither vCPU creation nor teardown maps an in-kernel frame).
 */
static void kvm_host_core_addrs(struct vgic3_host *h, u64 dist,
				unsigned int idx, u64 redist)
{
	struct kvm *kvm = host_kvm(h);
	struct kvm_vcpu *vcpu = kvm_get_vcpu(kvm, idx);

	mutex_lock(&kvm->arch.config_lock);
	kvm->arch.vgic.vgic_dist_base = dist;
	if (vcpu)
		vcpu->arch.vgic_cpu.rd_iodev.base_addr = redist;
	mutex_unlock(&kvm->arch.config_lock);
}

static struct vgic_irq *kvm_host_spis(struct vgic3_host *h)
{
	return host_kvm(h)->arch.vgic.spis;
}

static struct vgic_irq *kvm_host_private_irqs(struct vgic3_host *h,
					      unsigned int idx)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu(host_kvm(h), idx);

	return vcpu ? vcpu->arch.vgic_cpu.private_irqs : NULL;
}

static struct vgic_v3_cpu_if *kvm_host_cpu_if(struct vgic3_host *h,
					      unsigned int idx)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu(host_kvm(h), idx);

	return vcpu ? &vcpu->arch.vgic_cpu.vgic_v3 : NULL;
}

static struct kvm_vcpu *kvm_host_vcpu(struct vgic3_host *h, unsigned int idx)
{
	return kvm_get_vcpu(host_kvm(h), idx);
}

static __vgic3_hot int kvm_host_vcpu_index(struct vgic3_host *h,
					   struct kvm_vcpu *vcpu)
{
	return vcpu ? vcpu->vcpu_idx : -1;
}

static __vgic3_hot void kvm_host_queue(struct vgic3_host *h,
				       struct vgic_irq *irq,
				       unsigned long flags)
{
	vgic3_kvm.queue_irq_unlock(host_kvm(h), irq, flags);
}

static bool kvm_host_hw_line_level(struct vgic3_host *h, struct vgic_irq *irq)
{
	return vgic3_kvm.get_phys_line_level(irq);
}

static void kvm_host_hw_set_active(struct vgic3_host *h, struct vgic_irq *irq,
				   bool active)
{
	vgic3_kvm.irq_set_phys_active(irq, active);
}

static void kvm_host_hw_set_pending(struct vgic3_host *h,
				    struct vgic_irq *irq, bool pending)
{
	vgic3_kvm.irq_set_phys_pending(irq, pending);
}

static void kvm_host_halt(struct vgic3_host *h)
{
	vgic3_kvm.halt_guest(host_kvm(h));
}

static void kvm_host_resume(struct vgic3_host *h)
{
	vgic3_kvm.resume_guest(host_kvm(h));
}

static struct xarray *kvm_host_lpi_xa(struct vgic3_host *h)
{
	return &host_kvm(h)->arch.vgic.lpi_xa;
}

static __vgic3_hot void kvm_host_put_lpi(struct vgic3_host *h,
					 struct vgic_irq *irq)
{
	vgic3_kvm.put_irq(host_kvm(h), irq);
}

static void kvm_host_flush_lpis(struct vgic3_host *h, unsigned int idx)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu(host_kvm(h), idx);

	if (vcpu)
		vgic3_kvm.flush_pending_lpis(vcpu);
}

/* kvm_vgic_destroy() frees the interrupts under this lock. */
static bool kvm_host_core_lock(struct vgic3_host *h)
{
	struct kvm *kvm = host_kvm(h);

	mutex_lock(&kvm->arch.config_lock);
	return vgic_initialized(kvm);
}

static void kvm_host_core_unlock(struct vgic3_host *h)
{
	mutex_unlock(&host_kvm(h)->arch.config_lock);
}

static __vgic3_hot int kvm_host_msi_route(struct vgic3_host *h,
					  struct vgic3_mmio_region *r,
					  u32 devid, u32 event,
					  struct vgic_irq *irq)
{
	return vgic3_msi_route(host_kvm(h), r, devid, event, irq);
}

static void kvm_host_msi_route_clear(struct vgic3_host *h,
				     struct vgic3_mmio_region *r)
{
	vgic3_msi_route_clear(host_kvm(h), r);
}

static __vgic3_msi bool kvm_host_msi_signal(struct vgic3_host *h,
					    struct vgic3_mmio_region *r,
					    u32 devid, u32 event)
{
	return vgic3_msi_signal(host_kvm(h), r, devid, event);
}

static void kvm_host_msi_enable(struct vgic3_host *h,
				struct vgic3_mmio_region *r, bool enabled)
{
	vgic3_msi_enable(host_kvm(h), r, enabled);
}

const struct vgic3_host_ops vgic3_kvm_host_ops = {
	.read_guest = kvm_host_read_guest,
	.write_guest = kvm_host_write_guest,
	.gpa_visible = kvm_host_gpa_visible,
	.nr_vcpus = kvm_host_nr_vcpus,
	.vcpu_mpidr = kvm_host_vcpu_mpidr,
	.vcpu_id = kvm_host_vcpu_id,
	.lock_vcpus = kvm_host_lock_vcpus,
	.unlock_vcpus = kvm_host_unlock_vcpus,
	.mmio_map = kvm_host_mmio_map,
	.mmio_unmap = kvm_host_mmio_unmap,
	.ipa_bits = kvm_host_ipa_bits,
	.ich_vtr = kvm_host_ich_vtr,
	.core_create = kvm_host_core_create,
	.core_init = kvm_host_core_init,
	.core_ready = kvm_host_core_ready,
	.core_enable = kvm_host_core_enable,
	.core_has_its = kvm_host_core_has_its,
	.core_addrs = kvm_host_core_addrs,
	.spis = kvm_host_spis,
	.private_irqs = kvm_host_private_irqs,
	.cpu_if = kvm_host_cpu_if,
	.vcpu = kvm_host_vcpu,
	.vcpu_index = kvm_host_vcpu_index,
	.queue = kvm_host_queue,
	.hw_line_level = kvm_host_hw_line_level,
	.hw_set_active = kvm_host_hw_set_active,
	.hw_set_pending = kvm_host_hw_set_pending,
	.halt = kvm_host_halt,
	.resume = kvm_host_resume,
	.lpi_xa = kvm_host_lpi_xa,
	.put_lpi = kvm_host_put_lpi,
	.flush_lpis = kvm_host_flush_lpis,
	.core_lock = kvm_host_core_lock,
	.core_unlock = kvm_host_core_unlock,
	.msi_route = kvm_host_msi_route,
	.msi_route_clear = kvm_host_msi_route_clear,
	.msi_signal = kvm_host_msi_signal,
	.msi_enable = kvm_host_msi_enable,
};
