# SPDX-License-Identifier: GPL-2.0
# Shared settings of the test-host scripts. Sourced, not run.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../../.." && pwd)

# Kernel builds live outside the clone so that fresh clones (CI) and
# worktrees reuse them.
KVM_VGIC3_CACHE=${KVM_VGIC3_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-vgic3}
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
NPROC=$(nproc)

log() { printf '[vm] %s\n' "$*" >&2; }
die() { printf '[vm] error: %s\n' "$*" >&2; exit 1; }

# Two kernels can be built from config.fragment: "debug" (all of it: what
# make check and make demo boot) and "fast" (without its debugging section:
# what make bench boots, so that KASAN, lockdep and kmemleak do not dominate
# the figures). KVM_VGIC3_FLAVOUR picks one; debug is the default.
FLAVOUR=${KVM_VGIC3_FLAVOUR:-debug}
case "$FLAVOUR" in
debug|fast) ;;
*) die "KVM_VGIC3_FLAVOUR=$FLAVOUR: debug or fast" ;;
esac

kernel_fragment() {
	if [ "$FLAVOUR" = debug ]; then
		cat "$VM_DIR/config.fragment"
	else
		sed '/^# Debugging options/,$d' "$VM_DIR/config.fragment"
		# KALLSYMS_ALL, which the takeover needs, depends on it.
		echo CONFIG_DEBUG_KERNEL=y
		echo CONFIG_BUG=y
	fi
}

# The version of the kernel source package plus the config fragment name the
# kernel build: a change of either rebuilds it.
kernel_key() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || ver=none
	{ echo "$ver"; kernel_fragment; } | sha256sum | cut -c1-16
}

ksrc_dir() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || ver=none
	echo "$KVM_VGIC3_CACHE/src-$ver/linux-source-6.12"
}

kbuild_dir() { echo "$KVM_VGIC3_CACHE/kernel-$(kernel_key)"; }

# Where tools/testing/vm/build puts what runs in the test host: build/ for
# the debug kernel, build/fast/ for the fast one.
out_dir() {
	if [ "$FLAVOUR" = debug ]; then echo "$TOP/build"; else echo "$TOP/build/fast"; fi
}
