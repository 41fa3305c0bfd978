// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the ITS selftests; see common_its.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall.h"
#include "common_its.h"
#include "common_vgic.h"
#include "impl.h"
#include <linux/kvm_vgic3.h>

#define ITS_MEMSLOT	1

static void its_guest_stub(void)
{
	GUEST_DONE();
}

/* The ITS device at GITS_BASE_GPA, initialised, its frame not mapped. */
static int its_create_unmapped(struct kvm_vm *vm)
{
	int its_fd = kvm_create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	uint64_t addr = GITS_BASE_GPA;

	kvm_device_attr_set(its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &addr);
	kvm_device_attr_set(its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	return its_fd;
}

/*
 * light: no guest code, no guest memory but the ITS memslot, no guest page
 * tables (vgic_vm_create() with a NULL guest): the vCPUs cannot run. Under
 * TCG that VM costs a fraction of one that loads the test's ELF image.
 */
static struct its_env *__its_env_create(int nr_vcpus, void *guest_code,
					bool with_its, bool light)
{
	struct its_env *e = calloc(1, sizeof(*e));
	struct kvm_vm *vm;
	size_t pages;

	TEST_ASSERT(e && nr_vcpus > 0 && nr_vcpus <= ITS_NR_VCPUS_MAX,
		    "its_env_create(%d)", nr_vcpus);
	e->nr_vcpus = nr_vcpus;
	if (light) {
		struct vgic_vm *v = vgic_vm_create(nr_vcpus, NULL);

		vgic_vm_setup(v, 64);
		vm = v->vm;
		memcpy(e->vcpus, v->vcpus, nr_vcpus * sizeof(e->vcpus[0]));
		e->gic_fd = v->gic_fd;
		free(v);
	} else {
		vm = vm_create_with_vcpus(nr_vcpus, guest_code ? guest_code :
					  (void *)its_guest_stub, e->vcpus);
	}
	e->vm = vm;

	pages = ITS_MEM_SIZE / vm->page_size;
	e->mem_gpa = ((vm_compute_max_gfn(vm) + 1) * vm->page_size) - ITS_MEM_SIZE;
	e->mem_gpa &= ~(uint64_t)(SZ_64K - 1);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, e->mem_gpa,
				    ITS_MEMSLOT, pages, 0);
	if (!light)
		virt_map(vm, e->mem_gpa, e->mem_gpa, pages);
	e->mem = addr_gpa2hva(vm, e->mem_gpa);
	memset(e->mem, 0, ITS_MEM_SIZE);

	if (!light) {
		e->gic_fd = vgic_v3_setup(vm, nr_vcpus, 64);
		__TEST_REQUIRE(e->gic_fd >= 0, "no GICv3 (%d)", e->gic_fd);
	}
	if (!with_its)
		e->its_fd = -1;
	else
		e->its_fd = light ? its_create_unmapped(vm) : vgic_its_setup(vm);
	its_env_program_lpi_tables(e);
	return e;
}

struct its_env *its_env_create(int nr_vcpus, void *guest_code)
{
	return __its_env_create(nr_vcpus, guest_code, true, false);
}

struct its_env *its_env_create_light(int nr_vcpus)
{
	return __its_env_create(nr_vcpus, NULL, true, true);
}

struct its_env *its_env_create_noits(int nr_vcpus, void *guest_code)
{
	return __its_env_create(nr_vcpus, guest_code, false, false);
}

void its_env_free(struct its_env *e)
{
	if (e->its_fd >= 0)
		close(e->its_fd);
	close(e->gic_fd);
	kvm_vm_free(e->vm);
	free(e);
}

int __its_reg_get(int fd, uint64_t off, uint64_t *val)
{
	return __kvm_device_attr_get(fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, val)
		? -errno : 0;
}

int __its_reg_set(int fd, uint64_t off, uint64_t val)
{
	return __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, &val)
		? -errno : 0;
}

uint64_t its_reg_get(int fd, uint64_t off)
{
	uint64_t v = 0;
	int r = __its_reg_get(fd, off, &v);

	TEST_ASSERT(!r, "ITS_REGS get 0x%lx: %s", off, strerror(-r));
	return v;
}

void its_reg_set(int fd, uint64_t off, uint64_t val)
{
	int r = __its_reg_set(fd, off, val);

	TEST_ASSERT(!r, "ITS_REGS set 0x%lx=0x%lx: %s", off, val, strerror(-r));
}

int __its_ctrl(int fd, uint64_t attr)
{
	return __kvm_device_attr_set(fd, KVM_DEV_ARM_VGIC_GRP_CTRL, attr, NULL)
		? -errno : 0;
}

