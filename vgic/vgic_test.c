// SPDX-License-Identifier: GPL-2.0
/* The vGICv3 KUnit suites' fixture (vgic_test.h). */
#include "vgic_test.h"

static void vgic_t_free(void *p)
{
	vgic3_free(p);
}

struct vgic_t vgic_t_new(struct kunit *test, unsigned int nr_vcpus, bool init)
{
	struct vgic_t t;

	t.vm = fake_vm_new(test, SZ_1M, nr_vcpus);
	t.gic = vgic3_alloc(&fake_host_ops, t.vm);
	KUNIT_ASSERT_NOT_NULL(test, t.gic);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vgic_t_free, t.gic));
	KUNIT_ASSERT_EQ(test, 0, vgic3_dev_create(t.gic));
	if (init) {
		u64 v = 128;

		KUNIT_ASSERT_EQ(test, 0, vgic3_set_attr(t.gic,
							KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &v));
		KUNIT_ASSERT_EQ(test, 0, vgic3_set_attr(t.gic,
							KVM_DEV_ARM_VGIC_GRP_CTRL,
				KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	}
	return t;
}

u64 vgic_t_attr_mpidr(unsigned int vcpu)
{
	/* fake MPIDR: Aff0 = vcpu & 15, Aff1 = vcpu >> 4 */
	return (u64)((vcpu & 0xf) | (vcpu >> 4) << 8) << 32;
}

u32 dist_get(struct kunit *test, struct vgic_t *t, u32 off)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0, vgic3_get_attr(t->gic,
						KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v));
	return v;
}

int dist_set(struct vgic_t *t, u32 off, u32 val)
{
	u64 v = val;

	return vgic3_set_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v);
}

u32 rd_get(struct kunit *test, struct vgic_t *t, unsigned int vcpu, u32 off)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, 0, vgic3_get_attr(t->gic,
						KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			vgic_t_attr_mpidr(vcpu) | off, &v));
	return v;
}

int rd_set(struct vgic_t *t, unsigned int vcpu, u32 off, u32 val)
{
	u64 v = val;

	return vgic3_set_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			      vgic_t_attr_mpidr(vcpu) | off, &v);
}

int addr_set(struct vgic_t *t, u64 type, u64 val)
{
	return vgic3_set_attr(t->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &val);
}

u64 region_attr(u64 count, u64 base, u64 flags, u64 index)
{
	return count << 52 | base | flags << 12 | index;
}

struct vgic3_mmio_region *vgic_t_region(struct vgic_t *t, u64 base)
{
	unsigned int i;

	for (i = 0; i < t->vm->nr_regions; i++)
		if (t->vm->regions[i]->base == base)
			return t->vm->regions[i];
	return NULL;
}

struct vgic3_mmio_region *vgic_t_place(struct kunit *test, struct vgic_t *t,
				       u64 type, u64 base)
{
	struct vgic3_mmio_region *r;

	KUNIT_ASSERT_EQ(test, 0, addr_set(t, type, base));
	r = vgic_t_region(t, base);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

u64 mmio_rd(struct vgic3_mmio_region *r, u64 off, unsigned int len)
{
	u64 v = 0;

	r->read(r, 0, off, len, &v);
	return le64_to_cpu(v);
}

void mmio_wr(struct vgic3_mmio_region *r, u64 off, unsigned int len, u64 val)
{
	__le64 v = cpu_to_le64(val);

	r->write(r, 0, off, len, &v);
}
