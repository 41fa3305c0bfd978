/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The accessor layer: the only code of the model that touches KVM's
 * struct vgic_irq. Every SGI, PPI, SPI and LPI is one, owned by KVM's vgic
 * core, which delivers it (list registers, ap_list, KVM_IRQ_LINE, irqfd,
 * timers, PMU); the model keeps no copy of any of its state.
 *
 * Rules (the core's, arch/arm64/kvm/vgic/vgic.c):
 * - every field is read and written under irq->irq_lock, taken with
 *   interrupts off (vgic3_irq_lock()): timers inject from hard IRQ context;
 * - a change that can make an IRQ deliverable (pending, enabled, active,
 *   target) ends with vgic3_irq_queue(), which drops the lock, puts the IRQ
 *   on its target vCPU's list and kicks it; a change that makes it
 *   undeliverable just unlocks: the core prunes its lists at the next sync;
 * - irq->vcpu, irq->ap_list and the hardware mapping (hw, host_irq,
 *   hwintid, ops, owner) belong to the core, the timer and the PMU: read
 *   at most, never written here.
 *
 * irq_lock is the innermost lock (lock order: host/host.h).
 */
#ifndef __KVM_VGIC3_IRQ_H
#define __KVM_VGIC3_IRQ_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <kvm/arm_vgic.h>
#include "host.h"

static inline unsigned long vgic3_irq_lock(struct vgic_irq *irq)
	__acquires(&irq->irq_lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&irq->irq_lock, flags);
	return flags;
}

static inline void vgic3_irq_unlock(struct vgic_irq *irq, unsigned long flags)
	__releases(&irq->irq_lock)
{
	raw_spin_unlock_irqrestore(&irq->irq_lock, flags);
}

/* Pending as the guest sees it (lock held): latch, or line when level. */
static inline bool vgic3_irq_is_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch ||
	       (irq->config == VGIC_CONFIG_LEVEL && irq->line_level);
}

/*
 * Drops the lock vgic3_irq_lock() took; may deliver @irq. An interrupt
 * neither active nor pending and enabled goes nowhere: the core's queueing
 * (vgic_queue_irq_unlock()) finds no vCPU for it and only unlocks, so it
 * is not called (MOVI, MAPC, a priority or an enable of an idle one).
 */
static inline void vgic3_irq_queue(struct vgic3_host *h, struct vgic_irq *irq,
				   unsigned long flags)
	__releases(&irq->irq_lock)
{
	lockdep_assert_held(&irq->irq_lock);
	if (!irq->active && !(irq->enabled && vgic3_irq_is_pending(irq))) {
		vgic3_irq_unlock(irq, flags);
		return;
	}
	h->ops->queue(h, irq, flags);
}

/*
 * The pending latch without the lock: a snapshot, as good as one taken
 * under it for a reader that stores it (SAVE_PENDING_TABLES, which KVM's
 * own save also reads so).
 */
static inline bool vgic3_irq_latch(const struct vgic_irq *irq)
{
	return READ_ONCE(irq->pending_latch);
}

static inline bool vgic3_irq_is_edge(const struct vgic_irq *irq)
{
	return irq->config == VGIC_CONFIG_EDGE;
}

/* A hardware-mapped level interrupt: its line is the device's (timer). */
static inline bool vgic3_irq_is_mapped_level(const struct vgic_irq *irq)
{
	return irq->hw && irq->config == VGIC_CONFIG_LEVEL;
}

/*
 * The register-level operations. @guest: the access comes from a vCPU
 * (not from userspace), which is what reaches the physical state of a
 * hardware-mapped interrupt, as in KVM. Each takes and drops irq_lock.
 */
bool vgic3_irq_get_pending(struct vgic3_host *h, struct vgic_irq *irq,
			   bool guest);
bool vgic3_irq_get_latch(struct vgic_irq *irq);
void vgic3_irq_set_pending(struct vgic3_host *h, struct vgic_irq *irq,
			   bool guest);
void vgic3_irq_clear_pending(struct vgic3_host *h, struct vgic_irq *irq,
			     bool guest);
void vgic3_irq_set_enabled(struct vgic3_host *h, struct vgic_irq *irq,
			   bool enabled, bool guest);
void vgic3_irq_set_active(struct vgic3_host *h, struct vgic_irq *irq,
			  bool active, bool guest);
void vgic3_irq_set_priority(struct vgic_irq *irq, u8 priority);
void vgic3_irq_set_group(struct vgic3_host *h, struct vgic_irq *irq,
			 bool group1);
void vgic3_irq_set_edge(struct vgic_irq *irq, bool edge);
void vgic3_irq_set_line(struct vgic3_host *h, struct vgic_irq *irq,
			bool level);
void vgic3_irq_set_route(struct vgic3_host *h, struct vgic_irq *irq,
			 u32 mpidr, struct kvm_vcpu *target);
void vgic3_irq_set_target(struct vgic3_host *h, struct vgic_irq *irq,
			  struct kvm_vcpu *target);
void vgic3_irq_requeue(struct vgic3_host *h, struct vgic_irq *irq);
/**
 * struct vgic3_irq_view - an interrupt's state as its registers show it
 * @latch: the pending latch (what userspace saves as ISPENDR)
 * @line: the input line of a level interrupt (LEVEL_INFO)
 * @pending: latch, or line when level (what the guest reads in ISPENDR)
 * @enabled: ISENABLER
 * @active: ISACTIVER
 * @edge: ICFGR
 * @group: IGROUPR
 * @priority: IPRIORITYR
 * @mpidr: IROUTER
 */
struct vgic3_irq_view {
	bool latch;
	bool line;
	bool pending;
	bool enabled;
	bool active;
	bool edge;
	bool group;
	u8 priority;
	u32 mpidr;
};

void vgic3_irq_read(struct vgic_irq *irq, struct vgic3_irq_view *v);

#endif /* __KVM_VGIC3_IRQ_H */
