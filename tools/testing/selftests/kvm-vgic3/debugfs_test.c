// SPDX-License-Identifier: GPL-2.0
/*
 * The state you can inspect: the module's debugfs view of a VM
 * (/sys/kernel/debug/kvm-vgic3/vm<N>-<pid>/vgic-state and its<N>) shows
 * what the attribute API set, interrupt by interrupt and ITE by ITE. The
 * in-kernel vgic has its own vgic-state file (/sys/kernel/debug/kvm/
 * <pid>-<fd>/vgic-state), in another format: only its presence is checked,
 * and it is not read. Reading it runs KVM 6.12's iter_mark_lpis(), which
 * takes lpi_xa's lock with interrupts enabled, while vgic_put_irq() takes
 * that lock under ap_list_lock with interrupts off: once a guest in the
 * same boot has freed an LPI from its list (make check's soak round does),
 * lockdep reports KVM's own inversion (Documentation/soak.rst).
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"
#include "common_vgic.h"

/* Whether a file matches @pattern (with our pid). */
static bool debugfs_exists(const char *pattern)
{
	char path[128];
	glob_t g;
	bool found;

	snprintf(path, sizeof(path), pattern, getpid());
	if (glob(path, 0, NULL, &g))
		return false;
	found = g.gl_pathc > 0;
	globfree(&g);
	return found;
}

/* The contents of the newest file matching @pattern (with our pid), or NULL. */
static char *read_debugfs(const char *pattern)
{
	char path[128], *buf = NULL;
	size_t len = 0, n;
	glob_t g;
	FILE *f;

	snprintf(path, sizeof(path), pattern, getpid());
	if (glob(path, 0, NULL, &g) || !g.gl_pathc)
		return NULL;
	f = fopen(g.gl_pathv[g.gl_pathc - 1], "r");
	globfree(&g);
	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	while (buf && (n = fread(buf + len, 1, (1 << 20) - 1 - len, f)) > 0)
		len += n;
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

struct irq_line {
	char type[8], cfg[8];
	unsigned int id, prio;
	int tgt, pend, latch, line, act, enable, group;
};

/* The vgic-state line of @type @id. */
static bool find_irq(const char *text, const char *type, unsigned int id,
		     struct irq_line *l)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (sscanf(p, "%7s %u %d %d %d %d %d %d %u %d %7s", l->type,
			   &l->id, &l->tgt, &l->pend, &l->latch, &l->line,
			   &l->act, &l->enable, &l->prio, &l->group,
			   l->cfg) == 11 && !strcmp(l->type, type) && l->id == id)
			return true;
	}
	return false;
}

TEST(debugfs_shows_interrupt_and_its_state)
{
	struct its_env *e = its_env_create(2, NULL);
	struct irq_line l;
	char *state, *its;

	its_env_setup_its(e);
	its_env_enable_lpis(e);
	/* SPI 40: enabled, pending, priority 0xa0, level-triggered. */
	dist_wr(e->gic_fd, GICD_ISENABLER + 4, 1u << 8);
	dist_wr(e->gic_fd, GICD_ISPENDR + 4, 1u << 8);
	dist_wr(e->gic_fd, GICD_IPRIORITYR + 40, 0xa0);
	dist_wr(e->gic_fd, GICD_ICFGR + 8, 0);
	/* LPI 8202 <- device 1 event 0, collection 0 on vCPU 1, pending. */
	its_send(e, its_cmd_mapc(0, 1, true));
	its_send(e, its_cmd_mapd(1, its_itt_gpa(e, 1), 3, true));
	its_send(e, its_cmd_mapti(1, 0, ITS_LPI(10), 0));
	its_send(e, its_cmd_dev_ev(GITS_CMD_INT, 1, 0));

	if (!vgic3_module_loaded()) {
		EXPECT_TRUE(debugfs_exists("/sys/kernel/debug/kvm/%d-*/vgic-state"));
		its_env_free(e);
		return;
	}

	state = read_debugfs("/sys/kernel/debug/kvm-vgic3/vm*-%d/vgic-state");
	ASSERT_NE(NULL, state);
	ASSERT_TRUE(find_irq(state, "SPI", 40, &l)) TH_LOG("%s", state);
	EXPECT_EQ(1, l.pend);
	EXPECT_EQ(1, l.latch);
	EXPECT_EQ(1, l.enable);
	EXPECT_EQ(0xa0, l.prio);
	EXPECT_STREQ("level", l.cfg);
	ASSERT_TRUE(find_irq(state, "SPI", 41, &l));
	EXPECT_EQ(0, l.pend);
	EXPECT_EQ(0, l.enable);
	ASSERT_TRUE(find_irq(state, "LPI", ITS_LPI(10), &l)) TH_LOG("%s", state);
	EXPECT_EQ(1, l.tgt);
	EXPECT_EQ(1, l.pend);
	EXPECT_NE(NULL, strstr(state, "vcpu 1:"));
	free(state);

	its = read_debugfs("/sys/kernel/debug/kvm-vgic3/vm*-%d/its0");
	ASSERT_NE(NULL, its);
	EXPECT_NE(NULL, strstr(its, "enabled   1\n"));
	EXPECT_NE(NULL, strstr(its, "icid 0 -> vcpu 1\n"));
	EXPECT_NE(NULL, strstr(its, "  dev 1 itt "));
	EXPECT_NE(NULL, strstr(its, "    event 0 -> lpi 8202 icid 0\n")) TH_LOG("%s", its);
	EXPECT_NE(NULL, strstr(its, "commands  4\n"));
	EXPECT_NE(NULL, strstr(its, "errors    0\n"));
	free(its);
	its_env_free(e);
}

TEST_HARNESS_MAIN
