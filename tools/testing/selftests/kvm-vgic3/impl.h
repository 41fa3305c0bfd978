/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which implementation serves the vGICv3/ITS device types right now, and
 * loading/unloading the module from a test.
 *
 * Every selftest runs twice in `make check`: with kvm_vgic3.ko loaded and
 * with the in-kernel vgic. Tests assert the same behaviour in both runs,
 * except where a difference is deliberate (Documentation/differences.rst).
 */
#ifndef KVM_VGIC3_SELFTEST_IMPL_H
#define KVM_VGIC3_SELFTEST_IMPL_H

#include <stdbool.h>

#define VGIC3_MODULE "kvm_vgic3"

/* Is kvm_vgic3.ko loaded? */
bool vgic3_module_loaded(void);
/* Its reference count, -1 when it is not loaded. */
int vgic3_module_refcnt(void);
/* insmod / rmmod; 0 or -errno. The .ko is $KVM_VGIC3_KO or ./kvm_vgic3.ko. */
int vgic3_module_load(void);
int vgic3_module_unload(void);
/* "module" or "in-kernel", for messages. */
const char *vgic3_impl_name(void);

#endif
