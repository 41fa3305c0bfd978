// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS control frame: one descriptor per register (struct vgic3_reg, the
 * register core both models share, regs/regs.h), shared by guest MMIO and
 * the KVM_DEV_ARM_VGIC_GRP_ITS_REGS attributes, so that a register cannot
 * behave differently for the two by accident. A descriptor's @uwrite
 * (userspace only) replaces @write where the ABI says userspace may write a
 * register the guest cannot (CREADR, IIDR).
 *
 * Every handler runs with the ITS lock held, but a guest's read of
 * GITS_CREADR (its_mmio_read()).
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "its.h"

/* --- Memory attributes, as KVM sanitises them ------------------------------ */

static u64 sanitise_cbaser(u64 reg)
{
	reg = vgic3_baser_sanitise(reg, GITS_CBASER_SHAREABILITY_SHIFT,
				   GITS_CBASER_INNER_CACHEABILITY_SHIFT,
				   GITS_CBASER_OUTER_CACHEABILITY_SHIFT);
	/* The queue is 64K aligned. */
	return reg & ~GENMASK_ULL(15, 12);
}

static u64 sanitise_baser(u64 reg)
{
	reg = vgic3_baser_sanitise(reg, GITS_BASER_SHAREABILITY_SHIFT,
				   GITS_BASER_INNER_CACHEABILITY_SHIFT,
				   GITS_BASER_OUTER_CACHEABILITY_SHIFT);
	/* One ITS page size: 64K. */
	return (reg & ~GITS_BASER_PAGE_SIZE_MASK) | GITS_BASER_PAGE_SIZE_64K;
}

/*
 * GITS_BASER<n> at creation: 64K pages, cacheable, type and entry size.
 * (checkpatch CAMELCASE: RaWb and its kin are arm-gic-v3.h's names.)
 */
u64 its_initial_baser(u64 type)
{
	return GIC_BASER_CACHEABILITY(GITS_BASER, INNER, RaWb) |
	       GIC_BASER_CACHEABILITY(GITS_BASER, OUTER, SameAsInner) |
	       GITS_BASER_InnerShareable | GITS_BASER_PAGE_SIZE_64K |
	       (type << GITS_BASER_TYPE_SHIFT) |
	       ((u64)(ITS_ESZ - 1) << GITS_BASER_ENTRY_SIZE_SHIFT);
}

/* --- Registers ------------------------------------------------------------ */

static u64 its_read_ctlr(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;
	u32 reg = 0;

	if (its->creadr == its->cwriter)
		reg |= GITS_CTLR_QUIESCENT;
	if (its->enabled)
		reg |= GITS_CTLR_ENABLE;
	return reg;
}

/* Enabling needs valid CBASER and BASERs (else UNPREDICTABLE: refused). */
static void its_write_ctlr(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;
	bool enable = val & GITS_CTLR_ENABLE;

	if (!its->enabled && enable &&
	    (!(its->baser_dev & GITS_BASER_VALID) ||
	     !(its->baser_coll & GITS_BASER_VALID) ||
	     !(its->cbaser & GITS_CBASER_VALID)))
		return;

	/*
	 * The translations KVM's core delivers through follow: all of them
	 * when enabled, none when disabled.
	 */
	if (its->enabled != enable) {
		its->enabled = enable;
		its_doorbell_sync(its);
	}
	its_process_commands(its);
}

static u64 its_read_iidr(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;

	return FIELD_PREP(GITS_IIDR_REV_MASK, its->abi_rev) |
	       ((u64)VGIC3_PRODUCT_ID_KVM << GITS_IIDR_PRODUCTID_SHIFT) |
	       VGIC3_IMPLEMENTER_ARM;
}

/* Userspace restores the table ABI revision through GITS_IIDR. */
static int its_uwrite_iidr(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;
	u32 rev = GITS_IIDR_REV(val);

	if (rev >= ITS_NR_ABI_REVS)
		return -EINVAL;
	its->abi_rev = rev;
	its->iidr_restored = true;
	return 0;
}

static u64 its_read_typer(const struct vgic3_access *a)
{
	u64 reg = GITS_TYPER_PLPIS;

	reg |= FIELD_PREP(GITS_TYPER_DEVBITS, ITS_DEVID_BITS - 1);
	reg |= FIELD_PREP(GITS_TYPER_IDBITS, ITS_EVENTID_BITS - 1);
	reg |= FIELD_PREP(GITS_TYPER_ITT_ENTRY_SIZE, ITS_ESZ - 1);
	return vgic3_reg_extract(reg, a->offset, a->len);
}

