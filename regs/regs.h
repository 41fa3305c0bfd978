/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register core both models' frames share (the vGICv3's distributor
 * and redistributors, vgic/regs.h; the ITS's control frame, its/regs.c):
 * one descriptor type and its lookup, access widths, the MMIO bus codec,
 * reading and writing part of a 64-bit register, how KVM sanitises the
 * memory attributes of a GIC base register, and the identification both
 * models report.
 */
#ifndef __KVM_VGIC3_REGS_REGS_H
#define __KVM_VGIC3_REGS_REGS_H

#include <linux/bits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

/* GICD_IIDR, GICR_IIDR, GITS_IIDR: ProductID KVM (0x4b), Implementer Arm. */
#define VGIC3_PRODUCT_ID_KVM	0x4b
#define VGIC3_IMPLEMENTER_ARM	0x43b

/* An address attribute that was not set. */
#define VGIC3_ADDR_UNDEF	(~0ULL)

/* Access widths a register allows (naturally aligned only). */
#define VGIC3_ACC_8		BIT(0)
#define VGIC3_ACC_32		BIT(2)
#define VGIC3_ACC_64		BIT(3)

struct vgic3;
struct vgic3_cpu;
struct vgic3_its;

/* struct vgic3_access.requester of a userspace (attribute) access */
#define VGIC3_USER	(-2)

/**
 * struct vgic3_access - one access as a handler sees it
 * @gic: the VM (vGICv3 frames)
 * @cpu: the redistributor's vCPU (NULL in the distributor)
 * @its: the ITS (its frame; @gic and @cpu are NULL then)
 * @offset: byte offset in the frame
 * @intid: per-IRQ registers: first INTID the access covers
 * @len: bytes (1, 4 or 8)
 * @requester: the vCPU making a guest access (its index), VGIC3_USER for
 *	       a register attribute (DIST_REGS, REDIST_REGS, ITS_REGS)
 * @user: @requester is VGIC3_USER: no vCPU runs, and hardware-mapped
 *	  interrupts keep their physical state
 */
struct vgic3_access {
	struct vgic3 *gic;
	struct vgic3_cpu *cpu;
	struct vgic3_its *its;
	int requester;
	bool user;
	u32 offset;
	u32 intid;
	unsigned int len;
};

/**
 * struct vgic3_reg - a register, or a run of per-IRQ registers
 * @offset: first byte in the frame
 * @len: bytes covered
 * @bits_per_irq: 0 for a plain register, else bits per INTID
 * @intid0: INTID at @offset (per-IRQ registers)
 * @access: allowed widths (VGIC3_ACC_*); naturally aligned only
 * @read: guest read
 * @write: guest write
 * @uread: userspace read, NULL when it is @read
 * @uwrite: userspace write, NULL when it is @write
 */
struct vgic3_reg {
	u32 offset;
	u32 len;
	u8 bits_per_irq;
	u16 intid0;
	u8 access;
	u64 (*read)(const struct vgic3_access *a);
	void (*write)(const struct vgic3_access *a, u64 val);
	u64 (*uread)(const struct vgic3_access *a);
	int (*uwrite)(const struct vgic3_access *a, u64 val);
};

/* A frame's registers, sorted by offset. */
struct vgic3_frame {
	const struct vgic3_reg *regs;
	unsigned int nr;
};

const struct vgic3_reg *vgic3_reg_at(const struct vgic3_frame *f,
				     u32 offset);
const struct vgic3_reg *vgic3_reg_find(const struct vgic3_frame *f,
				       u32 offset, unsigned int len);
u32 vgic3_reg_intid(const struct vgic3_reg *r, u32 offset);

/* Is @len (1, 4 or 8 bytes) one of the widths in @access? */
static inline bool vgic3_acc_allows(u8 access, unsigned int len)
{
	switch (len) {
	case 1:
		return access & VGIC3_ACC_8;
	case 4:
		return access & VGIC3_ACC_32;
	case 8:
		return access & VGIC3_ACC_64;
	}
	return false;
}

/* Bytes [offset & 7, +len) of a 64-bit register. */
static inline u64 vgic3_reg_extract(u64 reg, u32 offset, unsigned int len)
{
	reg >>= (offset & 7) * 8;
	return len >= 8 ? reg : reg & GENMASK_ULL(len * 8 - 1, 0);
}

/* @reg with bytes [offset & 7, +len) replaced by @val. */
static inline u64 vgic3_reg_update(u64 reg, u32 offset, unsigned int len,
				   u64 val)
{
	unsigned int shift = (offset & 7) * 8;
	u64 mask = len >= 8 ? ~0ULL : GENMASK_ULL(len * 8 - 1, 0);

	return (reg & ~(mask << shift)) | ((val & mask) << shift);
}

/**
 * vgic3_bus_get - the value a store of @len bytes carries
 * @val: the bus's bytes (little endian)
 * @len: bytes
 * @data: the value
 *
 * The MMIO bus's data is little endian whatever the width. This and
 * vgic3_bus_put() are inline: every guest access to a frame runs one.
 *
 * Return: false for a width no register has (not 1, 2, 4 or 8 bytes).
 */
static inline bool vgic3_bus_get(const void *val, unsigned int len, u64 *data)
{
	switch (len) {
	case 1:
		*data = *(const u8 *)val;
		return true;
	case 2:
		*data = get_unaligned_le16(val);
		return true;
	case 4:
		*data = get_unaligned_le32(val);
		return true;
	case 8:
		*data = get_unaligned_le64(val);
		return true;
	}
	*data = 0;
	return false;
}

/**
 * vgic3_bus_put - answer a load of @len bytes with @data
 * @val: the bus's bytes (little endian)
 * @len: bytes (KVM's bus carries at most 8)
 * @data: the value; a width no register has reads as zero
 */
static inline void vgic3_bus_put(void *val, unsigned int len, u64 data)
{
	switch (len) {
	case 1:
		*(u8 *)val = data;
		break;
	case 2:
		put_unaligned_le16(data, val);
		break;
	case 4:
		put_unaligned_le32(data, val);
		break;
	case 8:
		put_unaligned_le64(data, val);
		break;
	default:
		memset(val, 0, min(len, 8U));
	}
}

u64 vgic3_baser_sanitise(u64 reg, unsigned int shareability_shift,
			 unsigned int inner_shift, unsigned int outer_shift);

#endif /* __KVM_VGIC3_REGS_REGS_H */
