// SPDX-License-Identifier: GPL-2.0
/*
 * The accessor layer over KVM's struct vgic_irq (see irq.h): what a
 * register or attribute write does to one interrupt, with the semantics of
 * KVM's vgic-mmio.c, including hardware-mapped interrupts (the timers),
 * whose pending and active state a guest write forwards to the physical
 * interrupt.
 */
#include <linux/irqchip/arm-gic-v3.h>
#include "irq.h"

/* Everything the registers show of @irq, read at once under its lock. */
void vgic3_irq_read(struct vgic_irq *irq, struct vgic3_irq_view *v)
{
	unsigned long flags = vgic3_irq_lock(irq);

	v->latch = irq->pending_latch;
	v->line = irq->line_level;
	v->pending = vgic3_irq_is_pending(irq);
	v->enabled = irq->enabled;
	v->active = irq->active;
	v->edge = vgic3_irq_is_edge(irq);
	v->group = irq->group;
	v->priority = irq->priority;
	v->mpidr = irq->mpidr;
	vgic3_irq_unlock(irq, flags);
}

/*
 * The guest sees a hardware-mapped level interrupt's line as the device
 * drives it; userspace saves the latch and the line apart.
 */
bool vgic3_irq_get_pending(struct vgic3_host *h, struct vgic_irq *irq,
			   bool guest)
{
	unsigned long flags = vgic3_irq_lock(irq);
	bool v;

	if (guest && vgic3_irq_is_mapped_level(irq))
		v = h->ops->hw_line_level(h, irq);
	else
		v = vgic3_irq_is_pending(irq);
	vgic3_irq_unlock(irq, flags);
	return v;
}

/*
 * A guest's ISPENDR write to a hardware-mapped interrupt also makes the
 * physical one active, so that the device cannot raise it again before
 * the guest deactivates the virtual one.
 */
void vgic3_irq_set_pending(struct vgic3_host *h, struct vgic_irq *irq,
			   bool guest)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->pending_latch = true;
	if (irq->hw && guest)
		h->ops->hw_set_active(h, irq, true);
	vgic3_irq_queue(h, irq, flags);
}

/*
 * And ICPENDR must not leave the physical interrupt masked by the active
 * state the SPENDR write gave it: clear its pending state, and its active
 * state unless the virtual interrupt is active.
 */
void vgic3_irq_clear_pending(struct vgic3_host *h, struct vgic_irq *irq,
			     bool guest)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->pending_latch = false;
	if (irq->hw && guest) {
		h->ops->hw_set_pending(h, irq, false);
		if (!irq->active)
			h->ops->hw_set_active(h, irq, false);
	}
	vgic3_irq_unlock(irq, flags);
}

/*
 * Enabling a hardware-mapped level interrupt re-reads its line: the device
 * may have changed while the vGIC had it disabled. If the line fell, the
 * physical interrupt is deactivated so that the host hears it again.
 */
void vgic3_irq_set_enabled(struct vgic3_host *h, struct vgic_irq *irq,
			   bool enabled, bool guest)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->enabled = enabled;
	if (!enabled) {
		vgic3_irq_unlock(irq, flags);
		return;
	}
	if (guest && vgic3_irq_is_mapped_level(irq)) {
		bool was_high = irq->line_level;

		irq->line_level = h->ops->hw_line_level(h, irq);
		if (!irq->active && was_high && !irq->line_level)
			h->ops->hw_set_active(h, irq, false);
	}
	vgic3_irq_queue(h, irq, flags);
}

/*
 * The caller halted the vCPUs (host->halt) when a running one could hold
 * the interrupt in a list register. Userspace does not reach the physical
 * active state of a hardware-mapped interrupt (its device restores it).
 */
void vgic3_irq_set_active(struct vgic3_host *h, struct vgic_irq *irq,
			  bool active, bool guest)
{
	unsigned long flags = vgic3_irq_lock(irq);

	if (irq->hw) {
		if (guest) {
			irq->active = active;
			h->ops->hw_set_active(h, irq, active);
		}
	} else {
		irq->active = active;
	}
	if (irq->active)
		vgic3_irq_queue(h, irq, flags);
	else
		vgic3_irq_unlock(irq, flags);
}

void vgic3_irq_set_priority(struct vgic_irq *irq, u8 priority)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->priority = priority;
	vgic3_irq_unlock(irq, flags);
}

void vgic3_irq_set_group(struct vgic3_host *h, struct vgic_irq *irq,
			 bool group1)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->group = group1;
	vgic3_irq_queue(h, irq, flags);
}

void vgic3_irq_set_edge(struct vgic_irq *irq, bool edge)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->config = edge ? VGIC_CONFIG_EDGE : VGIC_CONFIG_LEVEL;
	vgic3_irq_unlock(irq, flags);
}

/* LEVEL_INFO: userspace restores the input line of a level interrupt. */
void vgic3_irq_set_line(struct vgic3_host *h, struct vgic_irq *irq,
			bool level)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->line_level = level;
	if (level)
		vgic3_irq_queue(h, irq, flags);
	else
		vgic3_irq_unlock(irq, flags);
}

/* IROUTER, MOVI, MAPC: the core moves a queued interrupt at its next sync. */
void vgic3_irq_set_route(struct vgic3_host *h, struct vgic_irq *irq,
			 u32 mpidr, struct kvm_vcpu *target)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->mpidr = mpidr;
	irq->target_vcpu = target;
	vgic3_irq_queue(h, irq, flags);
}

/* ITS routing of an LPI (MAPTI, MOVI, MOVALL, MAPC). */
__vgic3_hot void vgic3_irq_set_target(struct vgic3_host *h,
				      struct vgic_irq *irq,
				      struct kvm_vcpu *target)
{
	unsigned long flags = vgic3_irq_lock(irq);

	irq->target_vcpu = target;
	vgic3_irq_queue(h, irq, flags);
}

/* Put @irq on its target's list if it is deliverable now. */
void vgic3_irq_requeue(struct vgic3_host *h, struct vgic_irq *irq)
{
	unsigned long flags = vgic3_irq_lock(irq);

	vgic3_irq_queue(h, irq, flags);
}
