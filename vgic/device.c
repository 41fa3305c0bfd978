// SPDX-License-Identifier: GPL-2.0
/*
 * The per-VM vGICv3: allocation, the V3 device's create/destroy, CTRL INIT,
 * and putting the frames on the MMIO bus once both INIT and an address are
 * there (QEMU sets the addresses after INIT, Firecracker before).
 */
#include <kunit/visibility.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/kvm.h>
#include "internal.h"
#include "api.h"
#include "lpi.h"

struct vgic3 *vgic3_alloc(const struct vgic3_host_ops *ops, void *priv)
{
	struct vgic3 *gic = kzalloc(sizeof(*gic), GFP_KERNEL_ACCOUNT);

	if (!gic)
		return NULL;
	gic->host.ops = ops;
	gic->host.priv = priv;
	mutex_init(&gic->lock);
	mutex_init(&gic->listen_lock);
	INIT_LIST_HEAD(&gic->lpi_listeners);
	gic->dist_base = VGIC3_ADDR_UNDEF;
	INIT_LIST_HEAD(&gic->rdregs);
	gic->lpis = ops->lpi_xa(&gic->host);
	return gic;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_alloc);

/*
 * At VM teardown: no vCPU runs, no attribute call is in flight, and KVM's
 * vgic core has already freed the SPIs, the vCPUs' private interrupts and
 * the vCPUs themselves (kvm_vgic_destroy() runs before the devices'
 * destroy): nothing of theirs is touched here. LPIs go with their last
 * reference, which the ITSes hold.
 */
void vgic3_free(struct vgic3 *gic)
{
	struct vgic3_rdreg *rd, *tmp;

	if (!gic)
		return;
	if (gic->dist_mapped)
		gic->host.ops->mmio_unmap(&gic->host, &gic->dist_mmio);
	list_for_each_entry_safe(rd, tmp, &gic->rdregs, list) {
		if (rd->mapped)
			gic->host.ops->mmio_unmap(&gic->host, &rd->mmio);
		list_del(&rd->list);
		kfree(rd);
	}
	kfree(gic->cpus);
	mutex_destroy(&gic->listen_lock);
	mutex_destroy(&gic->lock);
	kfree(gic);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_free);

struct vgic3_host *vgic3_host(struct vgic3 *gic)
{
	return &gic->host;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_host);

/*
 * KVM's core takes the VM's irqchip first (kvm_vgic_create(): -EEXIST for
 * a second one, -EBUSY once a vCPU ran, -E2BIG for too many vCPUs); from
 * then on KVM_IRQ_LINE, irqfds, the timers and the PMU reach the SPIs and
 * private interrupts that INIT makes.
 */
int vgic3_dev_create(struct vgic3 *gic)
{
	int ret;

	mutex_lock(&gic->lock);
	if (gic->v3_created) {
		ret = -EEXIST;
	} else {
		ret = gic->host.ops->core_create(&gic->host);
		gic->v3_created = !ret;
	}
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_dev_create);

/*
 * As in KVM, the state outlives the device file: it goes with the VM in
 * vgic3_free(), and a second V3 device stays refused.
 */
void vgic3_dev_destroy(struct vgic3 *gic)
{
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_dev_destroy);

static void init_cpu(struct vgic3 *gic, struct vgic3_cpu *cpu,
		     unsigned int idx)
{
	const struct vgic3_host_ops *ops = gic->host.ops;

	cpu->idx = idx;
	cpu->vcpu_id = ops->vcpu_id(&gic->host, idx);
	cpu->mpidr = ops->vcpu_mpidr(&gic->host, idx) & VGIC3_MPIDR_AFF_MASK;
	cpu->vcpu = ops->vcpu(&gic->host, idx);
	cpu->priv = ops->private_irqs(&gic->host, idx);
	cpu->cif = ops->cpu_if(&gic->host, idx);
	/* (checkpatch CAMELCASE: RaWb and its kin are arm-gic-v3.h's names) */
	cpu->pendbaser = GIC_BASER_CACHEABILITY(GICR_PENDBASER, INNER, RaWb) |
		GIC_BASER_CACHEABILITY(GICR_PENDBASER, OUTER, SameAsInner) |
		GIC_BASER_SHAREABILITY(GICR_PENDBASER, InnerShareable);
	vgic3_icc_reset(&cpu->icc, ops->ich_vtr(&gic->host));
}

/**
 * vgic3_init - CTRL INIT: freeze NR_IRQS and the vCPUs, build the state
 * @gic: the VM
 *
 * KVM's core allocates the interrupts (vgic_init(): SPIs edge-triggered,
 * group 1, routed to vCPU 0; SGIs enabled and edge, PPIs level; the vCPUs'
 * CPU interfaces enabled); the model keeps pointers to them. A second
 * INIT does nothing. Frames whose address is known go on the bus.
 *
 * Return: 0, -ENOMEM, -EBUSY (a vCPU is being created), or an error from
 * mapping a frame.
 */
