// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_TYPE_ARM_VGIC_ITS: creation, destruction, attribute groups,
 * KVM_DEV_ARM_ITS_CTRL_RESET and the debugfs view.
 *
 * State-changing attributes first take every vCPU (host lock_vcpus, -EBUSY
 * when one runs) and then the ITS lock, never the other way round.
 */
#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/kvm_vgic3.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/kvm.h>
#include "../vgic/lpi.h"
#include "../vgic/api.h"
#include "api.h"
#include "its.h"

static const struct its_lpi_ops its_vgic3_lpi = {
	.get = vgic3_lpi_get,
	.get_run = vgic3_lpi_get_run,
	.put = vgic3_lpi_put,
	.put_later = vgic3_lpi_put_later,
	.put_flush = vgic3_lpi_put_flush,
	.retarget = vgic3_lpi_retarget,
	.pend = vgic3_lpi_pend,
	.reload = vgic3_lpi_reload,
	.invall = vgic3_lpi_invall,
	.movall = vgic3_lpi_movall,
	.nr_intids = vgic3_lpi_nr_intids,
	.config_readable = vgic3_lpi_config_readable,
	.enabled_on = vgic3_lpi_enabled_on,
	.nr_vcpus = vgic3_nr_vcpus,
};

/**
 * its_alloc - a new ITS in its creation state
 * @gic: the VM's vGICv3, handed to @lpi
 * @host: the VM
 * @lpi: the LPI layer
 *
 * Return: the ITS or ERR_PTR(-ENOMEM).
 */
struct vgic3_its *its_alloc(struct vgic3 *gic, struct vgic3_host *host,
			    const struct its_lpi_ops *lpi)
{
	struct vgic3_its *its = kzalloc(sizeof(*its), GFP_KERNEL_ACCOUNT);

	if (!its)
		return ERR_PTR(-ENOMEM);
	mutex_init(&its->lock);
	mutex_init(&its->addr_lock);
	its->gic = gic;
	its->host = host;
	its->lpi = lpi;
	its->base = VGIC3_ADDR_UNDEF;
	its->region.size = ITS_FRAME_SIZE;
	its->region.msi_doorbell = true;
	its->region.read = its_mmio_read;
	its->region.write = its_mmio_write;
	its->abi_rev = ITS_NR_ABI_REVS - 1;
	its->baser_dev = its_initial_baser(GITS_BASER_TYPE_DEVICE);
	its->baser_coll = its_initial_baser(GITS_BASER_TYPE_COLLECTION);
	xa_init(&its->devs);
	xa_init(&its->colls);
	INIT_LIST_HEAD(&its->coll_order);
	INIT_LIST_HEAD(&its->listener.node);
	return its;
}
EXPORT_SYMBOL_IF_KUNIT(its_alloc);

/* Each ITS creation gives the VM LPIs and resets PROPBASER, as in KVM. */
struct vgic3_its *vgic3_its_create(struct vgic3 *gic)
{
	struct vgic3_its *its = its_alloc(gic, vgic3_host(gic), &its_vgic3_lpi);

	if (!IS_ERR(its)) {
		vgic3_its_attached(gic);
		its_doorbell_listen(its);
	}
	return its;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_create);

void vgic3_its_destroy(struct vgic3_its *its)
{
	its_doorbell_unlisten(its);
	mutex_lock(&its->addr_lock);
	if (its->mapped)
		its->host->ops->mmio_unmap(its->host, &its->region);
	its->mapped = false;
	mutex_unlock(&its->addr_lock);

	mutex_lock(&its->lock);
	its_ite_flush_freed(its);
	its_free_all_devs(its);
	its_free_all_colls(its);
	mutex_unlock(&its->lock);
	xa_destroy(&its->devs);
	xa_destroy(&its->colls);
	kfree(its);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_destroy);

/* The ITS Reset State of arm-vgic-its.rst; the ABI revision stays. */
static void its_reset_locked(struct vgic3_its *its)
{
	its->enabled = false;
	its->baser_dev &= ~GITS_BASER_VALID;
	its->baser_coll &= ~GITS_BASER_VALID;
	its->cbaser = 0;
	WRITE_ONCE(its->creadr, 0);
	its->cwriter = 0;
	its->creadr_restored = false;
	/* KVM's core stops translating before the mappings go. */
	its_doorbell_sync(its);
	its_free_all_devs(its);
	its_free_all_colls(its);
}

void its_reset(struct vgic3_its *its)
{
	mutex_lock(&its->lock);
	its_reset_locked(its);
	mutex_unlock(&its->lock);
}
EXPORT_SYMBOL_IF_KUNIT(its_reset);

/* --- KVM_DEV_ARM_VGIC_GRP_ADDR -------------------------------------------- */

