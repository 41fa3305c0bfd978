// SPDX-License-Identifier: GPL-2.0
/* Helpers for the vgic_*_test.c selftests; see common_vgic.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sizes.h>

#include "common_vgic.h"
#include "ucall_common.h"

static void done_guest(void)
{
	GUEST_DONE();
}

struct vgic_vm *vgic_vm_create_nodev(int nr_vcpus, void *guest_code)
{
	struct vgic_vm *v = calloc(1, sizeof(*v));

	TEST_ASSERT(v && nr_vcpus <= VGIC_VM_MAX_VCPUS, "vgic_vm_create");
	v->nr_vcpus = nr_vcpus;
	v->gic_fd = -1;
	if (guest_code == VGIC_GUEST_DONE)
		guest_code = done_guest;
	if (guest_code) {
		v->vm = vm_create_with_vcpus(nr_vcpus, guest_code, v->vcpus);
		return v;
	}
	/*
	 * No guest will run: a VM without memory, and vCPUs that are only
	 * KVM_ARM_VCPU_INIT'ed (which gives them their MPIDR). Under TCG this
	 * is several times cheaper than a VM with guest memory.
	 */
	v->light = true;
	v->vm = vm_create_barebones();
	for (int i = 0; i < nr_vcpus; i++) {
		struct kvm_vcpu_init init;

		v->vcpus[i] = __vm_vcpu_add(v->vm, i);
		vm_ioctl(v->vm, KVM_ARM_PREFERRED_TARGET, &init);
		vcpu_ioctl(v->vcpus[i], KVM_ARM_VCPU_INIT, &init);
	}
	return v;
}

struct vgic_vm *vgic_vm_create(int nr_vcpus, void *guest_code)
{
	struct vgic_vm *v = vgic_vm_create_nodev(nr_vcpus, guest_code);

