// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_ARM_VGIC_GRP_ITS_REGS / GRP_ADDR / GRP_CTRL attribute rules of the
 * ITS device (KVM_DEV_TYPE_ARM_VGIC_ITS), as the in-kernel ITS of Linux 6.12
 * implements them. Every rule is one TEST; expected values were measured on
 * the in-kernel ITS and are asserted for both implementations.
 */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "impl.h"
#include "common_its.h"

#define BASER0_RESET	0x1907000000000600ULL
#define BASER1_RESET	0x1c07000000000600ULL
#define ITS_IIDR_VAL	0x4b00043bULL
#define ITS_TYPER_VAL	0x1ef71ULL

static int its_create_nobase(struct its_env *e)
{
	int fd = __kvm_create_device(e->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);

	TEST_ASSERT(fd >= 0, "create ITS: %s", strerror(errno));
	return fd;
}

static int has_reg(int fd, uint64_t off)
{
	return __kvm_has_device_attr(fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off) ? -errno : 0;
}

TEST(its_regs_values_are_u64_whatever_the_register_width)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t v = ~0ULL;

	/* GITS_CTLR and GITS_IIDR are 32-bit: the whole u64 is written. */
	ASSERT_EQ(0, __kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_CTLR, &v));
	EXPECT_EQ(GITS_CTLR_QUIESCENT, v);
	v = ~0ULL;
	ASSERT_EQ(0, __kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_IIDR, &v));
	EXPECT_EQ(ITS_IIDR_VAL, v);
	v = ~0ULL;
	ASSERT_EQ(0, __kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
					   GITS_PIDR2, &v));
	EXPECT_EQ(0x3bULL, v);
	/* A 64-bit register is read and written as one u64. */
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 2));
	EXPECT_EQ(its_cbaser(e, 2), its_reg_get(e->its_fd, GITS_CBASER));
	its_env_free(e);
}

TEST(its_regs_misaligned_offset_is_einval)
{
	struct its_env *e = its_env_create(1, NULL);
	/* 4-byte alignment below GITS_TYPER and from 0xffd0, 8 in between */
	static const uint64_t offs[] = { 0x1, 0x2, 0x3, 0x5, 0x6, 0xc, 0x84, 0x8c,
					 0x94, 0x104, 0x13c, 0xffd2, 0xffe1, 0xfffe };
	uint64_t v;

	for (int i = 0; i < ARRAY_SIZE(offs); i++) {
		EXPECT_EQ(-EINVAL, __its_reg_get(e->its_fd, offs[i], &v)) TH_LOG("0x%lx", offs[i]);
		EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, offs[i], 0)) TH_LOG("0x%lx", offs[i]);
		EXPECT_EQ(-EINVAL, has_reg(e->its_fd, offs[i])) TH_LOG("0x%lx", offs[i]);
	}
	its_env_free(e);
}

TEST(its_regs_4byte_aligned_offsets_below_typer_and_in_idregs_are_valid)
{
	struct its_env *e = its_env_create(1, NULL);
	static const uint64_t offs[] = { 0x0, 0x4, 0xffd0, 0xffd4, 0xffd8, 0xffdc,
					 0xffe0, 0xffe4, 0xffe8, 0xffec, 0xfff0,
					 0xfff4, 0xfff8, 0xfffc };
	uint64_t v;

	for (int i = 0; i < ARRAY_SIZE(offs); i++) {
		EXPECT_EQ(0, __its_reg_get(e->its_fd, offs[i], &v)) TH_LOG("0x%lx", offs[i]);
		EXPECT_EQ(0, has_reg(e->its_fd, offs[i])) TH_LOG("0x%lx", offs[i]);
	}
	its_env_free(e);
}

