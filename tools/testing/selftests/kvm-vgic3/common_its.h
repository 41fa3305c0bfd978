/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the ITS selftests (its_*_test.c): a VM with a vGICv3 and
 * an ITS, a memslot holding the ITS tables, the command queue, the ITTs and
 * the LPI property/pending tables, host-side command encoding and ITS_REGS
 * access. Everything here goes through the device ABI only, so it serves the
 * in-kernel ITS and kvm_vgic3.ko alike.
 */
#ifndef KVM_VGIC3_SELFTEST_COMMON_ITS_H
#define KVM_VGIC3_SELFTEST_COMMON_ITS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <linux/sizes.h>

#include "kvm_util.h"
#include "gic.h"
#include "gic_v3.h"
#include "vgic.h"

#ifndef GITS_CMD_INT
#define GITS_CMD_INT		0x03
#endif
#ifndef GITS_CMD_CLEAR
#define GITS_CMD_CLEAR		0x04
#endif
#ifndef GITS_CMD_SYNC
#define GITS_CMD_SYNC		0x05
#endif
#ifndef GITS_CMD_INV
#define GITS_CMD_INV		0x0c
#endif
#ifndef GITS_CMD_INVALL
#define GITS_CMD_INVALL		0x0d
#endif
#ifndef GITS_CMD_MOVALL
#define GITS_CMD_MOVALL		0x0e
#endif

/* Each VM costs seconds under TCG on a loaded host: per-test timeout of the
 * kselftest harness (30 s by default) raised for the ITS tests. */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300
#endif

#define ITS_NR_VCPUS_MAX	4

/* Layout of the ITS memslot, offsets from its_env.mem_gpa (all 64K pages). */
#define ITS_OFF_DT		0x000000	/* device table, 2 pages */
#define ITS_OFF_CT		0x020000	/* collection table, 1 page */
#define ITS_OFF_CMDQ		0x030000	/* command queue, 1 page (64K) */
#define ITS_OFF_ITT		0x040000	/* ITTs, 4K each, 32 of them */
#define ITS_OFF_PROP		0x060000	/* LPI property table, 1 page */
#define ITS_OFF_PEND		0x070000	/* pending tables, 1 page/vCPU */
#define ITS_OFF_L2		0x0b0000	/* 2-level device table L2 pages */
#define ITS_OFF_SCRATCH		0x0f0000	/* 1 page, free for tests */
#define ITS_MEM_SIZE		0x100000
#define ITS_ITT_STRIDE		0x1000
#define ITS_NR_EVENT_BITS	4		/* MAPD size field: 16 events */

#define ITS_LPI(n)		(8192 + (n))

struct its_env {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpus[ITS_NR_VCPUS_MAX];
	int nr_vcpus;
	int gic_fd;
	int its_fd;
	vm_paddr_t mem_gpa;
	uint8_t *mem;			/* host view of the memslot */
	uint64_t cmdq_size;		/* in bytes, as programmed in CBASER */
};

/* VM with nr_vcpus vCPUs running guest_code (may be NULL: a spinning stub),
 * a vGICv3 (initialised), an ITS at GITS_BASE_GPA, the ITS memslot mapped 1:1
 * in the guest, and PROPBASER/PENDBASER programmed from the host (16 ID bits,
 * LPIs not enabled). */
struct its_env *its_env_create(int nr_vcpus, void *guest_code);
/* As above with no guest: vCPUs that cannot run, no guest memory but the
 * ITS memslot (not mapped in the guest), GIC and ITS frames not mapped. For
 * VMs created by the thousand (the lifecycle soak). */
struct its_env *its_env_create_light(int nr_vcpus);
/* As its_env_create() without the ITS device (created by the caller). */
struct its_env *its_env_create_noits(int nr_vcpus, void *guest_code);
void its_env_free(struct its_env *e);

static inline void *its_hva(struct its_env *e, uint64_t off)
{
	return e->mem + off;
}
static inline vm_paddr_t its_gpa(struct its_env *e, uint64_t off)
{
	return e->mem_gpa + off;
}
static inline vm_paddr_t its_itt_gpa(struct its_env *e, int dev)
{
	return its_gpa(e, ITS_OFF_ITT + (uint64_t)dev * ITS_ITT_STRIDE);
}

/* ITS_REGS access. The __ variants return 0 or -errno. */
int __its_reg_get(int fd, uint64_t off, uint64_t *val);
int __its_reg_set(int fd, uint64_t off, uint64_t val);
uint64_t its_reg_get(int fd, uint64_t off);
void its_reg_set(int fd, uint64_t off, uint64_t val);
int __its_ctrl(int fd, uint64_t attr);	/* SET GRP_CTRL attr; 0 or -errno */
void its_ctrl(int fd, uint64_t attr);
int __its_save(int fd);
int __its_restore(int fd);
int __its_reset(int fd);
int __gic_save_pending(int gic_fd);

/* GICR registers through REDIST_REGS (u32 halves). */
void its_redist_set64(struct its_env *e, int vcpu, uint32_t off, uint64_t val);
uint64_t its_redist_get64(struct its_env *e, int vcpu, uint32_t off);
/* Program PROPBASER (16 ID bits) and PENDBASER of every vCPU. */
void its_env_program_lpi_tables(struct its_env *e);
/* GICR_CTLR.EnableLPIs = 1 on every vCPU (needed by INT/MSI delivery). */
void its_env_enable_lpis(struct its_env *e);
/* Property table byte of an LPI (priority 0xa0, group 1, enabled). */
void its_env_config_lpis(struct its_env *e, int nr);

