// SPDX-License-Identifier: GPL-2.0
/*
 * The LPI layer: LPIs are KVM's struct vgic_irq, in the core's lpi_xa by
 * INTID, alive while something holds a reference (an ITE, an ITS
 * translation cache entry, a vCPU's ap_list): the last vgic_put_irq()
 * erases and frees one after RCU, which the lockless MSI path of KVM's
 * core relies on. Their configuration comes from the property table
 * (GICR_PROPBASER), their pending state from the target vCPU's pending
 * table (GICR_PENDBASER) when they are created and when EnableLPIs is set,
 * and goes back to it on SAVE_PENDING_TABLES.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "api.h"
#include "internal.h"
#include "lpi.h"

#define LPI_MAX_INTID	(BIT(VGIC3_INTID_BITS) - 1)
#define LPI_PRIORITY(p)	((p) & 0xfc)

void vgic3_its_attached(struct vgic3 *gic)
{
	mutex_lock(&gic->lock);
	gic->has_its = true;
	gic->host.ops->core_has_its(&gic->host);
	/* (checkpatch CAMELCASE: RaWb and its kin are arm-gic-v3.h's names) */
	WRITE_ONCE(gic->propbaser,
		   GIC_BASER_CACHEABILITY(GICR_PROPBASER, INNER, RaWb) |
		   GIC_BASER_CACHEABILITY(GICR_PROPBASER, OUTER, SameAsInner) |
		   GIC_BASER_SHAREABILITY(GICR_PROPBASER, InnerShareable));
	mutex_unlock(&gic->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_attached);

/* vCPU @idx's redistributor state, NULL before INIT or past the last. */
static struct vgic3_cpu *cpu_at(struct vgic3 *gic, unsigned int idx)
{
	return gic->initialized && idx < gic->nr_cpus ? &gic->cpus[idx] : NULL;
}

/* The vCPU an LPI is routed to, NULL if none. */
static struct vgic3_cpu *lpi_cpu(struct vgic3 *gic, struct vgic_irq *irq)
{
	int idx = gic->host.ops->vcpu_index(&gic->host,
					    READ_ONCE(irq->target_vcpu));

	return idx < 0 ? NULL : cpu_at(gic, idx);
}

static struct kvm_vcpu *vcpu_of(struct vgic3 *gic, unsigned int idx)
{
	if (gic->initialized)
		return gic->cpus[idx].vcpu;
	return gic->host.ops->vcpu(&gic->host, idx);
}

static int read_prop(struct vgic3 *gic, u32 intid, u8 *prop)
{
	u64 gpa = GICR_PROPBASER_ADDRESS(gic->propbaser) + intid -
		  VGIC3_LPI_BASE;

	return vgic3_read_guest(&gic->host, gpa, prop, 1);
}

/*
 * Priority and enable from the LPI's byte of the property table (INV,
 * INVALL and creation); an LPI the guest enabled may now be delivered.
 */
static __vgic3_hot int read_config(struct vgic3 *gic, struct vgic_irq *irq)
{
	unsigned long flags;
	u8 prop;
	int ret;

	ret = read_prop(gic, irq->intid, &prop);
	if (ret)
		return ret;
	flags = vgic3_irq_lock(irq);
	irq->priority = LPI_PRIORITY(prop);
	irq->enabled = prop & LPI_PROP_ENABLED;
	if (irq->enabled)
		vgic3_irq_queue(&gic->host, irq, flags);
	else
		vgic3_irq_unlock(irq, flags);
	return 0;
}

/**
 * vgic3_lpi_config_readable - can @intid's property byte be read?
 * @gic: the vGICv3
 * @intid: an LPI
 *
 * KVM reads an LPI's configuration when an ITE names it, routed or not;
 * the model creates the LPI only once it is routed, and asks this for an
 * ITE that is not, so that MAPTI and RESTORE_TABLES fail alike.
 *
 * Return: 0 or -EFAULT.
 */
int vgic3_lpi_config_readable(struct vgic3 *gic, u32 intid)
{
	u8 prop;
	int ret;

	mutex_lock(&gic->lock);
	ret = read_prop(gic, intid, &prop);
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_config_readable);