TEST(its_regs_with_base_address_unset_is_enxio)
{
	struct its_env *e = its_env_create_noits(1, NULL);
	int fd = its_create_nobase(e);
	uint64_t v;

	EXPECT_EQ(-ENXIO, __its_reg_get(fd, GITS_CTLR, &v));
	EXPECT_EQ(-ENXIO, __its_reg_get(fd, GITS_TYPER, &v));
	EXPECT_EQ(-ENXIO, __its_reg_set(fd, GITS_CBASER, 0));
	/* alignment is checked first, has_attr does not need a base */
	EXPECT_EQ(-EINVAL, __its_reg_get(fd, 0x2, &v));
	EXPECT_EQ(0, has_reg(fd, GITS_CTLR));
	/* and it works once the base is set */
	v = GITS_BASE_GPA;
	ASSERT_EQ(0, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(ITS_TYPER_VAL, its_reg_get(fd, GITS_TYPER));
	close(fd);
	its_env_free(e);
}

TEST(its_regs_offset_that_is_not_a_register_is_enxio)
{
	struct its_env *e = its_env_create(1, NULL);
	static const uint64_t offs[] = { 0x10, 0x18, 0x20, 0x40, 0x78, 0x98, 0xf8,
					 0x140, 0x1000, 0x8000, 0xffc8, 0x10000,
					 0x10040, 0x20000 };
	uint64_t v;

	for (int i = 0; i < ARRAY_SIZE(offs); i++) {
		EXPECT_EQ(-ENXIO, __its_reg_get(e->its_fd, offs[i], &v)) TH_LOG("0x%lx", offs[i]);
		EXPECT_EQ(-ENXIO, __its_reg_set(e->its_fd, offs[i], 0)) TH_LOG("0x%lx", offs[i]);
		EXPECT_EQ(-ENXIO, has_reg(e->its_fd, offs[i])) TH_LOG("0x%lx", offs[i]);
	}
	its_env_free(e);
}

TEST(its_iidr_value_and_write_with_revision_1_or_more_is_einval)
{
	struct its_env *e = its_env_create(1, NULL);

	EXPECT_EQ(ITS_IIDR_VAL, its_reg_get(e->its_fd, GITS_IIDR));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_IIDR, ITS_IIDR_VAL));
	/* only the revision field matters on write */
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_IIDR, 0));
	for (uint64_t rev = 1; rev < 16; rev++) {
		EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, GITS_IIDR, rev << 12))
			TH_LOG("rev %lu", rev);
	}
	EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, GITS_IIDR, ~0ULL));
	EXPECT_EQ(ITS_IIDR_VAL, its_reg_get(e->its_fd, GITS_IIDR));
	its_env_free(e);
}

TEST(its_typer_value_is_0x1ef71_and_read_only)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t t = its_reg_get(e->its_fd, GITS_TYPER);

	EXPECT_EQ(ITS_TYPER_VAL, t);
	EXPECT_EQ(1, t & 1);				/* Physical */
	EXPECT_EQ(8, ((t >> 4) & 0xf) + 1);		/* ITT entry size */
	EXPECT_EQ(16, ((t >> 8) & 0x1f) + 1);		/* ID bits */
	EXPECT_EQ(16, ((t >> 13) & 0x1f) + 1);		/* Dev bits */
	EXPECT_EQ(0, t & GITS_TYPER_PTA);
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_TYPER, 0));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_TYPER, ~0ULL));
	EXPECT_EQ(ITS_TYPER_VAL, its_reg_get(e->its_fd, GITS_TYPER));
	its_env_free(e);
}

