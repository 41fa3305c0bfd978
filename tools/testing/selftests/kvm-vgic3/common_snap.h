/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribute snapshots, shared by the selftests that compare state through
 * the device attributes (cross_impl_test, vgic_vmm_sequences_test,
 * vgic_fuzz_test): a list of GETs, each with its value and errno, taken
 * from a vGICv3 device and optionally an ITS device, and QEMU's save
 * sequence as one helper.
 */
#ifndef KVM_VGIC3_COMMON_SNAP_H
#define KVM_VGIC3_COMMON_SNAP_H

#include <stdint.h>

/* Which device an entry was read from. */
enum { SNAP_GIC, SNAP_ITS };

/**
 * struct snap_ent - one GET
 * @dev: SNAP_GIC or SNAP_ITS
 * @grp: attribute group
 * @attr: attribute
 * @val: the value (0 when the GET failed)
 * @err: errno of the GET, 0 when it succeeded
 */
struct snap_ent {
	int dev;
	uint32_t grp;
	uint64_t attr;
	uint64_t val;
	int err;
};

struct snap {
	struct snap_ent *e;
	int n, cap;
};

/*
 * GET @grp/@attr from @fd (the device @dev names) into a new entry, which
 * keeps the errno: a value of any width lands in a zeroed u64, as an
 * attribute of 4 bytes writes only the low half.
 */
struct snap_ent *snap_probe(struct snap *s, int fd, int dev, uint32_t grp,
			    uint64_t attr);
/* The same, for a GET that must succeed (a VMM aborts when one fails). */
struct snap_ent *snap_get(struct snap *s, int fd, int dev, uint32_t grp,
			  uint64_t attr);
/* The entry of @dev/@grp/@attr; the test fails when there is none. */
const struct snap_ent *snap_find(const struct snap *s, int dev, uint32_t grp,
				 uint64_t attr);
/* SET @val (of the group's width, little endian) ; 0 or errno. */
int snap_set(int fd, uint32_t grp, uint64_t attr, uint64_t val);
/* Forget the entries, keep the memory (for another snapshot). */
void snap_clear(struct snap *s);
void snap_free(struct snap *s);

/*
 * QEMU's save of a stopped VM: SAVE_PENDING_TABLES, the ITS's SAVE_TABLES
 * (@its_fd >= 0), then the GETs of kvm_arm_gicv3_get() (GICD_CTLR; every
 * redistributor; the LPI bases if GICR_TYPER.PLPIS; the distributor's
 * registers of INTIDs 32..@nr_irqs-1; every CPU interface, AP<n>R from the
 * highest n down) and of kvm_arm_its_pre_save() (BASER0-7, CTLR, CBASER,
 * CREADR, CWRITER, IIDR).
 */
void snap_save_qemu(struct snap *s, int gic_fd, int its_fd, int nr_vcpus,
		    uint32_t nr_irqs);

#endif
