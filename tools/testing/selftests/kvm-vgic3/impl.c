// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "impl.h"

bool vgic3_module_loaded(void)
{
	return access("/sys/module/" VGIC3_MODULE, F_OK) == 0;
}

int vgic3_module_refcnt(void)
{
	FILE *f = fopen("/sys/module/" VGIC3_MODULE "/refcnt", "r");
	int n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

int vgic3_module_load(void)
{
	const char *ko = getenv("KVM_VGIC3_KO");
	int fd, ret;

	fd = open(ko ? ko : "./kvm_vgic3.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int vgic3_module_unload(void)
{
	return syscall(SYS_delete_module, VGIC3_MODULE, O_NONBLOCK) ? -errno : 0;
}

const char *vgic3_impl_name(void)
{
	return vgic3_module_loaded() ? "module" : "in-kernel";
}
