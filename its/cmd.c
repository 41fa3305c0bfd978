// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS command queue and its commands.
 *
 * Commands run synchronously, from the CWRITER (or CTLR) write that makes
 * them visible: when that write returns, CREADR == CWRITER. Each handler
 * decodes its fields, checks every architected error in the order the
 * in-kernel ITS does, then acts. A failed check returns the ITS error code
 * (E_ITS_*), which is counted and traced; as in KVM, the guest does not see
 * it (CREADR moves on, the ITS does not stall).
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include "../vgic/lpi.h"
#include "its.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/* Command fields (Arm IHI 0069, 5.13), in the four little-endian words. */
#define CMD_NR		GENMASK_ULL(7, 0)	/* word 0 */
#define CMD_DEVID	GENMASK_ULL(63, 32)	/* word 0 */
#define CMD_SIZE	GENMASK_ULL(4, 0)	/* word 1 */
#define CMD_EVENTID	GENMASK_ULL(31, 0)	/* word 1 */
#define CMD_PINTID	GENMASK_ULL(63, 32)	/* word 1 */
#define CMD_ICID	GENMASK_ULL(15, 0)	/* word 2 */
#define CMD_ITT		GENMASK_ULL(51, 8)	/* word 2 */
#define CMD_RDBASE	GENMASK_ULL(47, 16)	/* words 2 and 3 */
#define CMD_VALID	BIT_ULL(63)		/* word 2 */

struct its_cmd {
	u64 w[4];
};

static u32 cmd_devid(const struct its_cmd *c)
{
	return FIELD_GET(CMD_DEVID, c->w[0]);
}

static u32 cmd_event(const struct its_cmd *c)
{
	return FIELD_GET(CMD_EVENTID, c->w[1]);
}

static u32 cmd_icid(const struct its_cmd *c)
{
	return FIELD_GET(CMD_ICID, c->w[2]);
}

static u32 cmd_rdbase(const struct its_cmd *c, int word)
{
	return FIELD_GET(CMD_RDBASE, c->w[word]);
}

static bool cmd_valid(const struct its_cmd *c)
{
	return FIELD_GET(CMD_VALID, c->w[2]);
}

/* --- Commands ----------------------------------------------------------- */

static __vgic3_hot int its_cmd_mapd(struct vgic3_its *its,
				    const struct its_cmd *c)
{
	u32 devid = cmd_devid(c);
	u8 nbits = FIELD_GET(CMD_SIZE, c->w[1]) + 1;
	u64 itt = FIELD_GET(CMD_ITT, c->w[2]) << 8;
	bool valid = cmd_valid(c);
	struct its_dev *dev;
	u64 gpa;

	if (!its_table_entry(its, its->baser_dev, devid, &gpa))
		return E_ITS_MAPD_DEVICE_OOR;
	if (valid && nbits > ITS_EVENTID_BITS)
		return E_ITS_MAPD_ITTSIZE_OOR;

	/* A remap invalidates everything cached for the device. */
	dev = its_find_dev(its, devid);
	if (dev)
		its_dev_free(its, dev);

	if (!valid)
		return its_write_entry(its, gpa, 0);
	return PTR_ERR_OR_ZERO(its_dev_new(its, devid, itt, nbits));
}

static __vgic3_hot int its_cmd_mapc(struct vgic3_its *its,
				    const struct its_cmd *c)
{
	u32 icid = cmd_icid(c);
	u32 target = cmd_rdbase(c, 2);
	struct its_coll *coll = its_find_coll(its, icid);

	if (!cmd_valid(c)) {
		if (coll)
			its_coll_free(its, coll);
		return 0;
	}
	if (target >= its_nr_vcpus(its))
		return E_ITS_MAPC_PROCNUM_OOR;
	if (coll) {
		coll->target = target;
		return its_coll_route(its, coll);
	}
	if (!its_table_entry(its, its->baser_coll, icid, NULL))
		return E_ITS_MAPC_COLLECTION_OOR;
	return PTR_ERR_OR_ZERO(its_coll_new(its, icid, target));
}

/*
 * The LPI range the property table covers: GICR_PROPBASER.IDbits, capped
 * by GICD_TYPER.IDbits (as the in-kernel ITS's max_lpis_propbaser()).
 */
static bool its_lpi_in_range(struct vgic3_its *its, u32 intid)
{
	return intid >= VGIC3_LPI_BASE && intid < its->lpi->nr_intids(its->gic);
}

