// SPDX-License-Identifier: GPL-2.0
/* The ITS KUnit suites' fixture (its_test.h). */
#include "its_test.h"

static struct fake_lpi *to_fake_lpi(struct vgic3 *gic)
{
	return (struct fake_lpi *)gic;
}

static bool fake_lpi_ok(u32 intid)
{
	return intid >= FX_LPI && intid < FX_LPI + FAKE_NR_LPIS;
}

struct vgic_irq *fake_lpi_token(struct fake_lpi *l, u32 intid)
{
	return (struct vgic_irq *)&l->refs[intid - FX_LPI];
}

static u32 fake_lpi_intid(struct fake_lpi *l, struct vgic_irq *irq)
{
	return FX_LPI + ((int *)irq - l->refs);
}

static struct vgic_irq *fake_lpi_get(struct vgic3 *gic, u32 intid,
				     unsigned int vcpu, bool *lpis_on)
{
	struct fake_lpi *l = to_fake_lpi(gic);

	if (!fake_lpi_ok(intid))
		return ERR_PTR(-ERANGE);
	l->refs[intid - FX_LPI]++;
	l->target[intid - FX_LPI] = vcpu;
	if (lpis_on)
		*lpis_on = !l->lpis_off;
	return fake_lpi_token(l, intid);
}

static void fake_lpi_put(struct vgic3 *gic, struct vgic_irq *irq)
{
	struct fake_lpi *l = to_fake_lpi(gic);
	u32 i = fake_lpi_intid(l, irq) - FX_LPI;

	if (!--l->refs[i])
		l->pending[i] = false;
}

/*
 * The reference leaves at the flush (the real layer drops it at once and
 * frees at the flush): a test sees which puts a flush has not reached.
 */
static void fake_lpi_put_flush(struct vgic3 *gic, struct vgic3_lpi_puts *p)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		fake_lpi_put(gic, p->irq[i]);
	p->nr = 0;
}

static void fake_lpi_put_later(struct vgic3 *gic, struct vgic3_lpi_puts *p,
			       struct vgic_irq *irq)
{
	p->irq[p->nr++] = irq;
	if (p->nr == ARRAY_SIZE(p->irq))
		fake_lpi_put_flush(gic, p);
}

static int fake_lpi_retarget(struct vgic3 *gic, struct vgic_irq *irq,
			     unsigned int vcpu)
{
	struct fake_lpi *l = to_fake_lpi(gic);

	l->target[fake_lpi_intid(l, irq) - FX_LPI] = vcpu;
	return !l->lpis_off;
}

static int fake_lpi_pend(struct vgic3 *gic, struct vgic_irq *irq, bool pending)
{
	struct fake_lpi *l = to_fake_lpi(gic);

	l->pending[fake_lpi_intid(l, irq) - FX_LPI] = pending;
	return 0;
}

static int fake_lpi_reload(struct vgic3 *gic, struct vgic_irq *irq)
{
	struct fake_lpi *l = to_fake_lpi(gic);

	l->nr_inv++;
	l->last_inv = fake_lpi_intid(l, irq);
	return 0;
}

static int fake_lpi_invall(struct vgic3 *gic, unsigned int vcpu)
{
	to_fake_lpi(gic)->nr_invall++;
	to_fake_lpi(gic)->invall_vcpu = vcpu;
	return 0;
}

static int fake_lpi_movall(struct vgic3 *gic, unsigned int from,
			   unsigned int to)
{
	struct fake_lpi *l = to_fake_lpi(gic);
	unsigned int i;

	l->nr_movall++;
	for (i = 0; i < FAKE_NR_LPIS; i++)
		if (l->refs[i] && l->target[i] == from)
			l->target[i] = to;
	return 0;
}

static u32 fake_lpi_nr_intids(struct vgic3 *gic)
{
	return to_fake_lpi(gic)->nr_intids ?: BIT(16);
}

static int fake_lpi_config_readable(struct vgic3 *gic, u32 intid)
{
	return 0;
}

/* Every redistributor takes LPIs unless a test says otherwise. */
static bool fake_lpi_enabled_on(struct vgic3 *gic, unsigned int vcpu)
{
	return !to_fake_lpi(gic)->lpis_off;
}

/* The fake VM's vCPUs, all of them: the recorder has no INIT. */
static unsigned int fake_lpi_nr_vcpus(struct vgic3 *gic)
{
	return container_of(to_fake_lpi(gic), struct its_fx, lpi)->vm->nr_vcpus;
}

