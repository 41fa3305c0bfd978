/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LPIs as the ITS model sees them: the contract between its/ and the LPI
 * layer of the vGICv3 model (vgic/lpi.c).
 *
 * vCPUs are named by index (0..nr_vcpus-1), which is also the ITS's RDbase
 * since GITS_TYPER.PTA is 0. Callers may hold their own ITS lock; the LPI
 * layer takes the vGICv3 lock inside (lock order: host/host.h).
 */
#ifndef __KVM_VGIC3_LPI_H
#define __KVM_VGIC3_LPI_H

#include <linux/list.h>
#include <linux/types.h>

struct vgic3;
struct vgic3_host;
struct vgic_irq;

#define VGIC3_LPI_BASE		8192
/* GICD_TYPER.IDbits + 1: INTIDs are 16 bits wide, as in the in-kernel vgic. */
#define VGIC3_INTID_BITS	16

unsigned int vgic3_nr_vcpus(struct vgic3 *gic);

/*
 * vgic3_lpi_get - an ITE now routes @intid to vCPU @vcpu. Takes a reference
 * (an LPI may be mapped by several ITEs) and returns the LPI, which stays
 * valid until the matching vgic3_lpi_put() (LPIs are freed only there and
 * in vgic3_free()); the state goes with the last reference. The ITS keeps
 * the pointer in the ITE that holds the reference, so that an MSI reaches
 * the LPI without looking it up. The first reference reads the LPI's
 * configuration (priority, enable) from the property table and takes its
 * pending bit out of @vcpu's pending table (clearing it there), with
 * EnableLPIs set or not, as KVM does; *@lpis_on (unless NULL) says
 * whether @vcpu takes LPIs, read under the same lock. ERR_PTR(-EFAULT) when
 * either table cannot be read or the bit cannot be cleared, ERR_PTR(-EINVAL)
 * for a bad INTID or vCPU, ERR_PTR(-ENOMEM); the LPI is then not created.
 */
struct vgic_irq *vgic3_lpi_get(struct vgic3 *gic, u32 intid,
			       unsigned int vcpu, bool *lpis_on);
/*
 * vgic3_lpi_get() for @n INTIDs routed to one vCPU, in order, under one
 * acquisition of the vGICv3's lock (RESTORE_TABLES): the LPIs go in @irqs.
 * Returns how many were got; fewer than @n when @intids[return] failed,
 * with vgic3_lpi_get()'s error in *@err, and the LPIs before it are held.
 */
unsigned int vgic3_lpi_get_run(struct vgic3 *gic, const u32 *intids,
			       unsigned int n, unsigned int vcpu,
			       struct vgic_irq **irqs, int *err);
void vgic3_lpi_put(struct vgic3 *gic, struct vgic_irq *irq);

/*
 * struct vgic3_lpi_puts - LPIs whose last reference went in a run of
 * vgic3_lpi_put_later(), waiting to leave lpi_xa together
 * @nr: how many wait in @irq
 * @irq: the LPIs
 *
 * vgic3_lpi_put_later() drops the reference at once. An LPI whose last one
 * that was is dead from then on, as after vgic3_lpi_put(): every lookup
 * takes a reference unless the count is zero, so nothing finds it. Only
 * its slot in lpi_xa and its memory wait, for vgic3_lpi_put_flush(), which
 * erases all of them under one acquisition of lpi_xa's lock and frees them
 * after RCU (vgic3_lpi_put() takes that lock once per LPI; a guest tears a
 * device down with a run of DISCARDs). Until then no new LPI of those
 * INTIDs can be published (lpi_publish() waits for the slot), so the
 * holder flushes before anything that may create one, and at most
 * VGIC3_LPI_PUTS wait.
 */
#define VGIC3_LPI_PUTS	32
struct vgic3_lpi_puts {
	unsigned int nr;
	struct vgic_irq *irq[VGIC3_LPI_PUTS];
};

void vgic3_lpi_put_later(struct vgic3 *gic, struct vgic3_lpi_puts *p,
			 struct vgic_irq *irq);
void vgic3_lpi_put_flush(struct vgic3 *gic, struct vgic3_lpi_puts *p);
/*
 * What the ITS does to an LPI it holds, with no lookup by INTID:
 * MOVI/MAPC route it to @vcpu (a pending LPI stays pending, on the new
 * target); INT, CLEAR and MSI translation set or clear its latch; INV
 * re-reads its configuration from the property table. vgic3_lpi_retarget()
 * returns 1 when @vcpu takes LPIs, 0 when its EnableLPIs is clear.
 */
int vgic3_lpi_retarget(struct vgic3 *gic, struct vgic_irq *irq,
		       unsigned int vcpu);
int vgic3_lpi_pend(struct vgic3 *gic, struct vgic_irq *irq, bool pending);
int vgic3_lpi_reload(struct vgic3 *gic, struct vgic_irq *irq);
bool vgic3_lpi_is_pending(struct vgic3 *gic, u32 intid);
/* INVALL: re-read the configuration of every LPI routed to @vcpu. */
int vgic3_lpi_invall(struct vgic3 *gic, unsigned int vcpu);
/* MOVALL: every LPI routed to @from is routed to @to. */
int vgic3_lpi_movall(struct vgic3 *gic, unsigned int from, unsigned int to);
/*
 * INTIDs the property table covers: 2^(GICR_PROPBASER.IDbits + 1), at most
 * 2^VGIC3_INTID_BITS. PROPBASER is shared by all redistributors (as in KVM,
 * whose ITS checks MAPTI/MAPI's pINTID against it: an INTID at or above
 * this is E_ITS_MAPTI_PHYSICALID_OOR).
 */
u32 vgic3_lpi_nr_intids(struct vgic3 *gic);
int vgic3_lpi_config_readable(struct vgic3 *gic, u32 intid);

/* Is EnableLPIs set on vCPU @vcpu's redistributor? */
bool vgic3_lpi_enabled_on(struct vgic3 *gic, unsigned int vcpu);

/**
 * struct vgic3_lpi_listener - told when a redistributor's EnableLPIs moved
 * @node: in the vGICv3's list
 * @lpis_changed: called with no lock of the vGICv3 held
 *
 * An ITS keeps the translations KVM delivers MSIs through to LPIs whose
 * target takes LPIs: it listens, and resynchronises them.
 */
struct vgic3_lpi_listener {
	struct list_head node;
	void (*lpis_changed)(struct vgic3_lpi_listener *l);
};

void vgic3_lpi_listen(struct vgic3 *gic, struct vgic3_lpi_listener *l);
void vgic3_lpi_unlisten(struct vgic3 *gic, struct vgic3_lpi_listener *l);
/* Tell the listeners, if an EnableLPIs moved since the last call. */
void vgic3_lpi_notify(struct vgic3 *gic);

/*
 * An ITS device was created for the VM: GICD_TYPER.LPIS and GICR_TYPER.PLPIS
 * read as 1, GICR_CTLR.EnableLPIs becomes writable, and GICR_PROPBASER takes
 * KVM's initial value (as each ITS creation does in KVM). Call it from
 * vgic3_its_create().
 */
void vgic3_its_attached(struct vgic3 *gic);

#endif /* __KVM_VGIC3_LPI_H */