/*
 * MAPTI/MAPI's architected checks, in the in-kernel ITS's order; pure (no
 * state changes). A mapped EventID is not an error (see its_mapti_act()),
 * and its collection is then not checked.
 */
static int its_mapti_check(struct vgic3_its *its, struct its_dev *dev,
			   u32 event, u32 intid, u32 icid,
			   struct its_coll *coll)
{
	if (!dev)
		return E_ITS_MAPTI_UNMAPPED_DEVICE;
	if (!its_itt_entry(its, dev, event, NULL))
		return E_ITS_MAPTI_ID_OOR;
	if (!its_lpi_in_range(its, intid))
		return E_ITS_MAPTI_PHYSICALID_OOR;
	if (!coll && !xa_load(&dev->ites, event) &&
	    !its_table_entry(its, its->baser_coll, icid, NULL))
		return E_ITS_MAPC_COLLECTION_OOR;
	return 0;
}

/* MAPTI/MAPI's effect, once every check passed. */
static int its_mapti_act(struct vgic3_its *its, struct its_dev *dev,
			 u32 event, u32 intid, u32 icid, struct its_coll *coll)
{
	struct its_coll *new_coll = NULL;
	struct its_ite *ite;

	/* Mapping a mapped EventID is UNPREDICTABLE: keep the old ITE. */
	if (xa_load(&dev->ites, event))
		return 0;
	if (!coll) {
		/* Remembered, without a target until MAPC, as KVM does. */
		coll = its_coll_new(its, icid, ITS_TARGET_NONE);
		if (IS_ERR(coll))
			return PTR_ERR(coll);
		new_coll = coll;
	}
	ite = its_ite_new(its, dev, event, intid, coll);
	if (IS_ERR(ite)) {
		/* out of memory, or the LPI's tables unreadable */
		if (new_coll)
			its_coll_free(its, new_coll);
		return PTR_ERR(ite);
	}
	return 0;
}

/* MAPTI, and MAPI (whose pINTID is the EventID): decode, check, act. */
static __vgic3_hot int its_cmd_mapti(struct vgic3_its *its,
				     const struct its_cmd *c)
{
	u32 devid = cmd_devid(c), event = cmd_event(c), icid = cmd_icid(c);
	u32 intid = FIELD_GET(CMD_NR, c->w[0]) == GITS_CMD_MAPTI ?
		    FIELD_GET(CMD_PINTID, c->w[1]) : event;
	struct its_dev *dev = its_find_dev(its, devid);
	struct its_coll *coll = its_find_coll(its, icid);
	int ret;

	ret = its_mapti_check(its, dev, event, intid, icid, coll);
	return ret ?: its_mapti_act(its, dev, event, intid, icid, coll);
}

static __vgic3_hot int its_cmd_movi(struct vgic3_its *its,
				    const struct its_cmd *c)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(c), cmd_event(c));
	struct its_coll *coll;

	if (!ite)
		return E_ITS_MOVI_UNMAPPED_INTERRUPT;
	if (!its_coll_is_mapped(ite->coll))
		return E_ITS_MOVI_UNMAPPED_COLLECTION;
	coll = its_find_coll(its, cmd_icid(c));
	if (!its_coll_is_mapped(coll))
		return E_ITS_MOVI_UNMAPPED_COLLECTION;

	its_ite_set_coll(ite, coll);
	return its_ite_route(its, ite);
}

/* DISCARD also clears the ITE in guest memory (its_clear_entry()). */
static __vgic3_hot int its_cmd_discard(struct vgic3_its *its,
				       const struct its_cmd *c)
{
	u64 gpa;

	if (!its_ite_discard(its, cmd_devid(c), cmd_event(c), &gpa))
		return E_ITS_DISCARD_UNMAPPED_INTERRUPT;
	return its_clear_entry(its, gpa);
}

static __vgic3_hot int its_cmd_clear(struct vgic3_its *its,
				     const struct its_cmd *c)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(c), cmd_event(c));

	if (!ite)
		return E_ITS_CLEAR_UNMAPPED_INTERRUPT;
	if (!ite->irq)
		return 0;
	return its->lpi->pend(its->gic, ite->irq, false);
}

static __vgic3_hot int its_cmd_inv(struct vgic3_its *its,
				   const struct its_cmd *c)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(c), cmd_event(c));

	if (!ite)
		return E_ITS_INV_UNMAPPED_INTERRUPT;
	if (!ite->irq)
		return 0;
	return its->lpi->reload(its->gic, ite->irq);
}

