// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ITS on the real LPI layer of the vGICv3 model (vgic/lpi.c),
 * end to end: commands from the queue, then INT and MSIs make LPIs pending.
 */
#include <kunit/test.h>
#include "../vgic/vgic_test.h"
#include "../vgic/internal.h"
#include "../vgic/lpi.h"
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define I_PROP	0x10000ULL
#define I_PEND	0x20000ULL
#define I_CMDQ	0x30000ULL
#define I_DT	0x40000ULL
#define I_CT	0x50000ULL
#define I_ITT	0x60000ULL
#define I_PEND1	0xa0000ULL

struct its_int {
	struct vgic_t t;
	struct vgic3_its *its;
	u64 wr;
};

static void its_int_destroy(void *p)
{
	vgic3_its_destroy(p);
}

/* @lpis_on: EnableLPIs on both redistributors (fixes their PROPBASER). */
static struct its_int *its_int_new_lpis(struct kunit *test, bool lpis_on)
{
	struct its_int *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	u64 base = FX_BASE;

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->t = vgic_t_new(test, 2, true);
	x->its = vgic3_its_create(x->t.gic);
	KUNIT_ASSERT_FALSE(test, IS_ERR(x->its));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, its_int_destroy,
						  x->its));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 0, GICR_PROPBASER, I_PROP | 15));
	/* Every LPI enabled, priority 0xa0. */
	memset(x->t.vm->mem + I_PROP, 0xa1, SZ_64K);
	/* Both redistributors take LPIs (a disabled one drops INT/MSIs). */
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 0, GICR_PENDBASER, I_PEND));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 1, GICR_PENDBASER, I_PEND1));
	if (lpis_on) {
		KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 0, GICR_CTLR,
						GICR_CTLR_ENABLE_LPIS));
		KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 1, GICR_CTLR,
						GICR_CTLR_ENABLE_LPIS));
	}
	KUNIT_ASSERT_EQ(test, 0,
			vgic3_its_set_attr(x->its, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &base));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(x->its, GITS_CBASER,
				    GITS_CBASER_VALID | I_CMDQ));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(x->its, GITS_BASER,
				    GITS_BASER_VALID | I_DT));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(x->its, GITS_BASER + 8,
				    GITS_BASER_VALID | I_CT));
	KUNIT_ASSERT_EQ(test, 0,
			its_set_reg(x->its, GITS_CTLR, GITS_CTLR_ENABLE));
	return x;
}

static struct its_int *its_int_new(struct kunit *test)
{
	return its_int_new_lpis(test, true);
}

static void its_int_queue(struct its_int *x, struct fx_cmd c)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		fake_poke64(x->t.vm, I_CMDQ + x->wr + i * 8, c.w[i]);
	x->wr += ITS_CMD_SIZE;
	fx_mmio_write(x->its, GITS_CWRITER, 8, x->wr);
}

static void int_makes_the_mapped_lpi_pending(struct kunit *test)
{
	struct its_int *x = its_int_new(test);

	its_int_queue(x, c_mapd(1, 4, I_ITT, true));
	its_int_queue(x, c_mapc(0, 1, true));
	its_int_queue(x, c_mapti(1, 2, 8200, 0));
	its_int_queue(x, c_dev_ev(GITS_CMD_INT, 1, 2, 0));
	KUNIT_EXPECT_EQ(test, 0ULL, x->its->nr_cmd_errors);
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 8200));
	its_int_queue(x, c_dev_ev(GITS_CMD_CLEAR, 1, 2, 0));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(x->t.gic, 8200));
}

static void msi_makes_the_mapped_lpi_pending(struct kunit *test)
{
	struct its_int *x = its_int_new(test);

	its_int_queue(x, c_mapd(4, 4, I_ITT, true));
	its_int_queue(x, c_mapc(0, 0, true));
	/* MAPI of EventID 9000 on a 4-bit device: E_ITS_MAPTI_ID_OOR. */
	its_int_queue(x, c_mapi(4, 9000, 0));
	KUNIT_EXPECT_EQ(test, 1ULL, x->its->nr_cmd_errors);
	its_int_queue(x, c_mapti(4, 3, 9000, 0));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(x->its, 4, 3));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 9000));
}

static int msi_attr(struct its_int *x, u64 devid, u64 event)
{
	return vgic3_its_set_attr(x->its, KVM_DEV_ARM_VGIC3_GRP_MSI, devid,
				  &event);
}

