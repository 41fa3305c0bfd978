// SPDX-License-Identifier: GPL-2.0
/*
 * The takeover of KVM_DEV_TYPE_ARM_VGIC_V3 and KVM_DEV_TYPE_ARM_VGIC_ITS:
 * while kvm_vgic3.ko is loaded, KVM_CREATE_DEVICE of both types reaches it
 * (it answers its own attribute group and holds a module reference per
 * device); it cannot be unloaded while a device exists; after rmmod the
 * in-kernel devices answer again.
 */
#include <errno.h>
#include <linux/kvm_vgic3.h>

#include "kselftest_harness.h"
#include "kvm_util.h"
#include "impl.h"

static bool module_answers(int dev_fd)
{
	return __kvm_has_device_attr(dev_fd, KVM_DEV_ARM_VGIC3_GRP_INFO,
				     KVM_DEV_ARM_VGIC3_INFO_VERSION) == 0;
}

static int create(struct kvm_vm *vm, uint64_t type)
{
	int fd = __kvm_create_device(vm, type);

	TEST_ASSERT(fd >= 0, "KVM_CREATE_DEVICE(%lu): %s", type, strerror(errno));
	return fd;
}

TEST(created_devices_are_served_by_the_loaded_implementation)
{
	bool loaded = vgic3_module_loaded();
	int before = vgic3_module_refcnt();
	struct kvm_vm *vm = vm_create_barebones();
	int v3 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	int its = create(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	uint64_t version = 0;

	EXPECT_EQ(loaded, module_answers(v3));
	EXPECT_EQ(loaded, module_answers(its));
	if (loaded) {
		EXPECT_EQ(before + 2, vgic3_module_refcnt());
		kvm_device_attr_get(v3, KVM_DEV_ARM_VGIC3_GRP_INFO,
				    KVM_DEV_ARM_VGIC3_INFO_VERSION, &version);
		EXPECT_EQ(KVM_VGIC3_INFO_ABI_VERSION, version);
	} else {
		EXPECT_EQ(-1, __kvm_has_device_attr(v3,
				KVM_DEV_ARM_VGIC3_GRP_INFO,
				KVM_DEV_ARM_VGIC3_INFO_VERSION));
		EXPECT_EQ(ENXIO, errno);
	}
	/* A device file holds its VM: both go before the devices do. */
	close(v3);
	close(its);
	kvm_vm_free(vm);
	EXPECT_EQ(before, vgic3_module_refcnt());
}

TEST(second_vgic_v3_of_a_vm_is_refused_with_eexist)
{
	struct kvm_vm *vm = vm_create_barebones();

	int v3 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_EQ(-1, __kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3));
	EXPECT_EQ(EEXIST, errno);
	close(v3);
	kvm_vm_free(vm);
}

TEST(several_its_per_vm_are_allowed)
{
	struct kvm_vm *vm = vm_create_barebones();

	int fds[3] = {
		create(vm, KVM_DEV_TYPE_ARM_VGIC_V3),
		create(vm, KVM_DEV_TYPE_ARM_VGIC_ITS),
		create(vm, KVM_DEV_TYPE_ARM_VGIC_ITS),
	};

	EXPECT_NE(fds[1], fds[2]);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	kvm_vm_free(vm);
}

TEST(rmmod_is_refused_while_a_device_exists_and_in_kernel_serves_after)
{
	bool was_loaded = vgic3_module_loaded();
	struct kvm_vm *vm;
	int v3, its, ret;

	if (!was_loaded) {
		ret = vgic3_module_load();
		if (ret == -ENOENT)
			SKIP(return, "no kvm_vgic3.ko to load (set KVM_VGIC3_KO)");
		ASSERT_EQ(0, ret);
	}

	vm = vm_create_barebones();
	v3 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	ASSERT_TRUE(module_answers(v3));
	EXPECT_EQ(-EWOULDBLOCK, vgic3_module_unload());
	EXPECT_TRUE(vgic3_module_loaded());
	/* The device still works while the unload was refused. */
	EXPECT_TRUE(module_answers(v3));
	close(v3);
	kvm_vm_free(vm);

	ASSERT_EQ(0, vgic3_module_unload());
	EXPECT_FALSE(vgic3_module_loaded());
	vm = vm_create_barebones();
	v3 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	its = create(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	EXPECT_FALSE(module_answers(v3));
	EXPECT_FALSE(module_answers(its));
	close(v3);
	close(its);
	kvm_vm_free(vm);

	/* And it takes over again when loaded again. */
	ASSERT_EQ(0, vgic3_module_load());
	vm = vm_create_barebones();
	v3 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	EXPECT_TRUE(module_answers(v3));
	close(v3);
	kvm_vm_free(vm);

	if (!was_loaded)
		ASSERT_EQ(0, vgic3_module_unload());
}

TEST_HARNESS_MAIN