/* The routed ITE an MSI (devid, event) hits, or NULL. */
static struct its_ite *its_resolve(struct vgic3_its *its, u32 devid, u32 event)
{
	struct its_ite *ite = its_find_ite(its, devid, event);

	if (!ite || !its_coll_is_mapped(ite->coll) || !ite->irq)
		return NULL;
	return ite;
}

static __vgic3_hot int its_cmd_int(struct vgic3_its *its,
				   const struct its_cmd *c)
{
	struct its_ite *ite = its_resolve(its, cmd_devid(c), cmd_event(c));

	if (!ite)
		return E_ITS_INT_UNMAPPED_INTERRUPT;
	return its->lpi->pend(its->gic, ite->irq, true);
}

static int its_cmd_invall(struct vgic3_its *its, const struct its_cmd *c)
{
	struct its_coll *coll = its_find_coll(its, cmd_icid(c));

	if (!its_coll_is_mapped(coll))
		return E_ITS_INVALL_UNMAPPED_COLLECTION;
	return its->lpi->invall(its->gic, coll->target);
}

/*
 * Every LPI of the VM targeting RDbase1 moves to RDbase2. The doorbell's
 * translations stay as they are: each names its LPI, whose target moves in
 * place, and what decides whether an ITE translates at all (the ITS
 * enabled, its collection mapped, EnableLPIs of the collection's target)
 * is not changed by MOVALL. (Rebuilding them all made a guest's MOVALL 4x
 * slower than the in-kernel ITS's, which only invalidates its cache.)
 */
static int its_cmd_movall(struct vgic3_its *its, const struct its_cmd *c)
{
	u32 from = cmd_rdbase(c, 2), to = cmd_rdbase(c, 3);
	unsigned int nr = its_nr_vcpus(its);

	if (from >= nr || to >= nr)
		return E_ITS_MOVALL_PROCNUM_OOR;
	if (from == to)
		return 0;
	return its->lpi->movall(its->gic, from, to);
}

/* We are always in sync: commands complete before CREADR moves. */
static __vgic3_exit int its_cmd_sync(struct vgic3_its *its,
				     const struct its_cmd *c)
{
	return 0;
}

struct its_cmd_desc {
	const char *name;
	int (*handle)(struct vgic3_its *its, const struct its_cmd *c);
};

static const struct its_cmd_desc its_cmds[] = {
	[GITS_CMD_MAPD]		= { "MAPD",	its_cmd_mapd },
	[GITS_CMD_MAPC]		= { "MAPC",	its_cmd_mapc },
	[GITS_CMD_MAPTI]	= { "MAPTI",	its_cmd_mapti },
	[GITS_CMD_MAPI]		= { "MAPI",	its_cmd_mapti },
	[GITS_CMD_MOVI]		= { "MOVI",	its_cmd_movi },
	[GITS_CMD_DISCARD]	= { "DISCARD",	its_cmd_discard },
	[GITS_CMD_CLEAR]	= { "CLEAR",	its_cmd_clear },
	[GITS_CMD_INT]		= { "INT",	its_cmd_int },
	[GITS_CMD_INV]		= { "INV",	its_cmd_inv },
	[GITS_CMD_INVALL]	= { "INVALL",	its_cmd_invall },
	[GITS_CMD_MOVALL]	= { "MOVALL",	its_cmd_movall },
	[GITS_CMD_SYNC]		= { "SYNC",	its_cmd_sync },
};