static int its_set_addr(struct vgic3_its *its, u64 addr)
{
	unsigned int ipa = its->host->ops->ipa_bits(its->host);
	u64 end = addr + ITS_FRAME_SIZE;
	int ret = 0;

	mutex_lock(&its->addr_lock);
	if (its->base != VGIC3_ADDR_UNDEF) {
		ret = -EEXIST;
	} else if (!IS_ALIGNED(addr, SZ_64K) || end < addr) {
		ret = -EINVAL;
	} else if (ipa < 64 && (addr >= BIT_ULL(ipa) || end > BIT_ULL(ipa))) {
		ret = -E2BIG;
	} else {
		/* The bus is not ours to hold the ITS lock over. */
		its->region.base = addr;
		ret = its->host->ops->mmio_map(its->host, &its->region);
		if (!ret) {
			WRITE_ONCE(its->base, addr);
			mutex_lock(&its->lock);
			its->mapped = true;
			its_doorbell_sync(its);
			mutex_unlock(&its->lock);
		}
	}
	mutex_unlock(&its->addr_lock);
	return ret;
}

/* --- KVM_DEV_ARM_VGIC_GRP_CTRL -------------------------------------------- */

/* The restore sequence of arm-vgic-its.rst, checked where it can be. */
static void its_check_restore_order(struct vgic3_its *its)
{
	bool tables = (its->baser_dev | its->baser_coll) & GITS_BASER_VALID;

	if (its->enabled)
		pr_warn_ratelimited("kvm-vgic3: ITS@%llx: KVM_DEV_ARM_ITS_RESTORE_TABLES after GITS_CTLR: restore GITS_CTLR last\n",
				    its->base);
	if (tables && !its->iidr_restored)
		pr_warn_ratelimited("kvm-vgic3: ITS@%llx: KVM_DEV_ARM_ITS_RESTORE_TABLES before GITS_IIDR: assuming table ABI revision %u\n",
				    its->base, its->abi_rev);
}

static int its_ctrl(struct vgic3_its *its, u64 attr)
{
	int ret;

	if (attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
		return 0;

	ret = its->host->ops->lock_vcpus(its->host);
	if (ret)
		return ret;
	mutex_lock(&its->lock);
	switch (attr) {
	case KVM_DEV_ARM_ITS_CTRL_RESET:
		its_reset_locked(its);
		break;
	case KVM_DEV_ARM_ITS_SAVE_TABLES:
		ret = its_save_tables(its);
		break;
	case KVM_DEV_ARM_ITS_RESTORE_TABLES:
		its_check_restore_order(its);
		ret = its_restore_tables(its);
		break;
	default:
		/* KVM answers 0 to an unknown CTRL attribute: so do we. */
		break;
	}
	mutex_unlock(&its->lock);
	its->host->ops->unlock_vcpus(its->host);
	return ret;
}

/* --- KVM_DEV_ARM_VGIC_GRP_ITS_REGS ---------------------------------------- */

static int its_regs_attr(struct vgic3_its *its, u64 offset, u64 *val,
			 bool is_write)
{
	int ret = its_reg_check_offset(offset);

	if (ret)
		return ret;
	ret = its->host->ops->lock_vcpus(its->host);
	if (ret)
		return ret;
	if (READ_ONCE(its->base) == VGIC3_ADDR_UNDEF)
		ret = -ENXIO;
	else
		ret = its_reg_uaccess(its, offset, val, is_write);
	its->host->ops->unlock_vcpus(its->host);
	return ret;
}

/* --- KVM_DEV_ARM_VGIC3_GRP_INFO ------------------------------------------- */

static int its_info(struct vgic3_its *its, u64 attr, u64 *val)
{
	switch (attr) {
	case KVM_DEV_ARM_VGIC3_INFO_VERSION:
		*val = KVM_VGIC3_INFO_ABI_VERSION;
		return 0;
	case KVM_DEV_ARM_VGIC3_INFO_ITS_CMD_ERRORS:
		mutex_lock(&its->lock);
		*val = its->nr_cmd_errors;
		mutex_unlock(&its->lock);
		return 0;
	case KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS:
		mutex_lock(&its->lock);
		*val = its->nr_cmds;
		mutex_unlock(&its->lock);
		return 0;
	case KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS:
		*val = atomic64_read(&its->nr_msis);
		return 0;
	}
	return -ENXIO;
}

static bool its_info_exists(u64 attr)
{
	return attr == KVM_DEV_ARM_VGIC3_INFO_VERSION ||
	       attr == KVM_DEV_ARM_VGIC3_INFO_ITS_CMD_ERRORS ||
	       attr == KVM_DEV_ARM_VGIC3_INFO_ITS_CMDS ||
	       attr == KVM_DEV_ARM_VGIC3_INFO_ITS_MSIS;
}

/* --- KVM_DEV_ARM_VGIC3_GRP_MSI -------------------------------------------- */

/*
 * An MSI that the VMM injects: KVM_SIGNAL_MSI reaches the in-kernel vgic
 * only, so a VMM that emulates a device gives its (DeviceID, EventID) here.
 * No vCPU lock: an MSI arrives while vCPUs run, like a guest's store to
 * GITS_TRANSLATER: its_inject_msi() takes the ITS lock at most.
 */
static bool its_msi_exists(u64 attr)
{
	return attr <= ITS_MAX_DEVID;
}

static int its_msi(struct vgic3_its *its, u64 devid, u64 event)
{
	if (!its_msi_exists(devid))
		return -ENXIO;
	if (event > U32_MAX)
		return -EINVAL;
	return its_inject_msi(its, devid, event);
}

/* --- Entry points --------------------------------------------------------- */

int vgic3_its_attr_width(u32 group, u64 attr)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return attr == KVM_VGIC_ITS_ADDR_TYPE ? 8 : 0;
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		return 8;
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		return its_info_exists(attr) ? 8 : 0;
	case KVM_DEV_ARM_VGIC3_GRP_MSI:
		return its_msi_exists(attr) ? 8 : 0;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_attr_width);

