/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual ITS: state shared by the files under its/.
 *
 *   its.c       one ITS (the KVM device): create/destroy, attribute groups,
 *               reset, debugfs view
 *   regs.c      register descriptor table, guest MMIO and ITS_REGS dispatch
 *   cmd.c       command queue, one handler per command, MSI injection
 *   mappings.c  the ITS's authoritative state: mapped devices (struct
 *               its_dev, one per DeviceID), their ITEs and the collections
 *   tables.c    DTE/ITE/CTE codecs, table walker, SAVE/RESTORE_TABLES
 *   doorbell.c  the translations KVM's core delivers MSIs through
 *
 * Locking: one mutex per ITS (struct vgic3_its.lock) guards all the state
 * below except @base/@mapped, which @addr_lock guards. The MMIO bus is
 * never (un)mapped and vCPUs are never locked with @lock held: a vCPU in
 * an ITS MMIO handler holds the bus and waits for @lock. The LPI layer is
 * called with @lock held (lock order: host/host.h).
 */
#ifndef __KVM_VGIC3_ITS_H
#define __KVM_VGIC3_ITS_H

#include <linux/irqchip/arm-gic-v3.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include "../host/host.h"
#include "../regs/regs.h"
#include "../vgic/lpi.h"

struct seq_file;
struct vgic3;
struct vgic_irq;

/* GITS_TYPER, as the in-kernel ITS advertises it. */
#define ITS_DEVID_BITS		16
#define ITS_EVENTID_BITS	16
#define ITS_ICID_BITS		16	/* GITS_TYPER.CIL == 0 */
#define ITS_MAX_DEVID		(BIT(ITS_DEVID_BITS) - 1)

/* Table ABI revision 0: every entry (DTE, ITE, CTE, L1) is 8 bytes. */
#define ITS_ABI_REV_0		0
#define ITS_NR_ABI_REVS		1
#define ITS_ESZ			8
#define ITS_L2_DTES		(SZ_64K / ITS_ESZ)	/* DTEs per L2 page */
#define ITS_DTE_MAX_NEXT	(BIT(14) - 1)
#define ITS_ITE_MAX_NEXT	(BIT(16) - 1)

#define ITS_CMD_SIZE		32
#define ITS_FRAME_SIZE		(2 * SZ_64K)	/* control + translation */

/* Collection target of a collection created by MAPTI before its MAPC. */
#define ITS_TARGET_NONE		U32_MAX

/**
 * struct its_lpi_ops - the LPI layer (vgic/lpi.h), as an ops table so that
 * KUnit can observe what the ITS asks of it; each op is named after the
 * vgic3_lpi_*() function it is bound to
 */
struct its_lpi_ops {
	struct vgic_irq *(*get)(struct vgic3 *gic, u32 intid,
				unsigned int vcpu, bool *lpis_on);
	unsigned int (*get_run)(struct vgic3 *gic, const u32 *intids,
				unsigned int n, unsigned int vcpu,
				struct vgic_irq **irqs, int *err);
	void (*put)(struct vgic3 *gic, struct vgic_irq *irq);
	void (*put_later)(struct vgic3 *gic, struct vgic3_lpi_puts *p,
			  struct vgic_irq *irq);
	void (*put_flush)(struct vgic3 *gic, struct vgic3_lpi_puts *p);
	int (*retarget)(struct vgic3 *gic, struct vgic_irq *irq,
			unsigned int vcpu);
	int (*pend)(struct vgic3 *gic, struct vgic_irq *irq, bool pending);
	int (*reload)(struct vgic3 *gic, struct vgic_irq *irq);
	int (*invall)(struct vgic3 *gic, unsigned int vcpu);
	int (*movall)(struct vgic3 *gic, unsigned int from, unsigned int to);
	u32 (*nr_intids)(struct vgic3 *gic);
	int (*config_readable)(struct vgic3 *gic, u32 intid);
	bool (*enabled_on)(struct vgic3 *gic, unsigned int vcpu);
	unsigned int (*nr_vcpus)(struct vgic3 *gic);
};

