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

meminfo() {
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

# part <impl> <test name> <part name>
part() {
	echo "=== PART $1 $3"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo "=== MEM before $(meminfo)"
	dmesg -c >/dev/null
	start=$(date +%s)
	# the harness kills a part that takes longer (a hang)
	SOAK_TIMEOUT=$(( ${SOAK_PART_TIMEOUT:-600} + $(secs_of "$3") )) "$soak" -t "$2" >/tmp/soak-part.out 2>&1
	rc=$?
	cat /tmp/soak-part.out
	grep -q "terminated by timeout" /tmp/soak-part.out && echo "=== HANG $3"
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