int vgic3_init(struct vgic3 *gic)
{
	const struct vgic3_host_ops *ops = gic->host.ops;
	struct vgic3_cpu *cpus;
	unsigned int i, n;
	int ret;

	mutex_lock(&gic->lock);
	if (gic->initialized)
		goto out;
	n = ops->nr_vcpus(&gic->host);
	if (!gic->nr_spis)
		gic->nr_spis = VGIC3_DEFAULT_NR_IRQS - VGIC3_NR_PRIVATE;
	cpus = kcalloc(max(n, 1U), sizeof(*cpus), GFP_KERNEL_ACCOUNT);
	if (!cpus) {
		mutex_unlock(&gic->lock);
		return -ENOMEM;
	}
	ret = ops->core_init(&gic->host, gic->nr_spis);
	if (ret) {
		kfree(cpus);
		mutex_unlock(&gic->lock);
		return ret;
	}
	for (i = 0; i < n; i++)
		init_cpu(gic, &cpus[i], i);
	gic->spis = ops->spis(&gic->host);
	gic->cpus = cpus;
	gic->nr_cpus = n;
	if (!gic->implementation_rev)
		gic->implementation_rev = VGIC3_IMP_REV_LATEST;
	gic->initialized = true;
out:
	mutex_unlock(&gic->lock);
	return vgic3_map_frames(gic);
}

/*
 * KVM's first KVM_RUN asks its vgic core whether the vGIC is ready; until
 * it is, the core checks the addresses it knows, then INIT: tell it ours,
 * so that a VM run too early fails as with the in-kernel vgic.
 */
static void vgic3_publish_addrs(struct vgic3 *gic)
{
	const struct vgic3_host_ops *ops = gic->host.ops;
	struct vgic3_rdreg *rd;
	unsigned int i, n, slot;
	u64 base;

	mutex_lock(&gic->lock);
	n = vgic3_nr_vcpus_locked(gic);
	for (i = 0; i < n; i++) {
		rd = vgic3_rdreg_of_cpu(gic, i, &slot);
		base = rd ? rd->base + (u64)slot * KVM_VGIC_V3_REDIST_SIZE :
			    VGIC3_ADDR_UNDEF;
		ops->core_addrs(&gic->host, gic->dist_base, i, base);
	}
	mutex_unlock(&gic->lock);
}

static void vgic3_maybe_ready(struct vgic3 *gic);

/**
 * vgic3_map_frames - put the frames that can go on the MMIO bus there
 * @gic: the VM
 *
 * A frame is mapped once the vGIC is initialised and its address is set.
 * Called without gic->lock (the bus takes vCPU-side locks); a frame is
 * claimed under the lock first so that two callers never map it twice.
 *
 * Return: 0, or the first mapping error (the failed frame is unclaimed).
 */
int vgic3_map_frames(struct vgic3 *gic)
{
	const struct vgic3_host_ops *ops = gic->host.ops;
	struct vgic3_rdreg *rd, *todo[8];
	unsigned int i, nr;
	bool dist;
	int ret;

	vgic3_publish_addrs(gic);
again:
	dist = false;
	nr = 0;
	mutex_lock(&gic->lock);
	if (!gic->initialized) {
		mutex_unlock(&gic->lock);
		return 0;
	}
	if (!gic->dist_mapped && gic->dist_base != VGIC3_ADDR_UNDEF) {
		vgic3_dist_mmio_init(gic);
		gic->dist_mapped = true;
		dist = true;
	}
	list_for_each_entry(rd, &gic->rdregs, list) {
		unsigned int used = vgic3_rdreg_used(gic, rd);

		if (rd->mapped || !used || nr == ARRAY_SIZE(todo))
			continue;
		vgic3_rdreg_mmio_init(rd, (u64)used * KVM_VGIC_V3_REDIST_SIZE);
		rd->mapped = true;
		todo[nr++] = rd;
	}
	mutex_unlock(&gic->lock);

	if (dist) {
		ret = ops->mmio_map(&gic->host, &gic->dist_mmio);
		if (ret) {
			mutex_lock(&gic->lock);
			gic->dist_mapped = false;
			mutex_unlock(&gic->lock);
			return ret;
		}
	}
	for (i = 0; i < nr; i++) {
		ret = ops->mmio_map(&gic->host, &todo[i]->mmio);
		if (ret) {
			mutex_lock(&gic->lock);
			for (; i < nr; i++)
				todo[i]->mapped = false;
			mutex_unlock(&gic->lock);
			return ret;
		}
	}
	if (nr == ARRAY_SIZE(todo))
		goto again;
	vgic3_maybe_ready(gic);
	return 0;
}

/*
 * Once the vGIC is initialised and the distributor and every vCPU's
 * redistributor are on the bus, KVM's first KVM_RUN may go ahead: until
 * then it fails, as with the in-kernel vgic.
 */
static void vgic3_maybe_ready(struct vgic3 *gic)
{
	struct vgic3_rdreg *rd;
	unsigned int covered = 0;
	bool ready;

	mutex_lock(&gic->lock);
	list_for_each_entry(rd, &gic->rdregs, list) {
		if (rd->mapped)
			covered += vgic3_rdreg_used(gic, rd);
	}
	ready = gic->initialized && !gic->ready && gic->dist_mapped &&
		covered == gic->nr_cpus;
	if (ready) {
		gic->host.ops->core_ready(&gic->host);
		gic->ready = true;
	}
	mutex_unlock(&gic->lock);
}