	v->gic_fd = __kvm_create_device(v->vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	TEST_ASSERT(v->gic_fd >= 0, "KVM_CREATE_DEVICE(VGIC_V3): %s",
		    strerror(errno));
	return v;
}

void vgic_vm_map_frames(struct vgic_vm *v)
{
	if (v->light)
		return;
	virt_map(v->vm, GICD_BASE_GPA, GICD_BASE_GPA,
		 vm_calc_num_guest_pages(v->vm->mode, KVM_VGIC_V3_DIST_SIZE));
	virt_map(v->vm, GICR_BASE_GPA, GICR_BASE_GPA,
		 vm_calc_num_guest_pages(v->vm->mode,
					 KVM_VGIC_V3_REDIST_SIZE * v->nr_vcpus));
}

void vgic_vm_setup(struct vgic_vm *v, uint32_t nr_irqs)
{
	uint64_t addr;

	if (nr_irqs)
		kvm_device_attr_set(v->gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				    &nr_irqs);
	addr = GICD_BASE_GPA;
	kvm_device_attr_set(v->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr);
	addr = REDIST_REGION_ATTR_ADDR(v->nr_vcpus, GICR_BASE_GPA, 0, 0);
	kvm_device_attr_set(v->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr);
	kvm_device_attr_set(v->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	vgic_vm_map_frames(v);
}

void vgic_vm_free(struct vgic_vm *v)
{
	if (v->gic_fd >= 0)
		close(v->gic_fd);
	kvm_vm_free(v->vm);
	free(v);
}

int attr_set(int fd, uint32_t group, uint64_t attr, const void *val)
{
	return __kvm_device_attr_set(fd, group, attr, (void *)val) ? errno : 0;
}

int attr_get(int fd, uint32_t group, uint64_t attr, void *val)
{
	return __kvm_device_attr_get(fd, group, attr, val) ? errno : 0;
}

int attr_has(int fd, uint32_t group, uint64_t attr)
{
	return __kvm_has_device_attr(fd, group, attr) ? errno : 0;
}

uint64_t vcpu_mpidr_attr(int id)
{
	uint64_t aff0 = id & 0xf, aff1 = (id >> 4) & 0xff, aff2 = (id >> 12) & 0xff;

	return (aff0 | aff1 << 8 | aff2 << 16) << 32;
}

int dist_read(int fd, uint32_t off, uint32_t *val)
{
	return attr_get(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, val);
}

int dist_write(int fd, uint32_t off, uint32_t val)
{
	return attr_set(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &val);
}

int redist_read(int fd, int id, uint32_t off, uint32_t *val)
{
	return attr_get(fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			vcpu_mpidr_attr(id) | off, val);
}

int redist_write(int fd, int id, uint32_t off, uint32_t val)
{
	return attr_set(fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			vcpu_mpidr_attr(id) | off, &val);
}

uint32_t dist_rd(int fd, uint32_t off)
{
	uint32_t val = 0;
	int r = dist_read(fd, off, &val);

	TEST_ASSERT(!r, "DIST_REGS get 0x%x: %s", off, strerror(r));
	return val;
}

void dist_wr(int fd, uint32_t off, uint32_t val)
{
	int r = dist_write(fd, off, val);

	TEST_ASSERT(!r, "DIST_REGS set 0x%x: %s", off, strerror(r));
}

uint32_t redist_rd(int fd, int id, uint32_t off)
{
	uint32_t val = 0;
	int r = redist_read(fd, id, off, &val);

	TEST_ASSERT(!r, "REDIST_REGS get vcpu %d 0x%x: %s", id, off, strerror(r));
	return val;
}

void redist_wr(int fd, int id, uint32_t off, uint32_t val)
{
	int r = redist_write(fd, id, off, val);

	TEST_ASSERT(!r, "REDIST_REGS set vcpu %d 0x%x: %s", id, off, strerror(r));
}

int icc_read(int fd, int id, uint32_t reg, uint64_t *val)
{
	return attr_get(fd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			vcpu_mpidr_attr(id) | reg, val);
}

int icc_write(int fd, int id, uint32_t reg, uint64_t val)
{
	return attr_set(fd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			vcpu_mpidr_attr(id) | reg, &val);
}

uint64_t icc_rd(int fd, int id, uint32_t reg)
{
	uint64_t val = 0;
	int r = icc_read(fd, id, reg, &val);

	TEST_ASSERT(!r, "CPU_SYSREGS get vcpu %d 0x%x: %s", id, reg, strerror(r));
	return val;
}

void icc_wr(int fd, int id, uint32_t reg, uint64_t val)
{
	int r = icc_write(fd, id, reg, val);

	TEST_ASSERT(!r, "CPU_SYSREGS set vcpu %d 0x%x: %s", id, reg, strerror(r));
}

uint64_t level_attr(int id, uint32_t info, uint32_t intid)
{
	return vcpu_mpidr_attr(id) |
	       ((uint64_t)info << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT) |
	       (intid & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK);
}

int level_read(int fd, int id, uint32_t intid, uint32_t *val)
{
	return attr_get(fd, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
			level_attr(id, VGIC_LEVEL_INFO_LINE_LEVEL, intid), val);
}

int level_write(int fd, int id, uint32_t intid, uint32_t val)
{
	return attr_set(fd, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
			level_attr(id, VGIC_LEVEL_INFO_LINE_LEVEL, intid), &val);
}

int icc_nr_apr(uint64_t icc_ctlr)
{
	switch (((icc_ctlr >> 8) & 7) + 1) {
	case 7: return 4;
	case 6: return 2;
	default: return 1;
	}
}

/* The spinning guest. Its flags live in guest memory; the host reaches
 * them through addr_gva2hva() of the same symbols. */
static volatile uint64_t spin_started;
static volatile uint64_t spin_release;

void spin_guest_code(void)
{
	spin_started = 1;
	while (!spin_release)
		cpu_relax();
	GUEST_DONE();
}

static void *spinner_thread(void *arg)
{
	struct spinner *s = arg;
	struct ucall uc;

	s->run_ret = _vcpu_run(s->vcpu) ? errno : 0;
	s->exit_ucall = s->run_ret ? -1 : (int)get_ucall(s->vcpu, &uc);
	__atomic_store_n(&s->finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

void spinner_start(struct spinner *s, struct vgic_vm *v, int idx)
{
	volatile uint64_t *started =
		addr_gva2hva(v->vm, (vm_vaddr_t)&spin_started);
	volatile uint64_t *release =
		addr_gva2hva(v->vm, (vm_vaddr_t)&spin_release);

	s->v = v;
	s->vcpu = v->vcpus[idx];
	*started = 0;
	*release = 0;
	s->finished = 0;
	TEST_ASSERT(!pthread_create(&s->thread, NULL, spinner_thread, s),
		    "pthread_create");
	for (int ms = 0; !*started; ms++) {
		TEST_ASSERT(!__atomic_load_n(&s->finished, __ATOMIC_SEQ_CST),
			    "spinning vCPU ended before it started: run %s, ucall %d",
			    strerror(s->run_ret), s->exit_ucall);
		TEST_ASSERT(ms < 60000, "spinning vCPU did not start in 60 s");
		usleep(1000);
	}
}

int spinner_stop(struct spinner *s)
{
	volatile uint64_t *release =
		addr_gva2hva(s->v->vm, (vm_vaddr_t)&spin_release);

	*release = 1;
	pthread_join(s->thread, NULL);
	return s->exit_ucall;
}

uint64_t vgic_rand64(uint64_t *state)
{
	/* xorshift64* */
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}