/*
 * New LPIs made together (vgic3_lpi_get_run()) read their property and
 * pending bytes through a window of each table: up to LPI_WINDOW bytes of
 * one 4K page (backed as a whole or not at all) read at once, where one
 * LPI reads one byte of each. A window that cannot be read falls back to
 * the one byte; the bytes the LPIs write go into the windows too.
 */
#define LPI_WINDOW	64
#define LPI_PAGE	SZ_4K

struct lpi_window {
	u64 gpa;		/* of buf[0] */
	unsigned int len;	/* 0: nothing loaded */
	u8 buf[LPI_WINDOW];
};

struct lpi_windows {
	struct lpi_window prop, pend;
};

static bool win_has(const struct lpi_window *w, u64 gpa)
{
	return w->len && gpa >= w->gpa && gpa - w->gpa < w->len;
}

static __vgic3_hot int win_read(struct vgic3 *gic, struct lpi_window *w,
				u64 gpa, u8 *val)
{
	unsigned int len;

	if (w && !win_has(w, gpa)) {
		len = min_t(u64, LPI_WINDOW, LPI_PAGE - (gpa & (LPI_PAGE - 1)));
		w->len = 0;
		if (!vgic3_read_guest(&gic->host, gpa, w->buf, len)) {
			w->gpa = gpa;
			w->len = len;
		}
	}
	if (w && win_has(w, gpa)) {
		*val = w->buf[gpa - w->gpa];
		return 0;
	}
	return vgic3_read_guest(&gic->host, gpa, val, 1);
}

/* Write one byte of a table; the windows that hold it follow. */
static int win_write(struct vgic3 *gic, struct lpi_windows *win, u64 gpa,
		     u8 val)
{
	int ret = vgic3_write_guest(&gic->host, gpa, &val, 1);

	if (ret || !win)
		return ret;
	if (win_has(&win->prop, gpa))
		win->prop.buf[gpa - win->prop.gpa] = val;
	if (win_has(&win->pend, gpa))
		win->pend.buf[gpa - win->pend.gpa] = val;
	return 0;
}

static int pending_byte(struct vgic3 *gic, struct vgic3_cpu *cpu, u32 intid,
			u64 *gpa, u8 *val)
{
	*gpa = GICR_PENDBASER_ADDRESS(cpu->pendbaser) + intid / 8;
	return vgic3_read_guest(&gic->host, *gpa, val, 1);
}

/*
 * A new LPI takes its pending bit from its target's pending table and
 * clears it there: the bit now lives in the LPI, and SAVE_PENDING_TABLES
 * writes it back. This happens whatever EnableLPIs and PTZ say, because
 * KVM does so when it creates an LPI (MAPTI, MAPI, RESTORE_TABLES): both
 * then leave the same pending state and the same table behind. The LPI is
 * not visible to anyone yet: no lock needed.
 */
static int take_pending_bit(struct vgic3 *gic, struct vgic3_cpu *cpu,
			    struct vgic_irq *irq, struct lpi_windows *win)
{
	u64 gpa = GICR_PENDBASER_ADDRESS(cpu->pendbaser) + irq->intid / 8;
	u8 bit = BIT(irq->intid % 8);
	u8 pend;
	int ret;

	ret = win_read(gic, win ? &win->pend : NULL, gpa, &pend);
	if (ret)
		return ret;
	irq->pending_latch = pend & bit;
	if (!irq->pending_latch)
		return 0;
	return win_write(gic, win, gpa, pend & ~bit);
}

static bool lpi_intid_valid(u32 intid)
{
	return intid >= VGIC3_LPI_BASE && intid <= LPI_MAX_INTID;
}

/* A held reference to the LPI of @intid, NULL if there is none. */
static struct vgic_irq *lpi_find(struct vgic3 *gic, u32 intid)
{
	struct vgic_irq *irq;

	rcu_read_lock();
	irq = xa_load(gic->lpis, intid);
	if (irq && !kref_get_unless_zero(&irq->refcount))
		irq = NULL;
	rcu_read_unlock();
	return irq;
}

/*
 * A new LPI's state from the guest's tables: priority and enable from the
 * property table, the pending bit taken out of @cpu's pending table (@cpu
 * is NULL before INIT: no pending table to take it from), through @win
 * if not NULL.
 */
