// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS's mappings, its authoritative state (not a cache of the guest's
 * tables): devices by DeviceID, ITEs by EventID within a device,
 * collections by ICID, all in xarrays so that no command walks more than
 * the entries it concerns. Each collection also lists its ITEs,
 * so that MAPC can reroute them without a scan of every device.
 *
 * All functions here are called with the ITS lock held.
 */
#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "its.h"
#include "api.h"

__vgic3_hot struct its_dev *its_find_dev(struct vgic3_its *its, u32 devid)
{
	lockdep_assert_held(&its->lock);
	return xa_load(&its->devs, devid);
}
EXPORT_SYMBOL_IF_KUNIT(its_find_dev);

__vgic3_hot struct its_ite *its_find_ite(struct vgic3_its *its, u32 devid,
					 u32 event)
{
	struct its_dev *dev = its_find_dev(its, devid);

	return dev ? xa_load(&dev->ites, event) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(its_find_ite);

__vgic3_hot struct its_coll *its_find_coll(struct vgic3_its *its, u32 icid)
{
	lockdep_assert_held(&its->lock);
	return xa_load(&its->colls, icid);
}
EXPORT_SYMBOL_IF_KUNIT(its_find_coll);

__vgic3_hot struct its_dev *its_dev_new(struct vgic3_its *its, u32 devid,
					u64 itt, u8 nbits)
{
	struct its_dev *dev;
	int ret;

	lockdep_assert_held(&its->lock);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->id = devid;
	dev->itt = itt;
	dev->nbits = nbits;
	xa_init(&dev->ites);

	ret = xa_insert(&its->devs, devid, dev, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(dev);
		return ERR_PTR(ret);
	}
	its->nr_devs++;
	return dev;
}

static void its_ite_unlink(struct vgic3_its *its, struct its_ite *ite,
			   bool later);
static struct kmem_cache *its_ite_cache;

/*
 * Up to ITS_ITE_RUN ITEs of @xas's device from where it stands, read under
 * RCU in one walk (xa_for_each() would walk from the root for each).
 */
static unsigned int its_ite_gather(struct xa_state *xas,
				   struct its_ite **ites)
{
	struct its_ite *ite;
	unsigned int n = 0;

	rcu_read_lock();
	xas_for_each(xas, ite, ULONG_MAX) {
		if (xas_retry(xas, ite))
			continue;
		ites[n++] = ite;
		if (n == ITS_ITE_RUN) {
			xas_pause(xas);
			break;
		}
	}
	rcu_read_unlock();
	return n;
}

/*
 * Unmapping a device with live ITEs is UNPREDICTABLE: drop them all. They
 * are released a run at a time without being erased from the device's
 * ITEs, whose xarray then goes whole: nothing reads it without the ITS
 * lock. Per ITE, an erase or a lookup walked from the root, or a free of
 * its own, made destroying a VM of 1M events 3-4x slower than the
 * in-kernel ITS (scale_vm_destroy, Documentation/benchmarks.rst); their
 * LPIs leave lpi_xa a run at a time too.
 */
__vgic3_hot void its_dev_free(struct vgic3_its *its, struct its_dev *dev)
{
	XA_STATE(xas, &dev->ites, 0);
	struct its_ite *ites[ITS_ITE_RUN];
	unsigned int n, i;

	lockdep_assert_held(&its->lock);
	do {
		n = its_ite_gather(&xas, ites);
		for (i = 0; i < n; i++)
			its_ite_unlink(its, ites[i], true);
		its->lpi->put_flush(its->gic, &its->puts);
		if (n)
			kmem_cache_free_bulk(its_ite_cache, n, (void **)ites);
	} while (n == ITS_ITE_RUN);
	xa_destroy(&dev->ites);
	xa_erase(&its->devs, dev->id);
	its->nr_devs--;
	kfree(dev);
}

void its_free_all_devs(struct vgic3_its *its)
{
	struct its_dev *dev;
	unsigned long id;

	lockdep_assert_held(&its->lock);
	xa_for_each(&its->devs, id, dev)
		its_dev_free(its, dev);
}

struct its_coll *its_coll_new(struct vgic3_its *its, u32 icid, u32 target)
{
	struct its_coll *coll;
	int ret;

	lockdep_assert_held(&its->lock);
	coll = kzalloc(sizeof(*coll), GFP_KERNEL_ACCOUNT);
	if (!coll)
		return ERR_PTR(-ENOMEM);
	coll->icid = icid;
	coll->target = target;
	INIT_LIST_HEAD(&coll->ites);

	ret = xa_insert(&its->colls, icid, coll, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(coll);
		return ERR_PTR(ret);
	}
	list_add_tail(&coll->node, &its->coll_order);
	its->nr_colls++;
	return coll;
}

/*
 * MAPC V=0: the collection goes, its ITEs stay with a dangling ICID (they
 * keep their LPI and its last target, but no longer translate).
 */
void its_coll_free(struct vgic3_its *its, struct its_coll *coll)
{
	struct its_ite *ite, *tmp;

	lockdep_assert_held(&its->lock);
	list_for_each_entry_safe(ite, tmp, &coll->ites, coll_node) {
		its_doorbell_forget(its, ite);
		list_del_init(&ite->coll_node);
		ite->coll = NULL;
	}
	xa_erase(&its->colls, coll->icid);
	list_del(&coll->node);
	its->nr_colls--;
	kfree(coll);
}

void its_free_all_colls(struct vgic3_its *its)
{
	struct its_coll *coll, *tmp;

	lockdep_assert_held(&its->lock);
	list_for_each_entry_safe(coll, tmp, &its->coll_order, node)
		its_coll_free(its, coll);
}

__vgic3_hot void its_ite_set_coll(struct its_ite *ite, struct its_coll *coll)
{
	list_del_init(&ite->coll_node);
	ite->coll = coll;
	if (coll)
		list_add_tail(&ite->coll_node, &coll->ites);
}

/*
 * Route @ite's LPI to its collection's target. An ITE whose collection has
 * no target yet holds no LPI reference; it takes one when MAPC maps the
 * collection.
 */
__vgic3_hot int its_ite_route(struct vgic3_its *its, struct its_ite *ite)
{
	struct vgic_irq *irq;
	bool lpis_on;
	int ret;

	lockdep_assert_held(&its->lock);
	if (!its_coll_is_mapped(ite->coll))
		return 0;
	if (ite->irq) {
		/* Whether the new target takes LPIs comes with the move. */
		ret = its->lpi->retarget(its->gic, ite->irq,
					   ite->coll->target);
		return ret < 0 ? ret : its_doorbell_routed(its, ite, ret);
	}
	irq = its->lpi->get(its->gic, ite->intid, ite->coll->target,
			    &lpis_on);
	if (IS_ERR(irq))
		return PTR_ERR(irq);
	ite->irq = irq;
	return its_doorbell_routed(its, ite, lpis_on);
}

__vgic3_hot int its_coll_route(struct vgic3_its *its, struct its_coll *coll)
{
	struct its_ite *ite;
	int ret = 0;

	lockdep_assert_held(&its->lock);
	list_for_each_entry(ite, &coll->ites, coll_node)
		ret = its_ite_route(its, ite) ?: ret;
	return ret;
}

/*
 * ITEs are the ITS's most numerous objects (one per mapped event): a cache
 * of their own packs them at their size (48 bytes) instead of kmalloc-64.
 */

int vgic3_its_cache_init(void)
{
	its_ite_cache = KMEM_CACHE(its_ite, SLAB_ACCOUNT);
	return its_ite_cache ? 0 : -ENOMEM;
}

void vgic3_its_cache_exit(void)
{
	kmem_cache_destroy(its_ite_cache);
}

/* A new ITE in @dev's ITEs and @coll's list, not routed yet. */
static struct its_ite *its_ite_insert(struct its_dev *dev, u32 event,
				      u32 intid, struct its_coll *coll)
{
	struct its_ite *ite;
	int ret;

	ite = kmem_cache_zalloc(its_ite_cache, GFP_KERNEL_ACCOUNT);
	if (!ite)
		return ERR_PTR(-ENOMEM);
	ite->dev = dev;
	ite->event = event;
	ite->intid = intid;
	INIT_LIST_HEAD(&ite->coll_node);

	ret = xa_insert(&dev->ites, event, ite, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kmem_cache_free(its_ite_cache, ite);
		return ERR_PTR(ret);
	}
	dev->nr_ites++;
	its_ite_set_coll(ite, coll);
	return ite;
}

/*
 * A routed LPI reads its configuration when it is mapped; an unrouted one
 * must be configurable all the same, as in KVM.
 */
static int its_ite_connect(struct vgic3_its *its, struct its_ite *ite)
{
	if (its_coll_is_mapped(ite->coll))
		return its_ite_route(its, ite);
	return its->lpi->config_readable(its->gic, ite->intid);
}

/**
 * its_ite_new - map (@dev, @event) to LPI @intid through @coll
 * @its: the ITS
 * @dev: the device
 * @event: EventID, not mapped yet
 * @intid: the LPI
 * @coll: its collection, mapped or not
 *
 * Return: the ITE, or an ERR_PTR (-ENOMEM, or the LPI layer's error when
 * the LPI cannot be routed or configured), and then nothing was changed.
 */
__vgic3_hot struct its_ite *its_ite_new(struct vgic3_its *its,
					struct its_dev *dev, u32 event,
					u32 intid, struct its_coll *coll)
{
	struct its_ite *ite;
	int ret;

	lockdep_assert_held(&its->lock);
	ite = its_ite_insert(dev, event, intid, coll);
	if (IS_ERR(ite))
		return ite;
	ret = its_ite_connect(its, ite);
	if (ret) {
		its_ite_free(its, ite);
		return ERR_PTR(ret);
	}
	return ite;
}

/*
 * The ITEs of a run come out of the cache in bulk: one kmem_cache_zalloc()
 * per ITE measured 0.5-1 us under TCG (RESTORE_TABLES of 1M events,
 * Documentation/benchmarks.rst), kmem_cache_alloc_bulk() takes a batch off
 * the CPU's freelist under one lock.
 */
static struct its_ite *its_ite_alloc(struct its_ite_pool *pool)
{
	if (!pool->nr)
		pool->nr = kmem_cache_alloc_bulk(its_ite_cache,
						 GFP_KERNEL_ACCOUNT | __GFP_ZERO,
						 ITS_ITE_RUN, pool->ite);
	return pool->nr ? pool->ite[--pool->nr] : NULL;
}

/* Give back the ITEs a pool still holds. */
void its_ite_pool_drain(struct its_ite_pool *pool)
{
	if (pool->nr)
		kmem_cache_free_bulk(its_ite_cache, pool->nr, pool->ite);
	pool->nr = 0;
}

/*
 * Insert @n ITEs, in increasing EventID order, into @dev's ITEs under one
 * lock, each from where the one before was stored (xas_next()) instead of
 * a walk from the root per ITE, which is most of an xa_insert().
 * Return: 0, or -ENOMEM or -EBUSY for ITE *@done, the first not inserted.
 */
static int its_ite_link_run(struct its_dev *dev, struct its_ite **ites,
			    unsigned int n, unsigned int *done)
{
	XA_STATE(xas, &dev->ites, n ? ites[0]->event : 0);
	void *curr;

	*done = 0;
	if (!n)
		return 0;
	do {
		xas_lock(&xas);
		while (*done < n) {
			struct its_ite *ite = ites[*done];

			if (!xas_invalid(&xas) && ite->event == xas.xa_index + 1) {
				curr = xas_next(&xas);
			} else {
				xas_set(&xas, ite->event);
				curr = xas_load(&xas);
			}
			if (curr) {
				xas_set_err(&xas, -EBUSY);
				break;
			}
			xas_store(&xas, ite);
			if (xas_error(&xas))
				break;
			(*done)++;
		}
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL_ACCOUNT));
	return xas_error(&xas);
}

