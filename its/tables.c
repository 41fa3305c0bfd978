// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS tables in guest memory, table ABI revision 0
 * (Documentation/virt/kvm/devices/arm-vgic-its.rst):
 *
 *   DTE  V[63] next[62:49] ITT_addr[51:8] in [48:5] Size-1[4:0], by DeviceID
 *   ITE  next[63:48] pINTID[47:16] ICID[15:0], by EventID (pINTID 0: invalid)
 *   CTE  V[63] RDbase[51:16] ICID[15:0], packed, ended by an invalid entry
 *   L1   V[63] L2_addr[51:16] (two-level device table)
 *
 * "next" is the ID offset to the next valid entry, 0 on the last one. The
 * output of SAVE_TABLES is byte-identical to that of the in-kernel ITS.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "its.h"

#define DTE_VALID	BIT_ULL(63)
#define DTE_NEXT	GENMASK_ULL(62, 49)
#define DTE_ITT		GENMASK_ULL(48, 5)
#define DTE_SIZE	GENMASK_ULL(4, 0)
#define ITE_NEXT	GENMASK_ULL(63, 48)
#define ITE_INTID	GENMASK_ULL(47, 16)
#define ITE_ICID	GENMASK_ULL(15, 0)
#define CTE_VALID	BIT_ULL(63)
#define CTE_RDBASE	GENMASK_ULL(51, 16)
#define CTE_ICID	GENMASK_ULL(15, 0)
#define L1E_VALID	BIT_ULL(63)
#define L1E_ADDR	GENMASK_ULL(51, 16)

/* --- Codecs ------------------------------------------------------------ */

u64 its_dte_encode(const struct its_dte *e)
{
	return FIELD_PREP(DTE_VALID, e->valid) |
	       FIELD_PREP(DTE_NEXT, e->next) |
	       FIELD_PREP(DTE_ITT, e->itt >> 8) |
	       FIELD_PREP(DTE_SIZE, e->nbits - 1);
}
EXPORT_SYMBOL_IF_KUNIT(its_dte_encode);

void its_dte_decode(u64 raw, struct its_dte *e)
{
	e->valid = FIELD_GET(DTE_VALID, raw);
	e->next = FIELD_GET(DTE_NEXT, raw);
	e->itt = FIELD_GET(DTE_ITT, raw) << 8;
	e->nbits = FIELD_GET(DTE_SIZE, raw) + 1;
}
EXPORT_SYMBOL_IF_KUNIT(its_dte_decode);

u64 its_ite_encode(const struct its_ite_entry *e)
{
	return FIELD_PREP(ITE_NEXT, e->next) |
	       FIELD_PREP(ITE_INTID, e->intid) |
	       FIELD_PREP(ITE_ICID, e->icid);
}
EXPORT_SYMBOL_IF_KUNIT(its_ite_encode);

void its_ite_decode(u64 raw, struct its_ite_entry *e)
{
	e->next = FIELD_GET(ITE_NEXT, raw);
	e->intid = FIELD_GET(ITE_INTID, raw);
	e->icid = FIELD_GET(ITE_ICID, raw);
}
EXPORT_SYMBOL_IF_KUNIT(its_ite_decode);

u64 its_cte_encode(const struct its_cte *e)
{
	return FIELD_PREP(CTE_VALID, e->valid) |
	       FIELD_PREP(CTE_RDBASE, e->target) |
	       FIELD_PREP(CTE_ICID, e->icid);
}
EXPORT_SYMBOL_IF_KUNIT(its_cte_encode);

/* The in-kernel ITS reads RDbase as a u32: bits [51:48] are ignored. */
void its_cte_decode(u64 raw, struct its_cte *e)
{
	e->valid = FIELD_GET(CTE_VALID, raw);
	e->target = (u32)FIELD_GET(CTE_RDBASE, raw);
	e->icid = FIELD_GET(CTE_ICID, raw);
}
EXPORT_SYMBOL_IF_KUNIT(its_cte_decode);

bool its_l1e_decode(u64 raw, u64 *l2)
{
	*l2 = raw & L1E_ADDR;
	return raw & L1E_VALID;
}
EXPORT_SYMBOL_IF_KUNIT(its_l1e_decode);

