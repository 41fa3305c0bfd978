// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute groups of KVM_DEV_TYPE_ARM_VGIC_V3: decoding, the order of the
 * checks and the errnos KVM gives, and the module's INFO group.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/kvm_vgic3.h>
#include <asm/kvm.h>
#include "regs.h"
#include "api.h"
#include "lpi.h"

int vgic3_attr_width(u32 group, u64 attr)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return 4;
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		return 8;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_attr_width);

/*
 * The vCPU an attribute names: by MPIDR, except DIST_REGS which always
 * uses vCPU 0. -EINVAL when there is no such vCPU.
 */
static int attr_vcpu(struct vgic3 *gic, u32 group, u64 attr)
{
	int idx;

	mutex_lock(&gic->lock);
	if (group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
		idx = vgic3_nr_vcpus_locked(gic) ? 0 : -1;
	else
		idx = vgic3_mpidr_to_vcpu(gic, vgic3_attr_mpidr(attr));
	mutex_unlock(&gic->lock);
	return idx < 0 ? -EINVAL : idx;
}

static void level_info_read(struct vgic3 *gic, struct vgic3_cpu *cpu,
			    u32 intid, u64 *val)
{
	unsigned int i;
	u32 v = 0;

	for (i = 0; i < 32; i++) {
		struct vgic3_irq_view view;
		struct vgic_irq *irq;

		if (intid + i < VGIC3_NR_SGIS || intid + i >= vgic3_nr_irqs(gic))
			continue;
		irq = vgic3_get_irq(gic, cpu, intid + i);
		if (!irq)
			continue;
		vgic3_irq_read(irq, &view);
		if (!view.edge && view.line)
			v |= BIT(i);
	}
	*val = v;
}

/* The line is restored whatever the configuration (ICFGR may come later). */
static void level_info_write(struct vgic3 *gic, struct vgic3_cpu *cpu,
			     u32 intid, u32 val)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		struct vgic_irq *irq;

		if (intid + i < VGIC3_NR_SGIS || intid + i >= vgic3_nr_irqs(gic))
			continue;
		irq = vgic3_get_irq(gic, cpu, intid + i);
		if (irq)
			vgic3_irq_set_line(&gic->host, irq, val & BIT(i));
	}
}

static int level_info(struct vgic3 *gic, struct vgic3_cpu *cpu, u64 attr,
		      bool write, u64 *val)
{
	u32 info = FIELD_GET(KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK, attr);
	u32 intid = attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK;

	if (info != VGIC_LEVEL_INFO_LINE_LEVEL || intid % 32)
		return -EINVAL;
	if (write)
		level_info_write(gic, cpu, intid, *val);
	else
		level_info_read(gic, cpu, intid, val);
	return 0;
}

/*
 * DIST_REGS, REDIST_REGS, CPU_SYSREGS, LEVEL_INFO: the vCPU must exist
 * (EINVAL), none may run (EBUSY) and the vGIC must be initialised (EBUSY).
 */
static int regs_access(struct vgic3 *gic, u32 group, u64 attr, bool write,
		       u64 *val)
{
	const struct vgic3_host_ops *ops = gic->host.ops;
	u32 offset = attr & KVM_DEV_ARM_VGIC_OFFSET_MASK;
	struct vgic3_cpu *cpu;
	int idx, ret;
	u32 v;

	idx = attr_vcpu(gic, group, attr);
	if (idx < 0)
		return idx;
	ret = ops->lock_vcpus(&gic->host);
	if (ret)
		return ret;
	mutex_lock(&gic->lock);
	if (!gic->initialized) {
		ret = -EBUSY;
		goto out;
	}
	if (idx >= gic->nr_cpus) {
		ret = -EINVAL;
		goto out;
	}
	cpu = &gic->cpus[idx];
	v = *val;
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		ret = vgic3_frame_uaccess(gic, &vgic3_dist_frame, NULL, offset,
					  write, &v);
		if (!write)
			*val = v;
		break;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		ret = vgic3_frame_uaccess(gic, &vgic3_redist_frame, cpu, offset,
					  write, &v);
		if (!write)
			*val = v;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		if (write)
			ret = vgic3_icc_set(cpu, attr, *val);
		else
			ret = vgic3_icc_get(cpu, attr, val);
		break;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		ret = level_info(gic, cpu, attr, write, val);
		break;
	default:
		ret = -EINVAL;
	}
