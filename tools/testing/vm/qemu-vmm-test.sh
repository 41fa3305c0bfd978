#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test host: Debian's qemu-system-aarch64 (from qemu-rootfs,
# run in a chroot) creates a VM with a KVM vGICv3 and ITS, migrates it to a
# file, resets it, migrates it again, and each file is restored into a new
# QEMU. Done against the in-kernel vgic, then with kvm_vgic3.ko loaded.
# Prints TAP: one "ok N pass: step" / "not ok N pass: step" per step.
#
#   qemu-vmm-test.sh [ROOTFS [KO]]   (defaults: /work/qemu, /work/kvm_vgic3.ko)
#
# Passes (QEMU_VMM_PASSES, default all three, in this order):
#   in-kernel       the in-kernel vgic, the reference: every step must pass
#   module          kvm_vgic3.ko loaded, the same QEMU command line
#   module-pmu-off  kvm_vgic3.ko loaded, -cpu host,pmu=off (kept for
#                   comparison with the releases that could not take the
#                   PMU interrupt)
# QEMU_VMM_TIMEOUT (seconds, default 240) bounds each QMP command; starting
# QEMU alone takes about 40 s under TCG.

R=${1:-/work/qemu}
KO=${2:-/work/kvm_vgic3.ko}
TMO=${QEMU_VMM_TIMEOUT:-240}
PASSES=${QEMU_VMM_PASSES:-in-kernel module module-pmu-off}
STEPS="create migrate-1 system_reset migrate-2 incoming-1 incoming-2"
# Little guest RAM: migration scans all of it, slowly under TCG.
QEMU_BASE="-M virt,accel=kvm,gic-version=3,its=on -smp 2 -m 64
	-nodefaults -display none -S -qmp stdio"

n=0 failed=0
# A write to the QMP FIFO of a QEMU that died must fail, not kill the script.
trap '' PIPE
set -- $PASSES
echo "1..$(($# * 6))"

# took: seconds since the last result, in T.
took() { now=$(date +%s); T="$((now - t0)) s"; t0=$now; }
ok() { n=$((n + 1)); took; echo "ok $n $impl: $1, $T"; }
notok() {
	n=$((n + 1)) failed=$((failed + 1))
	took
	echo "not ok $n $impl: $1, $T"
	shift
	for l in "$@"; do echo "# $l"; done
}
skip() { n=$((n + 1)); echo "ok $n $impl: $1 # SKIP $2"; t0=$(date +%s); }

# Shows what the step added to the kernel log and QEMU's stderr.
diag() {
	dmesg | tail -n +$((dm + 1)) | sed 's/^/# dmesg: /'
	[ -s "$W/$1.err" ] && sed 's/^/# qemu stderr: /' "$W/$1.err"
}
mark() { dm=$(dmesg | wc -l); }

# qemu_start NAME ARGS...: QEMU in the chroot, QMP on a FIFO (fd 3 for NAME).
qemu_start() {
	q=$1
	shift
	rm -f "$W/$q.in" "$W/$q.out" "$W/$q.err"
	mkfifo "$W/$q.in"
	: >"$W/$q.out"
	# shellcheck disable=SC2086
	chroot "$R" /usr/bin/qemu-system-aarch64 $QEMU_ARGS "$@" \
		<"$W/$q.in" >"$W/$q.out" 2>"$W/$q.err" &
	qpid=$!
	exec 3>"$W/$q.in"
	seq=0
	qmp '{"execute":"qmp_capabilities"}'
}

# status: the "status" member of the answer in A.
status() { s=${A#*\"status\": \"}; echo "${s%%\"*}"; }

alive() { kill -0 "$qpid" 2>/dev/null; }

# qmp JSON: sends one command; its answer (the line with its id) goes in A.
qmp() {
	seq=$((seq + 1))
	id="c$seq"
	echo "${1%\}},\"id\":\"$id\"}" >&3 2>/dev/null
	t=0
	while [ $t -lt "$TMO" ]; do
		A=$(grep "\"id\": \"$id\"" "$W/$q.out")
		[ -n "$A" ] && return 0
		alive || { A="QEMU exited"; return 1; }
		sleep 1
		t=$((t + 1))
	done
	A="no answer in ${TMO}s"
	return 1
}

# qemu_stop: quit, and kill what does not.
qemu_stop() {
	alive && qmp '{"execute":"quit"}'
	exec 3>&-
	t=0
	while alive && [ $t -lt 30 ]; do sleep 1; t=$((t + 1)); done
	alive && kill -9 "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
}

# migwait: polls query-migrate until the migration completes or fails.
migwait() {
	t=0
	while [ $t -lt "$TMO" ]; do
		qmp '{"execute":"query-migrate"}' || return 1
		case "$A" in
		*'"status": "completed"'*) return 0 ;;
		*'"status": "failed"'* | *'"status": "cancelled"'*) return 1 ;;
		esac
		sleep 1
		t=$((t + 1))
	done
	A="migration not completed in ${TMO}s: $A"
	return 1
}

