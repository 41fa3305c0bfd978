// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS's view of its tables: devices by DeviceID, ITEs by EventID within
 * a device, collections by ICID, all in xarrays so that no command walks
 * more than the entries it concerns. Each collection also lists its ITEs,
 * so that MAPC can reroute them without a scan of every device.
 *
 * All functions here are called with the ITS lock held. MSI translation
 * reads devices and ITEs under RCU only (its_lookup_lpi()): see the
 * comment of struct vgic3_its for what that asks of the writers here.
 */
#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/slab.h>
#include "its.h"
#include "../vgic/vgic3.h"

struct its_dev *its_find_dev(struct vgic3_its *its, u32 devid)
{
	return xa_load(&its->devs, devid);
}
EXPORT_SYMBOL_IF_KUNIT(its_find_dev);

struct its_ite *its_find_ite(struct vgic3_its *its, u32 devid, u32 event)
{
	struct its_dev *dev = its_find_dev(its, devid);

	return dev ? xa_load(&dev->ites, event) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(its_find_ite);

struct its_coll *its_find_coll(struct vgic3_its *its, u32 icid)
{
	return xa_load(&its->colls, icid);
}
EXPORT_SYMBOL_IF_KUNIT(its_find_coll);

struct its_dev *its_dev_new(struct vgic3_its *its, u32 devid, u64 itt,
			    u8 nbits)
{
	struct its_dev *dev;
	int ret;

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

/* Unmapping a device with live ITEs is UNPREDICTABLE: drop them all. */
void its_dev_free(struct vgic3_its *its, struct its_dev *dev)
{
	struct its_ite *ite;
	unsigned long event;

	xa_for_each(&dev->ites, event, ite)
		its_ite_free(its, ite);
	xa_destroy(&dev->ites);
	xa_erase(&its->devs, dev->id);
	its->nr_devs--;
	kfree_rcu(dev, rcu);
}

void its_free_all_devs(struct vgic3_its *its)
{
	struct its_dev *dev;
	unsigned long id;

	xa_for_each(&its->devs, id, dev)
		its_dev_free(its, dev);
}

struct its_coll *its_coll_new(struct vgic3_its *its, u32 icid, u32 target)
{
	struct its_coll *coll;
	int ret;

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

	list_for_each_entry_safe(ite, tmp, &coll->ites, coll_node) {
		list_del_init(&ite->coll_node);
		WRITE_ONCE(ite->coll, NULL);
	}
	xa_erase(&its->colls, coll->icid);
	list_del(&coll->node);
	its->nr_colls--;
	kfree(coll);
}

void its_free_all_colls(struct vgic3_its *its)
{
	struct its_coll *coll, *tmp;

	list_for_each_entry_safe(coll, tmp, &its->coll_order, node)
		its_coll_free(its, coll);
}

void its_ite_set_coll(struct its_ite *ite, struct its_coll *coll)
{
	list_del_init(&ite->coll_node);
	WRITE_ONCE(ite->coll, coll);
	if (coll)
		list_add_tail(&ite->coll_node, &coll->ites);
}

/*
 * Route @ite's LPI to its collection's target. An ITE whose collection has
 * no target yet holds no LPI reference; it takes one when MAPC maps the
 * collection.
 */
int its_ite_route(struct vgic3_its *its, struct its_ite *ite)
{
	struct vgic3_irq *irq;

	if (!its_coll_is_mapped(ite->coll))
		return 0;
	if (ite->irq)
		return its->lpi->set_target(its->gic, ite->irq,
					    ite->coll->target);
	irq = its->lpi->map(its->gic, ite->intid, ite->coll->target);
	if (IS_ERR(irq))
		return PTR_ERR(irq);
	smp_store_release(&ite->irq, irq);
	return 0;
}

int its_coll_route(struct vgic3_its *its, struct its_coll *coll)
{
	struct its_ite *ite;
	int ret = 0;

	list_for_each_entry(ite, &coll->ites, coll_node)
		ret = its_ite_route(its, ite) ?: ret;
	return ret;
}

/*
 * ITEs are the ITS's most numerous objects (one per mapped event): a cache
 * of their own packs them at their size (48 bytes) instead of kmalloc-64.
 * It is SLAB_TYPESAFE_BY_RCU, so that an MSI may look at an ITE that is
 * being freed (the memory stays an ITE until a grace period has passed)
 * without an rcu_head in each; the free pointer goes in @coll_node, which
 * no such reader looks at, so that the object keeps its size.
 */
static struct kmem_cache *its_ite_cache;

int vgic3_its_cache_init(void)
{
	struct kmem_cache_args args = {
		.freeptr_offset = offsetof(struct its_ite, coll_node),
		.use_freeptr_offset = true,
	};

	its_ite_cache = kmem_cache_create("its_ite", sizeof(struct its_ite),
					  &args,
					  SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU);
	return its_ite_cache ? 0 : -ENOMEM;
}

void vgic3_its_cache_exit(void)
{
	kmem_cache_destroy(its_ite_cache);
}

struct its_ite *its_ite_new(struct vgic3_its *its, struct its_dev *dev,
			    u32 event, u32 intid, struct its_coll *coll)
{
	struct its_ite *ite;
	int ret;

	/*
	 * Not zalloc: a reader may still look at this memory as the ITE it
	 * was. Each field a reader checks is written once; @irq stays NULL
	 * until the ITE is routed.
	 */
	ite = kmem_cache_alloc(its_ite_cache, GFP_KERNEL_ACCOUNT);
	if (!ite)
		return ERR_PTR(-ENOMEM);
	WRITE_ONCE(ite->irq, NULL);
	WRITE_ONCE(ite->coll, NULL);
	WRITE_ONCE(ite->dev, dev);
	WRITE_ONCE(ite->event, event);
	ite->intid = intid;
	INIT_LIST_HEAD(&ite->coll_node);

	ret = xa_insert(&dev->ites, event, ite, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kmem_cache_free(its_ite_cache, ite);
		return ERR_PTR(ret);
	}
	dev->nr_ites++;
	its_ite_set_coll(ite, coll);

	/*
	 * A routed LPI reads its configuration when it is mapped; an unrouted
	 * one must be configurable all the same, as in KVM.
	 */
	if (its_coll_is_mapped(coll))
		ret = its_ite_route(its, ite);
	else
		ret = its->lpi->config_readable(its->gic, intid);
	if (ret) {
		its_ite_free(its, ite);
		return ERR_PTR(ret);
	}
	return ite;
}

/*
 * Unpublished first, then @irq cleared before the LPI reference goes: an
 * MSI that still finds the ITE either reads NULL or an LPI whose freeing
 * (after a grace period, vgic3_lpi_put()) starts after its read.
 */
void its_ite_free(struct vgic3_its *its, struct its_ite *ite)
{
	struct vgic3_irq *irq = ite->irq;

	xa_erase(&ite->dev->ites, ite->event);
	WRITE_ONCE(ite->irq, NULL);
	if (irq)
		its->lpi->unmap(its->gic, irq);
	list_del(&ite->coll_node);
	ite->dev->nr_ites--;
	kmem_cache_free(its_ite_cache, ite);
}

/**
 * its_lookup_lpi - the LPI an MSI (@devid, @event) hits, under RCU
 * @its: the ITS
 * @devid: DeviceID
 * @event: EventID
 *
 * The caller holds rcu_read_lock() and uses the LPI before it drops it.
 * An ITE counts when it has an LPI and a collection (MAPC V=0 drops the
 * collection and keeps the LPI); one that is freed and reused while it is
 * looked at counts only if it is again (@devid, @event).
 *
 * Return: the LPI, or NULL.
 */
struct vgic3_irq *its_lookup_lpi(struct vgic3_its *its, u32 devid, u32 event)
{
	struct vgic3_irq *irq;
	struct its_ite *ite;
	struct its_dev *dev;

	dev = xa_load(&its->devs, devid);
	ite = dev ? xa_load(&dev->ites, event) : NULL;
	if (!ite)
		return NULL;
	irq = smp_load_acquire(&ite->irq);
	if (!irq || !READ_ONCE(ite->coll))
		return NULL;
	if (READ_ONCE(ite->dev) != dev || READ_ONCE(ite->event) != event)
		return NULL;
	return irq;
}
EXPORT_SYMBOL_IF_KUNIT(its_lookup_lpi);