const struct its_lpi_ops fake_lpi_ops = {
	.get = fake_lpi_get,
	.put = fake_lpi_put,
	.put_later = fake_lpi_put_later,
	.put_flush = fake_lpi_put_flush,
	.retarget = fake_lpi_retarget,
	.pend = fake_lpi_pend,
	.reload = fake_lpi_reload,
	.invall = fake_lpi_invall,
	.movall = fake_lpi_movall,
	.nr_intids = fake_lpi_nr_intids,
	.config_readable = fake_lpi_config_readable,
	.enabled_on = fake_lpi_enabled_on,
	.nr_vcpus = fake_lpi_nr_vcpus,
};

int fx_refs(struct its_fx *fx, u32 intid)
{
	return fx->lpi.refs[intid - FX_LPI];
}

unsigned int fx_target(struct its_fx *fx, u32 intid)
{
	return fx->lpi.target[intid - FX_LPI];
}

bool fx_pending(struct its_fx *fx, u32 intid)
{
	return fx->lpi.pending[intid - FX_LPI];
}

struct its_dev *fx_find_dev(struct vgic3_its *its, u32 devid)
{
	struct its_dev *dev;

	mutex_lock(&its->lock);
	dev = its_find_dev(its, devid);
	mutex_unlock(&its->lock);
	return dev;
}

struct its_ite *fx_find_ite(struct vgic3_its *its, u32 devid, u32 event)
{
	struct its_ite *ite;

	mutex_lock(&its->lock);
	ite = its_find_ite(its, devid, event);
	mutex_unlock(&its->lock);
	return ite;
}

struct its_coll *fx_find_coll(struct vgic3_its *its, u32 icid)
{
	struct its_coll *coll;

	mutex_lock(&its->lock);
	coll = its_find_coll(its, icid);
	mutex_unlock(&its->lock);
	return coll;
}

void fx_destroy_its(void *p)
{
	vgic3_its_destroy(p);
}

struct vgic3_its *fx_new_its(struct its_fx *fx)
{
	struct vgic3_its *its;
	u64 base;

	its = its_alloc((struct vgic3 *)&fx->lpi, &fx->vm->host,
			&fake_lpi_ops);
	KUNIT_ASSERT_FALSE(fx->test, IS_ERR(its));
	KUNIT_ASSERT_EQ(fx->test, 0,
			kunit_add_action_or_reset(fx->test, fx_destroy_its,
						  its));
	base = FX_BASE + fx->vm->nr_regions * ITS_FRAME_SIZE;
	KUNIT_ASSERT_EQ(fx->test, 0,
			vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &base));
	return its;
}

int its_set_reg(struct vgic3_its *its, u64 off, u64 val)
{
	return vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off,
				  &val);
}

u64 its_get_reg(struct vgic3_its *its, u64 off)
{
	u64 val = 0xdeadbeef;

	vgic3_its_get_attr(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, &val);
	return val;
}

int its_ctrl_attr(struct vgic3_its *its, u64 attr)
{
	return vgic3_its_set_attr(its, KVM_DEV_ARM_VGIC_GRP_CTRL, attr, NULL);
}

u64 its_addr_attr(struct kunit *test, struct vgic3_its *its)
{
	u64 val = 0xdeadbeef;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_get_attr(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &val));
	return val;
}

u64 its_info_attr(struct vgic3_its *its, u64 attr)
{
	u64 val = ~0ULL;

	vgic3_its_get_attr(its, KVM_DEV_ARM_VGIC3_GRP_INFO, attr, &val);
	return val;
}

void fx_program(struct its_fx *fx, struct vgic3_its *its, bool two_level)
{
	u64 dt = GITS_BASER_VALID | FX_DT;

	if (two_level)
		dt |= GITS_BASER_INDIRECT;
	KUNIT_ASSERT_EQ(fx->test, 0,
			its_set_reg(its, GITS_CBASER,
				    GITS_CBASER_VALID | FX_CMDQ));
	KUNIT_ASSERT_EQ(fx->test, 0, its_set_reg(its, GITS_BASER, dt));
	KUNIT_ASSERT_EQ(fx->test, 0,
			its_set_reg(its, GITS_BASER + 8,
				    GITS_BASER_VALID | FX_CT));
}

/* The fake host's msi_signal() on this layer's tokens: its pend(). */
static void fx_msi_latch(void *arg, struct vgic_irq *irq)
{
	fake_lpi_pend(arg, irq, true);
}

static struct fake_vm *fx_vm(struct its_fx *fx, unsigned int vcpus)
{
	struct fake_vm *vm = fake_vm_new(fx->test, FX_MEM, vcpus);

	vm->msi_latch = fx_msi_latch;
	vm->msi_latch_arg = &fx->lpi;
	return vm;
}