TEST(its_id_registers_values_and_writes_ignored)
{
	struct its_env *e = its_env_create(1, NULL);
	static const struct { uint64_t off, val; } ids[] = {
		{ 0xffd0, 0x40 }, { 0xffd4, 0 }, { 0xffd8, 0 }, { 0xffdc, 0 },
		{ 0xffe0, 0x92 }, { 0xffe4, 0xb4 }, { 0xffe8, 0x3b }, { 0xffec, 0 },
		{ 0xfff0, 0x0d }, { 0xfff4, 0xf0 }, { 0xfff8, 0x05 }, { 0xfffc, 0xb1 },
	};

	for (int i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(ids[i].val, its_reg_get(e->its_fd, ids[i].off)) TH_LOG("0x%lx", ids[i].off);
		EXPECT_EQ(0, __its_reg_set(e->its_fd, ids[i].off, 0x5a));
		EXPECT_EQ(ids[i].val, its_reg_get(e->its_fd, ids[i].off)) TH_LOG("0x%lx", ids[i].off);
	}
	its_env_free(e);
}

TEST(its_baser0_1_type_and_entry_size_are_read_only)
{
	struct its_env *e = its_env_create(1, NULL);

	EXPECT_EQ(BASER0_RESET, its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ(BASER1_RESET, its_reg_get(e->its_fd, GITS_BASER + 8));
	/* all ones: type/entry size kept, outer cacheability and page size
	 * sanitised, Indirect cleared on the collection table */
	its_reg_set(e->its_fd, GITS_BASER, ~0ULL);
	its_reg_set(e->its_fd, GITS_BASER + 8, ~0ULL);
	EXPECT_EQ(0xf907fffffffffeffULL, its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ(0xbc07fffffffffeffULL, its_reg_get(e->its_fd, GITS_BASER + 8));
	/* all zeroes */
	its_reg_set(e->its_fd, GITS_BASER, 0);
	its_reg_set(e->its_fd, GITS_BASER + 8, 0);
	EXPECT_EQ(0x1907000000000200ULL, its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ(0x1c07000000000200ULL, its_reg_get(e->its_fd, GITS_BASER + 8));
	/* a typical value reads back as written, page size forced to 64K */
	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, true, 1) & ~GITS_BASER_PAGE_SIZE_MASK);
	EXPECT_EQ(its_baser_dt(e, true, 1) | (1ULL << 56) | (7ULL << 48),
		  its_reg_get(e->its_fd, GITS_BASER));
	/* outer shareable becomes inner shareable */
	its_reg_set(e->its_fd, GITS_BASER + 8, its_gpa(e, ITS_OFF_CT) | (2ULL << 10));
	EXPECT_EQ(its_gpa(e, ITS_OFF_CT) | (1ULL << 10) | (4ULL << 56) | (7ULL << 48) |
		  (3ULL << 59) | GITS_BASER_PAGE_SIZE_64K,
		  its_reg_get(e->its_fd, GITS_BASER + 8));
	its_env_free(e);
}

TEST(its_baser2_to_7_are_raz_wi)
{
	struct its_env *e = its_env_create(1, NULL);

	for (int i = 2; i < 8; i++) {
		EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_BASER + 8 * i));
		EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_BASER + 8 * i, ~0ULL));
		EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_BASER + 8 * i));
	}
	its_env_free(e);
}

TEST(its_baser_and_cbaser_writes_ignored_while_enabled)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t b0, b1, cb;

	its_env_setup_its(e);
	b0 = its_reg_get(e->its_fd, GITS_BASER);
	b1 = its_reg_get(e->its_fd, GITS_BASER + 8);
	cb = its_reg_get(e->its_fd, GITS_CBASER);
	its_send(e, its_cmd_sync(0));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_BASER, 0));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_BASER + 8, 0));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CBASER, 0));
	EXPECT_EQ(b0, its_reg_get(e->its_fd, GITS_BASER));
	EXPECT_EQ(b1, its_reg_get(e->its_fd, GITS_BASER + 8));
	EXPECT_EQ(cb, its_reg_get(e->its_fd, GITS_CBASER));
	/* CBASER write ignored: CREADR/CWRITER not reset either */
	EXPECT_EQ(32, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(32, its_reg_get(e->its_fd, GITS_CWRITER));
	its_env_free(e);
}