/**
 * struct its_coll - a collection
 * @icid: ICID
 * @target: vCPU index (RDbase, PTA=0), or ITS_TARGET_NONE
 * @ites: the ITEs routed through this collection (struct its_ite.coll_node)
 * @node: in struct vgic3_its.coll_order, creation order (the save order)
 */
struct its_coll {
	u32 icid;
	u32 target;
	struct list_head ites;
	struct list_head node;
};

/**
 * struct its_ite - an interrupt translation entry
 * @dev: owning device
 * @event: EventID
 * @intid: pINTID
 * @coll: collection; NULL once MAPC V=0 dropped it (a dangling ICID)
 * @coll_node: in @coll's ITE list
 * @irq: the LPI, once routed: holds the reference its_lpi_ops.get took
 * @cached: the frame's translation cache holds (@dev, @event) -> @irq
 *	(its_doorbell_route()); a bit of @intid's word, which a pINTID
 *	never fills, so that the ITE stays 48 bytes
 */
struct its_ite {
	struct its_dev *dev;
	u32 event;
	u32 intid : 31;
	u32 cached : 1;
	struct its_coll *coll;
	struct list_head coll_node;
	struct vgic_irq *irq;
};

/**
 * struct its_dev - a mapped DeviceID
 * @id: DeviceID
 * @nbits: EventID bits (MAPD Size + 1)
 * @itt: ITT guest physical address
 * @ites: struct its_ite by EventID
 * @nr_ites: entries in @ites
 */
struct its_dev {
	u32 id;
	u8 nbits;
	u64 itt;
	struct xarray ites;
	unsigned int nr_ites;
};

/**
 * struct vgic3_its - one virtual ITS
 * @lock: guards everything but @base and @mapped; @creadr is written
 *	  under it (WRITE_ONCE()) and read without it by a guest's poll
 * @gic: the VM's vGICv3 (passed to the LPI layer)
 * @host: the VM
 * @lpi: the LPI layer
 * @addr_lock: guards @base and @mapped (@mapped is set under @lock too,
 *	       which the doorbell reads it under)
 * @base: control frame address, VGIC3_ADDR_UNDEF until set
 * @mapped: @region is on the MMIO bus
 * @region: the 128K frame
 * @enabled: GITS_CTLR.Enabled
 * @abi_rev: GITS_IIDR.Revision, the table ABI
 * @cbaser: GITS_CBASER
 * @creadr: GITS_CREADR
 * @cwriter: GITS_CWRITER
 * @baser_dev: GITS_BASER0, device table
 * @baser_coll: GITS_BASER1, collection table
 * @devs: struct its_dev by DeviceID
 * @colls: struct its_coll by ICID
 * @coll_order: collections in creation order
 * @nr_devs: entries in @devs
 * @nr_colls: entries in @colls
 * @iidr_restored: userspace wrote GITS_IIDR (restore order check)
 * @creadr_restored: userspace wrote GITS_CREADR (restore order check)
 * @nr_cmds: commands processed
 * @nr_cmd_errors: commands that failed an architected check
 * @nr_msis: successful translations (GRP_MSI, GITS_TRANSLATER); atomic, as
 *	     a hit in the translations KVM's MSI paths use takes no lock
 * @listener: hears of EnableLPIs changes (doorbell.c)
 */
/*
 * Why the last KVM_DEV_ARM_ITS_RESTORE_TABLES failed: the entry it stopped
 * at, for the log line and debugfs. @err 0: it succeeded, or none ran.
 */
struct its_restore_err {
	int err;
	const char *entry;	/* "CTE", "L1 entry", "DTE" or "ITE" */
	u32 id;			/* its ICID, L1 index, DeviceID or EventID */
	u32 devid;		/* an ITE's DeviceID */
	u64 gpa;
	u64 raw;
	const char *why;
};

/* ITEs a DISCARD run gives back to the slab at once. */
#define ITS_FREED_BATCH	32

/* Commands read from the queue at once (its_process_commands()). */
#define ITS_CMDQ_WINDOW	16

/**
 * struct its_cmdq_window - commands read ahead, during one command batch
 * @off: queue offset of @cmd[0]
 * @nr: commands in @cmd; 0 when there is no window
 * @writes: the host's guest-write count when they were read, or when the
 *	ITS's own write since was found not to touch them
 * @cmd: the commands as read
 */