static int lpi_load(struct vgic3 *gic, struct vgic3_cpu *cpu,
		    struct vgic_irq *irq, struct lpi_windows *win)
{
	u64 gpa = GICR_PROPBASER_ADDRESS(gic->propbaser) + irq->intid -
		  VGIC3_LPI_BASE;
	u8 prop;
	int ret;

	ret = win_read(gic, win ? &win->prop : NULL, gpa, &prop);
	if (ret)
		return ret;
	irq->enabled = prop & LPI_PROP_ENABLED;
	irq->priority = LPI_PRIORITY(prop);
	return cpu ? take_pending_bit(gic, cpu, irq, win) : 0;
}

/* A new LPI of @intid routed to @vcpu, loaded from the tables, unpublished. */
static struct vgic_irq *lpi_alloc(struct vgic3 *gic, u32 intid,
				  struct kvm_vcpu *vcpu, struct vgic3_cpu *cpu,
				  struct lpi_windows *win)
{
	struct vgic_irq *irq = kzalloc(sizeof(*irq), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!irq)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&irq->ap_list);
	raw_spin_lock_init(&irq->irq_lock);
	kref_init(&irq->refcount);
	irq->intid = intid;
	irq->config = VGIC_CONFIG_EDGE;
	irq->group = 1;
	irq->target_vcpu = vcpu;
	ret = lpi_load(gic, cpu, irq, win);
	if (ret) {
		kfree(irq);
		return ERR_PTR(ret);
	}
	return irq;
}

/*
 * Publish a new LPI in lpi_xa. Only this layer adds LPIs, under gic->lock,
 * after lpi_find_next() found none alive: an entry still there is one whose
 * last reference was just put, which its putter erases (vgic_put_irq()
 * erases by INTID, vgic3_lpi_put_flush() too, after the rest of an ITS's
 * DISCARDs, which may sleep). Wait for that rather than overwrite it and
 * have the new LPI erased in its place.
 */
static int lpi_publish(struct vgic3 *gic, struct vgic_irq *irq)
{
	int ret;

	while ((ret = xa_insert_irq(gic->lpis, irq->intid, irq,
				    GFP_KERNEL_ACCOUNT)) == -EBUSY)
		cond_resched();
	return ret;
}

/*
 * An LPI found alive: another ITE maps it. Its target moves only under
 * gic->lock (here, retarget, MOVALL): read without irq_lock, and only a
 * move needs the core (RESTORE_TABLES maps most LPIs again). Does not
 * sleep.
 */
static void lpi_route_found(struct vgic3 *gic, struct vgic_irq *irq,
			    struct kvm_vcpu *target)
{
	lockdep_assert_held(&gic->lock);
	if (READ_ONCE(irq->target_vcpu) != target)
		vgic3_irq_set_target(&gic->host, irq, target);
}

/*
 * lpi_find() of @intid from where @xas stands, under RCU: the LPI after
 * the one @xas found is one step away (RESTORE_TABLES's ITEs name LPIs in
 * runs of consecutive INTIDs), where xa_load() walks from the root. NULL:
 * no LPI alive has @intid, and none can appear while gic->lock is held.
 */
static struct vgic_irq *lpi_find_next(struct xa_state *xas, u32 intid)
{
	struct vgic_irq *irq;

	if (!xas_invalid(xas) && intid == xas->xa_index + 1) {
		irq = xas_next(xas);
	} else {
		xas_set(xas, intid);
		irq = xas_load(xas);
	}
	/* A node going away under us: look again from the root. */
	while (xa_is_retry(irq)) {
		xas_reset(xas);
		irq = xas_load(xas);
	}
	if (!irq || xa_is_internal(irq) ||
	    !kref_get_unless_zero(&irq->refcount))
		return NULL;
	return irq;
}

/*
 * vgic3_lpi_get() of @intid, a valid INTID that lpi_find_next() found no
 * LPI alive for, for @target (@cpu's vCPU): a new LPI, which reads the
 * tables through @win.
 */
static struct vgic_irq *lpi_new_locked(struct vgic3 *gic, u32 intid,
				       struct kvm_vcpu *target,
				       struct vgic3_cpu *cpu,
				       struct lpi_windows *win)
{
	struct vgic_irq *irq;
	unsigned long flags;
	int ret;

