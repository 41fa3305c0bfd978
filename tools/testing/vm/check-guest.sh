#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test host (see check): the KUnit suites, then every
# selftest with kvm_vgic3.ko loaded and again with the in-kernel vgic, then
# the migration between the two (cross_impl_test), then a kmemleak scan.
# Output is framed for summarize.py.

ko=/work/kvm_vgic3.ko
export KVM_VGIC3_KO=$ko

if ! insmod $ko; then
	echo "=== FATAL insmod kvm_vgic3.ko failed"
	exit 1
fi

if [ -f kvm_vgic3_kunit.ko ]; then
	if insmod kvm_vgic3_kunit.ko; then
		for r in /sys/kernel/debug/kunit/kvm_vgic3*/results; do
			[ -f "$r" ] || continue
			echo "=== KTAP $(basename "$(dirname "$r")")"
			cat "$r"
			echo "=== END"
		done
		rmmod kvm_vgic3_kunit
	else
		echo "=== FATAL insmod kvm_vgic3_kunit.ko failed"
	fi
fi

run_selftests() {
	for t in /work/selftests/*_test; do
		[ -x "$t" ] || continue
		# It switches implementations itself: run once, below.
		[ "$(basename "$t")" = cross_impl_test ] && continue
		echo "=== TAP $1 $(basename "$t")"
		"$t"
		echo "=== RC $?"
	done
	# One tiny benchmark round, so that the benchmark cannot rot; it
	# prints its own TAP case and fails only when something is broken.
	if [ -x /work/selftests/bench ]; then
		echo "=== TAP $1 bench"
		/work/selftests/bench --tiny
		echo "=== RC $?"
	fi
}

run_selftests module
if ! rmmod kvm_vgic3; then
	echo "=== FATAL rmmod kvm_vgic3 failed"
	exit 1
fi
run_selftests in-kernel

# State saved under one implementation restored under the other, both ways.
# The test loads and unloads the module itself and leaves it as it found it
# (unloaded here).
if [ -x /work/selftests/cross_impl_test ]; then
	echo "=== TAP cross-impl cross_impl_test"
	/work/selftests/cross_impl_test
	echo "=== RC $?"
	if [ -d /sys/module/kvm_vgic3 ]; then
		echo "=== FATAL cross_impl_test left kvm_vgic3 loaded"
		rmmod kvm_vgic3
	fi
fi

# kmemleak reports objects unreferenced for over 5 seconds, found by a scan.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo "=== KMEMLEAK"
	cat /sys/kernel/debug/kmemleak
	echo "=== END"
fi
exit 0
