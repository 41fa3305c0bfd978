# SPDX-License-Identifier: GPL-2.0
# Shared settings of the test-host scripts. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # its variables are the sourcing scripts'

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

# Three kernels can be built from config.fragment: "debug" (all of it:
# what make check and make demo boot), "fast" (without its debugging
# section: what make bench boots, so that KASAN, lockdep and kmemleak do not
# dominate the figures) and "profile" (fast plus the function profiler:
# what tools/testing/vm/profile boots to say where a benchmark's time goes).
# A fourth, "guest", is no test host: the small kernel of guest.fragment
# (Image only, no modules) that Debian's QEMU runs inside the test host
# (tools/testing/vm/linux-guest-test.sh).
# KVM_VGIC3_FLAVOUR picks one; debug is the default.
FLAVOUR=${KVM_VGIC3_FLAVOUR:-debug}
case "$FLAVOUR" in
debug|fast|profile|guest) ;;
*) die "KVM_VGIC3_FLAVOUR=$FLAVOUR: debug, fast, profile or guest" ;;
esac

kernel_fragment() {
	if [ "$FLAVOUR" = guest ]; then
		cat "$VM_DIR/guest.fragment"
		return
	fi
	if [ "$FLAVOUR" = debug ]; then
		cat "$VM_DIR/config.fragment"
	elif [ "$FLAVOUR" = profile ]; then
		# The function tracer replaces the default tracers' option.
		sed -e '/^# Debugging options/,$d' \
		    -e '/^CONFIG_ENABLE_DEFAULT_TRACERS=/d' "$VM_DIR/config.fragment"
	else
		sed '/^# Debugging options/,$d' "$VM_DIR/config.fragment"
	fi
	if [ "$FLAVOUR" != debug ]; then
		# KALLSYMS_ALL, which the takeover needs, depends on it.
		echo CONFIG_DEBUG_KERNEL=y
		echo CONFIG_BUG=y
	fi
	if [ "$FLAVOUR" = profile ]; then
		echo CONFIG_FUNCTION_TRACER=y
		echo CONFIG_FUNCTION_GRAPH_TRACER=y
		echo CONFIG_DYNAMIC_FTRACE=y
		echo CONFIG_FUNCTION_PROFILER=y
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

# The arguments, each single-quoted for the test host's sh, each after a
# space: what a generated guest script appends to a command line.
sh_quote() {
	local a q=""

	for a in "$@"; do q+=" '${a//\'/\'\\\'\'}'"; done
	printf '%s' "$q"
}

kbuild_dir() { echo "$KVM_VGIC3_CACHE/kernel-$(kernel_key)"; }

# Where tools/testing/vm/build puts what runs in the test host: build/ for
# the debug kernel, build/<flavour>/ for the others.
out_dir() {
	if [ "$FLAVOUR" = debug ]; then echo "$TOP/build"; else echo "$TOP/build/$FLAVOUR"; fi
}
