// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_vgic3: the arm64 KVM vGICv3 and ITS devices as a loadable module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "glue.h"
#include "../vgic/api.h"
#include "../its/api.h"

static int __init kvm_vgic3_init(void)
{
	int ret;

	ret = vgic3_its_cache_init();
	if (ret)
		return ret;
	ret = vgic3_lpi_init();
	if (ret) {
		vgic3_its_cache_exit();
		return ret;
	}
	vgic3_debugfs_init();
	ret = vgic3_takeover(&vgic3_v3_ops, &vgic3_its_ops);
	if (ret) {
		vgic3_debugfs_exit();
		vgic3_lpi_exit();
		vgic3_its_cache_exit();
	}
	return ret;
}

static void __exit kvm_vgic3_exit(void)
{
	vgic3_giveback();
	vgic3_debugfs_exit();
	vgic3_lpi_exit();
	vgic3_its_cache_exit();
}

module_init(kvm_vgic3_init);
module_exit(kvm_vgic3_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KVM vGICv3 and ITS devices, out of tree");
