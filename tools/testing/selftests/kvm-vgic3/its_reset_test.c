// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_ARM_ITS_CTRL_RESET at every stage of the guest's ITS programming,
 * driven as QEMU does (HAS, then SET), and the save/restore of an ITS the
 * guest never programmed (the bugs that led to CTRL_RESET: save at early
 * boot or after a reboot, restore of such a state).
 *
 * ITS Reset State (arm-vgic-its.rst): disabled and quiescent, no cached
 * state, BASER<n>.Valid = 0, CBASER = CREADR = CWRITER = 0, ABI revision and
 * base address unchanged. Measured on the in-kernel ITS: BASER0/1 keep all
 * their other fields (address, size, attributes) and only lose Valid.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

#define BASER0_RESET	0x1907000000000600ULL
#define BASER1_RESET	0x1c07000000000600ULL
#define ITS_IIDR_VAL	0x4b00043bULL
#define PATTERN		0xa5

static void qemu_reset(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(0, __kvm_has_device_attr(fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_CTRL_RESET));
	ASSERT_EQ(0, __its_reset(fd));
}

static void check_reset_state(struct __test_metadata *_metadata,
			      struct its_env *e, uint64_t baser0, uint64_t baser1)
{
	uint64_t addr = 0;

	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CBASER));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CWRITER));
	EXPECT_EQ(baser0 & ~GITS_BASER_VALID, its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ(baser1 & ~GITS_BASER_VALID, its_reg_get(e->its_fd, GITS_BASER + 8));
	for (int i = 2; i < 8; i++)
		EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_BASER + 8 * i));
	EXPECT_EQ(ITS_IIDR_VAL, its_reg_get(e->its_fd, GITS_IIDR));
	EXPECT_EQ(0x1ef71, its_reg_get(e->its_fd, GITS_TYPER));
	kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &addr);
	EXPECT_EQ(GITS_BASE_GPA, addr);
}

/* SAVE_TABLES succeeds and leaves the whole ITS memslot untouched. */
static void check_save_writes_nothing(struct __test_metadata *_metadata,
				      struct its_env *e)
{
	uint8_t *copy = malloc(ITS_MEM_SIZE);

	memset(e->mem, PATTERN, ITS_MEM_SIZE);
	memcpy(copy, e->mem, ITS_MEM_SIZE);
	EXPECT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(0, memcmp(copy, e->mem, ITS_MEM_SIZE));
	free(copy);
}

/* Save the registers of e, restore them (+ tables, memory copied) into a
 * fresh VM, compare registers. */
static void check_restore_into_fresh_vm(struct __test_metadata *_metadata,
					struct its_env *e)
{
	struct its_env *b = its_env_create(e->nr_vcpus, NULL);
	struct its_regs ra, rb;

	its_regs_save(e->its_fd, &ra);
	memcpy(b->mem, e->mem, ITS_MEM_SIZE);
	EXPECT_EQ(0, its_regs_restore(b->its_fd, &ra));
	its_regs_save(b->its_fd, &rb);
	EXPECT_EQ(ra.iidr, rb.iidr);
	/* Measured: CBASER 0 (reset value) does not survive a write of 0: the
	 * inner cacheability nCnB is sanitised to RaWb. */
	EXPECT_EQ(ra.cbaser ? ra.cbaser : 0x1800000000000000ULL, rb.cbaser);
	EXPECT_EQ(ra.creadr, rb.creadr);
	EXPECT_EQ(ra.cwriter, rb.cwriter);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(ra.baser[i], rb.baser[i]);
	EXPECT_EQ(ra.ctlr, rb.ctlr);
	check_save_writes_nothing(_metadata, b);
	its_env_free(b);
}

TEST(its_reset_before_the_guest_programmed_anything)
{
	struct its_env *e = its_env_create(1, NULL);

	qemu_reset(_metadata, e->its_fd);
	check_reset_state(_metadata, e, BASER0_RESET, BASER1_RESET);
	check_save_writes_nothing(_metadata, e);
	check_restore_into_fresh_vm(_metadata, e);
	/* twice is fine */
	qemu_reset(_metadata, e->its_fd);
	check_reset_state(_metadata, e, BASER0_RESET, BASER1_RESET);
	its_env_free(e);
}

TEST(its_reset_midway_basers_set_not_enabled)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t b0 = its_baser_dt(e, false, 2), b1 = its_baser_ct(e, 1);

	its_reg_set(e->its_fd, GITS_BASER, b0);
	its_reg_set(e->its_fd, GITS_BASER + 8, b1);
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	its_reg_set(e->its_fd, GITS_CWRITER, 0x40);	/* queued, not processed */
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CTLR));
	qemu_reset(_metadata, e->its_fd);
	check_reset_state(_metadata, e, its_reg_get(e->its_fd, GITS_BASER) | GITS_BASER_VALID,
			  its_reg_get(e->its_fd, GITS_BASER + 8) | GITS_BASER_VALID);
	EXPECT_EQ((b0 | (1ULL << 56) | (7ULL << 48)) & ~GITS_BASER_VALID,
		  its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ((b1 | (4ULL << 56) | (7ULL << 48)) & ~GITS_BASER_VALID,
		  its_reg_get(e->its_fd, GITS_BASER + 8));
	check_save_writes_nothing(_metadata, e);
	check_restore_into_fresh_vm(_metadata, e);
	its_env_free(e);
}