static u64 its_read_cbaser(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;

	return vgic3_reg_extract(its->cbaser, a->offset, a->len);
}

/* Read-only while enabled; a write empties the queue. */
static void its_write_cbaser(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;

	if (its->enabled)
		return;
	val = vgic3_reg_update(its->cbaser, a->offset, a->len, val);
	its->cbaser = sanitise_cbaser(val);
	WRITE_ONCE(its->creadr, 0);
	its->cwriter = 0;
}

static int its_uwrite_cbaser(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;

	if (its->creadr_restored && its->creadr && !its->enabled)
		pr_warn_ratelimited("kvm-vgic3: ITS@%llx: GITS_CBASER restored after GITS_CREADR: the CBASER write resets CREADR (restore CBASER first)\n",
				    its->base);
	its_write_cbaser(a, val);
	its->creadr_restored = false;
	return 0;
}

static u64 its_read_cwriter(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;

	return vgic3_reg_extract(its->cwriter, a->offset, a->len);
}

/* A CWRITER outside the queue is ignored; commands run before we return. */
static __vgic3_exit void its_write_cwriter(const struct vgic3_access *a,
					   u64 val)
{
	struct vgic3_its *its = a->its;
	u64 reg = vgic3_reg_update(its->cwriter, a->offset, a->len, val) &
		  GENMASK_ULL(19, 5);

	if (reg >= its_cmdq_size(its->cbaser))
		return;
	its->cwriter = reg;
	its_process_commands(its);
}

static u64 its_read_creadr(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;

	return vgic3_reg_extract(READ_ONCE(its->creadr), a->offset, a->len);
}

static int its_uwrite_creadr(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;
	u64 reg = val & GENMASK_ULL(19, 5);

	if (its->enabled)
		return -EBUSY;
	if (reg >= its_cmdq_size(its->cbaser))
		return -EINVAL;
	WRITE_ONCE(its->creadr, reg);
	its->creadr_restored = true;
	return 0;
}

static u64 *its_baser(struct vgic3_its *its, u32 off)
{
	switch ((off - GITS_BASER) / 8) {
	case 0:
		return &its->baser_dev;
	case 1:
		return &its->baser_coll;
	default:
		return NULL;
	}
}

static u64 its_read_baser(const struct vgic3_access *a)
{
	struct vgic3_its *its = a->its;
	u64 *reg = its_baser(its, a->offset);

	return reg ? vgic3_reg_extract(*reg, a->offset, a->len) : 0;
}

#define BASER_RO_MASK	(GITS_BASER_ENTRY_SIZE_MASK | GENMASK_ULL(58, 56))

/*
 * What a write of @val to part of a GITS_BASER<n> leaves there: type and
 * entry size are read-only, the collection table is flat, the memory
 * attributes are sanitised. Pure: the effect is its_write_baser()'s.
 */
static u64 its_baser_value(struct vgic3_its *its, const u64 *reg, u32 off,
			   unsigned int len, u64 val)
{
	bool dev = reg == &its->baser_dev;
	u64 type = dev ? GITS_BASER_TYPE_DEVICE : GITS_BASER_TYPE_COLLECTION;
	u64 new = vgic3_reg_update(*reg, off, len, val);

	if (!dev)
		new &= ~GITS_BASER_INDIRECT;
	new &= ~BASER_RO_MASK;
	new |= (type << GITS_BASER_TYPE_SHIFT) |
	       ((u64)(ITS_ESZ - 1) << GITS_BASER_ENTRY_SIZE_SHIFT);
	return sanitise_baser(new);
}

/*
 * Ignored while enabled. A new value drops what the old table held (the
 * ITS driver rewrites an unchanged value on resume: that keeps everything).
 */
static void its_write_baser(const struct vgic3_access *a, u64 val)
{
	struct vgic3_its *its = a->its;
	u64 *reg = its_baser(its, a->offset);
	u64 new;

	if (its->enabled || !reg)
		return;
	new = its_baser_value(its, reg, a->offset, a->len, val);
	if (new == *reg)
		return;
	*reg = new;
	if (reg == &its->baser_dev)
		its_free_all_devs(its);
	else
		its_free_all_colls(its);
}

