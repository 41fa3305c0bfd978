// SPDX-License-Identifier: GPL-2.0
/*
 * A debugfs view of the whole vGICv3, in the spirit of KVM's vgic-state:
 * distributor and redistributor settings, then one line per interrupt.
 */
#include <kunit/visibility.h>
#include <linux/seq_file.h>
#include "internal.h"
#include "api.h"

/* One line per interrupt, read under its lock: KVM's own state. */
static void show_irq(struct seq_file *m, struct vgic3 *gic, const char *type,
		     struct vgic_irq *irq)
{
	unsigned long flags = vgic3_irq_lock(irq);
	int tgt = gic->host.ops->vcpu_index(&gic->host, irq->target_vcpu);
	int on = gic->host.ops->vcpu_index(&gic->host, irq->vcpu);

	seq_printf(m, "%s %5u %4d %4d %5d %4d %4d %6d %4u %5d %-5s 0x%06x %4d %2d %u\n",
		   type, irq->intid, tgt, vgic3_irq_is_pending(irq),
		   irq->pending_latch, irq->line_level, irq->active,
		   irq->enabled, irq->priority, irq->group,
		   vgic3_irq_is_edge(irq) ? "edge" : "level", irq->mpidr,
		   on, irq->hw, kref_read(&irq->refcount));
	vgic3_irq_unlock(irq, flags);
}

static void show_header(struct seq_file *m)
{
	seq_puts(m, "TYPE   ID   TGT PEND LATCH LINE  ACT ENABLE PRIO GROUP CFG   ROUTE   QUEUED HW REFS\n");
}

static void show_cpu(struct seq_file *m, struct vgic3 *gic,
		     struct vgic3_cpu *cpu)
{
	struct vgic_v3_cpu_if *cif = cpu->cif;

	seq_printf(m, "vcpu %u: mpidr 0x%llx last %d EnableLPIs %d pendbaser 0x%016llx\n",
		   cpu->idx, cpu->mpidr, vgic3_redist_is_last(gic, cpu->idx),
		   cpu->enable_lpis, cpu->pendbaser);
	seq_printf(m, "  icc: vmcr 0x%08x pribits %u idbits %u\n",
		   cif->vgic_vmcr, cpu->icc.pri_bits, cpu->icc.id_bits);
	seq_printf(m, "  ap0r %08x %08x %08x %08x ap1r %08x %08x %08x %08x\n",
		   cif->vgic_ap0r[0], cif->vgic_ap0r[1], cif->vgic_ap0r[2],
		   cif->vgic_ap0r[3], cif->vgic_ap1r[0], cif->vgic_ap1r[1],
		   cif->vgic_ap1r[2], cif->vgic_ap1r[3]);
}

void vgic3_show(struct seq_file *m, struct vgic3 *gic)
{
	struct vgic3_rdreg *rd;
	struct vgic_irq *irq;
	unsigned long intid;
	unsigned int i, j;

	mutex_lock(&gic->lock);
	seq_printf(m, "vgic3: v3 device %d initialized %d nr_irqs %u enabled %d rev %u its %d\n",
		   gic->v3_created, gic->initialized, vgic3_nr_irqs(gic),
		   gic->enabled, gic->implementation_rev, gic->has_its);
	if (gic->dist_base == VGIC3_ADDR_UNDEF)
		seq_puts(m, "distributor: unset\n");
	else
		seq_printf(m, "distributor: 0x%llx mapped %d\n", gic->dist_base,
			   gic->dist_mapped);
	list_for_each_entry(rd, &gic->rdregs, list)
		seq_printf(m, "redist region %u: 0x%llx count %u used %u mapped %d\n",
			   rd->index, rd->base, rd->count,
			   vgic3_rdreg_used(gic, rd), rd->mapped);
	seq_printf(m, "propbaser 0x%016llx\n", gic->propbaser);
	/* The interrupts and vCPUs are KVM's: gone once teardown began. */
	if (!gic->host.ops->core_lock(&gic->host)) {
		if (gic->initialized)
			seq_puts(m, "interrupts: freed (VM being destroyed)\n");
		goto out;
	}
	for (i = 0; i < gic->nr_cpus; i++)
		show_cpu(m, gic, &gic->cpus[i]);
	show_header(m);
	for (i = 0; i < gic->nr_cpus; i++)
		for (j = 0; j < VGIC3_NR_PRIVATE; j++)
			show_irq(m, gic, j < VGIC3_NR_SGIS ? "SGI" : "PPI",
				 &gic->cpus[i].priv[j]);
	for (i = 0; gic->spis && i < gic->nr_spis; i++)
		show_irq(m, gic, "SPI", &gic->spis[i]);
	/* RCU keeps each LPI alive while it is shown. */
	rcu_read_lock();
	xa_for_each(gic->lpis, intid, irq)
		show_irq(m, gic, "LPI", irq);
	rcu_read_unlock();
out:
	gic->host.ops->core_unlock(&gic->host);
	mutex_unlock(&gic->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_show);