TEST(its_cbaser_write_resets_creadr_and_cwriter)
{
	struct its_env *e = its_env_create(1, NULL);

	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CBASER));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	its_reg_set(e->its_fd, GITS_CREADR, 0x100);
	its_reg_set(e->its_fd, GITS_CWRITER, 0x200);
	EXPECT_EQ(0x100, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0x200, its_reg_get(e->its_fd, GITS_CWRITER));
	/* the same value again still resets both */
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CWRITER));
	/* sanitised: bits [15:12] cleared, outer cacheability */
	its_reg_set(e->its_fd, GITS_CBASER, ~0ULL);
	EXPECT_EQ(0xff1fffffffff0fffULL, its_reg_get(e->its_fd, GITS_CBASER));
	/* 0: inner non-cacheable becomes RaWb */
	its_reg_set(e->its_fd, GITS_CBASER, 0);
	EXPECT_EQ(0x1800000000000000ULL, its_reg_get(e->its_fd, GITS_CBASER));
	its_env_free(e);
}

TEST(its_creadr_write_while_enabled_is_ebusy)
{
	struct its_env *e = its_env_create(1, NULL);

	its_env_setup_its(e);
	EXPECT_EQ(-EBUSY, __its_reg_set(e->its_fd, GITS_CREADR, 0x40));
	EXPECT_EQ(-EBUSY, __its_reg_set(e->its_fd, GITS_CREADR, 0));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	/* disabled again: accepted */
	its_reg_set(e->its_fd, GITS_CTLR, 0);
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CREADR, 0x40));
	EXPECT_EQ(0x40, its_reg_get(e->its_fd, GITS_CREADR));
	its_env_free(e);
}

TEST(its_creadr_write_beyond_queue_size_is_einval)
{
	struct its_env *e = its_env_create(1, NULL);

	/* CBASER 0: the queue is one 4K page */
	EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, GITS_CREADR, 0x1000));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CREADR, 0xfe0));
	EXPECT_EQ(0xfe0, its_reg_get(e->its_fd, GITS_CREADR));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 2));
	EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, GITS_CREADR, 0x2000));
	EXPECT_EQ(-EINVAL, __its_reg_set(e->its_fd, GITS_CREADR, 0xfffe0));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	/* bits outside [19:5] are dropped before the check */
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CREADR, 0x1fe0 | 0x1f | (1ULL << 40)));
	EXPECT_EQ(0x1fe0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CREADR, 0x100000 | 0x40));
	EXPECT_EQ(0x40, its_reg_get(e->its_fd, GITS_CREADR));
	its_env_free(e);
}

TEST(its_cwriter_write_beyond_queue_size_is_ignored)
{
	struct its_env *e = its_env_create(1, NULL);

	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 2));
	its_reg_set(e->its_fd, GITS_CWRITER, 0x60);
	EXPECT_EQ(0x60, its_reg_get(e->its_fd, GITS_CWRITER));
	EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CWRITER, 0x2000));
	EXPECT_EQ(0x60, its_reg_get(e->its_fd, GITS_CWRITER));
	/* low bits dropped */
	its_reg_set(e->its_fd, GITS_CWRITER, 0x8f);
	EXPECT_EQ(0x80, its_reg_get(e->its_fd, GITS_CWRITER));
	/* disabled: nothing processed, the ITS is not quiescent */
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CREADR));
	EXPECT_EQ(0, its_reg_get(e->its_fd, GITS_CTLR));
	its_env_free(e);
}

TEST(its_enable_refused_unless_cbaser_and_both_basers_valid)
{
	for (int missing = 0; missing < 3; missing++) {
		struct its_env *e = its_env_create(1, NULL);

		if (missing != 0)
			its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 1));
		if (missing != 1)
			its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
		if (missing != 2)
			its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 1));
		EXPECT_EQ(0, __its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE));
		EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR)) {
			TH_LOG("missing %d", missing);
		}
		its_env_free(e);
	}
}