	lockdep_assert_held(&gic->lock);
	irq = lpi_alloc(gic, intid, target, cpu, win);
	if (IS_ERR(irq))
		return irq;
	ret = lpi_publish(gic, irq);
	if (ret) {
		kfree(irq);
		return ERR_PTR(ret);
	}
	/* Pending from its table: deliverable now. */
	if (irq->pending_latch) {
		flags = vgic3_irq_lock(irq);
		vgic3_irq_queue(&gic->host, irq, flags);
	}
	return irq;
}

static bool lpis_enabled_on(struct vgic3_cpu *cpu)
{
	return cpu && cpu->enable_lpis;
}

/* vgic3_lpi_get_run(), and whether @vcpu takes LPIs if @lpis_on. */
static __vgic3_hot unsigned int lpi_get_run(struct vgic3 *gic,
					    const u32 *intids, unsigned int n,
					    unsigned int vcpu,
					    struct vgic_irq **irqs, int *err,
					    bool *lpis_on)
{
	XA_STATE(xas, gic->lpis, 0);
	struct lpi_windows *win = NULL;
	struct vgic3_cpu *cpu = NULL;
	struct kvm_vcpu *target;
	struct vgic_irq *irq;
	unsigned int i = 0;

	*err = 0;
	/* Worth it from a few LPIs on; without it, one byte at a time. */
	if (n > 1)
		win = kzalloc(sizeof(*win), GFP_KERNEL);
	mutex_lock(&gic->lock);
	if (vcpu >= vgic3_nr_vcpus_locked(gic)) {
		*err = -EINVAL;
		goto out;
	}
	cpu = cpu_at(gic, vcpu);
	target = vcpu_of(gic, vcpu);
	/*
	 * LPIs that exist are found under RCU, one step from the last; only
	 * a new one (which sleeps: allocation, guest reads) leaves it.
	 */
	rcu_read_lock();
	for (; i < n; i++) {
		if (!lpi_intid_valid(intids[i])) {
			*err = -EINVAL;
			break;
		}
		irq = lpi_find_next(&xas, intids[i]);
		if (irq) {
			lpi_route_found(gic, irq, target);
			irqs[i] = irq;
			continue;
		}
		rcu_read_unlock();
		irq = lpi_new_locked(gic, intids[i], target, cpu, win);
		rcu_read_lock();
		xas_set(&xas, intids[i]);
		if (IS_ERR(irq)) {
			*err = PTR_ERR(irq);
			break;
		}
		irqs[i] = irq;
	}
	rcu_read_unlock();
	if (lpis_on)
		*lpis_on = lpis_enabled_on(cpu);
out:
	mutex_unlock(&gic->lock);
	kfree(win);
	return i;
}

__vgic3_hot struct vgic_irq *vgic3_lpi_get(struct vgic3 *gic, u32 intid,
					   unsigned int vcpu, bool *lpis_on)
{
	struct vgic_irq *irq;
	int err;

	return lpi_get_run(gic, &intid, 1, vcpu, &irq, &err, lpis_on) ?
	       irq : ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_get);

unsigned int vgic3_lpi_get_run(struct vgic3 *gic, const u32 *intids,
			       unsigned int n, unsigned int vcpu,
			       struct vgic_irq **irqs, int *err)
{
	return lpi_get_run(gic, intids, n, vcpu, irqs, err, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_get_run);

__vgic3_hot void vgic3_lpi_put(struct vgic3 *gic, struct vgic_irq *irq)
{
	gic->host.ops->put_lpi(&gic->host, irq);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_put);

/*
 * LPIs out of lpi_xa, freed together after RCU by vgic3_lpi_put_flush(),
 * in a worker as kfree_rcu() frees: an RCU callback would free them in
 * softirq, on the CPU and in the time of whatever runs there next.
 */
struct lpi_grave {
	struct rcu_work rwork;
	unsigned int nr;
	struct vgic_irq *irq[VGIC3_LPI_PUTS];
};

static struct workqueue_struct *lpi_free_wq;

static void lpi_grave_free(struct work_struct *work)
{
	struct lpi_grave *g = container_of(to_rcu_work(work), struct lpi_grave,
					   rwork);

	kfree_bulk(g->nr, (void **)g->irq);
	kfree(g);
}

int vgic3_lpi_init(void)
{
	lpi_free_wq = alloc_workqueue("kvm_vgic3_lpi_free", 0, 0);
	return lpi_free_wq ? 0 : -ENOMEM;
}

/* The frees above are the module's code: they end before it goes. */
void vgic3_lpi_exit(void)
{
	rcu_barrier();
	destroy_workqueue(lpi_free_wq);
}

/*
 * What vgic_put_irq() does with an LPI's last reference, in two steps: the
 * count now, the erase and the free at the flush (struct vgic3_lpi_puts).
 */
__vgic3_hot void vgic3_lpi_put_later(struct vgic3 *gic,
				     struct vgic3_lpi_puts *p,
				     struct vgic_irq *irq)
{
	if (!refcount_dec_and_test(&irq->refcount.refcount))
		return;
	p->irq[p->nr++] = irq;
	if (p->nr == ARRAY_SIZE(p->irq))
		vgic3_lpi_put_flush(gic, p);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_put_later);

__vgic3_hot void vgic3_lpi_put_flush(struct vgic3 *gic,
				     struct vgic3_lpi_puts *p)
{
	struct lpi_grave *g;
	unsigned long flags;
	unsigned int i;