/*
 * Route new ITEs, in order, as long as their collections are mapped: the
 * LPIs of consecutive ones routed to one vCPU in one call of the LPI
 * layer (which is optional: KUnit's fake has none). Only for a disabled
 * ITS, which has no translation to update (its_doorbell_routed() would do
 * nothing, and cannot fail between two LPIs got together).
 * Return: how many of @ites are routed; *@err for the one after, if any.
 */
static unsigned int its_ite_route_run(struct vgic3_its *its,
				      struct its_ite **ites, unsigned int n,
				      int *err)
{
	struct vgic_irq *irqs[ITS_ITE_RUN];
	u32 intids[ITS_ITE_RUN];
	unsigned int i = 0, j, k, got;

	*err = 0;
	if (!its->lpi->get_run || its->enabled)
		return 0;
	while (i < n && its_coll_is_mapped(ites[i]->coll)) {
		u32 target = ites[i]->coll->target;

		for (j = i; j < n && its_coll_is_mapped(ites[j]->coll) &&
			    ites[j]->coll->target == target; j++)
			intids[j - i] = ites[j]->intid;
		got = its->lpi->get_run(its->gic, intids, j - i, target, irqs,
					err);
		for (k = 0; k < got; k++)
			ites[i + k]->irq = irqs[k];
		i += got;
		if (*err)
			break;
	}
	return i;
}