/* --- Entry addresses ---------------------------------------------------- */

static int its_read_entry(struct vgic3_its *its, u64 gpa, u64 *val)
{
	__le64 raw;
	int ret;

	ret = vgic3_read_guest(its->host, gpa, &raw, sizeof(raw));
	if (ret)
		return ret;
	*val = le64_to_cpu(raw);
	return 0;
}

/* Whether [@gpa, @gpa + @len) holds commands of the window. */
static bool its_cmdq_in_window(struct vgic3_its *its, u64 gpa, u64 len)
{
	struct its_cmdq_window *w = &its->win;
	u64 lo = GITS_CBASER_ADDRESS(its->cbaser) + w->off;
	u64 hi = lo + (u64)w->nr * ITS_CMD_SIZE;

	return w->nr && gpa < hi && gpa + len > lo;
}

/**
 * its_cmdq_wrote - the ITS wrote guest memory while running commands
 * @its: the ITS, lock held
 * @before: the host's write count before the write
 * @gpa: where it wrote
 * @len: how much
 *
 * Commands read ahead must be the commands the queue holds when each one
 * runs, as if it were read just then: a command's write (DISCARD's ITT
 * entry, MAPD's device table entry) into the queue past CREADR, which a
 * careless guest can arrange, drops the window, and so does any other
 * write since the window was read (a new LPI's pending bit, written by
 * the LPI layer), wherever it went. A write of the ITS that misses the
 * window is taken into its count.
 */
static void its_cmdq_wrote(struct vgic3_its *its, s64 before, u64 gpa, u64 len)
{
	struct its_cmdq_window *w = &its->win;

	if (!w->nr)
		return;
	lockdep_assert_held(&its->lock);
	if (before != w->writes || its_cmdq_in_window(its, gpa, len))
		w->nr = 0;
	else
		w->writes = atomic64_read(&its->host->writes);
}

/* Every store of the ITS into guest memory: the window learns of it. */
static __vgic3_hot int its_write_guest(struct vgic3_its *its, u64 gpa,
				       const void *buf, u64 len)
{
	s64 before = atomic64_read(&its->host->writes);
	int ret;

	ret = vgic3_write_guest(its->host, gpa, buf, len);
	its_cmdq_wrote(its, before, gpa, len);
	return ret;
}

__vgic3_hot int its_write_entry(struct vgic3_its *its, u64 gpa, u64 val)
{
	__le64 raw = cpu_to_le64(val);

	return its_write_guest(its, gpa, &raw, sizeof(raw));
}

/* Zeroes, the source of every deferred clear. */
static const u8 its_zeros[ITS_CLEAR_MAX];

/**
 * its_clear_flush - write the ITT clears that wait, ITS lock held
 * @its: the ITS
 *
 * One store for the run; when it fails (an ITT not backed by guest
 * memory), the entries are written one by one and each one that fails
 * counts as a command error, as each DISCARD's own store would have.
 */
__vgic3_exit void its_clear_flush(struct vgic3_its *its)
{
	struct its_itt_clear *z = &its->clear;
	u32 off;

	lockdep_assert_held(&its->lock);
	if (!z->len)
		return;
	if (its_write_guest(its, z->gpa, its_zeros, z->len)) {
		for (off = 0; off < z->len; off += ITS_ESZ)
			if (its_write_guest(its, z->gpa + off, its_zeros,
					    ITS_ESZ))
				its->nr_cmd_errors++;
	}
	z->len = 0;
}
EXPORT_SYMBOL_IF_KUNIT(its_clear_flush);

/**
 * its_clear_before_read - write the clears that wait if [@gpa, @gpa + @len) holds some
 * @its: the ITS, lock held
 * @gpa: guest memory the ITS is about to read (commands)
 * @len: bytes
 */
__vgic3_exit void its_clear_before_read(struct vgic3_its *its, u64 gpa, u64 len)
{
	struct its_itt_clear *z = &its->clear;

	if (z->len && z->gpa < gpa + len && z->gpa + z->len > gpa)
		its_clear_flush(its);
}