out:
	mutex_unlock(&gic->lock);
	vgic3_lpi_notify(gic);
	ops->unlock_vcpus(&gic->host);
	return ret;
}

static int set_nr_irqs(struct vgic3 *gic, u64 val)
{
	u32 n = val;
	int ret = 0;

	/* At least 32 SPIs, at most 1020 INTIDs, a multiple of 32. */
	if (n < VGIC3_MIN_NR_IRQS || n > VGIC3_MAX_NR_IRQS || (n & 31))
		return -EINVAL;
	mutex_lock(&gic->lock);
	if (gic->nr_spis)
		ret = -EBUSY;
	else
		gic->nr_spis = n - VGIC3_NR_PRIVATE;
	mutex_unlock(&gic->lock);
	return ret;
}

static int save_pending(struct vgic3 *gic)
{
	const struct vgic3_host_ops *ops = gic->host.ops;
	int ret;

	ret = ops->lock_vcpus(&gic->host);
	if (ret)
		return ret;
	mutex_lock(&gic->lock);
	ret = vgic3_save_pending_tables(gic);
	mutex_unlock(&gic->lock);
	ops->unlock_vcpus(&gic->host);
	return ret;
}

int vgic3_set_attr(struct vgic3 *gic, u32 group, u64 attr, u64 *val)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return vgic3_addr_set(gic, attr, *val);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return set_nr_irqs(gic, *val);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
			return vgic3_init(gic);
		case KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES:
			return save_pending(gic);
		}
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return regs_access(gic, group, attr, true, val);
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_set_attr);

int vgic3_get_attr(struct vgic3 *gic, u32 group, u64 attr, u64 *val)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return vgic3_addr_get(gic, attr, val);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		mutex_lock(&gic->lock);
		*val = vgic3_nr_irqs(gic);
		mutex_unlock(&gic->lock);
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return regs_access(gic, group, attr, false, val);
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		if (attr != KVM_DEV_ARM_VGIC3_INFO_VERSION)
			return -ENXIO;
		*val = KVM_VGIC3_INFO_ABI_VERSION;
		return 0;
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_get_attr);

static int has_regs(struct vgic3 *gic, u32 group, u64 attr)
{
	u32 offset = attr & KVM_DEV_ARM_VGIC_OFFSET_MASK;
	const struct vgic3_frame *f;
	const struct vgic3_reg *r;
	int idx;

	idx = attr_vcpu(gic, group, attr);
	if (idx < 0)
		return idx;
	if (group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS)
		return vgic3_icc_has(attr);
	/* Only aligned 32-bit accesses exist for userspace. */
	if (offset & 3)
		return -ENXIO;
	f = group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS ? &vgic3_dist_frame :
						      &vgic3_redist_frame;
	mutex_lock(&gic->lock);
	r = vgic3_find_reg(gic, f, offset, 4);
	mutex_unlock(&gic->lock);
	return r ? 0 : -ENXIO;
}

int vgic3_has_attr(struct vgic3 *gic, u32 group, u64 attr)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		switch (attr) {
		case KVM_VGIC_V3_ADDR_TYPE_DIST:
		case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
			return 0;
		}
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return has_regs(gic, group, attr);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		if (FIELD_GET(KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK, attr) ==
		    VGIC_LEVEL_INFO_LINE_LEVEL)
			return 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
		case KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES:
			return 0;
		}
		break;
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		if (attr == KVM_DEV_ARM_VGIC3_INFO_VERSION)
			return 0;
		break;
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_has_attr);