static u64 its_read_idregs(const struct vgic3_access *a)
{
	switch (a->offset) {
	case GITS_PIDR0:
		return 0x92;	/* part number [7:0] */
	case GITS_PIDR1:
		return 0xb4;	/* part number [11:8] */
	case GITS_PIDR2:	/* checkpatch CAMELCASE: arm-gic-v3.h's name */
		return GIC_PIDR2_ARCH_GICv3 | 0x0b;
	case GITS_PIDR4:
		return 0x40;	/* 64K software visible page */
	case GITS_CIDR0:
		return 0x0d;
	case GITS_CIDR1:
		return 0xf0;
	case GITS_CIDR2:
		return 0x05;
	case GITS_CIDR3:
		return 0xb1;
	}
	return 0;
}

static void its_write_wi(const struct vgic3_access *a, u64 val)
{
}

#define ITS_REG(off, l, acc, rd, wr, uwr)				\
	{ .offset = (off), .len = (l), .access = (acc), .read = (rd),	\
	  .write = (wr), .uwrite = (uwr) }
#define ACC_32_64	(VGIC3_ACC_32 | VGIC3_ACC_64)

static const struct vgic3_reg its_regs[] = {
	ITS_REG(GITS_CTLR, 4, VGIC3_ACC_32, its_read_ctlr, its_write_ctlr,
		NULL),
	ITS_REG(GITS_IIDR, 4, VGIC3_ACC_32, its_read_iidr, its_write_wi,
		its_uwrite_iidr),
	ITS_REG(GITS_TYPER, 8, ACC_32_64, its_read_typer, its_write_wi, NULL),
	ITS_REG(GITS_CBASER, 8, ACC_32_64, its_read_cbaser, its_write_cbaser,
		its_uwrite_cbaser),
	ITS_REG(GITS_CWRITER, 8, ACC_32_64, its_read_cwriter,
		its_write_cwriter, NULL),
	ITS_REG(GITS_CREADR, 8, ACC_32_64, its_read_creadr, its_write_wi,
		its_uwrite_creadr),
	ITS_REG(GITS_BASER, 0x40, ACC_32_64, its_read_baser, its_write_baser,
		NULL),
	ITS_REG(GITS_IDREGS_BASE, 0x30, VGIC3_ACC_32, its_read_idregs,
		its_write_wi, NULL),
};

static const struct vgic3_frame its_frame = {
	.regs = its_regs,
	.nr = ARRAY_SIZE(its_regs),
};

/* @requester: the vCPU's index, -1 for none, VGIC3_USER for ITS_REGS. */
static struct vgic3_access its_access(struct vgic3_its *its, u64 offset,
				      unsigned int len, int requester)
{
	return (struct vgic3_access){
		.its = its,
		.requester = requester,
		.user = requester == VGIC3_USER,
		.offset = offset,
		.len = len,
	};
}

/* --- Userspace (ITS_REGS) --------------------------------------------------- */

/*
 * The attribute ABI wants 64-bit registers accessed whole: offsets below
 * GITS_TYPER and from GITS_PIDR4 up are 32-bit registers, the rest 64-bit.
 */