struct its_fx *fx_unplaced(struct kunit *test)
{
	struct its_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->vm = fx_vm(fx, 1);
	fx->its = its_alloc((struct vgic3 *)&fx->lpi, &fx->vm->host,
			    &fake_lpi_ops);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fx->its));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fx_destroy_its,
						  fx->its));
	return fx;
}

struct its_fx *fx_new(struct kunit *test, unsigned int vcpus,
		      bool two_level, bool enable)
{
	struct its_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->vm = fx_vm(fx, vcpus);
	fx->its = fx_new_its(fx);
	fx_program(fx, fx->its, two_level);
	if (two_level)
		fake_poke64(fx->vm, FX_DT, GITS_BASER_VALID | FX_L2);
	if (enable) {
		KUNIT_ASSERT_EQ(test, 0, its_set_reg(fx->its, GITS_CTLR, 1));
		KUNIT_ASSERT_EQ(test, GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT,
				its_get_reg(fx->its, GITS_CTLR));
	}
	return fx;
}

struct its_fx *fx_simple(struct kunit *test)
{
	return fx_new(test, 4, false, true);
}

struct fx_cmd c_mapd(u32 dev, u8 nbits, u64 itt, bool v)
{
	return (struct fx_cmd){ { GITS_CMD_MAPD | (u64)dev << 32,
				  (u64)(nbits - 1) & 0x1f,
				  (itt & GENMASK_ULL(51, 8)) | (u64)v << 63 } };
}

struct fx_cmd c_mapc(u32 icid, u32 rd, bool v)
{
	return (struct fx_cmd){ { GITS_CMD_MAPC, 0,
				  icid | (u64)rd << 16 | (u64)v << 63 } };
}

struct fx_cmd c_mapti(u32 dev, u32 ev, u32 intid, u32 icid)
{
	return (struct fx_cmd){ { GITS_CMD_MAPTI | (u64)dev << 32,
				  ev | (u64)intid << 32, icid } };
}

struct fx_cmd c_mapi(u32 dev, u32 ev, u32 icid)
{
	return (struct fx_cmd){ { GITS_CMD_MAPI | (u64)dev << 32, ev, icid } };
}

struct fx_cmd c_dev_ev(u8 nr, u32 dev, u32 ev, u32 icid)
{
	return (struct fx_cmd){ { nr | (u64)dev << 32, ev, icid } };
}

struct fx_cmd c_invall(u32 icid)
{
	return (struct fx_cmd){ { GITS_CMD_INVALL, 0, icid } };
}

struct fx_cmd c_movall(u32 from, u32 to)
{
	return (struct fx_cmd){ { GITS_CMD_MOVALL, 0, (u64)from << 16,
				  (u64)to << 16 } };
}

int fx_run_its(struct vgic3_its *its, struct fx_cmd c)
{
	u64 raw[4];
	unsigned int i;
	int ret;

	for (i = 0; i < 4; i++)
		raw[i] = (__force u64)cpu_to_le64(c.w[i]);
	mutex_lock(&its->lock);
	ret = its_handle_command(its, raw);
	mutex_unlock(&its->lock);
	return ret;
}

int fx_run(struct its_fx *fx, struct fx_cmd c)
{
	return fx_run_its(fx->its, c);
}

void fx_mmio_write(struct vgic3_its *its, u64 off, unsigned int len, u64 val)
{
	__le64 le = cpu_to_le64(val);

	its->region.write(&its->region, 0, off, len, &le);
}

u64 fx_mmio_read(struct vgic3_its *its, u64 off, unsigned int len)
{
	__le64 le = 0;

	its->region.read(&its->region, 0, off, len, &le);
	return le64_to_cpu(le);
}

void fx_queue_batch(struct its_fx *fx, const struct fx_cmd *c,
		    unsigned int n)
{
	u64 size = its_cmdq_size(fx->its->cbaser);
	u64 wr = fx_mmio_read(fx->its, GITS_CWRITER, 8);
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < 4; j++)
			fake_poke64(fx->vm,
				    FX_CMDQ + (wr + i * ITS_CMD_SIZE) % size +
				    j * 8, c[i].w[j]);
	fx_mmio_write(fx->its, GITS_CWRITER, 8,
		      (wr + n * ITS_CMD_SIZE) % size);
}

void fx_queue(struct its_fx *fx, struct fx_cmd c)
{
	fx_queue_batch(fx, &c, 1);
}

void fx_map_dev_coll(struct its_fx *fx, u32 dev, u8 nbits, u32 icid, u32 vcpu)
{
	KUNIT_ASSERT_EQ(fx->test, 0,
			fx_run(fx, c_mapd(dev, nbits, FX_ITT(dev), true)));
	KUNIT_ASSERT_EQ(fx->test, 0, fx_run(fx, c_mapc(icid, vcpu, true)));
}