TEST(its_reset_after_enable_with_mapped_devices)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t b0, b1;

	its_env_setup_its(e);
	its_env_program_std(e, 4, 4);
	b0 = its_reg_get(e->its_fd, GITS_BASER);
	b1 = its_reg_get(e->its_fd, GITS_BASER + 8);
	/* the state is there before the reset */
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(mk_dte(1, its_itt_gpa(e, 0), 3), its_dte(e, 0));
	qemu_reset(_metadata, e->its_fd);
	check_reset_state(_metadata, e, b0, b1);
	check_save_writes_nothing(_metadata, e);
	check_restore_into_fresh_vm(_metadata, e);

	/* No cached state: the guest re-enables with the same tables and the
	 * saved tables hold nothing. */
	memset(e->mem, 0, ITS_MEM_SIZE);
	its_env_setup_its(e);
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(0, its_dte(e, 0));
	EXPECT_EQ(0, its_cte(e, 0));
	EXPECT_EQ(0, its_ite(e, 0, 0));
	/* tables and ITTs: nothing at all */
	for (int i = 0; i < ITS_OFF_PROP; i++)
		if (i < ITS_OFF_CMDQ || i >= ITS_OFF_ITT) if (e->mem[i]) {
			EXPECT_EQ(0, i);
			break;
		}
	/* and a fresh programming works as on a new ITS */
	its_env_program_std(e, 1, 2);
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(mk_dte(0, its_itt_gpa(e, 0), 3), its_dte(e, 0));
	EXPECT_EQ(mk_ite(1, ITS_LPI(0), 0), its_ite(e, 0, 0));
	EXPECT_EQ(mk_ite(0, ITS_LPI(1), 1), its_ite(e, 0, 1));
	its_env_free(e);
}

TEST(its_reset_keeps_the_abi_revision_and_base_address)
{
	struct its_env *e = its_env_create(1, NULL);

	its_reg_set(e->its_fd, GITS_IIDR, 0);
	its_env_setup_its(e);
	qemu_reset(_metadata, e->its_fd);
	check_reset_state(_metadata, e, its_baser_dt(e, false, 2) | (1ULL << 56) | (7ULL << 48),
			  its_baser_ct(e, 1) | (4ULL << 56) | (7ULL << 48));
	its_env_free(e);
}

/* The seed scenario without reset: an ITS the guest never programmed is
 * saved (early boot) and restored into a fresh VM. */
TEST(its_save_and_restore_of_an_its_never_programmed)
{
	struct its_env *e = its_env_create(2, NULL);

	EXPECT_EQ(0, __gic_save_pending(e->gic_fd));
	check_save_writes_nothing(_metadata, e);
	check_restore_into_fresh_vm(_metadata, e);
	its_env_free(e);
}

/* A reboot left BASERs pointing at memory that is gone: the save fails until
 * the ITS is reset (the origin of CTRL_RESET). Measured: a valid collection
 * BASER with no collection still writes the end-of-table entry, so EFAULT. */
TEST(its_save_with_stale_basers_to_unbacked_memory_is_efault_until_reset)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t gone = 0x20000000;	/* no memslot there */

	its_reg_set(e->its_fd, GITS_BASER, gone | GITS_BASER_VALID);
	its_reg_set(e->its_fd, GITS_BASER + 8, (gone + SZ_64K) | GITS_BASER_VALID);
	EXPECT_EQ(-EFAULT, __its_save(e->its_fd));
	EXPECT_EQ(-EFAULT, __its_restore(e->its_fd));
	qemu_reset(_metadata, e->its_fd);
	EXPECT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(0, __its_restore(e->its_fd));
	its_env_free(e);
}

/* QEMU without CTRL_RESET writes 0 to CTLR, CBASER, BASER0-7. */
TEST(its_reset_by_register_writes_drops_devices_and_collections)
{
	struct its_env *e = its_env_create(2, NULL);

	its_env_setup_its(e);
	its_env_program_std(e, 2, 2);
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	its_reg_set(e->its_fd, GITS_CBASER, 0);
	for (int i = 0; i < 8; i++)
		its_reg_set(e->its_fd, GITS_BASER + 8 * i, 0);
	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CWRITER));
	check_save_writes_nothing(_metadata, e);
	memset(e->mem, 0, ITS_MEM_SIZE);
	its_env_setup_its(e);
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(0, its_dte(e, 0));
	EXPECT_EQ(0, its_dte(e, 1));
	EXPECT_EQ(0, its_cte(e, 0));
	its_env_free(e);
}

/* Rewriting a BASER with its unchanged value keeps the state (the guest ITS
 * driver does it on resume); any change drops that table's state. */
TEST(its_baser_rewrite_same_value_keeps_state_change_drops_it)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t b0, b1;

	its_env_setup_its(e);
	its_env_program_std(e, 2, 2);
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	b0 = its_reg_get(e->its_fd, GITS_BASER);
	b1 = its_reg_get(e->its_fd, GITS_BASER + 8);
	its_reg_set(e->its_fd, GITS_BASER, b0);
	its_reg_set(e->its_fd, GITS_BASER + 8, b1);
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(mk_dte(1, its_itt_gpa(e, 0), 3), its_dte(e, 0));
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	/* change the device table BASER (size): devices gone, collections kept */
	memset(e->mem, 0, ITS_MEM_SIZE);
	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 1));
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(0, its_dte(e, 0));
	EXPECT_EQ(0, its_dte(e, 1));
	EXPECT_EQ(0, its_ite(e, 0, 0));
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	EXPECT_EQ(mk_cte(1, 1), its_cte(e, 1));
	EXPECT_EQ(0, its_cte(e, 2));
	its_env_free(e);
}

TEST_HARNESS_MAIN