int its_reg_check_offset(u64 offset)
{
	u64 align = (offset < GITS_TYPER || offset >= GITS_PIDR4) ? 3 : 7;

	return offset & align ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(its_reg_check_offset);

bool its_reg_exists(u64 offset)
{
	return offset <= U32_MAX && vgic3_reg_at(&its_frame, offset);
}
EXPORT_SYMBOL_IF_KUNIT(its_reg_exists);

/**
 * its_reg_uaccess - KVM_DEV_ARM_VGIC_GRP_ITS_REGS access
 * @its: the ITS
 * @offset: register offset, already checked by its_reg_check_offset()
 * @val: value in or out
 * @is_write: direction
 *
 * Takes the ITS lock. Return: 0, -ENXIO (not a register), or a register's
 * userspace write error.
 */
int its_reg_uaccess(struct vgic3_its *its, u64 offset, u64 *val,
		    bool is_write)
{
	const struct vgic3_reg *reg;
	struct vgic3_access a;
	int ret = 0;

	reg = offset <= U32_MAX ? vgic3_reg_at(&its_frame, offset) : NULL;
	if (!reg)
		return -ENXIO;
	a = its_access(its, offset, reg->access & VGIC3_ACC_64 ? 8 : 4,
		       VGIC3_USER);

	mutex_lock(&its->lock);
	if (!is_write)
		*val = reg->read(&a);
	else if (reg->uwrite)
		ret = reg->uwrite(&a, *val);
	else
		reg->write(&a, *val);
	mutex_unlock(&its->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(its_reg_uaccess);

/* --- Guest MMIO ------------------------------------------------------------ */

/*
 * A guest polls GITS_CREADR after each CWRITER store: that read takes no
 * lock, as the in-kernel ITS's does not. CREADR moves under the ITS lock
 * (WRITE_ONCE()); a poll sees it before or after a command, as it could
 * on hardware. Userspace reads it under the lock, like every register.
 */
static bool its_reg_lockless(const struct vgic3_reg *reg)
{
	return reg->offset == GITS_CREADR;
}

/**
 * its_mmio_read - guest load from the ITS frame
 * @r: the ITS's region
 * @vcpu: vCPU index, or -1
 * @offset: offset in the 128K frame
 * @len: access size
 * @val: little-endian result
 *
 * Unknown offsets and access widths a register does not allow read as zero.
 * A 64-bit GITS_CREADR load, the poll after each command, goes straight to
 * its handler: the register table's lookup touches pages of its own, and
 * pages are what an exit costs (__vgic3_hot).
 */
__vgic3_exit void its_mmio_read(struct vgic3_mmio_region *r, int vcpu,
				u64 offset, unsigned int len, void *val)
{
	struct vgic3_its *its = container_of(r, struct vgic3_its, region);
	const struct vgic3_reg *reg = NULL;
	struct vgic3_access a;
	u64 data = 0;

	/* The poll after every command: its handler, without the lookup. */
	if (offset == GITS_CREADR && len == 8) {
		a = its_access(its, offset, len, vcpu);
		vgic3_bus_put(val, len, its_read_creadr(&a));
		return;
	}
	if (offset <= U32_MAX)
		reg = vgic3_reg_find(&its_frame, offset, len);
	if (reg) {
		a = its_access(its, offset, len, vcpu);
		if (its_reg_lockless(reg)) {
			data = reg->read(&a);
		} else {
			mutex_lock(&its->lock);
			data = reg->read(&a);
			mutex_unlock(&its->lock);
		}
	}
	vgic3_bus_put(val, len, data);
}
EXPORT_SYMBOL_IF_KUNIT(its_mmio_read);

/**
 * its_mmio_write - guest store to the ITS frame
 * @r: the ITS's region
 * @vcpu: vCPU index, or -1
 * @offset: offset in the 128K frame
 * @len: access size
 * @val: little-endian value
 *
 * A store to GITS_TRANSLATER is an MSI. A vCPU's store carries no DeviceID
 * (a bus master's would, as sideband information): it is taken as
 * DeviceID 0. Unknown offsets and disallowed widths are ignored. A 64-bit
 * GITS_CWRITER store goes straight to its handler, as a CREADR load does.
 */
__vgic3_exit void its_mmio_write(struct vgic3_mmio_region *r, int vcpu,
				 u64 offset, unsigned int len, const void *val)
{
	struct vgic3_its *its = container_of(r, struct vgic3_its, region);
	const struct vgic3_reg *reg;
	struct vgic3_access a;
	u64 data;

	vgic3_bus_get(val, len, &data);	/* 0 for a width nothing has */
	if (offset == GITS_TRANSLATER && (len == 2 || len == 4)) {
		its_inject_msi(its, 0, data);
		return;
	}

	/* The store that runs the commands: likewise. */
	if (offset == GITS_CWRITER && len == 8) {
		a = its_access(its, offset, len, vcpu);
		mutex_lock(&its->lock);
		its_write_cwriter(&a, data);
		mutex_unlock(&its->lock);
		return;
	}
	if (offset > U32_MAX)
		return;
	reg = vgic3_reg_find(&its_frame, offset, len);
	if (!reg)
		return;
	a = its_access(its, offset, len, vcpu);
	mutex_lock(&its->lock);
	reg->write(&a, data);
	mutex_unlock(&its->lock);
}
EXPORT_SYMBOL_IF_KUNIT(its_mmio_write);
