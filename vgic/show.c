// SPDX-License-Identifier: GPL-2.0
/*
 * A debugfs view of the whole vGICv3, in the spirit of KVM's vgic-state:
 * distributor and redistributor settings, then one line per interrupt.
 */
#include <kunit/visibility.h>
#include <linux/seq_file.h>
#include "internal.h"
#include "vgic3.h"

static void show_irq(struct seq_file *m, const char *type,
		     struct vgic3_irq *irq)
{
	seq_printf(m, "%s %5u %4d %4d %5d %4d %4d %6d %4u %5d %-5s 0x%06x %4u\n",
		   type, irq->intid, irq->target, vgic3_irq_pending(irq),
		   irq->pending_latch, irq->line_level, irq->active,
		   irq->enabled, irq->priority, irq->group,
		   irq->edge ? "edge" : "level", irq->mpidr, irq->refs);
}

static void show_header(struct seq_file *m)
{
	seq_puts(m, "TYPE   ID   TGT PEND LATCH LINE  ACT ENABLE PRIO GROUP CFG   ROUTE    REFS\n");
}

static void show_cpu(struct seq_file *m, struct vgic3 *gic,
		     struct vgic3_cpu *cpu)
{
	struct vgic3_icc *icc = &cpu->icc;

	seq_printf(m, "vcpu %u: mpidr 0x%llx last %d EnableLPIs %d pendbaser 0x%016llx\n",
		   cpu->idx, cpu->mpidr, vgic3_rdist_is_last(gic, cpu->idx),
		   cpu->enable_lpis, cpu->pendbaser);
	seq_printf(m, "  icc: pmr 0x%02x bpr0 %u bpr1 %u cbpr %d eoimode %d grpen0 %d grpen1 %d pribits %u idbits %u sre 0x%llx\n",
		   icc->pmr, icc->bpr0, icc->bpr1, icc->cbpr, icc->eoimode,
		   icc->grpen0, icc->grpen1, icc->pri_bits, icc->id_bits,
		   icc->sre);
	seq_printf(m, "  ap0r %08x %08x %08x %08x ap1r %08x %08x %08x %08x\n",
		   icc->ap0r[0], icc->ap0r[1], icc->ap0r[2], icc->ap0r[3],
		   icc->ap1r[0], icc->ap1r[1], icc->ap1r[2], icc->ap1r[3]);
}

void vgic3_show(struct seq_file *m, struct vgic3 *gic)
{
	struct vgic3_rdreg *rd;
	struct vgic3_irq *irq;
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
	for (i = 0; i < gic->nr_cpus; i++)
		show_cpu(m, gic, &gic->cpus[i]);
	show_header(m);
	for (i = 0; i < gic->nr_cpus; i++)
		for (j = 0; j < VGIC3_NR_PRIVATE; j++)
			show_irq(m, j < VGIC3_NR_SGIS ? "SGI" : "PPI",
				 &gic->cpus[i].priv[j]);
	for (i = 0; gic->spis && i < gic->nr_spis; i++)
		show_irq(m, "SPI", &gic->spis[i]);
	xa_for_each(&gic->lpis, intid, irq)
		show_irq(m, "LPI", irq);
	mutex_unlock(&gic->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_show);
