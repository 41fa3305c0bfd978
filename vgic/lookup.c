// SPDX-License-Identifier: GPL-2.0
/*
 * Lookups the frames, the attribute groups and the ITS share: the number of
 * vCPUs, an INTID to KVM's struct vgic_irq, an MPIDR to a vCPU index, an
 * attribute's MPIDR field to an affinity.
 */
#include <kunit/visibility.h>
#include <linux/lockdep.h>
#include <asm/kvm.h>
#include "internal.h"
#include "lpi.h"

/**
 * vgic3_nr_vcpus_locked - the vCPUs the model serves, gic->lock held
 * @gic: the VM
 *
 * The one vCPU count of both models: those created so far until INIT, the
 * ones INIT found from then on. KVM refuses to create a vCPU once its vgic
 * core is initialised (kvm_arch_vcpu_precreate(): -EBUSY), so the two agree
 * on a real VM; a collection, an LPI route, a redistributor and an
 * attribute all name vCPUs below this count.
 *
 * Return: the count.
 */
__vgic3_hot unsigned int vgic3_nr_vcpus_locked(struct vgic3 *gic)
{
	lockdep_assert_held(&gic->lock);
	return gic->initialized ? gic->nr_cpus :
	       gic->host.ops->nr_vcpus(&gic->host);
}

/* The same, for callers outside the vGICv3 lock (the ITS, through lpi.h). */
__vgic3_hot unsigned int vgic3_nr_vcpus(struct vgic3 *gic)
{
	unsigned int n;

	mutex_lock(&gic->lock);
	n = vgic3_nr_vcpus_locked(gic);
	mutex_unlock(&gic->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_nr_vcpus);

struct vgic_irq *vgic3_get_irq(struct vgic3 *gic, struct vgic3_cpu *cpu,
			       u32 intid)
{
	if (intid < VGIC3_NR_PRIVATE)
		return cpu && cpu->priv ? &cpu->priv[intid] : NULL;
	if (intid < vgic3_nr_irqs(gic))
		return gic->spis ? &gic->spis[intid - VGIC3_NR_PRIVATE] : NULL;
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