static const struct {
	int err;
	const char *name;
} its_errors[] = {
	{ E_ITS_MOVI_UNMAPPED_INTERRUPT,	"E_ITS_MOVI_UNMAPPED_INTERRUPT" },
	{ E_ITS_MOVI_UNMAPPED_COLLECTION,	"E_ITS_MOVI_UNMAPPED_COLLECTION" },
	{ E_ITS_INT_UNMAPPED_INTERRUPT,		"E_ITS_INT_UNMAPPED_INTERRUPT" },
	{ E_ITS_CLEAR_UNMAPPED_INTERRUPT,	"E_ITS_CLEAR_UNMAPPED_INTERRUPT" },
	{ E_ITS_MAPD_DEVICE_OOR,		"E_ITS_MAPD_DEVICE_OOR" },
	{ E_ITS_MAPD_ITTSIZE_OOR,		"E_ITS_MAPD_ITTSIZE_OOR" },
	{ E_ITS_MAPC_PROCNUM_OOR,		"E_ITS_MAPC_PROCNUM_OOR" },
	{ E_ITS_MAPC_COLLECTION_OOR,		"E_ITS_MAPC_COLLECTION_OOR" },
	{ E_ITS_MAPTI_UNMAPPED_DEVICE,		"E_ITS_MAPTI_UNMAPPED_DEVICE" },
	{ E_ITS_MAPTI_ID_OOR,			"E_ITS_MAPTI_ID_OOR" },
	{ E_ITS_MAPTI_PHYSICALID_OOR,		"E_ITS_MAPTI_PHYSICALID_OOR" },
	{ E_ITS_INV_UNMAPPED_INTERRUPT,		"E_ITS_INV_UNMAPPED_INTERRUPT" },
	{ E_ITS_INVALL_UNMAPPED_COLLECTION,	"E_ITS_INVALL_UNMAPPED_COLLECTION" },
	{ E_ITS_MOVALL_PROCNUM_OOR,		"E_ITS_MOVALL_PROCNUM_OOR" },
	{ E_ITS_DISCARD_UNMAPPED_INTERRUPT,	"E_ITS_DISCARD_UNMAPPED_INTERRUPT" },
};

/**
 * its_error_name - name of an ITS error code, or of an errno
 * @err: E_ITS_* (> 0) or -errno
 */
const char *its_error_name(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(its_errors); i++)
		if (its_errors[i].err == err)
			return its_errors[i].name;
	if (err == -EFAULT)
		return "guest memory access failed";
	if (err == -ENOMEM)
		return "out of memory";
	if (err == -ENODEV)
		return "unsupported command";
	if (err == -EBUSY)
		return "target redistributor has EnableLPIs clear";
	if (err == -EINVAL)
		return "no such vCPU or LPI";
	return "error";
}
EXPORT_SYMBOL_IF_KUNIT(its_error_name);

/*
 * What a batch's DISCARDs left waiting: the ITT clears, the erase of
 * their ITEs and their LPIs' way out of lpi_xa (until then no LPI of
 * their INTIDs can be created). Before every other command: only what
 * waits is called (a call into another page costs an INV 15-20% here).
 */
static __vgic3_exit void its_discard_flush(struct vgic3_its *its)
{
	its_clear_flush(its);
	if (its->nr_erased != its->nr_freed)
		its_ite_erase_discarded(its);
	if (its->puts.nr)
		its->lpi->put_flush(its->gic, &its->puts);
}

/**
 * its_handle_command - run one 32-byte command, ITS lock held
 * @its: the ITS
 * @raw: the command as read from the queue (four little-endian words)
 *
 * Return: 0, an ITS error code (E_ITS_*), or -errno; anything but 0 is
 * counted in nr_cmd_errors. Unknown and GICv4 commands return -ENODEV.
 */
