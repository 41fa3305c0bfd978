/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture of the ITS KUnit suites: a fake VM (host/fake_host_test.h)
 * with an ITS whose LPI layer is a recorder, so that a test can check what
 * a command asked of the vGICv3.
 *
 * Guest memory layout (all within FX_MEM):
 *   FX_CMDQ  command queue, 4K (128 commands)
 *   FX_DT    device table, one 64K page (8192 DTEs) or the L1 table
 *   FX_CT    collection table, one 64K page (8192 CTEs)
 *   FX_L2    a level-2 device table page
 *   FX_ITT() one 4K ITT per DeviceID below 64
 */
#ifndef __KVM_VGIC3_ITS_TEST_H
#define __KVM_VGIC3_ITS_TEST_H

#include <kunit/test.h>
#include <linux/kvm_vgic3.h>
#include <asm/kvm.h>
#include "../host/fake_host_test.h"
#include "../vgic/api.h"
#include "api.h"
#include "its.h"

#define FX_MEM		SZ_2M
#define FX_BASE		0x8000000ULL
#define FX_CMDQ		0x10000ULL
#define FX_DT		0x20000ULL
#define FX_CT		0x30000ULL
#define FX_L2		0x40000ULL
#define FX_ITT(d)	(0x100000ULL + (u64)(d) * 0x1000)
#define FX_LPI		8192
#define FAKE_NR_LPIS	1024

/* The recording LPI layer: state per INTID from 8192. */
struct fake_lpi {
	int refs[FAKE_NR_LPIS];
	unsigned int target[FAKE_NR_LPIS];
	bool pending[FAKE_NR_LPIS];
	unsigned int nr_inv;
	u32 last_inv;
	unsigned int nr_invall;
	unsigned int invall_vcpu;
	unsigned int nr_movall;
	u32 nr_intids;		/* 0: 2^16, GICR_PROPBASER.IDbits = 15 */
	bool lpis_off;		/* no redistributor takes LPIs */
};

struct its_fx {
	struct kunit *test;
	struct fake_vm *vm;
	struct vgic3_its *its;
	struct fake_lpi lpi;
};

/* --- Commands ------------------------------------------------------------ */

struct fx_cmd {
	u64 w[4];
};

/*
 * The ITS holds an LPI by the pointer get returned: here, a token that is
 * the address of the INTID's reference count.
 */
struct vgic_irq *fake_lpi_token(struct fake_lpi *l, u32 intid);

extern const struct its_lpi_ops fake_lpi_ops;

int fx_refs(struct its_fx *fx, u32 intid);

unsigned int fx_target(struct its_fx *fx, u32 intid);

bool fx_pending(struct its_fx *fx, u32 intid);

/* Lookups for the checks: the ITS lock, as its_find_*() want it. */
struct its_dev *fx_find_dev(struct vgic3_its *its, u32 devid);

struct its_ite *fx_find_ite(struct vgic3_its *its, u32 devid, u32 event);

struct its_coll *fx_find_coll(struct vgic3_its *its, u32 icid);

void fx_destroy_its(void *p);

/* A second ITS on the same VM and LPI recorder (restore targets). */
struct vgic3_its *fx_new_its(struct its_fx *fx);

int its_set_reg(struct vgic3_its *its, u64 off, u64 val);

u64 its_get_reg(struct vgic3_its *its, u64 off);

int its_ctrl_attr(struct vgic3_its *its, u64 attr);

u64 its_info_attr(struct vgic3_its *its, u64 attr);

/* The ITS's base address (KVM_VGIC_ITS_ADDR_TYPE), read successfully. */
u64 its_addr_attr(struct kunit *test, struct vgic3_its *its);

/* Program CBASER (4K queue) and both BASERs; @l2 makes BASER0 two-level. */
void fx_program(struct its_fx *fx, struct vgic3_its *its, bool two_level);

/* An ITS at FX_BASE, programmed, enabled unless @enable is false. */
struct its_fx *fx_new(struct kunit *test, unsigned int vcpus,
		      bool two_level, bool enable);

struct its_fx *fx_simple(struct kunit *test);

/* An ITS on a fresh one-vCPU VM, with no address yet: no frame mapped. */
struct its_fx *fx_unplaced(struct kunit *test);

struct fx_cmd c_mapd(u32 dev, u8 nbits, u64 itt, bool v);

struct fx_cmd c_mapc(u32 icid, u32 rd, bool v);

struct fx_cmd c_mapti(u32 dev, u32 ev, u32 intid, u32 icid);

struct fx_cmd c_mapi(u32 dev, u32 ev, u32 icid);

/* MOVI, DISCARD, CLEAR, INT, INV: DeviceID, EventID (and ICID). */
struct fx_cmd c_dev_ev(u8 nr, u32 dev, u32 ev, u32 icid);

struct fx_cmd c_invall(u32 icid);

struct fx_cmd c_movall(u32 from, u32 to);

/* Run one command directly; its result (0, E_ITS_* or -errno). */
int fx_run_its(struct vgic3_its *its, struct fx_cmd c);

int fx_run(struct its_fx *fx, struct fx_cmd c);

void fx_mmio_write(struct vgic3_its *its, u64 off, unsigned int len, u64 val);

u64 fx_mmio_read(struct vgic3_its *its, u64 off, unsigned int len);

/* Put @c in the queue at CWRITER and publish it with a guest store. */
void fx_queue(struct its_fx *fx, struct fx_cmd c);

/*
 * The @n commands @c at CWRITER (the queue at FX_CMDQ, of the size
 * GITS_CBASER says), then one guest store of CWRITER.
 */
void fx_queue_batch(struct its_fx *fx, const struct fx_cmd *c,
		    unsigned int n);

/* Device @dev (@nbits EventID bits), collection @icid on @vcpu. */
void fx_map_dev_coll(struct its_fx *fx, u32 dev, u8 nbits, u32 icid, u32 vcpu);

#endif /* __KVM_VGIC3_ITS_TEST_H */