/* BASER/CBASER values for the layout above. */
uint64_t its_baser_dt(struct its_env *e, bool indirect, int pages);
uint64_t its_baser_ct(struct its_env *e, int pages);
uint64_t its_cbaser(struct its_env *e, int pages4k);
/* BASER0/1 + CBASER (64K queue) + CTLR.Enable through ITS_REGS. */
void its_env_setup_its(struct its_env *e);
void its_env_setup_its_2l(struct its_env *e);

/* Command encoding (host side, little-endian). */
struct its_cmd {
	uint64_t raw[4];
};
struct its_cmd its_cmd_mapd(uint32_t dev, vm_paddr_t itt, int size_m1, bool v);
struct its_cmd its_cmd_mapc(uint32_t icid, uint32_t vcpu, bool v);
struct its_cmd its_cmd_mapti(uint32_t dev, uint32_t ev, uint32_t lpi, uint32_t icid);
struct its_cmd its_cmd_mapi(uint32_t dev, uint32_t ev, uint32_t icid);
struct its_cmd its_cmd_movi(uint32_t dev, uint32_t ev, uint32_t icid);
struct its_cmd its_cmd_dev_ev(uint8_t op, uint32_t dev, uint32_t ev);
struct its_cmd its_cmd_invall(uint32_t icid);
struct its_cmd its_cmd_sync(uint32_t vcpu);
struct its_cmd its_cmd_movall(uint32_t from, uint32_t to);

/* Append a command at CWRITER and write CWRITER (ITS_REGS); asserts that
 * CREADR == CWRITER afterwards. */
void its_send(struct its_env *e, struct its_cmd c);
void its_sendv(struct its_env *e, const struct its_cmd *c, int n);

/* The command queue's size in bytes: GITS_CBASER.Size is 4K pages minus one. */
static inline uint64_t its_cmdq_bytes(uint64_t cbaser)
{
	return ((cbaser & 0xff) + 1) * SZ_4K;
}

/*
 * Guest code: one command through the queue, as a guest OS sends it.
 * Returns whether CREADR caught up within max_reads reads; *cwriter moves
 * on either way. See common_its.c.
 */
bool its_guest_send(uint64_t cmdq_gva, uint64_t size, uint64_t *cwriter,
		    const struct its_cmd *c, uint64_t max_reads);
/* A bound for max_reads: a command still not consumed is lost. */
#define ITS_GUEST_SEND_READS	100000

/* A fixed programming: collections 0..nr_vcpus-1, devices 0..ndev-1 with
 * nev events each, LPI ITS_LPI(dev * 16 + ev), collection (dev+ev) % ncpus. */
void its_env_program_std(struct its_env *e, int ndev, int nev);

/* Entries as saved in guest memory. */
static inline uint64_t its_dte(struct its_env *e, int dev)
{
	return ((uint64_t *)its_hva(e, ITS_OFF_DT))[dev];
}
static inline uint64_t its_ite(struct its_env *e, int dev, int ev)
{
	return ((uint64_t *)(e->mem + ITS_OFF_ITT + dev * ITS_ITT_STRIDE))[ev];
}
static inline uint64_t its_cte(struct its_env *e, int i)
{
	return ((uint64_t *)its_hva(e, ITS_OFF_CT))[i];
}
static inline uint64_t mk_dte(int next, vm_paddr_t itt, int size_m1)
{
	return (1ULL << 63) | ((uint64_t)next << 49) | ((itt >> 8) << 5) | size_m1;
}
static inline uint64_t mk_ite(int next, uint32_t lpi, uint16_t icid)
{
	return ((uint64_t)next << 48) | ((uint64_t)lpi << 16) | icid;
}
static inline uint64_t mk_cte(uint32_t rd, uint16_t icid)
{
	return (1ULL << 63) | ((uint64_t)rd << 16) | icid;
}

/*
 * An MSI (devid, event) from userspace, on the path each implementation
 * serves: the in-kernel vgic's KVM_SIGNAL_MSI (> 0 delivered, 0 blocked by
 * the guest's tables), the module's KVM_DEV_ARM_VGIC3_GRP_MSI (0 pending,
 * -ENOENT no translation), which KVM_SIGNAL_MSI never reaches. Normalised
 * to KVM_SIGNAL_MSI's 1 / 0 / -errno.
 */
int its_signal_msi(struct its_env *e, uint32_t devid, uint32_t event);

/* Is LPI intid pending in the pending table of vcpu (host view)? */
bool its_lpi_pending_bit(struct its_env *e, int vcpu, uint32_t intid);

/* Hex dump of a memory range on one line: "TABLES <name> <hex>". */
void its_dump_hex(const char *name, const void *p, size_t len);

/* The ITS registers a VMM saves, in QEMU's order of restore. */
struct its_regs {
	uint64_t iidr, cbaser, creadr, cwriter, baser[8], ctlr;
};
void its_regs_save(int fd, struct its_regs *r);
/* IIDR, CBASER, CREADR, CWRITER, BASER0-7, RESTORE_TABLES, CTLR; returns
 * the RESTORE_TABLES result (0 or -errno); CTLR is only written on 0. */
int its_regs_restore(int fd, const struct its_regs *r);
/* Its first part: every register but GITS_CTLR, in the documented order. */
void its_regs_restore_but_ctlr(int fd, const struct its_regs *r);

#endif
