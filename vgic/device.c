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
#include "vgic3.h"
#include "lpi.h"

struct vgic3 *vgic3_alloc(const struct vgic3_host_ops *ops, void *priv)
{
	struct vgic3 *gic = kzalloc(sizeof(*gic), GFP_KERNEL_ACCOUNT);

	if (!gic)
		return NULL;
	gic->host.ops = ops;
	gic->host.priv = priv;
	mutex_init(&gic->lock);
	gic->dist_base = VGIC3_ADDR_UNDEF;
	INIT_LIST_HEAD(&gic->rdregs);
	xa_init(&gic->lpis);
	return gic;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_alloc);

/* At VM teardown: no vCPU runs, no attribute call is in flight. */
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
	vgic3_lpi_free_all(gic);
	xa_destroy(&gic->lpis);
	kfree(gic->cpus);
	kfree(gic->spis);
	mutex_destroy(&gic->lock);
	kfree(gic);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_free);

struct vgic3_host *vgic3_host(struct vgic3 *gic)
{
	return &gic->host;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_host);

int vgic3_dev_create(struct vgic3 *gic)
{
	int ret = 0;

	mutex_lock(&gic->lock);
	if (gic->v3_created)
		ret = -EEXIST;
	else
		gic->v3_created = true;
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

unsigned int vgic3_nr_vcpus(struct vgic3 *gic)
{
	unsigned int n;

	mutex_lock(&gic->lock);
	n = gic->initialized ? gic->nr_cpus :
	    gic->host.ops->nr_vcpus(&gic->host);
	mutex_unlock(&gic->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_nr_vcpus);

struct vgic3_irq *vgic3_get_irq(struct vgic3 *gic, struct vgic3_cpu *cpu,
				u32 intid)
{
	if (intid < VGIC3_NR_PRIVATE)
		return cpu ? &cpu->priv[intid] : NULL;
	if (intid < vgic3_nr_irqs(gic))
		return gic->spis ? &gic->spis[intid - VGIC3_NR_PRIVATE] : NULL;
	if (intid >= VGIC3_LPI_BASE)
		return xa_load(&gic->lpis, intid);
	return NULL;
}

int vgic3_mpidr_to_vcpu(struct vgic3 *gic, u64 mpidr)
{
	unsigned int i, n;

	mpidr &= VGIC3_MPIDR_AFF_MASK;
	if (gic->initialized) {
		for (i = 0; i < gic->nr_cpus; i++)
			if (gic->cpus[i].mpidr == mpidr)
				return i;
		return -1;
	}
	n = gic->host.ops->nr_vcpus(&gic->host);
	for (i = 0; i < n; i++)
		if ((gic->host.ops->vcpu_mpidr(&gic->host, i) &
		     VGIC3_MPIDR_AFF_MASK) == mpidr)
			return i;
	return -1;
}

/* The attribute's MPIDR field is Aff3.Aff2.Aff1.Aff0 in 32 bits. */
u64 vgic3_attr_mpidr(u64 attr)
{
	u64 v = (attr & KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) >>
		KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;

	return (v & 0xffffff) | (v >> 24) << 32;
}

static void init_cpu(struct vgic3 *gic, struct vgic3_cpu *cpu,
		     unsigned int idx)
{
	unsigned int i;

	cpu->idx = idx;
	cpu->vcpu_id = gic->host.ops->vcpu_id(&gic->host, idx);
	cpu->mpidr = gic->host.ops->vcpu_mpidr(&gic->host, idx) &
		     VGIC3_MPIDR_AFF_MASK;
	for (i = 0; i < VGIC3_NR_PRIVATE; i++) {
		struct vgic3_irq *irq = &cpu->priv[i];

		irq->intid = i;
		irq->target = idx;
		irq->group = true;
		/* SGIs: enabled and edge; PPIs: level (KVM's reset state). */
		irq->enabled = i < VGIC3_NR_SGIS;
		irq->edge = i < VGIC3_NR_SGIS;
	}
	cpu->pendbaser = GIC_BASER_CACHEABILITY(GICR_PENDBASER, INNER, RaWb) |
		GIC_BASER_CACHEABILITY(GICR_PENDBASER, OUTER, SameAsInner) |
		GIC_BASER_SHAREABILITY(GICR_PENDBASER, InnerShareable);
	vgic3_icc_reset(&cpu->icc, gic->host.ops->ich_vtr(&gic->host));
}

/**
 * vgic3_init - CTRL INIT: freeze NR_IRQS and the vCPUs, build the state
 * @gic: the VM
 *
 * A second INIT does nothing. Frames whose address is known go on the bus.
 *
 * Return: 0, -ENOMEM, or an error from mapping a frame.
 */
int vgic3_init(struct vgic3 *gic)
{
	struct vgic3_irq *spis;
	struct vgic3_cpu *cpus;
	unsigned int i, n;

	mutex_lock(&gic->lock);
	if (gic->initialized)
		goto out;
	n = gic->host.ops->nr_vcpus(&gic->host);
	if (!gic->nr_spis)
		gic->nr_spis = VGIC3_DEFAULT_NR_IRQS - VGIC3_NR_PRIVATE;
	spis = kcalloc(gic->nr_spis, sizeof(*spis), GFP_KERNEL_ACCOUNT);
	cpus = kcalloc(max(n, 1U), sizeof(*cpus), GFP_KERNEL_ACCOUNT);
	if (!spis || !cpus) {
		kfree(spis);
		kfree(cpus);
		mutex_unlock(&gic->lock);
		return -ENOMEM;
	}
	for (i = 0; i < gic->nr_spis; i++) {
		spis[i].intid = VGIC3_NR_PRIVATE + i;
		spis[i].group = true;
		/* KVM's reset state for SPIs: edge-triggered (ICFGR 0b10). */
		spis[i].edge = true;
		spis[i].target = n ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		init_cpu(gic, &cpus[i], i);
	gic->spis = spis;
	gic->cpus = cpus;
	gic->nr_cpus = n;
	if (!gic->implementation_rev)
		gic->implementation_rev = VGIC3_IMP_REV_LATEST;
	gic->initialized = true;
out:
	mutex_unlock(&gic->lock);
	return vgic3_map_frames(gic);
}

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
	return 0;
}
