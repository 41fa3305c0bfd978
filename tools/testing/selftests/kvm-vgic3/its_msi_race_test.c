// SPDX-License-Identifier: GPL-2.0
/*
 * MSIs against everything that changes what they translate through: a
 * thread sends MSIs (KVM_SIGNAL_MSI in-kernel, KVM_DEV_ARM_VGIC3_GRP_MSI on
 * the module) over a small space of
 * (DeviceID, EventID) while the main thread maps and unmaps devices, maps,
 * moves and discards events, remaps and drops collections, clears and
 * sets pending state, disables and re-enables the ITS and resets it. Every
 * MSI must answer delivered (1), no translation (0) or -EBUSY (ITS or
 * EnableLPIs off); the test host's kernel (KASAN, lockdep, kmemleak in
 * make check) must stay quiet; and once the churn stops, the ITS
 * translates exactly what it was last told. The seed is fixed
 * (ITS_RACE_SEED overrides it) and printed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"
#include "common_its.h"

#define NR_DEVS		6
#define NR_EVS		16
#define NR_STEPS	3000

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

struct msi_sender {
	struct its_env *e;
	pthread_t thread;
	uint64_t seed;
	int stop;
	/* results: delivered, not translated, -EBUSY, anything else */
	long n[4];
	int bad;		/* the first unexpected answer */
};

static void *send_msis(void *arg)
{
	struct msi_sender *m = arg;

	while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
		uint64_t r = xorshift(&m->seed);
		int ret = its_signal_msi(m->e, r % NR_DEVS, (r >> 8) % NR_EVS);

		if (ret == 1 || ret == 0) {
			m->n[!ret]++;
		} else if (ret == -EBUSY) {
			m->n[2]++;
		} else {
			if (!m->n[3]++)
				m->bad = ret;
		}
	}
	return NULL;
}

/* One random change; the ITS is enabled before and after it. */
static void churn(struct its_env *e, uint64_t *s)
{
	uint64_t r = xorshift(s);
	uint32_t dev = r % NR_DEVS, ev = (r >> 8) % NR_EVS;
	uint32_t icid = (r >> 16) % 2, vcpu = (r >> 20) % e->nr_vcpus;
	uint32_t lpi = ITS_LPI((r >> 24) % 64);

	/* Mostly MAPTI and DISCARD, so that about half the space is mapped. */
	switch ((r >> 32) % 100) {
	case 0 ... 44:
		its_send(e, its_cmd_mapti(dev, ev, lpi, icid));
		break;
	case 45 ... 64:
		its_send(e, its_cmd_dev_ev(GITS_CMD_DISCARD, dev, ev));
		break;
	case 65 ... 68:
		its_send(e, its_cmd_mapd(dev, its_itt_gpa(e, dev),
					 ITS_NR_EVENT_BITS - 1, true));
		break;
	case 69:
		its_send(e, its_cmd_mapd(dev, 0, 0, false));
		break;
	case 70 ... 74:
		its_send(e, its_cmd_movi(dev, ev, icid));
		break;
	case 75 ... 78:
		its_send(e, its_cmd_mapc(icid, vcpu, true));
		break;
	case 79:
		its_send(e, its_cmd_mapc(icid, 0, false));
		break;
	case 80 ... 83:
		its_send(e, its_cmd_dev_ev(GITS_CMD_CLEAR, dev, ev));
		break;
	case 84 ... 87:
		its_send(e, its_cmd_dev_ev(GITS_CMD_INT, dev, ev));
		break;
	case 88 ... 89:
		its_send(e, its_cmd_movall(vcpu, (vcpu + 1) % e->nr_vcpus));
		break;
	case 90 ... 91:
		its_reg_set(e->its_fd, GITS_CTLR, 0);
		its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
		break;
	case 92:
		TEST_ASSERT(!__its_reset(e->its_fd), "CTRL_RESET");
		its_env_setup_its(e);
		its_env_program_std(e, NR_DEVS, NR_EVS);
		break;
	default:
		its_send(e, its_cmd_dev_ev(GITS_CMD_INV, dev, ev));
		break;
	}
}

TEST(its_msis_race_commands_disable_and_reset)
{
	struct its_env *e = its_env_create(2, NULL);
	const char *env = getenv("ITS_RACE_SEED");
	uint64_t s = env ? strtoull(env, NULL, 0) : 0x7ace5eed;
	struct msi_sender m = { .e = e, .seed = (s ^ 0xa5a5a5a5) | 1 };
	int delivered = 0;

	if (!s)
		s = 1;	/* xorshift needs a non-zero state */
	printf("# seed 0x%lx (%s)\n", s, vgic3_impl_name());
	its_env_setup_its(e);
	its_env_config_lpis(e, 64);
	its_env_enable_lpis(e);
	its_env_program_std(e, NR_DEVS, NR_EVS);

	ASSERT_EQ(0, pthread_create(&m.thread, NULL, send_msis, &m));
	for (int i = 0; i < NR_STEPS; i++)
		churn(e, &s);
	__atomic_store_n(&m.stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(m.thread, NULL));

	TH_LOG("%s: %d changes; MSIs delivered %ld, untranslated %ld, EBUSY %ld, other %ld",
	       vgic3_impl_name(), NR_STEPS, m.n[0], m.n[1], m.n[2], m.n[3]);
	EXPECT_EQ(0, m.n[3]) TH_LOG("first unexpected answer %d", m.bad);
	/* Both kinds of answer were seen, so the churn changed the mappings. */
	EXPECT_LT(0, m.n[0]);
	EXPECT_LT(0, m.n[1]);

	/*
	 * Quiet again: after a reset and a fresh programming, exactly the
	 * mapped events of mapped devices translate.
	 */
	ASSERT_EQ(0, __its_reset(e->its_fd));
	its_env_setup_its(e);
	its_env_program_std(e, NR_DEVS - 2, NR_EVS / 2);
	for (int d = 0; d < NR_DEVS; d++)
		for (int ev = 0; ev < NR_EVS; ev++) {
			int want = d < NR_DEVS - 2 && ev < NR_EVS / 2;
			int got = its_signal_msi(e, d, ev);

			EXPECT_EQ(want, got) TH_LOG("dev %d event %d", d, ev);
			delivered += got == 1;
		}
	EXPECT_EQ((NR_DEVS - 2) * (NR_EVS / 2), delivered);
	its_env_free(e);
}

TEST_HARNESS_MAIN
