// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the table ABI rev 0 entry codecs (arm-vgic-its.rst, "ITS Table ABI
 * REV0"), bit for bit.
 */
#include <kunit/test.h>
#include "its_test.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void dte_layout_is_v_next_ittaddr_size(struct kunit *test)
{
	struct its_dte e = { .valid = true, .next = 5, .itt = 0xabcdef00ULL,
			     .nbits = 16 };

	KUNIT_EXPECT_EQ(test, BIT_ULL(63) | 5ULL << 49 |
			(0xabcdef00ULL >> 8) << 5 | 15, its_dte_encode(&e));
}

static void dte_itt_address_covers_bits_51_to_8(struct kunit *test)
{
	struct its_dte e = { .valid = true, .itt = GENMASK_ULL(51, 8),
			     .nbits = 1 };
	struct its_dte d;

	KUNIT_EXPECT_EQ(test, BIT_ULL(63) | GENMASK_ULL(48, 5),
			its_dte_encode(&e));
	its_dte_decode(its_dte_encode(&e), &d);
	KUNIT_EXPECT_EQ(test, GENMASK_ULL(51, 8), d.itt);
	KUNIT_EXPECT_EQ(test, 1, d.nbits);
}

static void dte_decode_roundtrips(struct kunit *test)
{
	struct its_dte e = { .valid = true, .next = 0x3fff, .itt = 0x10000,
			     .nbits = 7 };
	struct its_dte d;

	its_dte_decode(its_dte_encode(&e), &d);
	KUNIT_EXPECT_TRUE(test, d.valid);
	KUNIT_EXPECT_EQ(test, 0x3fffU, d.next);
	KUNIT_EXPECT_EQ(test, 0x10000ULL, d.itt);
	KUNIT_EXPECT_EQ(test, 7, d.nbits);
}

static void ite_layout_is_next_pintid_icid(struct kunit *test)
{
	struct its_ite_entry e = { .next = 0xffff, .intid = 8192,
				   .icid = 0x1234 };
	struct its_ite_entry d;

	KUNIT_EXPECT_EQ(test, 0xffffULL << 48 | 8192ULL << 16 | 0x1234,
			its_ite_encode(&e));
	its_ite_decode(its_ite_encode(&e), &d);
	KUNIT_EXPECT_EQ(test, 0xffffU, d.next);
	KUNIT_EXPECT_EQ(test, 8192U, d.intid);
	KUNIT_EXPECT_EQ(test, 0x1234, d.icid);
}

static void cte_layout_is_v_rdbase_icid(struct kunit *test)
{
	struct its_cte e = { .valid = true, .target = 3, .icid = 0xffff };

	KUNIT_EXPECT_EQ(test, BIT_ULL(63) | 3ULL << 16 | 0xffff,
			its_cte_encode(&e));
}

static void cte_of_unmapped_collection_saves_all_ones_target(struct kunit *test)
{
	struct its_cte e = { .valid = true, .target = ITS_TARGET_NONE,
			     .icid = 1 };
	struct its_cte d;

	KUNIT_EXPECT_EQ(test, BIT_ULL(63) | 0xffffffffULL << 16 | 1,
			its_cte_encode(&e));
	its_cte_decode(its_cte_encode(&e), &d);
	KUNIT_EXPECT_EQ(test, ITS_TARGET_NONE, d.target);
}

static void cte_decode_reads_rdbase_as_u32(struct kunit *test)
{
	struct its_cte d;

	its_cte_decode(BIT_ULL(63) | BIT_ULL(48) | 2ULL << 16 | 9, &d);
	KUNIT_EXPECT_TRUE(test, d.valid);
	KUNIT_EXPECT_EQ(test, 2U, d.target);
	KUNIT_EXPECT_EQ(test, 9, d.icid);
}

static void l1_entry_is_valid_and_64k_address(struct kunit *test)
{
	u64 l2;

	KUNIT_EXPECT_TRUE(test, its_l1e_decode(BIT_ULL(63) | 0x12340000ULL |
					       0xffff, &l2));
	KUNIT_EXPECT_EQ(test, 0x12340000ULL, l2);
	KUNIT_EXPECT_FALSE(test, its_l1e_decode(0x12340000ULL, &l2));
}

static struct kunit_case its_codec_cases[] = {
	KUNIT_CASE(dte_layout_is_v_next_ittaddr_size),
	KUNIT_CASE(dte_itt_address_covers_bits_51_to_8),
	KUNIT_CASE(dte_decode_roundtrips),
	KUNIT_CASE(ite_layout_is_next_pintid_icid),
	KUNIT_CASE(cte_layout_is_v_rdbase_icid),
	KUNIT_CASE(cte_of_unmapped_collection_saves_all_ones_target),
	KUNIT_CASE(cte_decode_reads_rdbase_as_u32),
	KUNIT_CASE(l1_entry_is_valid_and_64k_address),
	{}
};

static struct kunit_suite its_codec_suite = {
	.name = "kvm_vgic3_its_codecs",
	.test_cases = its_codec_cases,
};

kunit_test_suite(its_codec_suite);
