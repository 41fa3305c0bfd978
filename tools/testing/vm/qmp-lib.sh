# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # impl, W, q... are the sourcing script's
# What qemu-vmm-test.sh and linux-guest-test.sh share, sourced by both in
# the test host (busybox sh): their TAP lines, QEMU driven over QMP on a
# FIFO, and the module's loading. Every script that adds one of them to
# the test host (check-vmm, check-linux, demo, make shell LINUX=1) adds
# this file beside it. Every wait is bounded by the clock.
#
# The sourcing script sets:
#   QEMU       the command that runs qemu-system-aarch64 (maybe in a chroot)
#   QEMU_ARGS  the options of every QEMU it starts (word-split)
#   W          the directory of the FIFOs, logs and migration files
#   TMO        seconds each QMP command and each migration may take
#   impl       the pass, named in each TAP line
#   KO         kvm_vgic3.ko, for insmod
#   LOG        (optional) the guest's console log, shown by diag
#   catpid     (optional) a reader of the guest's console, ended with QEMU

n=0 failed=0

# --- TAP ---------------------------------------------------------------------

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

# mark: remembers the end of the kernel log; diag shows what the step
# added to it, QEMU's stderr and the end of the guest's console (if any).
mark() { dm=$(dmesg | wc -l); }
diag() {
	dmesg | tail -n +$((dm + 1)) | sed 's/^/# dmesg: /'
	if [ -s "$W/$q.err" ]; then
		sed 's/^/# qemu stderr: /' "$W/$q.err"
	fi
	if [ -n "${LOG:-}" ]; then
		tail -n 25 "$LOG" | tr -d '\r' | sed 's/^/# guest: /'
	fi
}

# --- QEMU over QMP -------------------------------------------------------------

# qemu_start NAME ARGS...: $QEMU $QEMU_ARGS ARGS... in the background, QMP
# commands written to the FIFO $W/NAME.in (fd 3), answers in $W/NAME.out,
# stderr in $W/NAME.err; false (A says why) if it does not answer.
qemu_start() {
	q=$1
	shift
	rm -f "$W/$q.in" "$W/$q.out" "$W/$q.err"
	mkfifo "$W/$q.in"
	: >"$W/$q.out"
	# shellcheck disable=SC2086 # QEMU and QEMU_ARGS are word lists
	$QEMU $QEMU_ARGS "$@" <"$W/$q.in" >"$W/$q.out" 2>"$W/$q.err" &
	qpid=$!
	exec 3>"$W/$q.in"
	seq=0
	qmp '{"execute":"qmp_capabilities"}'
}

alive() { kill -0 "$qpid" 2>/dev/null; }

# qmp JSON: sends one command; its answer (the line with its id) goes in A.
qmp() {
	seq=$((seq + 1))
	qid="c$seq"
	echo "${1%\}},\"id\":\"$qid\"}" >&3 2>/dev/null
	qend=$(($(date +%s) + TMO))
	while [ "$(date +%s)" -lt "$qend" ]; do
		A=$(grep "\"id\": \"$qid\"" "$W/$q.out")
		[ -n "$A" ] && return 0
		alive || { A="QEMU exited"; return 1; }
		sleep 1
	done
	A="no answer in ${TMO}s"
	return 1
}

# qmp_ok JSON: the command, answered with "return".
qmp_ok() {
	qmp "$1" || return 1
	case "$A" in *'"return"'*) return 0 ;; esac
	return 1
}

# status: the "status" member of the answer in A.
status() { s=${A#*\"status\": \"}; echo "${s%%\"*}"; }

# qemu_stop: quit, and kill what does not. A QEMU that SIGKILL does not
# end in 30 s is stuck in the kernel: it is reported with its threads'
# kernel stacks (in STUCK too) and not waited for.
qemu_stop() {
	alive && qmp '{"execute":"quit"}'
	exec 3>&- 4>&-
	t=0
	while alive && [ $t -lt 30 ]; do sleep 1; t=$((t + 1)); done
	alive && kill -9 "$qpid" 2>/dev/null
	t=0
	while alive && [ $t -lt 30 ]; do sleep 1; t=$((t + 1)); done
	if alive; then
		STUCK="QEMU $qpid did not die of SIGKILL in 30 s: $(stuck_in "$qpid")"
		echo "# $impl: $STUCK"
	else
		wait "$qpid" 2>/dev/null
	fi
	# The console reader ends with QEMU; one stuck in open() does not.
	if [ -n "${catpid:-}" ]; then
		kill "$catpid" 2>/dev/null
		wait "$catpid" 2>/dev/null
		catpid=
	fi
}

# stuck_in PID: the state and kernel stacks of PID's threads, on one line.
stuck_in() {
	for t in /proc/"$1"/task/*; do
		echo "[${t##*/} $(sed -n 's/^State:\t//p' "$t/status" 2>/dev/null)] $(tr '\n' ' ' <"$t/stack" 2>/dev/null)"
	done | tr '\n' ' '
}

# migwait: polls query-migrate until the migration completes or fails.
migwait() {
	mend=$(($(date +%s) + TMO))
	while [ "$(date +%s)" -lt "$mend" ]; do
		qmp '{"execute":"query-migrate"}' || return 1
		case "$A" in
		*'"status": "completed"'*) return 0 ;;
		*'"status": "failed"'* | *'"status": "cancelled"'*) return 1 ;;
		esac
		sleep 1
	done
	A="migration not completed in ${TMO}s: $A"
	return 1
}

# --- the test host -------------------------------------------------------------

# vgic_states: how many VMs the module serves (one vgic-state each in its
# debugfs).
vgic_states() {
	set -- /sys/kernel/debug/kvm-vgic3/*/vgic-state
	if [ -e "$1" ]; then echo $#; else echo 0; fi
}

loaded() { grep -q '^kvm_vgic3 ' /proc/modules 2>/dev/null; }

# switch_to IMPL: rmmod, or insmod $KO (no VM exists), so that IMPL
# (in-kernel, module...) serves the next VM; NOW is IMPL, or A says why not.
switch_to() {
	case $1 in
	in-kernel) ! loaded || rmmod kvm_vgic3 || { A="rmmod kvm_vgic3 failed"; return 1; } ;;
	module*) loaded || insmod "$KO" || { A="insmod $KO failed"; return 1; } ;;
	esac
	# shellcheck disable=SC2034 # linux-guest-test.sh reads it
	NOW=$1
}

# pass_begin IMPL STEPS...: the pass of IMPL starts (switch_to); when it
# cannot, each of its STEPS is not ok.
pass_begin() {
	t0=$(date +%s)
	switch_to "$1" && return 0
	shift
	for s in "$@"; do notok "$s" "$A"; done
	return 1
}

# chroot_mount ROOT, chroot_umount ROOT: what QEMU needs in its chroot.
mounted() { grep -q " $1 " /proc/mounts; }
chroot_mount() {
	for d in proc sys dev; do
		mounted "$1/$d" || mount --bind "/$d" "$1/$d" || return 1
	done
	mounted "$1/tmp" || mount -t tmpfs tmpfs "$1/tmp"
}
chroot_umount() {
	for d in tmp dev sys proc; do umount "$1/$d" 2>/dev/null; done
}

# module_as_was WAS: the module loaded again (WAS yes) or not.
module_as_was() {
	if [ "$1" = yes ]; then
		loaded || insmod "$KO" || echo "# insmod kvm_vgic3 failed"
	else
		! loaded || rmmod kvm_vgic3 || echo "# rmmod kvm_vgic3 failed"
	fi
}