/**
 * its_ite_new_run - its_ite_new() for a run of ITEs of one device
 * @its: the ITS
 * @pool: where the ITEs come from (the caller drains it when done)
 * @dev: the device
 * @spec: @n ITEs to make, in increasing EventID order, none mapped yet
 * @n: at most ITS_ITE_RUN
 * @err: the error of the first ITE not made
 *
 * The ITEs are made and inserted first, then routed (or their LPI checked
 * configurable) in order: a failing ITE fails as its_ite_new() would
 * have failed it, after the ones before it were made, and is not left.
 * ITEs after it are left unrouted in @dev: the caller drops the device.
 *
 * Return: the number of ITEs made; @n unless ITE @spec[return] failed.
 */
unsigned int its_ite_new_run(struct vgic3_its *its, struct its_ite_pool *pool,
			     struct its_dev *dev,
			     const struct its_ite_spec *spec, unsigned int n,
			     int *err)
{
	struct its_ite *ites[ITS_ITE_RUN];
	unsigned int nr_alloc, nr_linked, i;
	int ret = 0, lret, cret;

	lockdep_assert_held(&its->lock);
	n = min_t(unsigned int, n, ITS_ITE_RUN);
	for (nr_alloc = 0; nr_alloc < n; nr_alloc++) {
		struct its_ite *ite = its_ite_alloc(pool);

		if (!ite) {
			ret = -ENOMEM;
			break;
		}
		ite->dev = dev;
		ite->event = spec[nr_alloc].event;
		ite->intid = spec[nr_alloc].intid;
		INIT_LIST_HEAD(&ite->coll_node);
		ites[nr_alloc] = ite;
	}
	lret = its_ite_link_run(dev, ites, nr_alloc, &nr_linked);
	if (lret)
		ret = lret;
	for (i = nr_linked; i < nr_alloc; i++)
		kmem_cache_free(its_ite_cache, ites[i]);
	dev->nr_ites += nr_linked;
	for (i = 0; i < nr_linked; i++)
		its_ite_set_coll(ites[i], spec[i].coll);
	i = its_ite_route_run(its, ites, nr_linked, &cret);
	while (!cret && i < nr_linked) {
		cret = its_ite_connect(its, ites[i]);
		if (!cret)
			i++;
	}
	if (cret) {
		/* ites[i] failed: it goes, as its_ite_new() drops it. */
		its_ite_free(its, ites[i]);
		*err = cret;
		return i;
	}
	*err = ret;
	return nr_linked;
}

