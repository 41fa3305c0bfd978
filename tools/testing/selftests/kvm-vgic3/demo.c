// SPDX-License-Identifier: GPL-2.0
/*
 * The README's main job: a VM with four vCPUs gets a vGICv3 and an ITS the
 * way VMMs set them up, and the identification registers are read back,
 * through the attribute API and by a guest vCPU through MMIO. Each step is
 * printed. Runs against whichever implementation serves the device types.
 */
#include <stdio.h>
#include <linux/sizes.h>
#include <linux/kvm_vgic3.h>

#include "kvm_util.h"
#include "processor.h"
#include "gic.h"
#include "gic_v3.h"
#include "vgic.h"
#include "impl.h"

#define NR_VCPUS 4

static void guest_code(void)
{
	GUEST_SYNC(readl(GICD_BASE_GVA + GICD_IIDR));
	GUEST_SYNC(readl(GICD_BASE_GVA + GICD_TYPER));
	GUEST_DONE();
}

static uint32_t dist_reg(int gic, uint32_t offset)
{
	uint32_t v;

	kvm_device_attr_get(gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, offset, &v);
	return v;
}

static uint64_t redist_typer(int gic, uint32_t mpidr)
{
	uint64_t attr = (uint64_t)mpidr << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
	uint32_t lo, hi;

	kvm_device_attr_get(gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    attr | GICR_TYPER, &lo);
	kvm_device_attr_get(gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    attr | (GICR_TYPER + 4), &hi);
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t its_reg(int its, uint32_t offset)
{
	uint64_t v;

	kvm_device_attr_get(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, offset, &v);
	return v;
}

int main(void)
{
	struct kvm_vcpu *vcpus[NR_VCPUS];
	struct kvm_vm *vm;
	struct ucall uc;
	int gic, its, i;

	printf("implementation serving device types 7 and 8: %s\n",
	       vgic3_impl_name());
	vm = vm_create_with_vcpus(NR_VCPUS, guest_code, vcpus);
	printf("VM created with %d vCPUs\n", NR_VCPUS);

	gic = vgic_v3_setup(vm, NR_VCPUS, 64);
	TEST_ASSERT(gic >= 0, "vGICv3 creation failed: %d", gic);
	printf("vGICv3: NR_IRQS 64, INIT, DIST at 0x%llx, REDIST_REGION of %d at 0x%llx, INIT again\n",
	       GICD_BASE_GPA, NR_VCPUS, GICR_BASE_GPA);
	its = vgic_its_setup(vm);
	printf("ITS: ADDR 0x%llx, INIT\n", GITS_BASE_GPA);
	printf("module attribute group answered: %s\n",
	       __kvm_has_device_attr(gic, KVM_DEV_ARM_VGIC3_GRP_INFO,
				     KVM_DEV_ARM_VGIC3_INFO_VERSION) ? "no" : "yes");

	printf("GICD_IIDR  = 0x%08x\n", dist_reg(gic, GICD_IIDR));
	printf("GICD_TYPER = 0x%08x\n", dist_reg(gic, GICD_TYPER));
	for (i = 0; i < NR_VCPUS; i++)
		printf("GICR_TYPER[vcpu %d] = 0x%016lx\n", i, redist_typer(gic, i));
	printf("GITS_IIDR  = 0x%08lx\n", its_reg(its, GITS_IIDR));
	printf("GITS_TYPER = 0x%016lx\n", its_reg(its, GITS_TYPER));

	for (i = 0; i < 3; i++) {
		vcpu_run(vcpus[0]);
		switch (get_ucall(vcpus[0], &uc)) {
		case UCALL_SYNC:
			printf("guest vCPU 0 read %s by MMIO: 0x%08lx\n",
			       i ? "GICD_TYPER" : "GICD_IIDR", uc.args[1]);
			break;
		case UCALL_DONE:
			printf("guest vCPU 0 done\n");
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected exit %s",
				  exit_reason_str(vcpus[0]->run->exit_reason));
		}
	}
	close(its);
	close(gic);
	kvm_vm_free(vm);
	printf("VM destroyed\n");
	return 0;
}
