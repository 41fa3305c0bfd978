#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test host (see soak): each part of soak_test once with
# kvm_vgic3.ko loaded, sized by the SOAK_* variables in the environment,
# each under a timeout (its time budget plus SOAK_PART_TIMEOUT seconds: a
# hang), framed for
# soak-report.py with what the kernel said during it: slab and vmalloc
# before and after, the lines of the kernel log, the objects a kmemleak
# scan found. Then the seeds that are compared run again with the
# in-kernel vgic.

ko=/work/kvm_vgic3.ko
export KVM_VGIC3_KO=$ko
soak=/work/selftests/soak_test

if ! insmod $ko; then
	echo "=== FATAL insmod kvm_vgic3.ko failed"
	exit 1
fi

# Slab and vmalloc after shrinking every slab cache, which also empties
# KASAN's quarantine (freed objects wait there, still counted as slab).
meminfo() {
	for c in /sys/kernel/slab/*/shrink; do
		echo 1 >"$c"
	done 2>/dev/null
	awk '/^Slab:/ { s = $2 } /^VmallocUsed:/ { v = $2 }
	     END { printf "slab=%d vmalloc=%d\n", s * 1024, v * 1024 }' /proc/meminfo
}

kmemleak() {
	[ -w /sys/kernel/debug/kmemleak ] || { echo "=== KMEMLEAK n/a"; return; }
	# reported: objects unreferenced for over 5 s, found by a scan
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo "=== KMEMLEAK $(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)"
	cat /sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
}

# The time budget (SOAK_SECS_<PART>) of part $1, 0 if none.
secs_of() {
	case $1 in
	its_fuzz) echo "${SOAK_SECS_ITS_FUZZ:-0}" ;;
	restore) echo "${SOAK_SECS_RESTORE:-0}" ;;
	live) echo "${SOAK_SECS_LIVE:-0}" ;;
	lifecycle) echo "${SOAK_SECS_LIFECYCLE:-0}" ;;
	module) echo "${SOAK_SECS_MODULE:-0}" ;;
	*) echo 0 ;;
	esac
}

# The count of part $1 that parallel jobs share out ("VAR value"), if any.
count_of() {
	case $1 in
	its_fuzz) echo "SOAK_ITS_CMDS ${SOAK_ITS_CMDS:-2000}" ;;
	restore) echo "SOAK_RESTORES ${SOAK_RESTORES:-150}" ;;
	lifecycle) echo "SOAK_VM_CYCLES ${SOAK_VM_CYCLES:-8}" ;;
	*) echo "SOAK_NO_COUNT 0" ;;
	esac
}

# part <impl> <test name> <part name>
# The parts with a count run as SOAK_JOBS processes at once, each with its
# share of the count and seeds of its own (only job 0 runs the compared
# seeds): under TCG the test host's vCPUs wait on RCU grace periods and on
# each other, so jobs overlap. Each prints its own SOAK line; the report
# adds them up.
part() {
	echo "=== PART $1 $3"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo "=== MEM before $(meminfo)"
	dmesg -c >/dev/null
	start=$(date +%s)
	# shellcheck disable=SC2046 # two words: the variable and its value
	set -- "$@" $(count_of "$3")
	jobs=1
	[ "$4" = SOAK_NO_COUNT ] || jobs=${SOAK_JOBS:-1}
	# the harness kills a part that takes longer (a hang)
	timeout=$(( ${SOAK_PART_TIMEOUT:-600} + $(secs_of "$3") ))
	pids=""
	j=0
	while [ "$j" -lt "$jobs" ]; do
		cmp=${SOAK_COMPARE_SEEDS:-1}
		[ "$j" = 0 ] || cmp=0
		env "$4=$(( ($5 + jobs - 1) / jobs ))" \
			SOAK_SEED=$(( ${SOAK_SEED:-0x50a4} + j * 7919 )) \
			SOAK_COMPARE_SEEDS="$cmp" SOAK_JOBS="$jobs" \
			SOAK_TIMEOUT="$timeout" "$soak" -t "$2" \
			>"/tmp/soak-part.$j.out" 2>&1 &
		pids="$pids $!"
		j=$((j + 1))
	done
	rc=0
	for p in $pids; do
		wait "$p" || rc=$?
	done
	j=0
	while [ "$j" -lt "$jobs" ]; do
		cat "/tmp/soak-part.$j.out"
		grep -q "terminated by timeout" "/tmp/soak-part.$j.out" && echo "=== HANG $3"
		j=$((j + 1))
	done
	echo "=== RC $rc $(( $(date +%s) - start ))"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo "=== MEM after $(meminfo)"
	echo "=== DMESG"
	dmesg -c
	echo "=== END"
	kmemleak
	echo "=== END"
}

echo clear >/sys/kernel/debug/kmemleak 2>/dev/null
part module soak_its_fuzz its_fuzz
part module soak_restore restore
part module soak_live live
part module soak_lifecycle lifecycle
part module soak_module module
if ! rmmod kvm_vgic3; then
	echo "=== FATAL rmmod kvm_vgic3 failed"
	exit 1
fi
# The compared seeds, on the in-kernel ITS: their digests only.
SOAK_ITS_CMDS=$(( ${SOAK_COMPARE_SEEDS:-1} * ${SOAK_CMDS_PER_SEED:-1000} ))
export SOAK_ITS_CMDS
unset SOAK_SECS_ITS_FUZZ
part in-kernel soak_its_fuzz compare
exit 0