/*
 * Everything of its_ite_free() but the erase and the free; in a command
 * batch (@later) the LPI leaves lpi_xa with the batch's others
 * (its_discard_flush()).
 */
static __vgic3_hot void its_ite_unlink(struct vgic3_its *its,
				       struct its_ite *ite, bool later)
{
	its_doorbell_forget(its, ite);
	if (ite->irq && later)
		its->lpi->put_later(its->gic, &its->puts, ite->irq);
	else if (ite->irq)
		its->lpi->put(its->gic, ite->irq);
	list_del(&ite->coll_node);
	ite->dev->nr_ites--;
}

/* Everything of its_ite_free() but the erase from the device's ITEs. */
static void its_ite_release(struct vgic3_its *its, struct its_ite *ite)
{
	its_ite_unlink(its, ite, false);
	kmem_cache_free(its_ite_cache, ite);
}

void its_ite_free(struct vgic3_its *its, struct its_ite *ite)
{
	lockdep_assert_held(&its->lock);
	xa_erase(&ite->dev->ites, ite->event);
	its_ite_release(its, ite);
}

/**
 * its_ite_discard - DISCARD: free the ITE of (@devid, @event) if it is mapped
 * through a mapped collection
 * @its: the ITS
 * @devid: DeviceID
 * @event: EventID
 * @gpa: the ITE's entry in the ITT, for the caller to clear
 *
 * In a command batch the ITE stays in its device's ITEs, with no
 * collection (so that a second DISCARD finds it unmapped), until
 * its_ite_erase_discarded() erases the batch's together: nothing but a
 * DISCARD reads a device's ITEs before (its_handle_command() calls it
 * before any other command), and a guest tears a device down with a run
 * of DISCARDs, whose erases then share one lock.
 *
 * Return: true if the ITE was freed; false if there was none to discard.
 */