TEST(its_ctlr_keeps_only_enable_and_reports_quiescent)
{
	struct its_env *e = its_env_create(1, NULL);

	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, false, 1));
	its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 1));
	its_reg_set(e->its_fd, GITS_CTLR, ~0ULL);
	EXPECT_EQ(GITS_CTLR_QUIESCENT | GITS_CTLR_ENABLE,
		  its_reg_get(e->its_fd, GITS_CTLR));
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_QUIESCENT);
	EXPECT_EQ(GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	its_env_free(e);
}

TEST(its_addr_rules_enodev_enxio_einval_e2big_eexist)
{
	struct its_env *e = its_env_create_noits(1, NULL);
	int fd = its_create_nobase(e);
	uint64_t ipa = 1ULL << e->vm->pa_bits;
	uint64_t v = 0;

	/* unset reads as VGIC_ADDR_UNDEF */
	ASSERT_EQ(0, __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(~0ULL, v);
	for (uint64_t t = 0; t < 8; t++) {
		if (t == KVM_VGIC_ITS_ADDR_TYPE)
			continue;
		v = GITS_BASE_GPA;
		EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, t, &v));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-1, __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, t, &v));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-1, __kvm_has_device_attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, t));
		EXPECT_EQ(ENXIO, errno);
	}
	EXPECT_EQ(0, __kvm_has_device_attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE));
	v = GITS_BASE_GPA + 0x1000;
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(EINVAL, errno);
	v = ipa - SZ_64K;
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(E2BIG, errno);
	v = ipa;
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(E2BIG, errno);
	v = -SZ_64K;	/* wraps */
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* still unset after all the failures */
	ASSERT_EQ(0, __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(~0ULL, v);
	v = ipa - 2 * SZ_64K;	/* the last 128K of the IPA space fits */
	EXPECT_EQ(0, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	v = GITS_BASE_GPA;
	EXPECT_EQ(-1, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(EEXIST, errno);
	ASSERT_EQ(0, __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(ipa - 2 * SZ_64K, v);
	EXPECT_EQ(-1, __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					    KVM_VGIC_ITS_ADDR_TYPE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
	its_env_free(e);
}

TEST(its_ctrl_get_is_enxio_and_has_attr_lists_four)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t v;

	for (uint64_t a = 0; a < 6; a++) {
		EXPECT_EQ(-1, __kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, a, &v));
		EXPECT_EQ(ENXIO, errno);
	}
	EXPECT_EQ(0, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_VGIC_CTRL_INIT));
	EXPECT_EQ(0, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_SAVE_TABLES));
	EXPECT_EQ(0, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_RESTORE_TABLES));
	EXPECT_EQ(0, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					   KVM_DEV_ARM_ITS_CTRL_RESET));
	EXPECT_EQ(-1, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES));
	EXPECT_EQ(ENXIO, errno);
	EXPECT_EQ(-1, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, 99));
	EXPECT_EQ(ENXIO, errno);
	its_env_free(e);
}

/* Measured: the in-kernel ITS answers 0 to SET of an unknown CTRL attribute
 * (vgic_its_ctrl() has no default case) and ENXIO to has_attr. */
TEST(its_ctrl_set_of_unknown_attr_returns_0_and_changes_nothing)
{
	struct its_env *e = its_env_create(1, NULL);

	its_env_setup_its(e);
	EXPECT_EQ(0, __its_ctrl(e->its_fd, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES));
	EXPECT_EQ(0, __its_ctrl(e->its_fd, 99));
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, its_reg_get(e->its_fd, GITS_CTLR));
	its_env_free(e);
}

