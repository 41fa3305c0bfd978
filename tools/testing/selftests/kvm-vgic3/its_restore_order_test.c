// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS restore order of arm-vgic-its.rst (GITS_IIDR, GITS_CBASER,
 * GITS_CREADR, GITS_CWRITER, GITS_BASER<n>, RESTORE_TABLES, GITS_CTLR last),
 * broken one rule at a time:
 *
 *   GITS_CTLR before RESTORE_TABLES    the tables are restored all the same
 *   RESTORE_TABLES before GITS_IIDR    the tables are read as ABI revision 0
 *   GITS_CREADR before GITS_CBASER     the CBASER write resets CREADR (and
 *                                      CWRITER): the queue replays from 0
 *
 * Both implementations do what the ABI says; kvm_vgic3.ko also logs a
 * rate-limited warning naming the rule (Documentation/differences.rst,
 * Additions), the in-kernel ITS logs nothing. The documented order logs
 * nothing on either. The log is read from /dev/kmsg, from its end as it was
 * just before the ITS registers are restored.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

#define NR_VCPUS	2
/* Queue position saved with the image; the commands before it have run. */
#define CMDQ_POS	0x60
/* MAPC of the consumed commands at 0..CMDQ_POS: runs only if replayed. */
#define REPLAY_ICID	9
#define REPLAY_VCPU	1

enum rule { RULE_CTLR, RULE_IIDR, RULE_CREADR, NR_RULES };

/* What the module's warning says, one phrase per rule. */
static const char *const rule_phrase[NR_RULES] = {
	[RULE_CTLR] = "RESTORE_TABLES after GITS_CTLR",
	[RULE_IIDR] = "RESTORE_TABLES before GITS_IIDR",
	[RULE_CREADR] = "GITS_CBASER restored after GITS_CREADR",
};

enum step { S_END, S_IIDR, S_CBASER, S_CREADR, S_CWRITER, S_BASERS,
	    S_RESTORE, S_CTLR };

enum order { DOCUMENTED, CTLR_FIRST, IIDR_LAST, CREADR_FIRST, NR_ORDERS };

static const enum step steps[NR_ORDERS][8] = {
	[DOCUMENTED] = { S_IIDR, S_CBASER, S_CREADR, S_CWRITER, S_BASERS,
			 S_RESTORE, S_CTLR },
	[CTLR_FIRST] = { S_IIDR, S_CBASER, S_CREADR, S_CWRITER, S_BASERS,
			 S_CTLR, S_RESTORE },
	[IIDR_LAST] = { S_CBASER, S_CREADR, S_CWRITER, S_BASERS, S_RESTORE,
			S_IIDR, S_CTLR },
	[CREADR_FIRST] = { S_IIDR, S_CREADR, S_CBASER, S_CWRITER, S_BASERS,
			   S_RESTORE, S_CTLR },
};

/* ---- /dev/kmsg ------------------------------------------------------------ */

/* Open the log at its current end. */
static int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	TEST_ASSERT(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
	TEST_ASSERT(lseek(fd, 0, SEEK_END) >= 0, "lseek /dev/kmsg: %s",
		    strerror(errno));
	return fd;
}

/*
 * Read the records logged since the mark; count, per rule, the lines of
 * kvm-vgic3 about the ITS at GITS_BASE_GPA that name it. Every kvm-vgic3
 * line is shown.
 */
static void kmsg_collect(int fd, int counts[NR_RULES])
{
	char its[32], rec[8192];

	snprintf(its, sizeof(its), "ITS@%llx", (unsigned long long)GITS_BASE_GPA);
	memset(counts, 0, NR_RULES * sizeof(*counts));
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text, *nl;

		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = 0;
		if (!strstr(text, "kvm-vgic3"))
			continue;
		printf("# kmsg: %s\n", text);
		if (!strstr(text, its))
			continue;
		for (int r = 0; r < NR_RULES; r++)
			counts[r] += !!strstr(text, rule_phrase[r]);
	}
	close(fd);
}

/* ---- The image: a programmed ITS, saved ----------------------------------- */