/**
 * its_clear_entry - DISCARD's clear of an ITT entry, ITS lock held
 * @its: the ITS
 * @gpa: the entry
 *
 * A guest that tears a device down DISCARDs its events in order, and
 * their entries lie next to each other: in a command batch a clear waits
 * to be written with the ones after it, one store for up to ITS_CLEAR_MAX
 * bytes instead of one per entry. Nothing can tell: a clear waits only
 * while DISCARDs follow each other (its_handle_command() writes what
 * waits before any other command, its_process_commands() at the end of
 * the batch), and never for an entry in the commands read ahead, which
 * must see it at once (its_cmdq_wrote()).
 *
 * Return: 0, or -EFAULT when an entry written now is not guest memory.
 */
__vgic3_hot int its_clear_entry(struct vgic3_its *its, u64 gpa)
{
	struct its_itt_clear *z = &its->clear;
	bool now = !z->batch || its_cmdq_in_window(its, gpa, ITS_ESZ);

	lockdep_assert_held(&its->lock);
	if (!now && z->len && gpa == z->gpa + z->len &&
	    z->len < ITS_CLEAR_MAX) {
		z->len += ITS_ESZ;
		return 0;
	}
	its_clear_flush(its);
	if (now)
		return its_write_entry(its, gpa, 0);
	z->gpa = gpa;
	z->len = ITS_ESZ;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(its_clear_entry);

/*
 * The ITS may store an entry there: a memslot the guest sees holds @gpa,
 * the in-kernel ITS's test (no read: MAPTI asks it of every ITT entry).
 */
static bool its_gpa_backed(struct vgic3_its *its, u64 gpa)
{
	return vgic3_gpa_visible(its->host, gpa);
}

/**
 * its_table_entry - where the entry for @id lives in a GITS_BASER table
 * @its: the ITS
 * @baser: GITS_BASER<n> of the table (device or collection)
 * @id: DeviceID or ICID
 * @gpa: the entry's address, when the return is true
 *
 * Return: whether @id is in range and its entry is backed by guest memory
 * (for a two-level table: whether the L1 entry is valid).
 */
__vgic3_hot bool its_table_entry(struct vgic3_its *its, u64 baser, u32 id,
				 u64 *gpa)
{
	u64 base = GITS_BASER_ADDR_48_to_52(baser);
	u64 size = (u64)GITS_BASER_NR_PAGES(baser) * SZ_64K;
	u32 esz = GITS_BASER_ENTRY_SIZE(baser);
	u64 addr, l1;

	switch (GITS_BASER_TYPE(baser)) {
	case GITS_BASER_TYPE_DEVICE:
		if (id > ITS_MAX_DEVID)
			return false;
		break;
	case GITS_BASER_TYPE_COLLECTION:
		if (id >= BIT(ITS_ICID_BITS))
			return false;
		break;
	default:
		return false;
	}

	if (!(baser & GITS_BASER_INDIRECT)) {
		if (id >= size / esz)
			return false;
		addr = base + (u64)id * esz;
	} else {
		u64 idx = id / (SZ_64K / esz);

		if (idx >= size / GITS_LVL1_ENTRY_SIZE)
			return false;
		if (its_read_entry(its, base + idx * GITS_LVL1_ENTRY_SIZE, &l1))
			return false;
		if (!its_l1e_decode(l1, &addr))
			return false;
		addr += (u64)(id % (SZ_64K / esz)) * esz;
	}

	if (gpa)
		*gpa = addr;
	return its_gpa_backed(its, addr);
}
EXPORT_SYMBOL_IF_KUNIT(its_table_entry);

/* Whether @event fits @dev's ITT, and guest memory backs its entry. */
__vgic3_hot bool its_itt_entry(struct vgic3_its *its, struct its_dev *dev,
			       u32 event, u64 *gpa)
{
	u64 addr;

	if (event >= BIT_ULL(dev->nbits))
		return false;
	addr = dev->itt + (u64)event * ITS_ESZ;
	if (gpa)
		*gpa = addr;
	return its_gpa_backed(its, addr);
}

/* --- Generic walker ------------------------------------------------------ */

/*
 * Called per entry, with its ID, the GPA it was read from and its raw
 * value; returns < 0 on error, 0 when the entry was the last one, else the
 * ID offset to the next entry to visit.
 */
typedef int (*its_entry_fn)(struct vgic3_its *its, u32 id, u64 gpa,
			    u64 entry, void *arg);

/*
 * Called, when given, before the walk reads entries it has not read ahead
 * and when it ends: whatever the entry callbacks left pending is done
 * then, in order. Returns 0 or < 0, an error it noted.
 */
typedef int (*its_flush_fn)(struct vgic3_its *its, void *arg);

/*
 * its_restore_bad - note the entry a restore stops at (the first one noted
 * wins: the innermost) and return @err.
 */
static int its_restore_bad(struct vgic3_its *its, const char *entry, u32 id,
			   u64 gpa, u64 raw, int err, const char *why)
{
	struct its_restore_err *e = &its->restore_err;

	/* e->devid is the DeviceID whose ITT is being walked. */
	if (!e->err) {
		e->err = err;
		e->entry = entry;
		e->id = id;
		e->gpa = gpa;
		e->raw = raw;
		e->why = why;
	}
	return err;
}

/**
 * its_restore_err_print - where a failed restore stopped, as text
 * @e: what its_restore_tables() noted
 * @buf: where to write it: ": ITE of DeviceID d EventID e at GPA g = raw:
 *       why", ": <entry> <id> at GPA g = raw: why", or "" when no entry
 *       was noted
 * @size: of @buf (ITS_RESTORE_ERR_LEN is enough)
 *
 * The one text of the log line of its_restore_tables() and of debugfs.
 */
void its_restore_err_print(const struct its_restore_err *e, char *buf,
			   size_t size)
{
	int n = 0;

	buf[0] = '\0';
	if (!e->entry)
		return;
	if (!strcmp(e->entry, "ITE"))
		n = scnprintf(buf, size, ": ITE of DeviceID %u EventID %u",
			      e->devid, e->id);
	else
		n = scnprintf(buf, size, ": %s %u", e->entry, e->id);
	scnprintf(buf + n, size - n, " at GPA %#llx = %#018llx: %s", e->gpa,
		  e->raw, e->why);
}
EXPORT_SYMBOL_IF_KUNIT(its_restore_err_print);

/*
 * Entries are read ahead in runs of up to ITS_WALK_BATCH, never across a 4K
 * page: a run is backed as a whole or not at all, like each of its entries,
 * and a run that cannot be read falls back to its first entry alone.
 */
#define ITS_WALK_BATCH	32
#define ITS_WALK_PAGE	SZ_4K

struct its_walk_buf {
	u64 gpa;
	unsigned int nr;
	__le64 e[ITS_WALK_BATCH];
};

static bool its_walk_buffered(const struct its_walk_buf *b, u64 gpa)
{
	return b->nr && gpa >= b->gpa && gpa - b->gpa < (u64)b->nr * ITS_ESZ;
}

static int its_walk_read(struct vgic3_its *its, struct its_walk_buf *b,
			 u64 gpa, u64 left, u64 *val)
{
	u64 nr;

	if (its_walk_buffered(b, gpa)) {
		*val = le64_to_cpu(b->e[(gpa - b->gpa) / ITS_ESZ]);
		return 0;
	}
	nr = min(left, ITS_WALK_PAGE - (gpa & (ITS_WALK_PAGE - 1))) / ITS_ESZ;
	nr = min_t(u64, nr, ITS_WALK_BATCH);
	b->nr = 0;
	if (nr > 1 && !vgic3_read_guest(its->host, gpa, b->e, nr * ITS_ESZ)) {
		b->gpa = gpa;
		b->nr = nr;
		*val = le64_to_cpu(b->e[0]);
		return 0;
	}
	return its_read_entry(its, gpa, val);
}

/*
 * Visit the entries of a table of @size bytes at @gpa, the first one having
 * ID @first; @flush, if not NULL, as its_flush_fn says. Every step moves
 * forward, so the walk is bounded by @size.
 * Return: < 0 on error, 0 if the last entry was found, 1 if the table ended
 * first.
 */
static int its_walk_table(struct vgic3_its *its, const char *what, u64 gpa,
			  u64 size, u32 first, its_entry_fn fn,
			  its_flush_fn flush, void *arg)
{
	struct its_walk_buf buf;
	u64 left = size;
	u32 id = first;

	buf.nr = 0;
	for (;;) {
		u64 entry, bytes;
		int step, ret;

		if (flush && !its_walk_buffered(&buf, gpa)) {
			ret = flush(its, arg);
			if (ret)
				return ret;
		}
		ret = its_walk_read(its, &buf, gpa, left, &entry);
		if (ret)
			return its_restore_bad(its, what, id, gpa, 0, ret,
					       "not in guest memory");
		step = fn(its, id, gpa, entry, arg);
		if (step < 0)
			return its_restore_bad(its, what, id, gpa, entry, step,
					       "refused");
		if (!step)
			return flush ? flush(its, arg) : 0;
		bytes = (u64)step * ITS_ESZ;
		if (bytes >= left) {
			ret = flush ? flush(its, arg) : 0;
			return ret ?: 1;
		}
		id += step;
		gpa += bytes;
		left -= bytes;
	}
}

/* --- Save --------------------------------------------------------------- */

/*
 * ITEs of consecutive EventIDs are stored in one guest write, up to
 * ITS_SAVE_BATCH of them and never across a 4K page, so that a failing
 * write leaves the same entries written as one write per ITE would.
 */
#define ITS_SAVE_BATCH	32

struct its_save_buf {
	u64 gpa;
	unsigned int nr;
	__le64 e[ITS_SAVE_BATCH];
};

static int its_save_flush(struct vgic3_its *its, struct its_save_buf *b)
{
	unsigned int nr = b->nr;

	if (!nr)
		return 0;
	b->nr = 0;
	return vgic3_write_guest(its->host, b->gpa, b->e, nr * ITS_ESZ);
}

static int its_save_put(struct vgic3_its *its, struct its_save_buf *b,
			u64 gpa, u64 val)
{
	int ret;

	if (b->nr && (b->nr == ITS_SAVE_BATCH ||
		      gpa != b->gpa + b->nr * ITS_ESZ ||
		      !(gpa & (ITS_WALK_PAGE - 1)))) {
		ret = its_save_flush(its, b);
		if (ret)
			return ret;
	}
	if (!b->nr)
		b->gpa = gpa;
	b->e[b->nr++] = cpu_to_le64(val);
	return 0;
}

/*
 * Store @ite, whose next mapped EventID is @next_event (@ite->event when it
 * is the last one). An ITE whose collection MAPC V=0 dropped has no ICID
 * left: it is saved as an invalid (zero) entry, as the in-kernel ITS does.
 */
static int its_save_ite(struct vgic3_its *its, struct its_save_buf *b,
			struct its_ite *ite, u32 next_event)
{
	struct its_ite_entry e = {};
	u64 gpa = ite->dev->itt + (u64)ite->event * ITS_ESZ;

	if (ite->coll) {
		e.next = min_t(u32, next_event - ite->event, ITS_ITE_MAX_NEXT);
		e.intid = ite->intid;
		e.icid = ite->coll->icid;
	}
	return its_save_put(its, b, gpa, its_ite_encode(&e));
}

/* One walk of @dev's ITEs: each is stored once the following one is known. */
static int its_save_itt(struct vgic3_its *its, struct its_dev *dev)
{
	struct its_ite *ite, *prev = NULL;
	struct its_save_buf buf;
	unsigned long event;
	int ret;

	buf.nr = 0;
	xa_for_each(&dev->ites, event, ite) {
		if (prev) {
			ret = its_save_ite(its, &buf, prev, ite->event);
			if (ret)
				return ret;
		}
		prev = ite;
	}
	if (prev) {
		ret = its_save_ite(its, &buf, prev, prev->event);
		if (ret)
			return ret;
	}
	return its_save_flush(its, &buf);
}

static int its_save_dte(struct vgic3_its *its, struct its_dev *dev, u64 gpa,
			u32 next)
{
	struct its_dte e = {
		.valid = true,
		.next = next,
		.itt = dev->itt,
		.nbits = dev->nbits,
	};

	return its_write_entry(its, gpa, its_dte_encode(&e));
}

/* Whether a store at @gpa may change the level-1 entries of @baser. */
static bool its_in_l1_table(u64 baser, u64 gpa)
{
	u64 base = GITS_BASER_ADDR_48_to_52(baser);
	u64 size = (u64)GITS_BASER_NR_PAGES(baser) * SZ_64K;

	return (baser & GITS_BASER_INDIRECT) && gpa >= base &&
	       gpa - base < size;
}

/*
 * As the in-kernel ITS: by DeviceID, each device whose DTE slot is backed
 * gets its ITT, then its DTE, whose "next" points at the following device
 * with a backed slot. Each slot is checked once: a device's DTE is stored
 * when the next saved device is found, before that device's ITT. Should
 * that DTE land in the level-1 table (a guest that points an L2 page at
 * it), the following slots are checked again, as the in-kernel ITS, which
 * checks them again after the store, would see them.
 */
static int its_save_devs(struct vgic3_its *its)
{
	u64 baser = its->baser_dev;
	struct its_dev *dev, *prev = NULL;
	unsigned long id, start = 0;
	u64 gpa, prev_gpa = 0;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;

again:
	xa_for_each_start(&its->devs, id, dev, start) {
		/* A slot the guest unbacked since MAPD: skip, as KVM does. */
		if (!its_table_entry(its, baser, dev->id, &gpa))
			continue;
		if (prev) {
			ret = its_save_dte(its, prev, prev_gpa,
					   min_t(u32, dev->id - prev->id,
						 ITS_DTE_MAX_NEXT));
			if (ret)
				return ret;
			if (its_in_l1_table(baser, prev_gpa)) {
				start = prev->id + 1UL;
				prev = NULL;
				goto again;
			}
		}
		ret = its_save_itt(its, dev);
		if (ret)
			return ret;
		prev = dev;
		prev_gpa = gpa;
	}
	return prev ? its_save_dte(its, prev, prev_gpa, 0) : 0;
}

static int its_save_colls(struct vgic3_its *its)
{
	u64 baser = its->baser_coll;
	u64 gpa = GITS_BASER_ADDR_48_to_52(baser);
	u64 size = (u64)GITS_BASER_NR_PAGES(baser) * SZ_64K;
	struct its_coll *coll;
	u64 filled = 0;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;

	list_for_each_entry(coll, &its->coll_order, node) {
		struct its_cte e = {
			.valid = true,
			.target = coll->target,
			.icid = coll->icid,
		};

		if (filled == size)
			break;
		ret = its_write_entry(its, gpa + filled, its_cte_encode(&e));
		if (ret)
			return ret;
		filled += ITS_ESZ;
	}
	if (filled == size)
		return 0;
	/* Not full: an invalid entry ends the table. */
	return its_write_entry(its, gpa + filled, 0);
}

/**
 * its_save_tables - KVM_DEV_ARM_ITS_SAVE_TABLES, ITS lock held
 * @its: the ITS
 *
 * Return: 0, or -EFAULT when guest memory could not be written.
 */
int its_save_tables(struct vgic3_its *its)
{
	int ret;

	lockdep_assert_held(&its->lock);
	ret = its_save_devs(its);
	return ret ?: its_save_colls(its);
}
EXPORT_SYMBOL_IF_KUNIT(its_save_tables);

/* --- Restore ------------------------------------------------------------ */

/**
 * struct its_restore - what the restore of the devices carries along
 * @pool: ITEs allocated ahead
 * @dev: the device whose ITT is being walked
 * @coll: the collection of the last ITE (most name the one before's)
 * @nr: ITEs decoded and checked, not made yet (at most one read-ahead run
 *	of the walk: its_restore_flush() makes them)
 * @spec: those ITEs
 * @gpa: where each was read
 * @raw: and its value, for the report should it fail
 */
struct its_restore {
	struct its_ite_pool pool;
	struct its_dev *dev;
	struct its_coll *coll;
	unsigned int nr;
	struct its_ite_spec spec[ITS_ITE_RUN];
	u64 gpa[ITS_ITE_RUN];
	u64 raw[ITS_ITE_RUN];
};

/*
 * Make the ITEs decoded so far, in order: the first that fails is the
 * entry the restore stops at, as if each had been made when it was read.
 */
static int its_restore_flush(struct vgic3_its *its, void *arg)
{
	struct its_restore *r = arg;
	unsigned int nr = r->nr, done;
	int err;

	if (!nr)
		return 0;
	r->nr = 0;
	done = its_ite_new_run(its, &r->pool, r->dev, r->spec, nr, &err);
	if (done == nr)
		return 0;
	return its_restore_bad(its, "ITE", r->spec[done].event, r->gpa[done],
			       r->raw[done], err, "refused");
}

/* An invalid ITE: the ones before it are made first, and may fail first. */
static int its_restore_ite_bad(struct vgic3_its *its, struct its_restore *r,
			       u32 event, u64 gpa, u64 raw, const char *why)
{
	int ret = its_restore_flush(its, r);

	return ret ?: its_restore_bad(its, "ITE", event, gpa, raw, -EINVAL, why);
}

static int its_restore_ite(struct vgic3_its *its, u32 event, u64 gpa,
			   u64 raw, void *arg)
{
	struct its_restore *r = arg;
	struct its_ite_spec *spec;
	struct its_ite_entry e;
	struct its_coll *coll;
	int ret;

	its_ite_decode(raw, &e);
	if (!e.intid)
		return 1;
	/*
	 * An LPI that MAPTI could never have made: below 8192, or beyond the
	 * vGICv3's 16 INTID bits (the in-kernel ITS takes the latter, and
	 * fails only if its collection is mapped; we refuse it either way).
	 */
	if (e.intid < VGIC3_LPI_BASE || e.intid >= BIT(VGIC3_INTID_BITS))
		return its_restore_ite_bad(its, r, event, gpa, raw,
					   "pINTID not an LPI of 16 bits");
	if ((u64)event + e.next >= BIT_ULL(r->dev->nbits))
		return its_restore_ite_bad(its, r, event, gpa, raw,
					   "next EventID beyond the ITT");
	coll = r->coll;
	if (!coll || coll->icid != e.icid)
		coll = its_find_coll(its, e.icid);
	if (!coll)
		return its_restore_ite_bad(its, r, event, gpa, raw,
					   "ICID of no restored collection");
	r->coll = coll;
	/*
	 * The in-kernel ITS checks here that the ITT entry is in range and
	 * backed: the walk, bounded by the ITT size, just read it.
	 */

	if (r->nr == ITS_ITE_RUN) {
		ret = its_restore_flush(its, r);
		if (ret)
			return ret;
	}
	spec = &r->spec[r->nr];
	spec->event = event;
	spec->intid = e.intid;
	spec->coll = coll;
	r->gpa[r->nr] = gpa;
	r->raw[r->nr] = raw;
	r->nr++;
	return e.next;
}

static int its_restore_dte(struct vgic3_its *its, u32 id, u64 gpa, u64 raw,
			   void *arg)
{
	struct its_restore *r = arg;
	struct its_dev *dev;
	struct its_dte e;
	int ret;

	its_dte_decode(raw, &e);
	if (!e.valid)
		return 1;
	/* As MAPD: no more EventID bits than GITS_TYPER.IDbits. */
	if (e.nbits > ITS_EVENTID_BITS)
		return its_restore_bad(its, "DTE", id, gpa, raw,
				       -EINVAL, "more EventID bits than IDbits");
	/*
	 * The in-kernel ITS checks that the DTE slot is in range and backed.
	 * The walk, bounded by the table (or the L2 page its valid L1 entry
	 * names), just read it; only the DeviceID bound remains to check.
	 */
	if (id > ITS_MAX_DEVID)
		return its_restore_bad(its, "DTE", id, gpa, raw,
				       -EINVAL, "DeviceID beyond the table");

	dev = its_dev_new(its, id, e.itt, e.nbits);
	if (IS_ERR(dev))
		return PTR_ERR(dev) == -EBUSY ? -EEXIST : PTR_ERR(dev);

	its->restore_err.devid = id;
	r->dev = dev;
	ret = its_walk_table(its, "ITE", dev->itt, BIT_ULL(dev->nbits) * ITS_ESZ, 0,
			     its_restore_ite, its_restore_flush, r);
	if (ret < 0) {
		its_dev_free(its, dev);
		return ret;
	}
	return e.next;
}

static int its_restore_l1e(struct vgic3_its *its, u32 idx, u64 gpa, u64 raw,
			   void *arg)
{
	u64 l2;

	if (!its_l1e_decode(raw, &l2))
		return 1;
	return its_walk_table(its, "DTE", l2, SZ_64K, idx * ITS_L2_DTES,
			      its_restore_dte, NULL, arg);
}

static int its_restore_devs(struct vgic3_its *its)
{
	u64 baser = its->baser_dev;
	u64 gpa = GITS_BASER_ADDR_48_to_52(baser);
	u64 size = (u64)GITS_BASER_NR_PAGES(baser) * SZ_64K;
	struct its_restore *r;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	if (baser & GITS_BASER_INDIRECT)
		ret = its_walk_table(its, "L1 entry", gpa, size, 0,
				     its_restore_l1e, NULL, r);
	else
		ret = its_walk_table(its, "DTE", gpa, size, 0,
				     its_restore_dte, NULL, r);
	its_ite_pool_drain(&r->pool);
	kfree(r);
	return min(ret, 0);
}

/* A decoded, valid CTE's checks, in the in-kernel ITS's order; pure. */
static int its_cte_check(struct vgic3_its *its, const struct its_cte *e,
			 const char **why)
{
	if (e->target != ITS_TARGET_NONE && e->target >= its_nr_vcpus(its)) {
		*why = "RDbase names no vCPU";
		return -EINVAL;
	}
	if (its_find_coll(its, e->icid)) {
		*why = "ICID twice in the table";
		return -EEXIST;
	}
	if (!its_table_entry(its, its->baser_coll, e->icid, NULL)) {
		*why = "ICID beyond the table";
		return -EINVAL;
	}
	return 0;
}

/* Return: 1 to go on, 0 at the end of the table, < 0 on error. */
static int its_restore_cte(struct vgic3_its *its, u64 gpa)
{
	struct its_coll *coll;
	const char *why;
	struct its_cte e;
	u64 raw;
	int ret;

	ret = its_read_entry(its, gpa, &raw);
	if (ret)
		return its_restore_bad(its, "CTE", 0, gpa, 0, ret,
				       "not in guest memory");
	its_cte_decode(raw, &e);
	if (!e.valid)
		return 0;
	ret = its_cte_check(its, &e, &why);
	if (ret)
		return its_restore_bad(its, "CTE", e.icid, gpa, raw, ret, why);
	coll = its_coll_new(its, e.icid, e.target);
	if (IS_ERR(coll))
		return its_restore_bad(its, "CTE", e.icid, gpa, raw,
				       PTR_ERR(coll), "refused");
	return 1;
}

static int its_restore_colls(struct vgic3_its *its)
{
	u64 baser = its->baser_coll;
	u64 gpa = GITS_BASER_ADDR_48_to_52(baser);
	u64 size = (u64)GITS_BASER_NR_PAGES(baser) * SZ_64K;
	u64 off;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;

	for (off = 0; off < size; off += ITS_ESZ) {
		ret = its_restore_cte(its, gpa + off);
		if (ret <= 0)
			return ret;
	}
	return 0;
}

/**
 * its_restore_tables - KVM_DEV_ARM_ITS_RESTORE_TABLES, ITS lock held
 * @its: the ITS
 *
 * Collections first (ITEs name them), then devices and their ITTs. All or
 * nothing: on any error every device and collection is dropped again.
 *
 * Return: 0, -EINVAL on inconsistent tables, -EEXIST on a duplicate ICID,
 * -EFAULT when guest memory could not be read, -ENOMEM.
 */
int its_restore_tables(struct vgic3_its *its)
{
	struct its_restore_err *e = &its->restore_err;
	char where[ITS_RESTORE_ERR_LEN];
	int ret;

	lockdep_assert_held(&its->lock);
	memset(e, 0, sizeof(*e));
	ret = its_restore_colls(its);
	if (!ret)
		ret = its_restore_devs(its);
	if (ret) {
		its_free_all_devs(its);
		its_free_all_colls(its);
		/* What the VMM restored from is wrong: say where. */
		if (!e->err)
			e->err = ret;
		its_restore_err_print(e, where, sizeof(where));
		pr_warn_ratelimited("kvm-vgic3: ITS@%llx: KVM_DEV_ARM_ITS_RESTORE_TABLES failed (%d)%s; nothing restored\n",
				    its->base, ret, where);
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(its_restore_tables);