TEST(its_unknown_group_is_enxio)
{
	struct its_env *e = its_env_create(1, NULL);
	uint64_t v = 0;
	static const uint32_t groups[] = { KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
		KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
		KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, 42 };

	for (int i = 0; i < ARRAY_SIZE(groups); i++) {
		EXPECT_EQ(-1, __kvm_device_attr_set(e->its_fd, groups[i], 0, &v));
		EXPECT_EQ(ENXIO, errno);
		EXPECT_EQ(-1, __kvm_device_attr_get(e->its_fd, groups[i], 0, &v));
		EXPECT_EQ(ENXIO, errno);
		EXPECT_EQ(-1, __kvm_has_device_attr(e->its_fd, groups[i], 0));
		EXPECT_EQ(ENXIO, errno);
	}
	its_env_free(e);
}

TEST(its_ctrl_init_is_a_noop)
{
	struct its_env *e = its_env_create_noits(1, NULL);
	int fd = its_create_nobase(e);
	uint64_t v = GITS_BASE_GPA;

	EXPECT_EQ(0, __its_ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT));
	EXPECT_EQ(0, __its_ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT));
	ASSERT_EQ(0, __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	e->its_fd = fd;
	its_env_setup_its(e);
	its_send(e, its_cmd_mapc(0, 0, true));
	EXPECT_EQ(0, __its_ctrl(fd, KVM_DEV_ARM_VGIC_CTRL_INIT));
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, its_reg_get(fd, GITS_CTLR));
	EXPECT_EQ(32, its_reg_get(fd, GITS_CREADR));
	EXPECT_EQ(its_cbaser(e, 16), its_reg_get(fd, GITS_CBASER));
	/* the collection survives INIT */
	ASSERT_EQ(0, __its_save(fd));
	EXPECT_EQ(mk_cte(0, 0), its_cte(e, 0));
	its_env_free(e);
}

/* vCPU running: state-changing and reading ITS attributes are EBUSY. */
static int guest_stop;

static void running_guest(void)
{
	GUEST_SYNC(0);
	while (!READ_ONCE(guest_stop))
		cpu_relax();
	GUEST_DONE();
}

static volatile int host_started;

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct ucall uc;

	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_SYNC, "expected SYNC");
	host_started = 1;
	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "expected DONE");
	return NULL;
}

TEST(its_attrs_with_a_vcpu_running_are_ebusy)
{
	struct its_env *e = its_env_create(1, running_guest);
	pthread_t th;
	uint64_t v;
	int r = 0;

	its_env_setup_its(e);
	host_started = 0;
	pthread_create(&th, NULL, vcpu_thread, e->vcpus[0]);
	while (!host_started)
		usleep(1000);
	for (int i = 0; i < 500; i++) {
		r = __its_reg_get(e->its_fd, GITS_CTLR, &v);
		if (r == -EBUSY)
			break;
		usleep(2000);
	}
	EXPECT_EQ(-EBUSY, r);
	EXPECT_EQ(-EBUSY, __its_reg_get(e->its_fd, GITS_TYPER, &v));
	EXPECT_EQ(-EBUSY, __its_reg_set(e->its_fd, GITS_CWRITER, 0));
	EXPECT_EQ(-EBUSY, __its_save(e->its_fd));
	EXPECT_EQ(-EBUSY, __its_restore(e->its_fd));
	EXPECT_EQ(-EBUSY, __its_reset(e->its_fd));
	EXPECT_EQ(0, __its_ctrl(e->its_fd, KVM_DEV_ARM_VGIC_CTRL_INIT));
	EXPECT_EQ(0, __kvm_has_device_attr(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR));
	v = 0;
	EXPECT_EQ(0, __kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
					   KVM_VGIC_ITS_ADDR_TYPE, &v));
	EXPECT_EQ(GITS_BASE_GPA, v);
	guest_stop = 1;
	sync_global_to_guest(e->vm, guest_stop);
	pthread_join(th, NULL);
	/* and accepted again once it stopped */
	EXPECT_EQ(0, __its_save(e->its_fd));
	its_env_free(e);
}

TEST_HARNESS_MAIN