void its_ctrl(int fd, uint64_t attr)
{
	int r = __its_ctrl(fd, attr);

	TEST_ASSERT(!r, "ITS CTRL %lu: %s", attr, strerror(-r));
}

int __its_save(int fd)
{
	return __its_ctrl(fd, KVM_DEV_ARM_ITS_SAVE_TABLES);
}

int __its_restore(int fd)
{
	return __its_ctrl(fd, KVM_DEV_ARM_ITS_RESTORE_TABLES);
}

int __its_reset(int fd)
{
	return __its_ctrl(fd, KVM_DEV_ARM_ITS_CTRL_RESET);
}

int __gic_save_pending(int gic_fd)
{
	return __kvm_device_attr_set(gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
				     KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL)
		? -errno : 0;
}

static uint64_t redist_attr(int vcpu, uint32_t off)
{
	return ((uint64_t)vcpu << 32) | off;
}

void its_redist_set64(struct its_env *e, int vcpu, uint32_t off, uint64_t val)
{
	uint32_t lo = val, hi = val >> 32;

	kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    redist_attr(vcpu, off), &lo);
	kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    redist_attr(vcpu, off + 4), &hi);
}

uint64_t its_redist_get64(struct its_env *e, int vcpu, uint32_t off)
{
	uint32_t lo = 0, hi = 0;

	kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    redist_attr(vcpu, off), &lo);
	kvm_device_attr_get(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    redist_attr(vcpu, off + 4), &hi);
	return ((uint64_t)hi << 32) | lo;
}

void its_env_program_lpi_tables(struct its_env *e)
{
	for (int i = 0; i < e->nr_vcpus; i++) {
		its_redist_set64(e, i, GICR_PROPBASER,
				 its_gpa(e, ITS_OFF_PROP) | (16 - 1));
		its_redist_set64(e, i, GICR_PENDBASER,
				 its_gpa(e, ITS_OFF_PEND + i * SZ_64K));
	}
}

void its_env_enable_lpis(struct its_env *e)
{
	for (int i = 0; i < e->nr_vcpus; i++) {
		uint32_t v = GICR_CTLR_ENABLE_LPIS;

		kvm_device_attr_set(e->gic_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				    redist_attr(i, GICR_CTLR), &v);
	}
}

void its_env_config_lpis(struct its_env *e, int nr)
{
	uint8_t *p = its_hva(e, ITS_OFF_PROP);

	for (int i = 0; i < nr; i++)
		p[i] = 0xa0 | LPI_PROP_GROUP1 | LPI_PROP_ENABLED;
}

uint64_t its_baser_dt(struct its_env *e, bool indirect, int pages)
{
	return its_gpa(e, ITS_OFF_DT) | GITS_BASER_VALID |
	       (indirect ? GITS_BASER_INDIRECT : 0) | GITS_BASER_PAGE_SIZE_64K |
	       GITS_BASER_InnerShareable | GITS_BASER_RaWaWb | (pages - 1);
}

uint64_t its_baser_ct(struct its_env *e, int pages)
{
	return its_gpa(e, ITS_OFF_CT) | GITS_BASER_VALID |
	       GITS_BASER_PAGE_SIZE_64K | GITS_BASER_InnerShareable |
	       GITS_BASER_RaWaWb | (pages - 1);
}

uint64_t its_cbaser(struct its_env *e, int pages4k)
{
	return its_gpa(e, ITS_OFF_CMDQ) | GITS_CBASER_VALID |
	       GITS_CBASER_InnerShareable | GITS_CBASER_RaWaWb | (pages4k - 1);
}

static void __its_env_setup_its(struct its_env *e, bool indirect)
{
	its_reg_set(e->its_fd, GITS_BASER, its_baser_dt(e, indirect, indirect ? 1 : 2));
	its_reg_set(e->its_fd, GITS_BASER + 8, its_baser_ct(e, 1));
	its_reg_set(e->its_fd, GITS_CBASER, its_cbaser(e, 16));
	e->cmdq_size = 16 * SZ_4K;
	its_reg_set(e->its_fd, GITS_CTLR, GITS_CTLR_ENABLE);
	TEST_ASSERT(its_reg_get(e->its_fd, GITS_CTLR) & GITS_CTLR_ENABLE,
		    "ITS did not enable");
	its_env_config_lpis(e, 1024);
}

void its_env_setup_its(struct its_env *e)
{
	__its_env_setup_its(e, false);
}