/*
 * KVM_DEV_ARM_VGIC3_GRP_MSI: the VMM's MSI takes the path of a translated
 * store, and every way it can fail has its own errno.
 */
static void msi_group_translates_and_names_each_failure(struct kunit *test)
{
	struct its_int *x = its_int_new(test);
	u64 val = 0;

	KUNIT_EXPECT_EQ(test, 0,
			vgic3_its_has_attr(x->its, KVM_DEV_ARM_VGIC3_GRP_MSI,
					   ITS_MAX_DEVID));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_has_attr(x->its, KVM_DEV_ARM_VGIC3_GRP_MSI,
					   ITS_MAX_DEVID + 1));
	KUNIT_EXPECT_EQ(test, -ENXIO,
			vgic3_its_get_attr(x->its, KVM_DEV_ARM_VGIC3_GRP_MSI, 0,
					   &val));

	its_int_queue(x, c_mapd(7, 4, I_ITT, true));
	its_int_queue(x, c_mapc(3, 1, true));
	its_int_queue(x, c_mapti(7, 5, 8500, 3));
	KUNIT_ASSERT_EQ(test, 0ULL, x->its->nr_cmd_errors);

	KUNIT_EXPECT_EQ(test, -ENXIO, msi_attr(x, ITS_MAX_DEVID + 1, 5));
	KUNIT_EXPECT_EQ(test, -EINVAL, msi_attr(x, 7, BIT_ULL(32) + 5));
	KUNIT_EXPECT_EQ(test, -ENOENT, msi_attr(x, 6, 5));	/* no device */
	KUNIT_EXPECT_EQ(test, -ENOENT, msi_attr(x, 7, 4));	/* no ITE */
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(x->t.gic, 8500));
	KUNIT_EXPECT_EQ(test, 0ULL,
			its_info_attr(x->its, KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS));

	KUNIT_EXPECT_EQ(test, 0, msi_attr(x, 7, 5));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 8500));
	KUNIT_EXPECT_EQ(test, 1ULL,
			its_info_attr(x->its, KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS));

	/* The collection unmapped: no translation. */
	its_int_queue(x, c_mapc(3, 1, false));
	KUNIT_EXPECT_EQ(test, -ENOENT, msi_attr(x, 7, 5));

	/* A disabled ITS translates nothing, as KVM_SIGNAL_MSI's -EBUSY. */
	its_int_queue(x, c_mapc(3, 1, true));
	KUNIT_ASSERT_EQ(test, 0, its_set_reg(x->its, GITS_CTLR, 0));
	KUNIT_EXPECT_EQ(test, -EBUSY, msi_attr(x, 7, 5));
	KUNIT_EXPECT_EQ(test, 1ULL,
			its_info_attr(x->its, KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS));
}

static void discard_removes_the_lpi(struct kunit *test)
{
	struct its_int *x = its_int_new(test);

	its_int_queue(x, c_mapd(1, 4, I_ITT, true));
	its_int_queue(x, c_mapc(0, 1, true));
	its_int_queue(x, c_mapti(1, 0, 8300, 0));
	its_int_queue(x, c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0));
	KUNIT_EXPECT_NULL(test, xa_load(x->t.gic->lpis, 8300));
}

/*
 * Two ITEs share LPI 8301, each holding it by pointer: discarding one leaves
 * the LPI (and the other ITE's pointer) alive, its state included, and the
 * last DISCARD frees it.
 */
static void shared_lpi_outlives_one_of_its_ites(struct kunit *test)
{
	struct its_int *x = its_int_new(test);

	its_int_queue(x, c_mapd(1, 4, I_ITT, true));
	its_int_queue(x, c_mapc(0, 1, true));
	its_int_queue(x, c_mapti(1, 0, 8301, 0));
	its_int_queue(x, c_mapti(1, 1, 8301, 0));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(x->its, 1, 0));
	its_int_queue(x, c_dev_ev(GITS_CMD_DISCARD, 1, 0, 0));
	KUNIT_EXPECT_EQ(test, 0ULL, x->its->nr_cmd_errors);
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 8301));
	KUNIT_EXPECT_EQ(test, -ENOENT, its_inject_msi(x->its, 1, 0));
	its_int_queue(x, c_dev_ev(GITS_CMD_CLEAR, 1, 1, 0));
	KUNIT_EXPECT_FALSE(test, vgic3_lpi_is_pending(x->t.gic, 8301));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(x->its, 1, 1));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 8301));
	its_int_queue(x, c_dev_ev(GITS_CMD_DISCARD, 1, 1, 0));
	KUNIT_EXPECT_NULL(test, xa_load(x->t.gic->lpis, 8301));
	KUNIT_EXPECT_EQ(test, 0ULL, x->its->nr_cmd_errors);
}

