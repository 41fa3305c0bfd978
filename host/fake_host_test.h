/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake VM for the KUnit suites: flat guest memory from GPA 0, a number of
 * vCPUs whose ids are their indexes unless a test gives others, with the
 * MPIDR KVM derives from the id (Aff0 = id[3:0], Aff1 = id[11:4],
 * Aff2 = id[19:12]), a switch that makes lock_vcpus() report a running
 * vCPU, a host ICH_VTR_EL2 a test may change, and a record of the frames
 * the model maps on the MMIO bus.
 *
 * It also stands in for KVM's vgic core: it allocates struct vgic_irq for
 * SPIs and private interrupts at INIT with the values vgic_init() gives
 * them, keeps LPIs in an xarray with the core's refcounting, and records
 * what would reach a vCPU: queue() counts the interrupts that are pending,
 * enabled and routed when queued (and drops the lock, as the core does).
 */
#ifndef __KVM_VGIC3_FAKE_HOST_TEST_H
#define __KVM_VGIC3_FAKE_HOST_TEST_H

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include "host.h"
#include "irq.h"

#define FAKE_MAX_REGIONS 16
#define FAKE_MAX_VCPUS	 64

/**
 * struct fake_vm - the fake VM
 * @host: what the model is given
 * @mem: guest memory, GPA 0 to @mem_size
 * @mem_size: bytes
 * @nr_vcpus: vCPUs created
 * @vcpu_ids: the vcpu_id of each index, NULL when they are the indexes
 * @vcpu_running: lock_vcpus() fails with -EBUSY
 * @ipa_bits: the guest's physical address size
 * @ich_vtr: the host's ICH_VTR_EL2 (VGIC3_ICH_VTR_DEFAULT)
 * @regions: frames on the MMIO bus
 * @nr_regions: how many
 * @core_created: core_create() succeeded
 * @core_ready: core_ready() was called
 * @core_enabled: the core's dist->enabled
 * @has_its: core_has_its() was called
 * @nr_spis: SPIs core_init() made
 * @spis: those SPIs
 * @priv: each vCPU's private interrupts, from core_init()
 * @cif: each vCPU's CPU interface
 * @vcpu_names: what stands for a struct kvm_vcpu (never dereferenced)
 * @lpis: LPIs by INTID
 * @queued: queue() calls that found the interrupt deliverable
 * @queue_calls: queue() calls, deliverable or not
 * @halts: halt() calls
 * @flushes: flush_lpis() calls
 * @msi: the ITS frame's translations KVM's core would deliver through,
 *	 by DeviceID << 16 | EventID (one ITS frame per fake VM)
 * @msi_enabled: msi_enable() as last called
 * @msi_routes: msi_route() calls
 * @msi_signals: MSIs msi_signal() found a translation for
 * @msi_latch: how msi_signal() makes that LPI pending, when what @msi holds
 *	       is not a struct vgic_irq (the ITS suites' fake LPI layer keeps
 *	       tokens there); NULL: set its latch and queue it
 * @msi_latch_arg: for @msi_latch
 */
struct fake_vm {
	struct vgic3_host host;
	u8 *mem;
	u64 mem_size;
	unsigned int nr_vcpus;
	const u32 *vcpu_ids;
	bool vcpu_running;
	unsigned int ipa_bits;
	u32 ich_vtr;
	struct vgic3_mmio_region *regions[FAKE_MAX_REGIONS];
	unsigned int nr_regions;
	bool core_created;
	bool core_ready;
	bool core_enabled;
	bool has_its;
	unsigned int nr_spis;
	struct vgic_irq *spis;
	struct vgic_irq *priv[FAKE_MAX_VCPUS];
	struct vgic_v3_cpu_if cif[FAKE_MAX_VCPUS];
	u8 vcpu_names[FAKE_MAX_VCPUS];
	struct xarray lpis;
	unsigned int queued;
	unsigned int queue_calls;
	unsigned int halts;
	unsigned int flushes;
	struct xarray msi;
	bool msi_enabled;
	unsigned int msi_routes;
	unsigned int msi_signals;
	void (*msi_latch)(void *arg, struct vgic_irq *irq);
	void *msi_latch_arg;
};

/* KVM's reset value of MPIDR_EL1: 16 vCPUs per cluster (Aff0). */
u64 fake_mpidr_of_id(u32 id);

int fake_vcpu_index(struct vgic3_host *h, struct kvm_vcpu *v);

/* What KVM's MSI fast path would find for (@devid, @event). */
struct vgic_irq *fake_msi_lookup(struct fake_vm *vm, u32 devid, u32 event);

extern const struct vgic3_host_ops fake_host_ops;

/* A fake VM of @mem_size bytes and @nr_vcpus vCPUs, freed with the test. */
struct fake_vm *fake_vm_new(struct kunit *test, u64 mem_size,
			    unsigned int nr_vcpus);

/* Guest memory accessors for test assertions. */
u64 fake_peek64(struct fake_vm *vm, u64 gpa);

void fake_poke64(struct fake_vm *vm, u64 gpa, u64 val);

#endif /* __KVM_VGIC3_FAKE_HOST_TEST_H */