struct image {
	uint8_t *mem;
	struct its_regs regs;
	uint64_t ctes[NR_VCPUS];
};

/*
 * Collections 0 -> vCPU 0 and 1 -> vCPU 1, devices 0 and 1 with events
 * 0..2, saved. The queue then holds, as consumed commands, MAPC
 * REPLAY_ICID and two SYNCs, and CREADR = CWRITER = CMDQ_POS.
 */
static void make_image(struct image *img)
{
	struct its_env *a = its_env_create(NR_VCPUS, NULL);
	struct its_cmd replay[] = {
		its_cmd_mapc(REPLAY_ICID, REPLAY_VCPU, true),
		its_cmd_sync(0), its_cmd_sync(1),
	};

	its_env_setup_its(a);
	its_env_program_std(a, 2, 3);
	TEST_ASSERT(!__its_save(a->its_fd), "SAVE_TABLES of the image");
	its_regs_save(a->its_fd, &img->regs);
	img->regs.creadr = CMDQ_POS;
	img->regs.cwriter = CMDQ_POS;
	img->regs.ctlr = GITS_CTLR_ENABLE;
	img->mem = malloc(ITS_MEM_SIZE);
	memcpy(img->mem, a->mem, ITS_MEM_SIZE);
	TEST_ASSERT(sizeof(replay) == CMDQ_POS, "replayed commands");
	memcpy(img->mem + ITS_OFF_CMDQ, replay, sizeof(replay));
	for (int i = 0; i < NR_VCPUS; i++)
		img->ctes[i] = mk_cte(i, i);
	its_env_free(a);
}

/* ---- A restore in a given order -------------------------------------------- */

static void do_step(struct __test_metadata *_metadata, struct its_env *b,
		    const struct its_regs *r, enum step s)
{
	int fd = b->its_fd;

	switch (s) {
	case S_IIDR:
		its_reg_set(fd, GITS_IIDR, r->iidr);
		break;
	case S_CBASER:
		its_reg_set(fd, GITS_CBASER, r->cbaser);
		/* whatever came before: the write empties the queue */
		EXPECT_EQ(0, its_reg_get(fd, GITS_CREADR));
		EXPECT_EQ(0, its_reg_get(fd, GITS_CWRITER));
		break;
	case S_CREADR:
		its_reg_set(fd, GITS_CREADR, r->creadr);
		break;
	case S_CWRITER:
		its_reg_set(fd, GITS_CWRITER, r->cwriter);
		break;
	case S_BASERS:
		for (int i = 0; i < 8; i++)
			its_reg_set(fd, GITS_BASER + 8 * i, r->baser[i]);
		break;
	case S_RESTORE:
		ASSERT_EQ(0, __its_restore(fd));
		break;
	case S_CTLR:
		its_reg_set(fd, GITS_CTLR, r->ctlr);
		EXPECT_TRUE(its_reg_get(fd, GITS_CTLR) & GITS_CTLR_ENABLE);
		break;
	case S_END:
		break;
	}
}

static bool has_cte(struct its_env *b, uint64_t cte)
{
	for (int i = 0; i < SZ_64K / 8; i++)
		if (its_cte(b, i) == cte)
			return true;
	return false;
}

