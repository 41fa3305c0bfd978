/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the register frames of both models share (the vGICv3's distributor
 * and redistributors, vgic/regs.h; the ITS's control frame, its/regs.c):
 * access widths, the MMIO bus codec, reading and writing part of a 64-bit
 * register, how KVM sanitises the memory attributes of a GIC base
 * register, and the identification both models report.
 */
#ifndef __KVM_VGIC3_REGS_REGS_H
#define __KVM_VGIC3_REGS_REGS_H

#include <linux/bits.h>
#include <linux/types.h>

/* GICD_IIDR, GICR_IIDR, GITS_IIDR: ProductID KVM (0x4b), Implementer Arm. */
#define VGIC3_PRODUCT_ID_KVM	0x4b
#define VGIC3_IMPLEMENTER_ARM	0x43b

/* An address attribute that was not set. */
#define VGIC3_ADDR_UNDEF	(~0ULL)

/* Access widths a register allows (naturally aligned only). */
#define VGIC3_ACC_8		BIT(0)
#define VGIC3_ACC_32		BIT(2)
#define VGIC3_ACC_64		BIT(3)

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

/* The MMIO bus's data, little endian whatever the width. */
bool vgic3_bus_get(const void *val, unsigned int len, u64 *data);
void vgic3_bus_put(void *val, unsigned int len, u64 data);

u64 vgic3_baser_sanitise(u64 reg, unsigned int shareability_shift,
			 unsigned int inner_shift, unsigned int outer_shift);

#endif /* __KVM_VGIC3_REGS_REGS_H */