void its_env_setup_its_2l(struct its_env *e)
{
	/* L1 entries 0 and 1 valid (DeviceIDs 0..16383), L2 pages in ITS_OFF_L2 */
	uint64_t *l1 = its_hva(e, ITS_OFF_DT);

	l1[0] = (1ULL << 63) | its_gpa(e, ITS_OFF_L2);
	l1[1] = (1ULL << 63) | its_gpa(e, ITS_OFF_L2 + SZ_64K);
	__its_env_setup_its(e, true);
}

static void enc(uint64_t *w, uint64_t val, int h, int l)
{
	uint64_t mask = GENMASK_ULL(h, l);

	*w = (*w & ~mask) | ((val << l) & mask);
}

struct its_cmd its_cmd_mapd(uint32_t dev, vm_paddr_t itt, int size_m1, bool v)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_MAPD, 7, 0);
	enc(&c.raw[0], dev, 63, 32);
	enc(&c.raw[1], size_m1, 4, 0);
	enc(&c.raw[2], itt >> 8, 51, 8);
	enc(&c.raw[2], v, 63, 63);
	return c;
}

struct its_cmd its_cmd_mapc(uint32_t icid, uint32_t vcpu, bool v)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_MAPC, 7, 0);
	enc(&c.raw[2], icid, 15, 0);
	enc(&c.raw[2], vcpu, 51, 16);
	enc(&c.raw[2], v, 63, 63);
	return c;
}

struct its_cmd its_cmd_mapti(uint32_t dev, uint32_t ev, uint32_t lpi, uint32_t icid)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_MAPTI, 7, 0);
	enc(&c.raw[0], dev, 63, 32);
	enc(&c.raw[1], ev, 31, 0);
	enc(&c.raw[1], lpi, 63, 32);
	enc(&c.raw[2], icid, 15, 0);
	return c;
}

struct its_cmd its_cmd_mapi(uint32_t dev, uint32_t ev, uint32_t icid)
{
	struct its_cmd c = its_cmd_mapti(dev, ev, 0, icid);

	enc(&c.raw[0], GITS_CMD_MAPI, 7, 0);
	return c;
}

struct its_cmd its_cmd_movi(uint32_t dev, uint32_t ev, uint32_t icid)
{
	struct its_cmd c = its_cmd_mapti(dev, ev, 0, icid);

	enc(&c.raw[0], GITS_CMD_MOVI, 7, 0);
	return c;
}

struct its_cmd its_cmd_dev_ev(uint8_t op, uint32_t dev, uint32_t ev)
{
	struct its_cmd c = {};

	enc(&c.raw[0], op, 7, 0);
	enc(&c.raw[0], dev, 63, 32);
	enc(&c.raw[1], ev, 31, 0);
	return c;
}

struct its_cmd its_cmd_invall(uint32_t icid)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_INVALL, 7, 0);
	enc(&c.raw[2], icid, 15, 0);
	return c;
}

struct its_cmd its_cmd_sync(uint32_t vcpu)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_SYNC, 7, 0);
	enc(&c.raw[2], vcpu, 51, 16);
	return c;
}

struct its_cmd its_cmd_movall(uint32_t from, uint32_t to)
{
	struct its_cmd c = {};

	enc(&c.raw[0], GITS_CMD_MOVALL, 7, 0);
	enc(&c.raw[2], from, 51, 16);
	enc(&c.raw[3], to, 51, 16);
	return c;
}

void its_sendv(struct its_env *e, const struct its_cmd *c, int n)
{
	uint64_t cw = its_reg_get(e->its_fd, GITS_CWRITER);
	uint64_t size = its_cmdq_bytes(its_reg_get(e->its_fd, GITS_CBASER));
	uint8_t *q = its_hva(e, ITS_OFF_CMDQ);

	for (int i = 0; i < n; i++) {
		memcpy(q + cw, &c[i], 32);
		cw = (cw + 32) % size;
	}
	its_reg_set(e->its_fd, GITS_CWRITER, cw);
	TEST_ASSERT(its_reg_get(e->its_fd, GITS_CREADR) == cw,
		    "CREADR 0x%lx != CWRITER 0x%lx after the write returned",
		    its_reg_get(e->its_fd, GITS_CREADR), cw);
}

void its_send(struct its_env *e, struct its_cmd c)
{
	its_sendv(e, &c, 1);
}

/**
 * its_guest_send - guest code: send one command through the ITS command queue
 * @cmdq_gva: the queue's guest virtual address
 * @size: the queue's size in bytes, as programmed in GITS_CBASER
 * @cwriter: in, where the command goes (the guest's idea of GITS_CWRITER);
 *	out, the CWRITER value stored
 * @c: the command
 * @max_reads: at most this many reads of GITS_CREADR (each one an exit)
 *
 * Copies @c into the queue, makes it visible to the ITS before the ITS can
 * see the new CWRITER (DSB), stores CWRITER, then polls CREADR until it
 * equals CWRITER. Nothing here reads CWRITER or CBASER: a caller that times
 * the send times the command's own accesses only, and a caller that does not
 * keep its own copy reads them first. What a timeout means is the caller's.
 *
 * Return: true if CREADR caught up within @max_reads reads.
 */