/* The restored ITS: registers, then its tables as SAVE_TABLES writes them. */
static void check_restored(struct __test_metadata *_metadata, struct its_env *b,
			   const struct image *img, bool replayed)
{
	const struct its_regs *r = &img->regs;
	struct its_regs got;
	int nr_ctes = 0;

	its_regs_save(b->its_fd, &got);
	EXPECT_EQ(r->iidr, got.iidr);
	EXPECT_EQ(r->cbaser, got.cbaser);
	EXPECT_EQ(CMDQ_POS, got.creadr);
	EXPECT_EQ(CMDQ_POS, got.cwriter);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(r->baser[i], got.baser[i]);
	EXPECT_EQ(GITS_CTLR_ENABLE | GITS_CTLR_QUIESCENT, got.ctlr);

	memset(its_hva(b, ITS_OFF_DT), 0, ITS_OFF_CMDQ - ITS_OFF_DT);
	memset(its_hva(b, ITS_OFF_ITT), 0, ITS_OFF_PROP - ITS_OFF_ITT);
	ASSERT_EQ(0, __its_save(b->its_fd));
	EXPECT_EQ(0, memcmp(img->mem + ITS_OFF_DT, its_hva(b, ITS_OFF_DT),
			    ITS_OFF_CT - ITS_OFF_DT));
	EXPECT_EQ(0, memcmp(img->mem + ITS_OFF_ITT, its_hva(b, ITS_OFF_ITT),
			    ITS_OFF_PROP - ITS_OFF_ITT));
	for (int i = 0; i < NR_VCPUS; i++)
		EXPECT_TRUE(has_cte(b, img->ctes[i]));
	/* replayed: the queue ran again from 0, MAPC REPLAY_ICID with it */
	EXPECT_EQ(replayed, has_cte(b, mk_cte(REPLAY_VCPU, REPLAY_ICID)));
	while (nr_ctes < SZ_64K / 8 && its_cte(b, nr_ctes))
		nr_ctes++;
	EXPECT_EQ(NR_VCPUS + replayed, nr_ctes);
}

/* Restore img into a fresh VM in order o; counts: the warnings logged. */
static void restore_in_order(struct __test_metadata *_metadata,
			     const struct image *img, enum order o,
			     int counts[NR_RULES])
{
	struct its_env *b = its_env_create(NR_VCPUS, NULL);
	int kmsg;

	memcpy(b->mem, img->mem, ITS_MEM_SIZE);
	its_env_enable_lpis(b);		/* the GIC before the ITS, as QEMU */
	kmsg = kmsg_mark();
	for (int i = 0; steps[o][i] != S_END; i++)
		do_step(_metadata, b, &img->regs, steps[o][i]);
	kmsg_collect(kmsg, counts);
	check_restored(_metadata, b, img, o == CREADR_FIRST);
	its_env_free(b);
}

/*
 * Restore in order o and check the log: with the module, the warning of
 * rule (if any) and no other; with the in-kernel ITS, nothing. The
 * warnings are rate limited (printk_ratelimited: 10 per 5 s per message):
 * should another test have used up the burst just before, the restore is
 * done once more after the interval.
 */
static void check_order(struct __test_metadata *_metadata, enum order o,
			int rule)
{
	bool module = vgic3_module_loaded();
	int counts[NR_RULES];
	struct image img;

	make_image(&img);
	restore_in_order(_metadata, &img, o, counts);
	if (module && rule >= 0 && !counts[rule]) {
		TH_LOG("no \"%s\" warning: rate limited? again in 6 s",
		       rule_phrase[rule]);
		sleep(6);
		restore_in_order(_metadata, &img, o, counts);
	}
	for (int r = 0; r < NR_RULES; r++) {
		if (module && r == rule) {
			EXPECT_LE(1, counts[r]) {
				TH_LOG("%s: no warning naming \"%s\"",
				       vgic3_impl_name(), rule_phrase[r]);
			}
		} else {
			EXPECT_EQ(0, counts[r]) {
				TH_LOG("%s: unexpected warning naming \"%s\"",
				       vgic3_impl_name(), rule_phrase[r]);
			}
		}
	}
	free(img.mem);
}

TEST(its_restore_documented_order_logs_nothing)
{
	check_order(_metadata, DOCUMENTED, -1);
}

TEST(its_restore_ctlr_before_restore_tables_restores_and_warns)
{
	check_order(_metadata, CTLR_FIRST, RULE_CTLR);
}

TEST(its_restore_tables_before_iidr_reads_abi_rev0_and_warns)
{
	check_order(_metadata, IIDR_LAST, RULE_IIDR);
}

TEST(its_restore_creadr_before_cbaser_replays_the_queue_and_warns)
{
	check_order(_metadata, CREADR_FIRST, RULE_CREADR);
}

TEST_HARNESS_MAIN
