// SPDX-License-Identifier: GPL-2.0
/*
 * The one dispatcher for register frames: guest MMIO and the DIST_REGS /
 * REDIST_REGS attributes look registers up in the same tables, so a
 * register cannot behave differently for the two by accident.
 */
#include "regs.h"
#include "lpi.h"

/**
 * vgic3_find_reg - the register an access of @len bytes at @offset hits
 * @gic: the VM
 * @f: the frame
 * @offset: byte offset in the frame
 * @len: access width
 *
 * Return: what vgic3_reg_find() finds, but NULL for an access that names
 * an INTID beyond NR_IRQS (RAZ/WI too).
 */
const struct vgic3_reg *vgic3_find_reg(struct vgic3 *gic,
				       const struct vgic3_frame *f,
				       u32 offset, unsigned int len)
{
	const struct vgic3_reg *r = vgic3_reg_find(f, offset, len);

	if (r && r->bits_per_irq &&
	    vgic3_reg_intid(r, offset) >= vgic3_nr_irqs(gic))
		return NULL;
	return r;
}

static void fill_access(struct vgic3_access *a, struct vgic3 *gic,
			const struct vgic3_reg *r, struct vgic3_cpu *cpu,
			int requester, u32 offset, unsigned int len)
{
	a->gic = gic;
	a->cpu = cpu;
	a->its = NULL;
	a->requester = requester;
	a->user = requester == VGIC3_USER;
	a->offset = offset;
	a->intid = vgic3_reg_intid(r, offset);
	a->len = len;
}

/* Guest read by vCPU @vcpu; the caller holds gic->lock. */
u64 vgic3_frame_read(struct vgic3 *gic, const struct vgic3_frame *f,
		     struct vgic3_cpu *cpu, int vcpu, u32 offset,
		     unsigned int len)
{
	const struct vgic3_reg *r = vgic3_find_reg(gic, f, offset, len);
	struct vgic3_access a;

	lockdep_assert_held(&gic->lock);
	if (!r)
		return 0;
	fill_access(&a, gic, r, cpu, vcpu, offset, len);
	return vgic3_reg_extract(r->read(&a), 0, len);
}

/* Guest write by vCPU @vcpu; the caller holds gic->lock. */
void vgic3_frame_write(struct vgic3 *gic, const struct vgic3_frame *f,
		       struct vgic3_cpu *cpu, int vcpu, u32 offset,
		       unsigned int len, u64 val)
{
	const struct vgic3_reg *r = vgic3_find_reg(gic, f, offset, len);
	struct vgic3_access a;

	lockdep_assert_held(&gic->lock);
	if (!r)
		return;
	fill_access(&a, gic, r, cpu, vcpu, offset, len);
	r->write(&a, vgic3_reg_extract(val, 0, len));
}

/*
 * Userspace access, always 32 bits; the caller holds gic->lock. Offsets
 * with no register read as zero and ignore writes, as in KVM (crosvm walks
 * every offset of the frames).
 */
int vgic3_frame_uaccess(struct vgic3 *gic, const struct vgic3_frame *f,
			struct vgic3_cpu *cpu, u32 offset, bool write,
			u32 *val)
{
	const struct vgic3_reg *r = vgic3_find_reg(gic, f, offset, 4);
	struct vgic3_access a;

	lockdep_assert_held(&gic->lock);
	if (!r) {
		if (!write)
			*val = 0;
		return 0;
	}
	fill_access(&a, gic, r, cpu, VGIC3_USER, offset, 4);
	if (write) {
		if (r->uwrite)
			return r->uwrite(&a, *val);
		r->write(&a, *val);
		return 0;
	}
	*val = (u32)(r->uread ? r->uread(&a) : r->read(&a));
	return 0;
}

/* MMIO bus data is little endian, whatever the width. */
void vgic3_mmio_bus_read(struct vgic3 *gic, const struct vgic3_frame *f,
			 struct vgic3_cpu *cpu, int vcpu, u64 offset,
			 unsigned int len, void *val)
{
	u64 data = 0;

	if (offset <= U32_MAX) {
		mutex_lock(&gic->lock);
		data = vgic3_frame_read(gic, f, cpu, vcpu, offset, len);
		mutex_unlock(&gic->lock);
	}
	vgic3_bus_put(val, len, data);
}

void vgic3_mmio_bus_write(struct vgic3 *gic, const struct vgic3_frame *f,
			  struct vgic3_cpu *cpu, int vcpu, u64 offset,
			  unsigned int len, const void *val)
{
	u64 data;

	if (!vgic3_bus_get(val, len, &data) || offset > U32_MAX)
		return;
	mutex_lock(&gic->lock);
	vgic3_frame_write(gic, f, cpu, vcpu, offset, len, data);
	mutex_unlock(&gic->lock);
	vgic3_lpi_notify(gic);
}