__vgic3_exit int its_handle_command(struct vgic3_its *its, const u64 *raw)
{
	const struct its_cmd_desc *desc = NULL;
	struct its_cmd c;
	unsigned int nr, i;
	int ret = -ENODEV;

	lockdep_assert_held(&its->lock);
	for (i = 0; i < ARRAY_SIZE(c.w); i++)
		c.w[i] = le64_to_cpu((__force __le64)raw[i]);
	nr = FIELD_GET(CMD_NR, c.w[0]);
	/* Any command but DISCARD sees what DISCARDs left, whole. */
	if (nr != GITS_CMD_DISCARD)
		its_discard_flush(its);
	if (nr < ARRAY_SIZE(its_cmds) && its_cmds[nr].handle)
		desc = &its_cmds[nr];
	if (desc)
		ret = desc->handle(its, &c);

	its->nr_cmds++;
	trace_vgic3_its_cmd(its->base, nr, desc ? desc->name : "?", c.w, ret,
			    ret ? its_error_name(ret) : "ok");
	/*
	 * A guest's mistake goes to the counter and the tracepoint, never to
	 * the kernel log, which a guest must not be able to fill.
	 */
	if (ret)
		its->nr_cmd_errors++;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(its_handle_command);

/*
 * The command at CREADR: from the window, else read with the ones after
 * it, up to CWRITER or the end of the queue, ITS_CMDQ_WINDOW at most.
 * A window that cannot be read whole (a page of the queue not backed)
 * falls back to the one command, as the queue was read before windows.
 */
static __vgic3_exit const u64 *its_cmdq_next(struct vgic3_its *its, u64 base,
					     u64 size)
{
	struct its_cmdq_window *w = &its->win;
	u64 at = its->creadr, end, n;

	if (w->nr && at >= w->off &&
	    at < w->off + (u64)w->nr * ITS_CMD_SIZE)
		return w->cmd[(at - w->off) / ITS_CMD_SIZE];

	end = its->cwriter > at ? its->cwriter : size;
	n = min_t(u64, (end - at) / ITS_CMD_SIZE, ITS_CMDQ_WINDOW);
	w->nr = 0;
	/* DISCARD's clears that wait reach the commands before they are read. */
	its_clear_before_read(its, base + at, n * ITS_CMD_SIZE);
	w->writes = atomic64_read(&its->host->writes);
	if (n > 1 && !vgic3_read_guest(its->host, base + at, w->cmd,
				       n * ITS_CMD_SIZE)) {
		w->off = at;
		w->nr = n;
		return w->cmd[0];
	}
	if (vgic3_read_guest(its->host, base + at, w->cmd[0], ITS_CMD_SIZE))
		return NULL;
	return w->cmd[0];
}

/**
 * its_process_commands - run the queue from CREADR to CWRITER, ITS lock held
 * @its: the ITS
 *
 * Nothing runs while the ITS is disabled. A command that cannot be read is
 * skipped (IHI 0069 6.3.2 allows ignoring it). CWRITER is 32-byte aligned
 * and inside the queue, so the loop ends within one lap; the bound below
 * only guards against a broken invariant. Commands are read a window at a
 * time (its_cmdq_next()); a guest write since the window was read that
 * might have reached it drops the rest (its_cmdq_wrote()). Writes by a
 * vCPU to the commands between CREADR and CWRITER are UNPREDICTABLE (IHI
 * 0069 6.3.1): they may or may not be seen, as on hardware.
 */
__vgic3_exit void its_process_commands(struct vgic3_its *its)
{
	u64 size = its_cmdq_size(its->cbaser);
	u64 base = GITS_CBASER_ADDRESS(its->cbaser);
	u64 budget = size / ITS_CMD_SIZE;
	struct its_cmdq_window *w = &its->win;
	const u64 *cmd;
	u64 next;

	lockdep_assert_held(&its->lock);
	if (!its->enabled)
		return;

	w->nr = 0;
	its->clear.batch = true;
	while (its->creadr != its->cwriter && budget--) {
		cmd = its_cmdq_next(its, base, size);
		if (cmd)
			its_handle_command(its, cmd);
		if (w->nr && atomic64_read(&its->host->writes) != w->writes)
			w->nr = 0;
		next = its->creadr + ITS_CMD_SIZE;
		WRITE_ONCE(its->creadr, next < size ? next : 0);
	}
	its_discard_flush(its);
	its->clear.batch = false;
	w->nr = 0;
}

/**
 * its_inject_msi - translate and deliver the MSI (@devid, @event) written to GITS_TRANSLATER
 * @its: the ITS
 * @devid: DeviceID
 * @event: EventID (the data written)
 *
 * Return: 0 when an LPI was made pending, -EBUSY when the ITS is disabled,
 * -ENOENT when nothing is mapped (or no target), else the LPI layer's error.
 */
__vgic3_msi int its_inject_msi(struct vgic3_its *its, u32 devid, u32 event)
{
	struct its_ite *ite;
	int ret = -EBUSY;

	/*
	 * First the translations KVM_SIGNAL_MSI takes, lock-free: one exists
	 * iff the path below would make its LPI pending (doorbell.c), and an
	 * MSI racing a command on another vCPU is as unordered as the core's.
	 */
	if (its->host->ops->msi_signal(its->host, &its->region, devid, event)) {
		ret = 0;
		goto out;
	}
	/*
	 * The ITS lock orders the MSI against commands: an ITE the lookup
	 * finds keeps its LPI mapped (and the LPI its state) until the latch
	 * is set. Only that is inside; the tracepoint comes after.
	 */
	mutex_lock(&its->lock);
	if (its->enabled) {
		ite = its_resolve(its, devid, event);
		ret = ite ? its->lpi->pend(its->gic, ite->irq, true) :
			    -ENOENT;
	}
	mutex_unlock(&its->lock);
out:
	if (!ret)
		atomic64_inc(&its->nr_msis);
	trace_vgic3_its_translate(READ_ONCE(its->base), devid, event, ret);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(its_inject_msi);
