// SPDX-License-Identifier: GPL-2.0
/* Attribute snapshots (common_snap.h). */
#include <stdlib.h>
#include <string.h>

#include "kvm_util.h"
#include "impl.h"
#include "common_vgic.h"
#include "common_snap.h"

struct snap_ent *snap_probe(struct snap *s, int fd, int dev, uint32_t grp,
			    uint64_t attr)
{
	struct snap_ent *x;
	uint64_t v = 0;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		TEST_ASSERT(s->e, "realloc");
	}
	x = &s->e[s->n++];
	x->dev = dev;
	x->grp = grp;
	x->attr = attr;
	x->err = attr_get(fd, grp, attr, &v);
	x->val = v;
	return x;
}

struct snap_ent *snap_get(struct snap *s, int fd, int dev, uint32_t grp,
			  uint64_t attr)
{
	struct snap_ent *x = snap_probe(s, fd, dev, grp, attr);

	TEST_ASSERT(!x->err, "%s: GET grp %u attr 0x%lx: %s",
		    vgic3_impl_name(), grp, attr, strerror(x->err));
	return x;
}

const struct snap_ent *snap_find(const struct snap *s, int dev, uint32_t grp,
				 uint64_t attr)
{
	for (int i = 0; i < s->n; i++)
		if (s->e[i].dev == dev && s->e[i].grp == grp &&
		    s->e[i].attr == attr)
			return &s->e[i];
	TEST_ASSERT(false, "grp %u attr 0x%lx is not in the snapshot", grp,
		    attr);
	return NULL;
}

int snap_set(int fd, uint32_t grp, uint64_t attr, uint64_t val)
{
	/* a 4-byte attribute reads the low half */
	return attr_set(fd, grp, attr, &val);
}

void snap_clear(struct snap *s)
{
	s->n = 0;
}

void snap_free(struct snap *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void save_gic(struct snap *s, int fd, int nr_vcpus, uint32_t nr_irqs)
{
	bool plpis = redist_rd(fd, 0, GICR_TYPER) & GICR_TYPER_PLPIS;
	uint64_t m, ctlr;

	snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_CTLR);
	for (int c = 0; c < nr_vcpus; c++) {
		m = vcpu_mpidr_attr(c);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | GICR_CTLR);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | GICR_STATUSR);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | GICR_WAKER);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST,
			 m | (SGI_BASE + GICR_IGROUPR0));
		snap_get(s, fd, SNAP_GIC, GRP_REDIST,
			 m | (SGI_BASE + GICR_ISENABLER0));
		snap_get(s, fd, SNAP_GIC, GRP_REDIST,
			 m | (SGI_BASE + GICR_ICFGR0 + 4));
		snap_get(s, fd, SNAP_GIC, GRP_LEVEL, level_attr(c, 0, 0));
		snap_get(s, fd, SNAP_GIC, GRP_REDIST,
			 m | (SGI_BASE + GICR_ISPENDR0));
		snap_get(s, fd, SNAP_GIC, GRP_REDIST,
			 m | (SGI_BASE + GICR_ISACTIVER0));
		for (int i = 0; i < 8; i++)
			snap_get(s, fd, SNAP_GIC, GRP_REDIST,
				 m | (SGI_BASE + GICR_IPRIORITYR0 + 4 * i));
	}
	for (int c = 0; plpis && c < nr_vcpus; c++) {
		m = vcpu_mpidr_attr(c);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | GICR_PROPBASER);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | (GICR_PROPBASER + 4));
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | GICR_PENDBASER);
		snap_get(s, fd, SNAP_GIC, GRP_REDIST, m | (GICR_PENDBASER + 4));
	}
	snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_STATUSR);
	for (uint32_t i = 32; i < nr_irqs; i += 32)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_IGROUPR + i / 8);
	for (uint32_t i = 32; i < nr_irqs; i += 32)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_ISENABLER + i / 8);
	for (uint32_t i = 32; i < nr_irqs; i += 32)
		snap_get(s, fd, SNAP_GIC, GRP_LEVEL, level_attr(0, 0, i));
	for (uint32_t i = 32; i < nr_irqs; i += 32)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_ISPENDR + i / 8);
	for (uint32_t i = 32; i < nr_irqs; i += 32)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_ISACTIVER + i / 8);
	for (uint32_t i = 32; i < nr_irqs; i += 16)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_ICFGR + i / 4);
	for (uint32_t i = 32; i < nr_irqs; i += 4)
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_IPRIORITYR + i);
	/*
	 * QEMU computes these offsets as GICD_IROUTER + 4 * INTID; this reads
	 * GICD_IROUTER<n> at 0x6000 + 8n, so that every route is compared.
	 */
	for (uint32_t i = 32; i < nr_irqs; i++) {
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_IROUTER + 8 * i);
		snap_get(s, fd, SNAP_GIC, GRP_DIST, GICD_IROUTER + 8 * i + 4);
	}
	for (int c = 0; c < nr_vcpus; c++) {
		static const uint32_t fixed[] = {
			ICC_SRE, ICC_CTLR, ICC_IGRPEN0, ICC_IGRPEN1, ICC_PMR,
			ICC_BPR0, ICC_BPR1,
		};

		m = vcpu_mpidr_attr(c);
		for (int i = 0; i < ARRAY_SIZE(fixed); i++)
			snap_get(s, fd, SNAP_GIC, GRP_SYSREGS, m | fixed[i]);
		ctlr = snap_find(s, SNAP_GIC, GRP_SYSREGS, m | ICC_CTLR)->val;
		for (int n = icc_nr_apr(ctlr) - 1; n >= 0; n--)
			snap_get(s, fd, SNAP_GIC, GRP_SYSREGS, m | ICC_AP0R(n));
		for (int n = icc_nr_apr(ctlr) - 1; n >= 0; n--)
			snap_get(s, fd, SNAP_GIC, GRP_SYSREGS, m | ICC_AP1R(n));
	}
}

static void save_its(struct snap *s, int fd)
{
	for (int i = 0; i < 8; i++)
		snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_BASER + 8 * i);
	snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_CTLR);
	snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_CBASER);
	snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_CREADR);
	snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_CWRITER);
	snap_get(s, fd, SNAP_ITS, GRP_ITS, GITS_IIDR);
}

void snap_save_qemu(struct snap *s, int gic_fd, int its_fd, int nr_vcpus,
		    uint32_t nr_irqs)
{
	int r;

	r = attr_set(gic_fd, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
		     NULL);
	TEST_ASSERT(!r, "%s: SAVE_PENDING_TABLES: %s", vgic3_impl_name(),
		    strerror(r));
	if (its_fd >= 0) {
		r = attr_set(its_fd, GRP_CTRL, KVM_DEV_ARM_ITS_SAVE_TABLES,
			     NULL);
		TEST_ASSERT(!r, "%s: ITS SAVE_TABLES: %s", vgic3_impl_name(),
			    strerror(r));
	}
	save_gic(s, gic_fd, nr_vcpus, nr_irqs);
	if (its_fd >= 0)
		save_its(s, its_fd);
}
