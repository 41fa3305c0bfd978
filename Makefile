# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of kvm_vgic3.ko:
#   make                      against the running kernel's build tree
#   make KDIR=/path/to/build  against another one (ARCH/CROSS_COMPILE honoured)
#   make check                everything, in the arm64 test host (see README)

KDIR ?= /lib/modules/$(shell uname -r)/build
VM := tools/testing/vm

# The module is arm64 only: elsewhere, cross-compile by default.
ifneq ($(shell uname -m),aarch64)
ARCH ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
export ARCH CROSS_COMPILE
endif

all: modules

modules:
	@test -d "$(KDIR)" || { \
	  echo "error: no kernel build tree at KDIR=$(KDIR)."; \
	  echo "  On an arm64 host: install the headers of the running kernel"; \
	  echo "  (Debian: apt-get install linux-headers-\$$(uname -r))."; \
	  echo "  Anywhere: make KDIR=\$$($(VM)/build-kernel) builds against"; \
	  echo "  the test host's kernel (run $(VM)/setup first)."; \
	  exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

clean:
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean 2>/dev/null || true
	rm -rf build

check:
	$(VM)/check

check-vmm:
	$(VM)/check-vmm

check-linux:
	$(VM)/check-linux

demo:
	$(VM)/demo

# make shell LINUX=1: with Debian's QEMU, the small Linux guest and its test
# (Documentation/qemu.rst); the test host then takes longer to boot.
shell:
ifeq ($(LINUX),1)
	$(VM)/run --shell --add build/kvm_vgic3.ko \
		--add "$$($(VM)/qemu-rootfs)":qemu \
		--add "$$($(VM)/build-guest)":linux-guest \
		--add $(VM)/linux-guest-test.sh --add $(VM)/qmp-lib.sh \
		--add build/selftests/migpoke
else
	$(VM)/run --shell --add build/kvm_vgic3.ko
endif

bench:
	$(VM)/bench

soak:
	$(VM)/soak

profile:
	$(VM)/profile

.PHONY: all modules clean check check-vmm check-linux demo shell bench profile soak
