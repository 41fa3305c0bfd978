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

# The version of the kernel source package plus the config fragment name the
# kernel build: a change of either rebuilds it.
kernel_key() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || ver=none
	{ echo "$ver"; cat "$VM_DIR/config.fragment"; } | sha256sum | cut -c1-16
}

ksrc_dir() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || ver=none
	echo "$KVM_VGIC3_CACHE/src-$ver/linux-source-6.12"
}

kbuild_dir() { echo "$KVM_VGIC3_CACHE/kernel-$(kernel_key)"; }