migrate() {
	mark
	rm -f "$W/$2"
	qmp "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > /tmp/vmm/$2\"}}"
	case "$A" in *'"return"'*) ;; *) notok "$1" "$A"; diag "$q"; return 1 ;; esac
	if migwait && [ -s "$W/$2" ]; then
		ok "$1 ($(wc -c <"$W/$2") bytes)"
	else
		notok "$1" "$A"
		diag "$q"
		return 1
	fi
}

incoming() {
	mark
	if [ ! -s "$W/$2" ]; then
		skip "$1" "no $2"
		return
	fi
	qemu_start "$1" -incoming "exec:cat /tmp/vmm/$2"
	# A completed load leaves the VM as the source was (-S: prelaunch);
	# "inmigrate" or an error state is a failed load.
	if migwait && qmp '{"execute":"query-status"}' &&
	   case "$(status)" in prelaunch|paused|running) true ;; *) false ;; esac; then
		ok "$1 ($(status))"
	else
		notok "$1" "$A"
		qemu_stop
		diag "$1"
		return
	fi
	qemu_stop
}

run_impl() {
	impl=$1
	shift
	QEMU_ARGS="$QEMU_BASE $*"
	W=$R/tmp/vmm
	rm -rf "$W"
	mkdir -p "$W"
	start=$(date +%s) t0=$start
	mark
	qemu_start src
	if [ "$A" != "QEMU exited" ] && qmp '{"execute":"query-status"}'; then
		# The module's debugfs has one vgic-state per VM it serves.
		v=$(ls /sys/kernel/debug/kvm-vgic3/*/vgic-state 2>/dev/null | wc -l)
		case "$impl:$v" in
		in-kernel:0 | module*:1)
			ok "create ($v VM in kvm-vgic3 debugfs)" ;;
		*)
			notok create "$v VMs in /sys/kernel/debug/kvm-vgic3" ;;
		esac
	else
		notok create "$A"
		qemu_stop
		diag src
		for s in migrate-1 system_reset migrate-2 incoming-1 incoming-2; do
			skip "$s" "no VM"
		done
		return
	fi
	if migrate migrate-1 1.mig; then
		mark
		qmp '{"execute":"system_reset"}'
		case "$A" in
		*'"return"'*)
			if qmp '{"execute":"query-status"}'; then
				ok "system_reset ($(status))"
			else
				notok system_reset "$A"
				diag src
			fi ;;
		*) notok system_reset "$A"; diag src ;;
		esac
		migrate migrate-2 2.mig
	else
		skip system_reset "migrate-1 failed"
		skip migrate-2 "migrate-1 failed"
	fi
	qemu_stop
	incoming incoming-1 1.mig
	incoming incoming-2 2.mig
	echo "# $impl: $(($(date +%s) - start)) s"
}

[ -x "$R/usr/bin/qemu-system-aarch64" ] || { echo "Bail out! no QEMU in $R"; exit 1; }
[ -c /dev/kvm ] || { echo "Bail out! no /dev/kvm"; exit 1; }
mounted() { grep -q " $1 " /proc/mounts; }
for d in proc sys dev; do
	mounted "$R/$d" || mount --bind "/$d" "$R/$d" || exit 1
done
mounted "$R/tmp" || mount -t tmpfs tmpfs "$R/tmp" || exit 1

loaded() { grep -q '^kvm_vgic3 ' /proc/modules; }
was_loaded=no
loaded && was_loaded=yes
for impl in $PASSES; do
	t0=$(date +%s)
	case $impl in
	in-kernel)
		if loaded && ! rmmod kvm_vgic3; then
			for s in $STEPS; do notok "$s" "rmmod kvm_vgic3 failed"; done
			continue
		fi
		run_impl in-kernel -cpu host ;;
	module*)
		if ! loaded && ! insmod "$KO"; then
			for s in $STEPS; do notok "$s" "insmod $KO failed"; done
			continue
		fi
		if [ $impl = module ]; then
			run_impl module -cpu host
		else
			run_impl "$impl" -cpu host,pmu=off
		fi ;;
	*) echo "Bail out! unknown pass $impl"; exit 1 ;;
	esac
done
if [ $was_loaded = yes ]; then
	loaded || insmod "$KO" || echo "# insmod kvm_vgic3 failed"
else
	! loaded || rmmod kvm_vgic3 || echo "# rmmod kvm_vgic3 failed"
fi

for d in tmp dev sys proc; do umount "$R/$d" 2>/dev/null; done
echo "# $((n - failed)) of $n steps passed"
[ $failed = 0 ]