bool its_guest_send(uint64_t cmdq_gva, uint64_t size, uint64_t *cwriter,
		    const struct its_cmd *c, uint64_t max_reads)
{
	volatile uint64_t *dst = (volatile uint64_t *)(cmdq_gva + *cwriter);
	uint64_t next = (*cwriter + sizeof(*c)) % size;

	for (int i = 0; i < 4; i++)
		dst[i] = c->raw[i];
	dsb(ishst);
	writeq_relaxed(next, GITS_BASE_GVA + GITS_CWRITER);
	*cwriter = next;
	for (uint64_t i = 0; i < max_reads; i++) {
		if (readq_relaxed(GITS_BASE_GVA + GITS_CREADR) == next)
			return true;
		cpu_relax();
	}
	return false;
}

void its_env_program_std(struct its_env *e, int ndev, int nev)
{
	for (int i = 0; i < e->nr_vcpus; i++)
		its_send(e, its_cmd_mapc(i, i, true));
	for (int d = 0; d < ndev; d++) {
		its_send(e, its_cmd_mapd(d, its_itt_gpa(e, d), ITS_NR_EVENT_BITS - 1, true));
		for (int ev = 0; ev < nev; ev++)
			its_send(e, its_cmd_mapti(d, ev, ITS_LPI(d * 16 + ev),
						  (d + ev) % e->nr_vcpus));
	}
}

int its_signal_msi(struct its_env *e, uint32_t devid, uint32_t event)
{
	struct kvm_msi msi = {
		.flags = KVM_MSI_VALID_DEVID,
		.devid = devid,
		.data = event,
	};
	uint64_t ev = event, base;
	int ret;

	/* The doorbell of the ITS e->its_fd names. */
	kvm_device_attr_get(e->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &base);
	msi.address_lo = (uint32_t)(base + GITS_TRANSLATER);
	msi.address_hi = (base + GITS_TRANSLATER) >> 32;

	if (!vgic3_module_loaded()) {
		ret = __vm_ioctl(e->vm, KVM_SIGNAL_MSI, &msi);
		return ret < 0 ? -errno : ret;
	}
	ret = __kvm_device_attr_set(e->its_fd, KVM_DEV_ARM_VGIC3_GRP_MSI, devid,
				    &ev);
	if (!ret)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

bool its_lpi_pending_bit(struct its_env *e, int vcpu, uint32_t intid)
{
	uint8_t *p = its_hva(e, ITS_OFF_PEND + vcpu * SZ_64K);

	return p[intid / 8] & (1u << (intid % 8));
}

void its_dump_hex(const char *name, const void *p, size_t len)
{
	const uint8_t *b = p;
	char *s = malloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++)
		sprintf(s + 2 * i, "%02x", b[i]);
	s[len * 2] = 0;
	printf("TABLES %s %s\n", name, s);
	fflush(stdout);
	free(s);
}

void its_regs_save(int fd, struct its_regs *r)
{
	r->iidr = its_reg_get(fd, GITS_IIDR);
	r->cbaser = its_reg_get(fd, GITS_CBASER);
	r->creadr = its_reg_get(fd, GITS_CREADR);
	r->cwriter = its_reg_get(fd, GITS_CWRITER);
	for (int i = 0; i < 8; i++)
		r->baser[i] = its_reg_get(fd, GITS_BASER + 8 * i);
	r->ctlr = its_reg_get(fd, GITS_CTLR);
}

void its_regs_restore_but_ctlr(int fd, const struct its_regs *r)
{
	its_reg_set(fd, GITS_IIDR, r->iidr);
	its_reg_set(fd, GITS_CBASER, r->cbaser);
	its_reg_set(fd, GITS_CREADR, r->creadr);
	its_reg_set(fd, GITS_CWRITER, r->cwriter);
	for (int i = 0; i < 8; i++)
		its_reg_set(fd, GITS_BASER + 8 * i, r->baser[i]);
}

int its_regs_restore(int fd, const struct its_regs *r)
{
	int ret;

	its_regs_restore_but_ctlr(fd, r);
	ret = __its_restore(fd);
	if (!ret)
		its_reg_set(fd, GITS_CTLR, r->ctlr);
	return ret;
}
