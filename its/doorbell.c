// SPDX-License-Identifier: GPL-2.0
/*
 * The translations KVM's core delivers MSIs through.
 *
 * KVM_SIGNAL_MSI and irqfd MSI routes never call the model: KVM's core
 * finds the ITS frame by its doorbell address and looks (DeviceID,
 * EventID) up in the frame's translation cache (host msi_route), then
 * makes the LPI pending itself, in atomic context when it can. That
 * cache is kept an exact image of what the ITS would deliver: an entry
 * exists iff the ITS is enabled, the ITE exists, its collection is mapped
 * and the collection's target redistributor has EnableLPIs set (what
 * KVM's own ITS checks before it caches a translation). Every change of
 * one of these goes through here, with the ITS lock held; a miss makes
 * KVM's core try its own ITS, which has no mapping, and deliver nothing.
 */
#include <kunit/visibility.h>
#include "its.h"
#include "../vgic/lpi.h"

static bool its_ite_may_deliver(struct vgic3_its *its, struct its_ite *ite)
{
	return its->enabled && ite->irq && its_coll_is_mapped(ite->coll);
}

static struct vgic_irq *its_ite_delivers_to(struct vgic3_its *its,
					    struct its_ite *ite)
{
	if (!its_ite_may_deliver(its, ite))
		return NULL;
	if (!its->lpi->enabled_on(its->gic, ite->coll->target))
		return NULL;
	return ite->irq;
}

/*
 * @irq is @ite's LPI or NULL: the cache then holds it or nothing, which
 * @ite->cached says; a change that leaves it as it is (MOVI between
 * redistributors that both take LPIs, MAPC of a collection to another)
 * touches nothing of the cache, whose xarray nodes are pages an exit
 * pays for (__vgic3_hot).
 */
static int its_doorbell_route(struct vgic3_its *its, struct its_ite *ite,
			      struct vgic_irq *irq)
{
	const struct vgic3_host_ops *ops = its->host->ops;
	int ret;

	/*
	 * A disabled ITS has no translation to change: disabling removed
	 * them all (its_doorbell_sync()) and enabling puts them back.
	 */
	if (!its->mapped || !its->enabled || ite->cached == !!irq)
		return 0;
	ret = ops->msi_route(its->host, &its->region, ite->dev->id,
			     ite->event, irq);
	if (!ret)
		ite->cached = !!irq;
	return ret;
}

/* @ite delivers through the cache if it can (its_doorbell_sync()). */
static int its_doorbell_update(struct vgic3_its *its, struct its_ite *ite)
{
	lockdep_assert_held(&its->lock);
	return its_doorbell_route(its, ite, its_ite_delivers_to(its, ite));
}

/*
 * @ite's LPI was routed (made or moved) to its collection's target, which
 * takes LPIs if @lpis_on (as the LPI layer found it then: no second look).
 */
__vgic3_hot int its_doorbell_routed(struct vgic3_its *its, struct its_ite *ite,
				    bool lpis_on)
{
	lockdep_assert_held(&its->lock);
	return its_doorbell_route(its, ite, its_ite_may_deliver(its, ite) &&
				  lpis_on ? ite->irq : NULL);
}

/* @ite goes away, or stops translating (its collection was unmapped). */
__vgic3_hot void its_doorbell_forget(struct vgic3_its *its, struct its_ite *ite)
{
	lockdep_assert_held(&its->lock);
	its_doorbell_route(its, ite, NULL);
}

/*
 * Everything again: GITS_CTLR.Enabled, an EnableLPIs, the frame
 * being mapped. Rare events; a walk of every ITE.
 */
int its_doorbell_sync(struct vgic3_its *its)
{
	const struct vgic3_host_ops *ops = its->host->ops;
	struct its_dev *dev;
	struct its_ite *ite;
	unsigned long id, event;
	int ret = 0;

	lockdep_assert_held(&its->lock);
	if (its->mapped) {
		ops->msi_enable(its->host, &its->region, its->enabled);
		ops->msi_route_clear(its->host, &its->region);
	}
	/*
	 * The cache is empty now, or was emptied when the frame left the
	 * bus (the glue's unmap): no ITE is in it.
	 */
	xa_for_each(&its->devs, id, dev) {
		xa_for_each(&dev->ites, event, ite) {
			ite->cached = false;
			if (its->mapped && its->enabled)
				ret = its_doorbell_update(its, ite) ?: ret;
		}
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(its_doorbell_sync);

static void its_lpis_changed(struct vgic3_lpi_listener *l)
{
	struct vgic3_its *its = container_of(l, struct vgic3_its, listener);

	mutex_lock(&its->lock);
	its_doorbell_sync(its);
	mutex_unlock(&its->lock);
}

void its_doorbell_listen(struct vgic3_its *its)
{
	its->listener.lpis_changed = its_lpis_changed;
	vgic3_lpi_listen(its->gic, &its->listener);
}

/* An ITS that never listened (KUnit's, on a fake LPI layer) has no node. */
void its_doorbell_unlisten(struct vgic3_its *its)
{
	if (!list_empty(&its->listener.node))
		vgic3_lpi_unlisten(its->gic, &its->listener);
}
