// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests, one per bug class of the upstream fix history of the
 * in-kernel vGICv3 register and device code (arch/arm64/kvm/vgic/
 * vgic-mmio-v3.c, vgic-kvm-device.c, vgic-init.c, since 2017); the ITS's
 * are in its_regress_test.c. Each TEST names the class it guards in the
 * comment above it. They run against both implementations (make check)
 * and assert the same answers; KASAN, lockdep and kmemleak in the test
 * host catch what the answers do not show.
 */
#include <errno.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "impl.h"
#include "common_its.h"

static uint64_t rd_attr(int vcpu, uint32_t off)
{
	return (uint64_t)vcpu << 32 | off;
}

/*
 * Class: GICR_PROPBASER and GICR_PENDBASER changing under enabled LPIs
 * ("KVM: arm64: vgic-v3: Prevent the guest from changing PROPBASER/
 * PENDBASER while LPIs are enabled", the "unpredictable" writes the
 * architecture allows to be ignored): once EnableLPIs is set, writes to
 * either are ignored, from the guest and from userspace alike, and the
 * tables the ITS uses do not move.
 */
TEST(regress_propbaser_pendbaser_frozen_while_lpis_enabled)
{
	struct its_env *e = its_env_create(2, NULL);
	uint64_t prop, pend;

	its_env_setup_its(e);
	prop = its_redist_get64(e, 0, GICR_PROPBASER);
	pend = its_redist_get64(e, 0, GICR_PENDBASER);
	ASSERT_NE(0, prop & GENMASK_ULL(51, 12));
	its_env_enable_lpis(e);
	its_redist_set64(e, 0, GICR_PROPBASER, its_gpa(e, ITS_OFF_SCRATCH) | 9);
	its_redist_set64(e, 0, GICR_PENDBASER, its_gpa(e, ITS_OFF_SCRATCH));
	EXPECT_EQ(prop, its_redist_get64(e, 0, GICR_PROPBASER));
	EXPECT_EQ(pend, its_redist_get64(e, 0, GICR_PENDBASER));
	/* the LPI range is still PROPBASER's 16 ID bits */
	its_env_program_std(e, 1, 2);
	its_send(e, its_cmd_mapti(0, 5, 40000, 0));
	ASSERT_EQ(0, __its_save(e->its_fd));
	EXPECT_EQ(40000, (its_ite(e, 0, 5) >> 16) & 0xffffffff);
	its_env_free(e);
}

/*
 * Class: a vCPU index in a device attribute that names no vCPU
 * ("KVM: arm64: vgic-v2: Check for non-NULL vCPU in vgic_v2_parse_attr()",
 * CVE-2024-36953, and the same parse in vgic_v3_parse_attr): REDIST_REGS
 * and CPU_SYSREGS for an MPIDR no vCPU has answer EINVAL, never a NULL
 * vCPU dereference.
 */
TEST(regress_attr_names_no_vcpu)
{
	struct its_env *e = its_env_create(2, NULL);
	static const uint64_t mpidrs[] = { 2, 0xff, 0xff00, 0xff0000, 0xffffffff };
	uint64_t v = 0;

	for (size_t i = 0; i < ARRAY_SIZE(mpidrs); i++) {
		uint64_t a = mpidrs[i] << 32;

		EXPECT_EQ(-1, __kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
						    a | GICR_CTLR, &v));
		EXPECT_EQ(EINVAL, errno) TH_LOG("REDIST_REGS mpidr 0x%lx", mpidrs[i]);
		EXPECT_EQ(-1, __kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
						    a | GICR_PROPBASER, &v));
		EXPECT_EQ(EINVAL, errno);
		/* ICC_PMR_EL1: op0 3, op1 0, CRn 4, CRm 6, op2 0 */
		EXPECT_EQ(-1, __kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
						    a | 0xc230, &v));
		EXPECT_EQ(EINVAL, errno) TH_LOG("CPU_SYSREGS mpidr 0x%lx", mpidrs[i]);
	}
	/* the vCPUs that exist still answer */
	EXPECT_EQ(0, __kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
					   rd_attr(1, GICR_CTLR), &v));
	its_env_free(e);
}

/*
 * Class: a redistributor left registered by a vCPU whose creation failed
 * ("KVM: arm64: Unregister redistributor for failed vCPU creation", 2024):
 * the vGICv3 and its redistributor region exist before the vCPUs; the
 * second KVM_CREATE_VCPU fails late (no file descriptor left for the vCPU,
 * after the vGIC has seen it), then succeeds. The guest of vCPU 0 reads
 * the second redistributor's GICR_TYPER: it must be vCPU 1's, served by a
 * live vCPU (KASAN sees a freed one). The in-kernel vgic (6.12) unregisters
 * the failed vCPU's frame but keeps its slot of the region used
 * (vgic_unregister_redist_iodev() leaves free_index), so vCPU 1 finds no
 * frame and the first KVM_RUN would fail with ENXIO
 * (vgic_v3_map_resources()) and leave a dead VM that the 6.12 selftest
 * library cannot free (see check-guest.sh on vgic_init): there, the test
 * stops before running and the VM's teardown is what is checked. The
 * module gives vCPU 1 the frame (Documentation/differences.rst).
 */
static void guest_read_rd1(void)
{
	uint64_t typer = readq_relaxed(GICR_BASE_GVA + 2 * SZ_64K + GICR_TYPER);

	GUEST_SYNC(typer);
	GUEST_DONE();
}

TEST(regress_redist_of_failed_vcpu_creation)
{
	struct kvm_vm *vm = vm_create(2);
	struct kvm_vcpu *vcpu0, *vcpu1;
	struct rlimit old, lim;
	uint64_t addr;
	struct ucall uc;
	int gic_fd, fd, r;

	gic_fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	addr = GICD_BASE_GPA;
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr);
	addr = REDIST_REGION_ATTR_ADDR(2, GICR_BASE_GPA, 0, 0);
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr);
	vcpu0 = vm_vcpu_add(vm, 0, guest_read_rd1);

	/* no descriptor left: KVM_CREATE_VCPU fails after the vCPU was made */
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	lim = old;
	lim.rlim_cur = fd;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	r = __vm_ioctl(vm, KVM_CREATE_VCPU, (void *)1UL);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	ASSERT_EQ(-1, r);
	EXPECT_EQ(EMFILE, errno);

	vcpu1 = vm_vcpu_add(vm, 1, guest_read_rd1);
	virt_map(vm, GICD_BASE_GPA, GICD_BASE_GPA,
		 vm_calc_num_guest_pages(vm->mode, KVM_VGIC_V3_DIST_SIZE));
	virt_map(vm, GICR_BASE_GPA, GICR_BASE_GPA,
		 vm_calc_num_guest_pages(vm->mode, 2 * KVM_VGIC_V3_REDIST_SIZE));
	kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);

	if (!vgic3_module_loaded())
		goto out;
	ASSERT_EQ(0, __vcpu_run(vcpu0));
	switch (get_ucall(vcpu0, &uc)) {
	case UCALL_SYNC:
		/* GICR_TYPER.Processor_Number (23:8) and Last (4) of vCPU 1 */
		EXPECT_EQ(1, (uc.args[1] >> 8) & 0xffff);
		EXPECT_EQ(1, (uc.args[1] >> 32) & 0xff);	/* Aff0 */
		EXPECT_TRUE(uc.args[1] & GICR_TYPER_LAST);
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("exit %s", exit_reason_str(vcpu0->run->exit_reason));
	}
out:
	(void)vcpu1;
	close(gic_fd);
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