struct its_cmdq_window {
	u64 off;
	unsigned int nr;
	s64 writes;
	u64 cmd[ITS_CMDQ_WINDOW][4];
};

/* The most ITT bytes one deferred clear writes (its_clear_entry()). */
#define ITS_CLEAR_MAX	SZ_1K

/**
 * struct its_itt_clear - ITT entries DISCARD cleared, not yet written
 * @batch: a command batch runs (its_process_commands()): clears may wait
 * @gpa: the first entry waiting
 * @len: bytes waiting from @gpa, 0 when none
 */
struct its_itt_clear {
	bool batch;
	u64 gpa;
	u32 len;
};

struct vgic3_its {
	struct mutex lock;		/* see above */
	struct vgic3 *gic;
	struct vgic3_host *host;
	const struct its_lpi_ops *lpi;

	struct mutex addr_lock;		/* @base, @mapped */
	u64 base;
	bool mapped;
	struct vgic3_mmio_region region;

	bool enabled;
	u32 abi_rev;
	u64 cbaser;
	u64 creadr;
	u64 cwriter;
	u64 baser_dev;
	u64 baser_coll;

	struct xarray devs;
	struct xarray colls;
	struct list_head coll_order;
	unsigned int nr_devs;
	unsigned int nr_colls;

	bool iidr_restored;
	bool creadr_restored;

	u64 nr_cmds;
	u64 nr_cmd_errors;
	atomic64_t nr_msis;
	struct its_restore_err restore_err;
	struct vgic3_lpi_listener listener;

	struct its_cmdq_window win;
	struct its_itt_clear clear;

	/*
	 * DISCARDed ITEs, back to the slab together (its_ite_flush_freed());
	 * those from @nr_erased on are still in their devices' ITEs
	 */
	unsigned int nr_freed;
	unsigned int nr_erased;
	struct its_ite *freed[ITS_FREED_BATCH];
	/* their LPIs, out of lpi_xa together (its_discard_flush()) */
	struct vgic3_lpi_puts puts;
};

/* The vGICv3's one vCPU count (vgic3_nr_vcpus()): RDbase is below it. */
static inline unsigned int its_nr_vcpus(struct vgic3_its *its)
{
	return its->lpi->nr_vcpus(its->gic);
}

static inline bool its_coll_is_mapped(const struct its_coll *coll)
{
	return coll && coll->target != ITS_TARGET_NONE;
}

/* its.c */
struct vgic3_its *its_alloc(struct vgic3 *gic, struct vgic3_host *host,
			    const struct its_lpi_ops *lpi);
void its_reset(struct vgic3_its *its);

/*
 * RESTORE_TABLES makes ITEs a run at a time (its_ite_new_run()): up to
 * ITS_ITE_RUN of one device, in increasing EventID order.
 */
#define ITS_ITE_RUN	32

/* What its_ite_new() is given, for one ITE of a run. */
struct its_ite_spec {
	u32 event;
	u32 intid;
	struct its_coll *coll;
};

/* ITEs allocated ahead, ITS_ITE_RUN at a time: its_ite_new_run(). */
struct its_ite_pool {
	unsigned int nr;
	void *ite[ITS_ITE_RUN];
};

/* mappings.c */
struct its_dev *its_find_dev(struct vgic3_its *its, u32 devid);
struct its_ite *its_find_ite(struct vgic3_its *its, u32 devid, u32 event);
struct its_coll *its_find_coll(struct vgic3_its *its, u32 icid);
struct its_dev *its_dev_new(struct vgic3_its *its, u32 devid, u64 itt,
			    u8 nbits);
void its_dev_free(struct vgic3_its *its, struct its_dev *dev);
void its_free_all_devs(struct vgic3_its *its);
struct its_coll *its_coll_new(struct vgic3_its *its, u32 icid, u32 target);
void its_coll_free(struct vgic3_its *its, struct its_coll *coll);
void its_free_all_colls(struct vgic3_its *its);
struct its_ite *its_ite_new(struct vgic3_its *its, struct its_dev *dev,
			    u32 event, u32 intid, struct its_coll *coll);