int vgic3_its_set_attr(struct vgic3_its *its, u32 group, u64 attr, u64 *val)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr != KVM_VGIC_ITS_ADDR_TYPE)
			return -ENODEV;
		return its_set_addr(its, *val);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return its_ctrl(its, attr);
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		return its_regs_attr(its, attr, val, true);
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		/* Read-only. */
		return its_info_exists(attr) ? -EINVAL : -ENXIO;
	case KVM_DEV_ARM_VGIC3_GRP_MSI:
		return its_msi(its, attr, *val);
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_set_attr);

int vgic3_its_get_attr(struct vgic3_its *its, u32 group, u64 attr, u64 *val)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr != KVM_VGIC_ITS_ADDR_TYPE)
			return -ENODEV;
		*val = READ_ONCE(its->base);
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		return its_regs_attr(its, attr, val, false);
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		return its_info(its, attr, val);
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_get_attr);

int vgic3_its_has_attr(struct vgic3_its *its, u32 group, u64 attr)
{
	int ret;

	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return attr == KVM_VGIC_ITS_ADDR_TYPE ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
		case KVM_DEV_ARM_ITS_CTRL_RESET:
		case KVM_DEV_ARM_ITS_SAVE_TABLES:
		case KVM_DEV_ARM_ITS_RESTORE_TABLES:
			return 0;
		}
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		ret = its_reg_check_offset(attr);
		if (ret)
			return ret;
		return its_reg_exists(attr) ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC3_GRP_INFO:
		return its_info_exists(attr) ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC3_GRP_MSI:
		return its_msi_exists(attr) ? 0 : -ENXIO;
	}
	return -ENXIO;
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_has_attr);

/* --- debugfs -------------------------------------------------------------- */

static void its_show_regs(struct seq_file *m, struct vgic3_its *its)
{
	seq_printf(m, "base      %#llx\n", READ_ONCE(its->base));
	seq_printf(m, "enabled   %d\n", its->enabled);
	seq_printf(m, "abi_rev   %u\n", its->abi_rev);
	seq_printf(m, "CBASER    %#018llx (queue %llu bytes)\n", its->cbaser,
		   its_cmdq_size(its->cbaser));
	seq_printf(m, "CREADR    %#llx\n", its->creadr);
	seq_printf(m, "CWRITER   %#llx\n", its->cwriter);
	seq_printf(m, "BASER0    %#018llx (device table)\n", its->baser_dev);
	seq_printf(m, "BASER1    %#018llx (collection table)\n",
		   its->baser_coll);
	seq_printf(m, "commands  %llu\n", its->nr_cmds);
	seq_printf(m, "errors    %llu\n", its->nr_cmd_errors);
	seq_printf(m, "msis      %lld\n", atomic64_read(&its->nr_msis));
	if (its->restore_err.err) {
		char where[ITS_RESTORE_ERR_LEN];

		its_restore_err_print(&its->restore_err, where, sizeof(where));
		seq_printf(m, "restore   failed %d%s\n", its->restore_err.err,
			   where);
	}
}

static void its_show_tables(struct seq_file *m, struct vgic3_its *its)
{
	struct its_coll *coll;
	struct its_dev *dev;
	struct its_ite *ite;
	unsigned long id, event;

	seq_printf(m, "collections %u\n", its->nr_colls);
	list_for_each_entry(coll, &its->coll_order, node) {
		if (its_coll_is_mapped(coll))
			seq_printf(m, "  icid %u -> vcpu %u\n", coll->icid,
				   coll->target);
		else
			seq_printf(m, "  icid %u -> unmapped\n", coll->icid);
	}

	seq_printf(m, "devices %u\n", its->nr_devs);
	xa_for_each(&its->devs, id, dev) {
		seq_printf(m, "  dev %u itt %#llx eventid_bits %u ites %u\n",
			   dev->id, dev->itt, dev->nbits, dev->nr_ites);
		xa_for_each(&dev->ites, event, ite) {
			seq_printf(m, "    event %u -> lpi %u", ite->event,
				   ite->intid);
			if (ite->coll)
				seq_printf(m, " icid %u", ite->coll->icid);
			else
				seq_puts(m, " icid dropped");
			seq_printf(m, "%s\n", ite->irq ? "" : " (not routed)");
		}
	}
}

void vgic3_its_show(struct seq_file *m, struct vgic3_its *its)
{
	mutex_lock(&its->lock);
	its_show_regs(m, its);
	its_show_tables(m, its);
	mutex_unlock(&its->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgic3_its_show);
