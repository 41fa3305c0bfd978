// SPDX-License-Identifier: GPL-2.0
/*
 * The README's main job: a VM with four vCPUs gets a vGICv3 and an ITS the
 * way VMMs set them up, and the identification registers are read back,
 * through the attribute API and by a guest vCPU through MMIO. Each step is
 * printed. Then the ITS's life: programmed through its command queue on VM
 * A, saved, restored into VM B, an interrupt translated there, reset, saved
 * again. Runs against whichever implementation serves the device types.
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
#include "common_its.h"

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

static void its_life(void)
{
	struct its_env *a = its_env_create(2, NULL), *b;
	uint32_t lpi = ITS_LPI(1 * 16 + 2);	/* device 1, event 2 -> vCPU 1 */
	struct its_regs ra;
	uint8_t *before;

	its_env_program_lpi_tables(a);
	its_env_config_lpis(a, 32);
	its_env_enable_lpis(a);
	its_env_setup_its(a);
	its_env_program_std(a, 2, 4);
	printf("VM A: ITS enabled; command queue: MAPC x2, MAPD x2, MAPTI x8; CREADR 0x%lx\n",
	       its_reg_get(a->its_fd, GITS_CREADR));
	TEST_ASSERT(!__gic_save_pending(a->gic_fd), "SAVE_PENDING_TABLES");
	TEST_ASSERT(!__its_save(a->its_fd), "SAVE_TABLES");
	printf("VM A: SAVE_PENDING_TABLES, SAVE_TABLES: DTE[1] 0x%016lx ITE[1][2] 0x%016lx CTE[1] 0x%016lx\n",
	       its_dte(a, 1), its_ite(a, 1, 2), its_cte(a, 1));
	its_regs_save(a->its_fd, &ra);

	b = its_env_create(2, NULL);
	memcpy(b->mem, a->mem, ITS_MEM_SIZE);
	its_env_enable_lpis(b);
	TEST_ASSERT(!its_regs_restore(b->its_fd, &ra), "restore into VM B");
	printf("VM B: guest memory copied; IIDR, CBASER, CREADR, CWRITER, BASER0-7, RESTORE_TABLES, CTLR: CTLR 0x%lx\n",
	       its_reg_get(b->its_fd, GITS_CTLR));
	/* An MSI: KVM_SIGNAL_MSI in-kernel, KVM_DEV_ARM_VGIC3_GRP_MSI here. */
	TEST_ASSERT(its_signal_msi(b, 1, 2) == 1, "MSI device 1 event 2 on B");
	TEST_ASSERT(!__gic_save_pending(b->gic_fd), "SAVE_PENDING_TABLES on B");
	TEST_ASSERT(its_lpi_pending_bit(b, 1, lpi), "LPI %u not pending", lpi);
	printf("VM B: MSI device 1 event 2 (%s) -> LPI %u pending on vCPU 1\n",
	       vgic3_module_loaded() ? "KVM_DEV_ARM_VGIC3_GRP_MSI" : "KVM_SIGNAL_MSI",
	       lpi);

	TEST_ASSERT(!__its_reset(b->its_fd), "KVM_DEV_ARM_ITS_CTRL_RESET");
	printf("VM B: ITS reset: CTLR 0x%lx CBASER 0x%lx CWRITER 0x%lx BASER0 valid %lu\n",
	       its_reg_get(b->its_fd, GITS_CTLR), its_reg_get(b->its_fd, GITS_CBASER),
	       its_reg_get(b->its_fd, GITS_CWRITER),
	       its_reg_get(b->its_fd, GITS_BASER) >> 63);
	before = malloc(ITS_MEM_SIZE);
	memcpy(before, b->mem, ITS_MEM_SIZE);
	TEST_ASSERT(!__its_save(b->its_fd), "SAVE_TABLES after reset");
	TEST_ASSERT(!memcmp(before, b->mem, ITS_MEM_SIZE),
		    "SAVE_TABLES after reset wrote guest memory");
	printf("VM B: SAVE_TABLES after reset: succeeded, wrote nothing\n");
	free(before);
	its_env_free(b);
	its_env_free(a);
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
	printf("VM destroyed\n\n");

	its_life();
	return 0;
}