	if (!p->nr)
		return;
	xa_lock_irqsave(gic->lpis, flags);
	for (i = 0; i < p->nr; i++)
		__xa_erase(gic->lpis, p->irq[i]->intid);
	xa_unlock_irqrestore(gic->lpis, flags);
	/*
	 * Lockless lookups (the core's, lpi_find_next()) may still read them:
	 * one RCU work item for all; kfree_rcu() for one alone (a guest's
	 * DISCARD per CWRITER store), or each when there is no memory.
	 */
	g = p->nr > 1 ? kmalloc(sizeof(*g), GFP_NOWAIT | __GFP_NOWARN) : NULL;
	if (g) {
		g->nr = p->nr;
		memcpy(g->irq, p->irq, p->nr * sizeof(*p->irq));
		INIT_RCU_WORK(&g->rwork, lpi_grave_free);
		queue_rcu_work(lpi_free_wq, &g->rwork);
	} else {
		for (i = 0; i < p->nr; i++)
			kfree_rcu(p->irq[i], rcu);
	}
	p->nr = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_put_flush);

/*
 * Return: whether @vcpu takes LPIs (EnableLPIs), read under the same lock
 * (the ITS's translation for the LPI depends on it: its_ite_route()), or
 * -EINVAL for a vCPU that does not exist.
 */
__vgic3_hot int vgic3_lpi_retarget(struct vgic3 *gic, struct vgic_irq *irq,
				   unsigned int vcpu)
{
	int ret = -EINVAL;

	mutex_lock(&gic->lock);
	if (vcpu < vgic3_nr_vcpus_locked(gic)) {
		vgic3_irq_set_target(&gic->host, irq, vcpu_of(gic, vcpu));
		ret = lpis_enabled_on(cpu_at(gic, vcpu));
	}
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_retarget);

/**
 * vgic3_lpi_pend - set or clear the pending latch of a held LPI
 * @gic: the vGICv3
 * @irq: from vgic3_lpi_get(), reference still held
 * @pending: the new latch
 *
 * INT, CLEAR and the module's own MSI paths (GRP_MSI, a guest's
 * GITS_TRANSLATER store): no lookup; a pending LPI goes to its vCPU.
 *
 * Return: 0, or -EBUSY when @pending and the target's EnableLPIs is clear.
 */
__vgic3_hot int vgic3_lpi_pend(struct vgic3 *gic, struct vgic_irq *irq,
			       bool pending)
{
	unsigned long flags;
	int ret = 0;

	mutex_lock(&gic->lock);
	if (pending && !lpis_enabled_on(lpi_cpu(gic, irq))) {
		/*
		 * A redistributor with EnableLPIs clear takes no LPI: the
		 * interrupt is dropped (INT, MSI), as KVM does; CLEAR works.
		 */
		ret = -EBUSY;
	} else {
		flags = vgic3_irq_lock(irq);
		irq->pending_latch = pending;
		if (pending)
			vgic3_irq_queue(&gic->host, irq, flags);
		else
			vgic3_irq_unlock(irq, flags);
	}
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_pend);

bool vgic3_lpi_is_pending(struct vgic3 *gic, u32 intid)
{
	struct vgic_irq *irq = lpi_find(gic, intid);
	struct vgic3_irq_view view;

	if (!irq)
		return false;
	vgic3_irq_read(irq, &view);
	vgic3_lpi_put(gic, irq);
	return view.latch;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_is_pending);

/*
 * Call @fn on every LPI, each held by a reference for the call (@fn may
 * sleep: it reads guest memory); stops at the first error.
 */
static int lpi_walk(struct vgic3 *gic,
		    int (*fn)(struct vgic3 *gic, struct vgic_irq *irq,
			      void *arg), void *arg)
{
	struct vgic_irq *irq;
	unsigned long intid;
	int ret = 0;

	rcu_read_lock();
	xa_for_each(gic->lpis, intid, irq) {
		if (!kref_get_unless_zero(&irq->refcount))
			continue;
		rcu_read_unlock();
		ret = fn(gic, irq, arg);
		vgic3_lpi_put(gic, irq);
		rcu_read_lock();
		if (ret)
			break;
	}
	rcu_read_unlock();
	return ret;
}

int vgic3_lpi_inv_locked(struct vgic3 *gic, u32 intid)
{
	struct vgic_irq *irq = lpi_find(gic, intid);
	int ret;

	lockdep_assert_held(&gic->lock);
	if (!irq)
		return -ENOENT;
	ret = read_config(gic, irq);
	vgic3_lpi_put(gic, irq);
	return ret;
}

__vgic3_hot int vgic3_lpi_reload(struct vgic3 *gic, struct vgic_irq *irq)
{
	int ret;

	mutex_lock(&gic->lock);
	ret = read_config(gic, irq);
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_reload);

static bool routed_to(struct vgic_irq *irq, struct kvm_vcpu *vcpu)
{
	return READ_ONCE(irq->target_vcpu) == vcpu;
}

static int reload_if_on(struct vgic3 *gic, struct vgic_irq *irq, void *vcpu)
{
	return routed_to(irq, vcpu) ? read_config(gic, irq) : 0;
}

int vgic3_lpi_invall_locked(struct vgic3 *gic, unsigned int vcpu)
{
	lockdep_assert_held(&gic->lock);
	return lpi_walk(gic, reload_if_on, vcpu_of(gic, vcpu));
}

int vgic3_lpi_invall(struct vgic3 *gic, unsigned int vcpu)
{
	int ret = -EINVAL;

	mutex_lock(&gic->lock);
	if (vcpu < vgic3_nr_vcpus_locked(gic))
		ret = vgic3_lpi_invall_locked(gic, vcpu);
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_invall);

/* LPIs a walk under RCU visits before it lets the CPU go. */
#define LPI_WALK_BATCH	1024

/*
 * MOVALL visits every LPI and moves those on @from. Nothing of it sleeps,
 * so one walk under RCU (which keeps the LPIs' memory) does it, and only
 * an LPI that moves is held, for its move: lpi_walk() takes and puts a
 * reference on each LPI and walks lpi_xa from the root for each, which
 * made a guest's MOVALL slower than the in-kernel ITS's.
 */
static void lpi_move_all(struct vgic3 *gic, struct kvm_vcpu *from,
			 struct kvm_vcpu *to)
{
	XA_STATE(xas, gic->lpis, 0);
	struct vgic_irq *irq;
	unsigned int n = 0;

