/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kvm-vgic3: what the module adds to the KVM vGICv3/ITS device ABI.
 *
 * Everything else is the ABI of arch/arm64/include/uapi/asm/kvm.h,
 * unchanged. The in-kernel vgic answers -ENXIO to the group below, so a VMM
 * (or a test) can tell which implementation serves a device with
 * KVM_HAS_DEVICE_ATTR.
 */
#ifndef _UAPI_LINUX_KVM_VGIC3_H
#define _UAPI_LINUX_KVM_VGIC3_H

/* Attribute group answered by both device types of the module only. */
#define KVM_DEV_ARM_VGIC3_GRP_INFO		0x7633

/* u64, read-only: the module's ABI version (KVM_VGIC3_INFO_ABI_VERSION). */
#define   KVM_DEV_ARM_VGIC3_INFO_VERSION	0
/* u64, read-only, ITS only: ITS commands that failed an architected check. */
#define   KVM_DEV_ARM_VGIC3_INFO_ITS_CMD_ERRORS	1
/* u64, read-only, ITS only: ITS commands processed. */
#define   KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS	2
/* u64, read-only, ITS only: MSIs translated into a pending LPI. */
#define   KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS	3

/*
 * Attribute group of the module's ITS, set only: an MSI from a device that
 * the VMM emulates, the module's counterpart of KVM_SIGNAL_MSI (which KVM's
 * core hands to the in-kernel vgic only). attr = DeviceID (< 2^16), the u64
 * value = EventID (< 2^32). Returns 0 when the LPI was made pending,
 * -ENOENT when the ITS has no translation for it (no device, no ITE, an
 * unmapped collection: what KVM_SIGNAL_MSI reports as 0, "blocked"),
 * -EBUSY when the ITS or the target redistributor's LPIs are disabled (as
 * KVM_SIGNAL_MSI), -ENXIO for a DeviceID beyond 16 bits, -EINVAL for an
 * EventID beyond 32 bits.
 */
#define KVM_DEV_ARM_VGIC3_GRP_MSI		0x7634

#define KVM_VGIC3_INFO_ABI_VERSION		2

#endif /* _UAPI_LINUX_KVM_VGIC3_H */
