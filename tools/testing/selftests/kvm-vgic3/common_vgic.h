/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vgic_*_test.c selftests: VMs with a vGICv3 device,
 * attribute accessors that return 0 or the errno (so a test can write
 * EXPECT_EQ(EINVAL, dist_write(...))), the encodings of the MPIDR,
 * CPU_SYSREGS and LEVEL_INFO attributes, and a vCPU that runs in a thread
 * until released (for the "while a vCPU runs" rules).
 */
#ifndef KVM_VGIC3_COMMON_VGIC_H
#define KVM_VGIC3_COMMON_VGIC_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvm_util.h"
#include "processor.h"
#include "gic.h"
#include "gic_v3.h"
#include "vgic.h"

/* Short names of the attribute groups, for tables of attributes. */
#define GRP_ADDR	KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_DIST	KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS	KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_NR_IRQS	KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL	KVM_DEV_ARM_VGIC_GRP_CTRL
#define GRP_LEVEL	KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define GRP_ITS		KVM_DEV_ARM_VGIC_GRP_ITS_REGS

#define VGIC_VM_MAX_VCPUS	8
#define VGIC_ADDR_UNDEF_VAL	(~0ULL)
#define REDIST_SIZE		(2 * 0x10000ULL)	/* KVM_VGIC_V3_REDIST_SIZE */
#define SGI_BASE		0x10000

struct vgic_vm {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpus[VGIC_VM_MAX_VCPUS];
	int nr_vcpus;
	int gic_fd;
	bool light;	/* no guest memory: its vCPUs cannot run */
};
#define VGIC_GUEST_DONE	((void *)1)

/* A VM with nr_vcpus vCPUs running guest_code and a vGICv3 device, nothing
 * configured. guest_code VGIC_GUEST_DONE: a guest that only reports
 * GUEST_DONE; NULL: no guest memory at all, the vCPUs are never run. */
struct vgic_vm *vgic_vm_create(int nr_vcpus, void *guest_code);
/* Same, the device is not created (gic_fd = -1). */
struct vgic_vm *vgic_vm_create_nodev(int nr_vcpus, void *guest_code);
/* NR_IRQS (0: leave default), DIST at GICD_BASE_GPA, one REDIST_REGION of
 * nr_vcpus at GICR_BASE_GPA, CTRL INIT; and maps both frames in the guest. */
void vgic_vm_setup(struct vgic_vm *v, uint32_t nr_irqs);
/* Map GICD/GICR frames 1:1 in the guest page tables. */
void vgic_vm_map_frames(struct vgic_vm *v);
void vgic_vm_free(struct vgic_vm *v);

/* Raw attribute calls: 0 or errno. */
int attr_set(int fd, uint32_t group, uint64_t attr, const void *val);
int attr_get(int fd, uint32_t group, uint64_t attr, void *val);
int attr_has(int fd, uint32_t group, uint64_t attr);

/* The mpidr field of a REDIST_REGS/CPU_SYSREGS/LEVEL_INFO attr for the vCPU
 * with this id (KVM's default MPIDR: Aff0 = id[3:0], Aff1 = id[11:4]). */
uint64_t vcpu_mpidr_attr(int vcpu_id);

int dist_read(int fd, uint32_t off, uint32_t *val);
int dist_write(int fd, uint32_t off, uint32_t val);
int redist_read(int fd, int vcpu_id, uint32_t off, uint32_t *val);
int redist_write(int fd, int vcpu_id, uint32_t off, uint32_t val);
/* Asserting versions. */
uint32_t dist_rd(int fd, uint32_t off);
void dist_wr(int fd, uint32_t off, uint32_t val);
uint32_t redist_rd(int fd, int vcpu_id, uint32_t off);
void redist_wr(int fd, int vcpu_id, uint32_t off, uint32_t val);

/* CPU_SYSREGS instr field */
#define ICC_SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define ICC_PMR		ICC_SYSREG(3, 0, 4, 6, 0)
#define ICC_BPR0	ICC_SYSREG(3, 0, 12, 8, 3)
#define ICC_AP0R(n)	ICC_SYSREG(3, 0, 12, 8, 4 + (n))
#define ICC_AP1R(n)	ICC_SYSREG(3, 0, 12, 9, (n))
#define ICC_BPR1	ICC_SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR	ICC_SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE		ICC_SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN0	ICC_SYSREG(3, 0, 12, 12, 6)
#define ICC_IGRPEN1	ICC_SYSREG(3, 0, 12, 12, 7)
#define ICC_SGI1R	ICC_SYSREG(3, 0, 12, 11, 5)
#define ICC_IAR1	ICC_SYSREG(3, 0, 12, 12, 0)

int icc_read(int fd, int vcpu_id, uint32_t reg, uint64_t *val);
int icc_write(int fd, int vcpu_id, uint32_t reg, uint64_t val);
uint64_t icc_rd(int fd, int vcpu_id, uint32_t reg);
void icc_wr(int fd, int vcpu_id, uint32_t reg, uint64_t val);

/* LEVEL_INFO: info 0 = VGIC_LEVEL_INFO_LINE_LEVEL */
uint64_t level_attr(int vcpu_id, uint32_t info, uint32_t intid);
int level_read(int fd, int vcpu_id, uint32_t intid, uint32_t *val);
int level_write(int fd, int vcpu_id, uint32_t intid, uint32_t val);

/* Number of AP0R/AP1R registers implied by ICC_CTLR_EL1.PRIbits. */
int icc_nr_apr(uint64_t icc_ctlr);

/*
 * A vCPU whose guest spins until released, run in a thread.
 * vgic_vm_create(n, spin_guest_code) then spinner_start(v, idx).
 */
void spin_guest_code(void);
struct spinner {
	struct vgic_vm *v;
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	int run_ret;
	int exit_ucall;
	int finished;
};
void spinner_start(struct spinner *s, struct vgic_vm *v, int vcpu_idx);
/* Release the guest and join; returns the ucall the vCPU ended with. */
int spinner_stop(struct spinner *s);

/* Deterministic PRNG for the fuzz and state generators. */
uint64_t vgic_rand64(uint64_t *state);

#endif