/*
 * As the in-kernel ITS: a pINTID at or above 2^(GICR_PROPBASER.IDbits + 1)
 * is E_ITS_MAPTI_PHYSICALID_OOR, with PROPBASER shared by all vCPUs.
 */
static void mapti_lpi_beyond_propbaser_idbits_is_physicalid_oor(struct kunit *test)
{
	struct its_int *x = its_int_new_lpis(test, false);

	KUNIT_EXPECT_EQ(test, BIT(16), vgic3_lpi_nr_intids(x->t.gic));
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 1, GICR_PROPBASER, I_PROP | 13));
	KUNIT_EXPECT_EQ(test, BIT(14), vgic3_lpi_nr_intids(x->t.gic));

	its_int_queue(x, c_mapd(1, 4, I_ITT, true));
	its_int_queue(x, c_mapc(0, 0, true));
	KUNIT_ASSERT_EQ(test, 0ULL, x->its->nr_cmd_errors);
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run_its(x->its, c_mapti(1, 0, BIT(14), 0)));
	KUNIT_EXPECT_NULL(test, fx_find_ite(x->its, 1, 0));
	KUNIT_EXPECT_EQ(test, 0,
			fx_run_its(x->its, c_mapti(1, 1, BIT(14) - 1, 0)));
	KUNIT_EXPECT_NOT_NULL(test, fx_find_ite(x->its, 1, 1));

	/* IDbits above GICD_TYPER.IDbits: the 16-bit INTID space still ends it. */
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 0, GICR_PROPBASER, I_PROP | 31));
	KUNIT_EXPECT_EQ(test, BIT(16), vgic3_lpi_nr_intids(x->t.gic));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run_its(x->its, c_mapti(1, 2, BIT(16), 0)));

	/* KVM's initial PROPBASER (IDbits 0) covers no LPI at all. */
	KUNIT_ASSERT_EQ(test, 0, rd_set(&x->t, 0, GICR_PROPBASER, I_PROP));
	KUNIT_EXPECT_EQ(test, E_ITS_MAPTI_PHYSICALID_OOR,
			fx_run_its(x->its, c_mapti(1, 3, 8192, 0)));
}

/*
 * One vCPU count (vgic3_nr_vcpus()): the fake may add a vCPU after INIT,
 * which KVM refuses (-EBUSY); a collection names only vCPUs INIT found, so
 * that every mapped collection routes its LPIs.
 */
static void mapc_names_only_the_vcpus_init_found(struct kunit *test)
{
	struct its_int *x = its_int_new(test);

	x->t.vm->nr_vcpus = 3;
	KUNIT_EXPECT_EQ(test, E_ITS_MAPC_PROCNUM_OOR,
			fx_run_its(x->its, c_mapc(0, 2, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run_its(x->its, c_mapd(1, 4, I_ITT, true)));
	KUNIT_ASSERT_EQ(test, 0, fx_run_its(x->its, c_mapc(0, 1, true)));
	KUNIT_EXPECT_EQ(test, 0, fx_run_its(x->its, c_mapti(1, 0, 8200, 0)));
	KUNIT_EXPECT_EQ(test, 0, its_inject_msi(x->its, 1, 0));
	KUNIT_EXPECT_TRUE(test, vgic3_lpi_is_pending(x->t.gic, 8200));
}

static struct kunit_case its_vgic_cases[] = {
	KUNIT_CASE(int_makes_the_mapped_lpi_pending),
	KUNIT_CASE(mapc_names_only_the_vcpus_init_found),
	KUNIT_CASE(msi_makes_the_mapped_lpi_pending),
	KUNIT_CASE(msi_group_translates_and_names_each_failure),
	KUNIT_CASE(discard_removes_the_lpi),
	KUNIT_CASE(shared_lpi_outlives_one_of_its_ites),
	KUNIT_CASE(mapti_lpi_beyond_propbaser_idbits_is_physicalid_oor),
	{}
};

static struct kunit_suite its_vgic_suite = {
	.name = "kvm_vgic3_its_on_vgic",
	.test_cases = its_vgic_cases,
};

kunit_test_suite(its_vgic_suite);