__vgic3_hot bool its_ite_discard(struct vgic3_its *its, u32 devid, u32 event,
				 u64 *gpa)
{
	struct its_dev *dev = its_find_dev(its, devid);
	struct its_ite *ite = dev ? xa_load(&dev->ites, event) : NULL;
	bool later = its->clear.batch;

	lockdep_assert_held(&its->lock);
	if (!ite || !its_coll_is_mapped(ite->coll))
		return false;
	*gpa = dev->itt + (u64)event * ITS_ESZ;
	its_ite_unlink(its, ite, later);
	ite->coll = NULL;
	if (!later) {
		xa_erase(&dev->ites, event);
		its->nr_erased++;
	}
	its->freed[its->nr_freed++] = ite;
	if (its->nr_freed == ARRAY_SIZE(its->freed))
		its_ite_flush_freed(its);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(its_ite_discard);

/*
 * @ites, all of one device, leave its ITEs under one lock. (Each erase
 * walks from the root: stepping on with xas_next() after an erase that
 * freed a node left ITEs in the xarray, caught by its_fuzz_test.)
 */
static void its_ite_erase_run(struct its_ite **ites, unsigned int n)
{
	XA_STATE(xas, &ites[0]->dev->ites, ites[0]->event);
	unsigned int i;

	xas_lock(&xas);
	for (i = 0; i < n; i++) {
		xas_set(&xas, ites[i]->event);
		xas_store(&xas, NULL);
	}
	xas_unlock(&xas);
}

/**
 * its_ite_erase_discarded - erase the ITEs a command batch discarded
 * @its: the ITS, lock held
 *
 * The ITEs in @its->freed from @its->nr_erased on (its_ite_discard()).
 */
__vgic3_hot void its_ite_erase_discarded(struct vgic3_its *its)
{
	struct its_ite **ites = its->freed + its->nr_erased;
	unsigned int n = its->nr_freed - its->nr_erased, i, j;

	lockdep_assert_held(&its->lock);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && ites[j]->dev == ites[i]->dev; j++)
			;
		its_ite_erase_run(ites + i, j - i);
	}
	its->nr_erased = its->nr_freed;
}
EXPORT_SYMBOL_IF_KUNIT(its_ite_erase_discarded);

/**
 * its_ite_flush_freed - give the ITEs DISCARD freed back to the slab
 * @its: the ITS, lock held
 *
 * A guest tears a device down one DISCARD at a time, most often one per
 * CWRITER store: the ITEs go back together, one kmem_cache_free_bulk()
 * every ITS_FREED_BATCH (and when the ITS goes), which costs less per ITE
 * than one kmem_cache_free() each. An ITE waiting here is referred to by
 * nothing: it left its device's ITEs, its collection's list, the doorbell
 * and its LPI when it was discarded; at most ITS_FREED_BATCH - 1 of them
 * (48 bytes each) wait.
 */
void its_ite_flush_freed(struct vgic3_its *its)
{
	lockdep_assert_held(&its->lock);
	its_ite_erase_discarded(its);
	if (its->nr_freed)
		kmem_cache_free_bulk(its_ite_cache, its->nr_freed,
				     (void **)its->freed);
	its->nr_freed = 0;
	its->nr_erased = 0;
}
EXPORT_SYMBOL_IF_KUNIT(its_ite_flush_freed);