	rcu_read_lock();
	xas_for_each(&xas, irq, ULONG_MAX) {
		if (xas_retry(&xas, irq))
			continue;
		if (routed_to(irq, from) &&
		    kref_get_unless_zero(&irq->refcount)) {
			vgic3_irq_set_target(&gic->host, irq, to);
			vgic3_lpi_put(gic, irq);
		}
		if (++n % LPI_WALK_BATCH)
			continue;
		xas_pause(&xas);
		rcu_read_unlock();
		cond_resched();
		rcu_read_lock();
	}
	rcu_read_unlock();
}

int vgic3_lpi_movall(struct vgic3 *gic, unsigned int from, unsigned int to)
{
	unsigned int nr;
	int ret = -EINVAL;

	mutex_lock(&gic->lock);
	nr = vgic3_nr_vcpus_locked(gic);
	if (from < nr && to < nr) {
		lpi_move_all(gic, vcpu_of(gic, from), vcpu_of(gic, to));
		ret = 0;
	}
	mutex_unlock(&gic->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_movall);

/*
 * Without the vGICv3 lock: PROPBASER can change as soon as a lock taken
 * here would be dropped, so the value read is as good either way (a
 * command that races the guest's own PROPBASER write is checked against
 * the old or the new one); PROPBASER is stored with WRITE_ONCE().
 */
__vgic3_hot u32 vgic3_lpi_nr_intids(struct vgic3 *gic)
{
	u64 propbaser = READ_ONCE(gic->propbaser);
	u32 idbits = FIELD_GET(GICR_PROPBASER_IDBITS_MASK, propbaser) + 1;

	return BIT(min_t(u32, idbits, VGIC3_INTID_BITS));
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_nr_intids);

struct pend_walk {
	struct vgic3_cpu *cpu;
	u64 last;
	u8 byte;
};

/* One pending bit from @cpu's table, read a byte at a time. */
static int load_pending(struct vgic3 *gic, struct vgic_irq *irq, void *arg)
{
	struct pend_walk *w = arg;
	unsigned long flags;
	u64 gpa;
	int ret;

	if (!routed_to(irq, w->cpu->vcpu))
		return 0;
	gpa = GICR_PENDBASER_ADDRESS(w->cpu->pendbaser) + irq->intid / 8;
	if (gpa != w->last) {
		ret = pending_byte(gic, w->cpu, irq->intid, &gpa, &w->byte);
		if (ret)
			return ret;
		w->last = gpa;
	}
	flags = vgic3_irq_lock(irq);
	irq->pending_latch = w->byte & BIT(irq->intid % 8);
	vgic3_irq_queue(&gic->host, irq, flags);
	return 0;
}

/*
 * EnableLPIs 0 -> 1: the pending table of @cpu is read in, unless
 * GICR_PENDBASER.PTZ says it is all zeroes; then it is not read at all and
 * the LPIs keep the pending state they have, as in KVM. Unlike a new LPI's
 * bit, these bits are left in the table.
 */
int vgic3_lpi_enable(struct vgic3 *gic, struct vgic3_cpu *cpu)
{
	struct pend_walk w = { .cpu = cpu, .last = ~0ULL };

	lockdep_assert_held(&gic->lock);
	cpu->enable_lpis = true;
	gic->lpis_changed = true;
	if (cpu->pendbaser & GICR_PENDBASER_PTZ)
		return 0;
	return lpi_walk(gic, load_pending, &w);
}

/*
 * EnableLPIs 1 -> 0: KVM drops the LPIs queued on the vCPU (their pending
 * state goes); pending ones that were not queued (disabled) stay pending.
 */
void vgic3_lpi_disable(struct vgic3 *gic, struct vgic3_cpu *cpu)
{
	lockdep_assert_held(&gic->lock);
	cpu->enable_lpis = false;
	gic->lpis_changed = true;
	gic->host.ops->flush_lpis(&gic->host, cpu->idx);
}

/*
 * SAVE_PENDING_TABLES keeps a window of up to SAVE_WINDOW bytes of one
 * pending table, never across a 4K page (a page is backed, and writable,
 * as a whole or not at all): the LPIs come in INTID order, so most of
 * them share the window their predecessor loaded, and the bytes that
 * changed go back in one write when the walk leaves the window.
 */
#define SAVE_WINDOW	64
#define SAVE_PAGE	SZ_4K

struct save_walk {
	u64 gpa;		/* of buf[0] */
	unsigned int len;	/* bytes loaded, 0: none */
	unsigned int lo, hi;	/* changed bytes: [lo, hi), lo == hi: none */
	u8 buf[SAVE_WINDOW];
};

static int save_flush(struct vgic3 *gic, struct save_walk *w)
{
	unsigned int lo = w->lo, hi = w->hi;

	w->lo = w->hi = 0;
	if (lo == hi)
		return 0;
	return vgic3_write_guest(&gic->host, w->gpa + lo, w->buf + lo, hi - lo);
}

/* The window holding the byte at @gpa: flush the old one, load anew. */
static int save_load(struct vgic3 *gic, struct save_walk *w, u64 gpa)
{
	unsigned int len = min_t(u64, SAVE_WINDOW,
				 SAVE_PAGE - (gpa & (SAVE_PAGE - 1)));
	int ret;

	ret = save_flush(gic, w);
	if (ret)
		return ret;
	w->len = 0;
	ret = vgic3_read_guest(&gic->host, gpa, w->buf, len);
	if (ret)
		return ret;
	w->gpa = gpa;
	w->len = len;
	return 0;
}

static int save_pending(struct vgic3 *gic, struct vgic_irq *irq,
			struct save_walk *w)
{
	struct vgic3_cpu *cpu = lpi_cpu(gic, irq);
	u8 bit = BIT(irq->intid % 8);
	unsigned int off;
	bool latch;
	u64 gpa;
	int ret;

	if (!cpu)
		return 0;
	gpa = GICR_PENDBASER_ADDRESS(cpu->pendbaser) + irq->intid / 8;
	if (!w->len || gpa < w->gpa || gpa - w->gpa >= w->len) {
		ret = save_load(gic, w, gpa);
		if (ret)
			return ret;
	}
	off = gpa - w->gpa;
	latch = vgic3_irq_latch(irq);
	if (!!(w->buf[off] & bit) == latch)
		return 0;
	w->buf[off] ^= bit;
	if (w->lo == w->hi) {
		w->lo = off;
		w->hi = off + 1;
	} else {
		w->lo = min(w->lo, off);
		w->hi = max(w->hi, off + 1);
	}
	return 0;
}

/*
 * SAVE_PENDING_TABLES: each LPI's pending bit goes to its vCPU's table.
 * Only bytes of mapped LPIs (INTID >= 8192) are touched, so the first 1KB
 * of each table stays as it was. Called with gic->lock held.
 */
int vgic3_save_pending_tables(struct vgic3 *gic)
{
	struct save_walk w = { .len = 0 };
	struct vgic_irq *irq;
	unsigned long intid;
	int ret;

	lockdep_assert_held(&gic->lock);
	if (!gic->initialized)
		return -ENXIO;
	/*
	 * No reference is taken on the LPIs visited (KVM's own save does
	 * not either): the caller holds every vCPU, so no ITS command (from a
	 * guest or an ITS attribute, which takes the vCPUs too), no EnableLPIs
	 * write and no list-register sync runs, and those are what drop an
	 * LPI's last reference; an MSI only borrows one from a translation
	 * that stays.
	 */
	xa_for_each(gic->lpis, intid, irq) {
		ret = save_pending(gic, irq, &w);
		if (ret)
			return ret;
	}
	return save_flush(gic, &w);
}

bool vgic3_lpi_enabled_on(struct vgic3 *gic, unsigned int vcpu)
{
	bool on;

	mutex_lock(&gic->lock);
	on = lpis_enabled_on(cpu_at(gic, vcpu));
	mutex_unlock(&gic->lock);
	return on;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_enabled_on);

void vgic3_lpi_listen(struct vgic3 *gic, struct vgic3_lpi_listener *l)
{
	mutex_lock(&gic->listen_lock);
	list_add_tail(&l->node, &gic->lpi_listeners);
	mutex_unlock(&gic->listen_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_listen);

void vgic3_lpi_unlisten(struct vgic3 *gic, struct vgic3_lpi_listener *l)
{
	mutex_lock(&gic->listen_lock);
	list_del_init(&l->node);
	mutex_unlock(&gic->listen_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_unlisten);

/*
 * EnableLPIs moves under gic->lock, from a register write; the listeners
 * (ITSes) take their own lock before gic->lock, so they hear of it after
 * the write, from whoever made it (vgic3_mmio_bus_write(), the attribute
 * path), before that returns to the guest or to userspace.
 */
void vgic3_lpi_notify(struct vgic3 *gic)
{
	struct vgic3_lpi_listener *l;
	bool changed;

	if (!READ_ONCE(gic->lpis_changed))
		return;
	mutex_lock(&gic->listen_lock);
	mutex_lock(&gic->lock);
	changed = gic->lpis_changed;
	gic->lpis_changed = false;
	mutex_unlock(&gic->lock);
	if (changed) {
		list_for_each_entry(l, &gic->lpi_listeners, node)
			l->lpis_changed(l);
	}
	mutex_unlock(&gic->listen_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_lpi_notify);