unsigned int its_ite_new_run(struct vgic3_its *its, struct its_ite_pool *pool,
			     struct its_dev *dev,
			     const struct its_ite_spec *spec, unsigned int n,
			     int *err);
void its_ite_pool_drain(struct its_ite_pool *pool);
void its_ite_free(struct vgic3_its *its, struct its_ite *ite);
bool its_ite_discard(struct vgic3_its *its, u32 devid, u32 event, u64 *gpa);
void its_ite_flush_freed(struct vgic3_its *its);
void its_ite_erase_discarded(struct vgic3_its *its);
void its_ite_set_coll(struct its_ite *ite, struct its_coll *coll);
int its_ite_route(struct vgic3_its *its, struct its_ite *ite);
int its_coll_route(struct vgic3_its *its, struct its_coll *coll);

/* doorbell.c: what KVM's core delivers MSIs through */
int its_doorbell_routed(struct vgic3_its *its, struct its_ite *ite,
			bool lpis_on);
void its_doorbell_forget(struct vgic3_its *its, struct its_ite *ite);
int its_doorbell_sync(struct vgic3_its *its);
void its_doorbell_listen(struct vgic3_its *its);
void its_doorbell_unlisten(struct vgic3_its *its);

/* tables.c: codecs (ABI rev 0) */
struct its_dte {
	bool valid;
	u32 next;
	u64 itt;
	u8 nbits;
};

struct its_ite_entry {
	u32 next;
	u32 intid;	/* 0: invalid entry */
	u16 icid;
};

struct its_cte {
	bool valid;
	u32 target;
	u16 icid;
};

u64 its_dte_encode(const struct its_dte *e);
void its_dte_decode(u64 raw, struct its_dte *e);
u64 its_ite_encode(const struct its_ite_entry *e);
void its_ite_decode(u64 raw, struct its_ite_entry *e);
u64 its_cte_encode(const struct its_cte *e);
void its_cte_decode(u64 raw, struct its_cte *e);
bool its_l1e_decode(u64 raw, u64 *l2);

/* tables.c: guest tables */
bool its_table_entry(struct vgic3_its *its, u64 baser, u32 id, u64 *gpa);
bool its_itt_entry(struct vgic3_its *its, struct its_dev *dev, u32 event,
		   u64 *gpa);
int its_write_entry(struct vgic3_its *its, u64 gpa, u64 val);
int its_clear_entry(struct vgic3_its *its, u64 gpa);
void its_clear_flush(struct vgic3_its *its);
void its_clear_before_read(struct vgic3_its *its, u64 gpa, u64 len);
int its_save_tables(struct vgic3_its *its);
int its_restore_tables(struct vgic3_its *its);
/* Enough for its_restore_err_print() of any entry. */
#define ITS_RESTORE_ERR_LEN	160
void its_restore_err_print(const struct its_restore_err *e, char *buf,
			   size_t size);

/* cmd.c */

/*
 * Queue size in bytes: GITS_CBASER.Size is 4K pages minus one. Inline:
 * every CWRITER store asks.
 */
static inline u64 its_cmdq_size(u64 cbaser)
{
	return ((cbaser & 0xff) + 1) * SZ_4K;
}

void its_process_commands(struct vgic3_its *its);
int its_handle_command(struct vgic3_its *its, const u64 *cmd);
const char *its_error_name(int err);
int its_inject_msi(struct vgic3_its *its, u32 devid, u32 event);

/* regs.c */
int its_reg_check_offset(u64 offset);
bool its_reg_exists(u64 offset);
int its_reg_uaccess(struct vgic3_its *its, u64 offset, u64 *val,
		    bool is_write);
void its_mmio_read(struct vgic3_mmio_region *r, int vcpu, u64 offset,
		   unsigned int len, void *val);
void its_mmio_write(struct vgic3_mmio_region *r, int vcpu, u64 offset,
		    unsigned int len, const void *val);
u64 its_initial_baser(u64 type);

#endif /* __KVM_VGIC3_ITS_H */
