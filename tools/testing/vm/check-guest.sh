#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test host (see check): the KUnit suites, then every
# selftest with kvm_vgic3.ko loaded and again with the in-kernel vgic, each
# time followed by KVM's own vGICv3 selftests (run_kvm_selftests) if that
# implementation is in KVM_SELFTESTS_IMPLS, then the migration between the
# two (cross_impl_test), then one tiny round of make soak against each
# (run_soak), then a kmemleak scan. Output is framed for
# summarize.py.

# The implementations KVM's own vGICv3 selftests (run_kvm_selftests) run
# against: both, with the same arguments and the same expected results
# (the module delivers through KVM's own vgic core).
KVM_SELFTESTS_IMPLS="module in-kernel"
# Seconds one of them may take before it is killed (and fails); in-kernel,
# under nested TCG on a loaded machine, the longest took 49 s.
KVM_SELFTEST_TIMEOUT=180

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
		# The tiny soak round runs last (run_soak, below).
		[ "$(basename "$t")" = soak_test ] && continue
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

# KVM's own arm64 selftests that create a vGICv3, built by
# tools/testing/vm/build from the test host's kernel tree (6.12), in
# /work/kvm-selftests. One line each: the program, then its arguments, sized
# for KVM under TCG (the wall times are of the in-kernel vgic in the test
# host); "SKIP <why>" instead of arguments: not run, one skipped case.
# Their exit status is their result (summarize.py: 0 pass, 4 skip).
# - vgic_init: on this kernel it fails against the in-kernel vgic by
#   design: its first subtest makes the first KVM_RUN fail in
#   kvm_vgic_map_resources, which (since "KVM: arm64: Don't eagerly
#   teardown the vgic on init error", df5fd75ee305, in 6.12.y) marks the
#   VM dead, and the 6.12 library's kvm_vm_free then fails deleting a
#   memslot with EIO (lib/kvm_util.c:724). The library stopped deleting
#   memslots in 6.14 (5afe18dfa47d), which 6.12.y does not have.
# - vgic_irq: every combination of level/edge and EOImode (default
#   arguments), ~14-40 s.
# - vgic_lpi_stress: 2 vCPUs, 2 devices of 16 events, 100 rounds of
#   KVM_SIGNAL_MSI (the default, 1000 rounds, is 10x longer), ~2-6 s.
# - arch_timer: 4 vCPUs, 2 rounds per timer and register, 1 ms periods.
#   Each round waits period + error margin (-e) and then wants its
#   interrupt. The default margin, 100 us, is far too short for TCG; 100
#   ms failed once in 6 runs, on a loaded machine (vCPU 2's first
#   virtual timer interrupt missing). Most likely: under TCG the guest's
#   counter is the host's clock, but its timer interrupt is raised by a
#   QEMU timer callback, which a loaded host can run late. So 1 s, which
#   passed 5 runs of 5; ~9-10 s.
# - arch_timer_edge_cases: one iteration, of the physical timer only (-p).
#   The default 10 ms wait (-w) is shorter than one migrating exit to
#   userspace under TCG, which breaks its "cval = now + TVAL_MAX + wait"
#   check (arch_timer_edge_cases.c:550), so 300 ms (100 ms failed on the
#   in-kernel vgic with four test hosts sharing 2 cores). The virtual timer's
#   part fails in about 1 run in 3, whatever the wait, in
#   test_reprogramming_timer (line 480: an interrupt came before the
#   reprogrammed deadline, and the handler found the timer not fired; it
#   counts any timer interrupt). Most likely a stale one: the subtest
#   before fires the timer with interrupts masked, moves the counter back
#   and checks for "no interrupt" right after unmasking; taken late under
#   TCG, it lands in the next subtest. The virtual timer's interrupt is
#   the one mapped to the (emulated) hardware; the physical timer's part,
#   KVM's own emulation, passed every time. ~8-10 s.
# - vpmu_counter_access: no arguments (TCG's -cpu max has a PMUv3 that
#   KVM exposes), ~20-50 s.
# - dirty_log_perf_test: creates a vGICv3 to avoid exits; one guest mode
#   (6, the default 40-bit IPA 4K pages, instead of all 13), 2 vCPUs, 4 MiB
#   each, ~6-12 s.
run_kvm_selftests() {
	while read -r name args; do
		echo "=== TAP $1 kvm-$name"
		case "$args" in
		SKIP*)
			echo "1..0 # SKIP ${args#SKIP }"
			echo "=== RC 4"
			continue
			;;
		esac
		start=$(date +%s)
		# shellcheck disable=SC2086 # the arguments are words
		timeout $KVM_SELFTEST_TIMEOUT /work/kvm-selftests/"$name" $args </dev/null
		rc=$?
		[ $rc = 143 ] && echo "# killed after ${KVM_SELFTEST_TIMEOUT}s"
		echo "# kvm-$name $args: exit $rc in $(( $(date +%s) - start ))s"
		echo "=== RC $rc"
	done <<EOF
vgic_init SKIP fails in 6.12.y against the in-kernel vgic too (dead VM, kvm_vm_free EIO)
vgic_irq
vgic_lpi_stress -v 2 -d 2 -e 16 -i 100
arch_timer -n 4 -i 2 -p 1 -e 1000000
arch_timer_edge_cases -i 1 -w 300 -p
vpmu_counter_access
dirty_log_perf_test -m 6 -b 4M -v 2 -i 2
EOF
}

# Whether KVM's own vGICv3 selftests run against implementation $1.
kvm_selftests_for() {
	case " $KVM_SELFTESTS_IMPLS " in *" $1 "*) return 0 ;; esac
	return 1
}

run_selftests module
kvm_selftests_for module && run_kvm_selftests module
if ! rmmod kvm_vgic3; then
	echo "=== FATAL rmmod kvm_vgic3 failed"
	exit 1
fi
run_selftests in-kernel
kvm_selftests_for in-kernel && run_kvm_selftests in-kernel

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

# One tiny round of make soak (soak_test with its small defaults, every
# part: command fuzz, restore fuzz, live concurrency, VM lifecycle, module
# cycles), against each implementation, after everything else. Nothing in
# this boot reads KVM's own vgic-state debugfs file: with guests freeing
# LPIs (the live part), that read makes lockdep report an irq lock
# inversion in KVM 6.12's vgic-debug.c (Documentation/soak.rst).
run_soak() {
	[ -x /work/selftests/soak_test ] || return 0
	if [ "$1" = module ] && ! insmod $ko; then
		echo "=== FATAL insmod kvm_vgic3.ko failed (soak)"
		return 1
	fi
	echo "=== TAP $1 soak_test"
	/work/selftests/soak_test
	echo "=== RC $?"
	if [ "$1" = module ] && ! rmmod kvm_vgic3; then
		echo "=== FATAL rmmod kvm_vgic3 failed (soak)"
	fi
}
run_soak module
run_soak in-kernel

# kmemleak reports objects unreferenced for over 5 seconds, found by a scan.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo "=== KMEMLEAK"
	cat /sys/kernel/debug/kmemleak
	echo "=== END"
fi
exit 0
