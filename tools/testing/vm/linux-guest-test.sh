#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test host: Debian's qemu-system-aarch64 (from qemu-rootfs,
# run in a chroot) boots a small Linux guest (build-guest: the guest kernel
# and a busybox initramfs whose /init is linux-guest-init.sh) on a KVM
# vGICv3 with an ITS, -smp 2, -cpu host (PMU on), and a virtio-rng-pci
# device whose MSI-X interrupts go through the ITS. QEMU starts paused
# (-S) and is saved and restored into a new QEMU before the guest has run
# at all (migrate-early). The guest prints its interrupt counters on its
# serial console; this script asserts them, then runs the sequences a VMM
# runs (guest reboot, system_reset, stop/cont, save to a file and restore
# into a new QEMU: paused, live, right after a reset, and to the other
# implementation and back; and a saved stream whose ITS tables were
# corrupted, which must fail to restore), each followed by proof that the
# guest runs and its interrupts arrive again. Done against the in-kernel
# vgic, then with kvm_vgic3.ko loaded. Prints TAP, one line per step.
#
#   linux-guest-test.sh [ROOTFS [KO [GUEST [MIGPOKE]]]]
#       defaults: /work/qemu, /work/kvm_vgic3.ko, /work/linux-guest,
#       /work/migpoke (tools/testing/selftests/kvm-vgic3/migpoke.c)
#       ROOTFS "" runs the qemu-system-aarch64 of the PATH, without chroot
#
# LINUX_GUEST_PASSES   default "in-kernel module"
# LINUX_GUEST_STEPS    the sequences after the boot checks, default
#                      "guest-reboot system_reset stop-cont migrate
#                      migrate-live migrate-reset migrate-cross
#                      restore-corrupt"
#                      (set and empty: the boot checks only)
# LINUX_GUEST_BOOT_TIMEOUT   seconds from a QEMU start or reset to the
#                      guest's first line (default 400)
# LINUX_GUEST_ROUND_TIMEOUT  seconds to wait for the guest's next rounds
#                      (default 180)
# LINUX_GUEST_QMP_TIMEOUT    each QMP command (default 240)
# LINUX_GUEST_KEEP     a directory: each pass's guest console log is kept
#                      there as <pass>.log
# LINUX_GUEST_ACCEL    kvm (default); tcg (-cpu max) with ROOTFS "" is a
#                      dry run of this script's own logic on any machine:
#   LINUX_GUEST_ACCEL=tcg LINUX_GUEST_PASSES=in-kernel \
#       sh tools/testing/vm/linux-guest-test.sh "" - build/linux-guest
#
# Every wait is bounded: a guest that hangs (a lost MSI blocks its read of
# /dev/hwrng for good) fails the step that waits for it.

R=${1-/work/qemu}
KO=${2:-/work/kvm_vgic3.ko}
GUEST=${3:-/work/linux-guest}
MIGPOKE=${4:-/work/migpoke}
PASSES=${LINUX_GUEST_PASSES:-in-kernel module}
SEQS=${LINUX_GUEST_STEPS-guest-reboot system_reset stop-cont migrate migrate-live migrate-reset migrate-cross restore-corrupt}
TMO=${LINUX_GUEST_QMP_TIMEOUT:-240}
BOOT_TMO=${LINUX_GUEST_BOOT_TIMEOUT:-400}
ROUND_TMO=${LINUX_GUEST_ROUND_TIMEOUT:-180}
KEEP=${LINUX_GUEST_KEEP:-}
ACCEL=${LINUX_GUEST_ACCEL:-kvm}
CPU=host
[ "$ACCEL" = kvm ] || CPU=max
QEMU="chroot $R /usr/bin/qemu-system-aarch64"
[ -n "$R" ] || QEMU=qemu-system-aarch64
BOOT_STEPS="start migrate-early boot cpus timer ipi msi"
# Little guest RAM: a migration scans all of it, slowly under TCG. The
# guest's console is a pipe chardev per QEMU (its .in and .out FIFOs).
QEMU_BASE="-M virt,accel=$ACCEL,gic-version=3,its=on -cpu $CPU -smp 2 -m 64
	-nodefaults -display none -qmp stdio
	-kernel /tmp/lg/Image -initrd /tmp/lg/initramfs.gz
	-device virtio-rng-pci"
# Nested TCG is slow enough for RCU to see stalls that are none. Each
# console character is an exit to QEMU: the boot prints only warnings and
# worse (a printk-heavy boot took 30 s more under nested TCG).
APPEND="console=ttyAMA0 loglevel=5 panic=0 lg.interval=1 rcupdate.rcu_cpu_stall_suppress=1"

QEMU_ARGS=$QEMU_BASE
# shellcheck source-path=SCRIPTDIR source=qmp-lib.sh
. "$(dirname "$0")/qmp-lib.sh"

# A write to a FIFO of a QEMU that died must fail, not kill the script.
trap '' PIPE
# shellcheck disable=SC2086 # word lists
set -- $BOOT_STEPS $SEQS
nsteps=$#
# shellcheck disable=SC2086 # one pass a word
set -- $PASSES
echo "1..$(($# * nsteps))"

# guest_start NAME ARGS...: qemu_start NAME ARGS... with the guest's
# console on the FIFOs NAME.ser.{in,out}: what the guest prints is
# appended to $LOG, fd 4 writes to the guest.
guest_start() {
	g=$1
	shift
	rm -f "$W/$g.ser.in" "$W/$g.ser.out"
	mkfifo "$W/$g.ser.in" "$W/$g.ser.out"
	# QEMU opens both console FIFOs read-write: neither open blocks, and
	# the reader sees the end of file only when QEMU exits.
	cat "$W/$g.ser.out" >>"$LOG" &
	catpid=$!
	qemu_start "$g" -append "$APPEND" \
		-chardev "pipe,id=ser,path=/tmp/lg/$g.ser" -serial chardev:ser \
		"$@" || return 1
	# Read-write: opening a FIFO so never blocks, even when QEMU (which
	# opened its chardevs before it answered QMP) has already exited, as
	# one restoring a corrupted stream does, quickly on the fast kernel. A
	# write-only open waited for a reader that never came: the test hung.
	exec 4<>"$W/$g.ser.in"
}

# --- the guest's console ---------------------------------------------------

# lines: complete lines in the guest's log so far.
lines() { wc -l <"$LOG"; }

# after FROM: the complete lines after line FROM, without the \r's.
after() {
	total=$(lines)
	tail -n +$(($1 + 1)) "$LOG" 2>/dev/null | head -n $((total - $1)) | tr -d '\r'
}

# fld NAME LINE: the value of NAME= in an LG line.
fld() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# guest_dead FROM: the guest panicked or oopsed after line FROM (in A).
guest_dead() {
	A=$(after "$1" | grep -m1 -E 'Kernel panic|Internal error|Unable to handle|BUG:|WARNING:')
	[ -n "$A" ] && A="guest: $A"
	[ -n "$A" ]
}

# Waits are bounded in wall-clock seconds (a loop's turn takes seconds of
# its own on a loaded test host). deadline SECONDS starts one; expired
# says whether it passed, and every minute prints a TAP comment with the
# guest's last line for WHAT (a slow guest is told from a stuck one).
deadline() { wstart=$(date +%s) wend=$(($(date +%s) + $1)) wnext=$(($(date +%s) + 60)); }
expired() {
	now=$(date +%s)
	if [ "$now" -ge "$wnext" ]; then
		wnext=$((now + 60))
		echo "# $impl: waiting $((now - wstart))s for $1; guest: $(after 0 | tail -n 1 | cut -c1-160)"
	fi
	[ "$now" -ge "$wend" ]
}

# wait_boot FROM OLDID: waits for an "LG boot" line after line FROM whose
# id is not OLDID; sets BOOT (the line), BOOTID, BOOTAT (its line number)
# and BOOTS (seconds since START).
wait_boot() {
	deadline "$BOOT_TMO"
	until expired "a boot"; do
		guest_dead "$1" && return 1
		# shellcheck disable=SC2046
		set -- "$1" "$2" $(after "$1" | grep -n 'LG boot id=' | grep -v "id=$2 " |
			head -n 1 | sed 's/^\([0-9]*\):.*\(LG boot .*\)/\1 \2/')
		if [ $# -gt 2 ]; then
			BOOTAT=$(($1 + $3))
			shift 3
			BOOT="$*"
			BOOTID=$(fld id "$BOOT")
			BOOTS=$(($(date +%s) - START))
			return 0
		fi
		alive || { A="QEMU exited"; return 1; }
		sleep 2
	done
	A="no new boot in ${BOOT_TMO}s"
	return 1
}

# wait_rounds ID FROM K: waits for K "LG round" lines of boot ID after line
# FROM; FIRST and LAST are the first and the K-th.
wait_rounds() {
	deadline "$ROUND_TMO"
	until expired "$3 rounds of boot $1"; do
		guest_dead "$2" && return 1
		got=$(after "$2" | grep -o "LG round=[0-9]* id=$1 .*rng=[0-9]*" | head -n "$3")
		if [ "$(echo "$got" | grep -c .)" -ge "$3" ]; then
			FIRST=$(echo "$got" | head -n 1)
			LAST=$(echo "$got" | tail -n 1)
			return 0
		fi
		alive || { A="QEMU exited"; return 1; }
		sleep 2
	done
	A="fewer than $3 rounds of boot $1 in ${ROUND_TMO}s: $(after "$2" | grep -c 'LG round=')"
	return 1
}

# last_round: the last round line in the log, in LASTR.
last_round() { LASTR=$(after 0 | grep -o 'LG round=.*rng=[0-9]*' | tail -n 1); }

# nth LIST I: the I-th of a comma-separated list.
nth() { echo "$1" | cut -d, -f"$2"; }

# growth WHAT A B: what grew from round line A to round line B, in D
# ("+x,+y" per CPU, or "+x"); false when one of them did not.
growth() {
	a=$(fld "$1" "$2") b=$(fld "$1" "$3")
	case "$1" in
	timer|ipi)
		d0=$(($(nth "$b" 1) - $(nth "$a" 1))) d1=$(($(nth "$b" 2) - $(nth "$a" 2)))
		D="+$d0,+$d1"
		[ "$d0" -gt 0 ] && [ "$d1" -gt 0 ] ;;
	*)
		d0=$((b - a))
		D="+$d0"
		[ "$d0" -gt 0 ] ;;
	esac
}

# alive_again WHAT A B: the guest's timer (both CPUs), IPIs (both CPUs)
# and MSIs grew from round A to round B, and no interrupt went unhandled:
# sets G, or A with what did not.
alive_again() {
	G="" bad=""
	for w in timer ipi msi; do
		if growth $w "$2" "$3"; then G="$G $w $D"; else bad="$bad $w $D"; fi
	done
	e=$(fld err "$3")
	[ "$e" = 0 ] || bad="$bad err=$e"
	G="${G# }"
	[ -z "$bad" ] && return 0
	A="$1: did not grow or went wrong:$bad (from: $2) (to: $3)"
	return 1
}

# --- the steps ---------------------------------------------------------------

# The module's debugfs has one vgic-state per VM it serves; NOW is the
# implementation that serves the VM (the pass's, but for migrate-cross).
served() {
	v=$(vgic_states)
	case "$NOW:$v" in in-kernel:0 | module:1) return 0 ;; esac
	A="$v VMs in kvm-vgic3 debugfs, served by $NOW"
	return 1
}

# save NAME: the QEMU (running or paused) migrates into $W/NAME.mig, of
# SIZE bytes, and quits.
save() {
	rm -f "$W/$1.mig"
	if qmp_ok "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > /tmp/lg/$1.mig\"}}" &&
	   migwait && [ -s "$W/$1.mig" ]; then
		SIZE=$(wc -c <"$W/$1.mig")
		qemu_stop
		return 0
	fi
	A="save: $A"
	return 1
}

# restore NAME: a new QEMU loads $W/NAME.mig (SIZE bytes); its state
# after the load in ST; the guest prints after line FROM.
restore() {
	SIZE=$(wc -c <"$W/$1.mig")
	echo "HOST restoring $1.mig ($SIZE bytes) on $NOW" >>"$LOG"
	FROM=$(lines)
	if ! guest_start "$1" -incoming "exec:cat /tmp/lg/$1.mig" || ! migwait ||
	   ! qmp '{"execute":"query-status"}'; then
		A="restore: $A"
		return 1
	fi
	ST=$(status)
	served
}

# stopped: stop the guest and let its console settle; LASTR is its last
# round, ID its boot.
stopped() {
	qmp_ok '{"execute":"stop"}' || { A="stop: $A"; return 1; }
	sleep 2
	last_round
	ID=$(fld id "$LASTR")
}

# resumed HOW: cont if the restored QEMU is paused; then two more rounds of
# boot ID than LASTR, every counter grown.
resumed() {
	if [ "$ST" != running ] && ! qmp_ok '{"execute":"cont"}'; then
		A="cont ($ST): $A"
		return 1
	fi
	wait_rounds "$ID" "$FROM" 2 && alive_again "$1" "$LASTR" "$LAST" || return 1
	RND="round $(fld round "$LASTR") -> $(fld round "$LAST")"
}

# restore_and_resume NAME HOW: restore NAME, then resumed HOW.
restore_and_resume() { restore "$1" && resumed "$2"; }

# after_reset HOW OLDID FROM: a new boot after line FROM, 2 rounds of it,
# every counter growing between its first and second.
after_reset() {
	if wait_boot "$3" "$2" && wait_rounds "$BOOTID" "$BOOTAT" 2 &&
	   alive_again "$1" "$FIRST" "$LAST"; then
		ok "$1 (new boot $BOOTID, userspace $BOOTS s after; rounds 1-2: $G)"
	else
		notok "$1" "$A"
		diag
		return 1
	fi
}

# send_reboot OLDID FROM: writes "reboot" to the guest's console until
# the guest says "LG reboot" (or a new boot shows) after line FROM. The
# guest reads one console line a round; a write is two lines (a leading
# newline ends any partial line ahead of it), read by the two rounds
# after the one it arrived in. So when 4 rounds of boot OLDID end after a
# write without "LG reboot", the write was read and was not "reboot" (the
# guest printed what it read as "LG cmd?"), and it is made again, 3 times
# at most. Sets SENT (the writes).
send_reboot() {
	SENT=0 at=$2
	while [ "$SENT" -lt 4 ]; do
		printf '\nreboot\n' >&4
		SENT=$((SENT + 1))
		again=""
		deadline "$ROUND_TMO"
		until expired "LG reboot of boot $1"; do
			after "$2" | grep -q -e "LG reboot id=$1" -e 'LG boot id=' && return 0
			guest_dead "$2" && return 1
			alive || { A="QEMU exited"; return 1; }
			if [ "$(after "$at" | grep -c "LG round=[0-9]* id=$1 ")" -ge 4 ]; then
				again=1
				break
			fi
			sleep 1
		done
		[ -n "$again" ] || { A="no LG reboot nor 4 rounds in ${ROUND_TMO}s"; return 1; }
		echo "# $impl: guest-reboot: no LG reboot 4 rounds after write $SENT:" \
			"$(after "$at" | grep -v 'LG round=' | tail -n 3 | tr '\n' ' ')"
		at=$(lines)
	done
	A="no LG reboot after $SENT writes of \"reboot\""
	return 1
}

step_guest_reboot() {
	mark
	last_round
	from=$(lines) START=$(date +%s)
	if ! send_reboot "$(fld id "$LASTR")" "$from"; then
		notok guest-reboot "$A"
		diag
		return 1
	fi
	after_reset guest-reboot "$(fld id "$LASTR")" "$from" || return 1
	[ "$SENT" -gt 1 ] && echo "# $impl: guest-reboot: \"reboot\" written $SENT times"
	return 0
}

step_system_reset() {
	mark
	last_round
	from=$(lines) START=$(date +%s)
	if ! qmp_ok '{"execute":"system_reset"}'; then
		notok system_reset "$A"
		diag
		return 1
	fi
	after_reset system_reset "$(fld id "$LASTR")" "$from"
}

# stop, 10 s in which the guest must print nothing, cont, and its rounds
# go on where they were.
step_stop_cont() {
	mark
	if ! stopped || ! qmp '{"execute":"query-status"}' || [ "$(status)" != paused ]; then
		notok stop-cont "$A"
		diag
		return 1
	fi
	FROM=$(lines) ST=paused
	sleep 10
	if after "$FROM" | grep -q 'LG round='; then
		notok stop-cont "the guest ran while stopped" "$(after "$FROM" | grep 'LG round=')"
		diag
		return 1
	fi
	if resumed stop-cont; then
		ok "stop-cont ($RND of boot $ID: $G)"
	else
		notok stop-cont "$A"
		diag
	fi
}

# What virsh save/restore does: stop, migrate to a file, quit; a new QEMU
# with -incoming loads it, cont; the guest's rounds go on where they were.
step_migrate() {
	mark
	if stopped && save m && restore_and_resume m migrate; then
		ok "migrate ($SIZE bytes, restored $ST; $RND of boot $ID: $G)"
	else
		notok migrate "$A"
		diag
	fi
}

# The same, saved while the guest runs (its virtio-rng requests and their
# MSIs in flight): the new QEMU runs the guest as soon as it is loaded.
step_migrate_live() {
	mark
	if save live; then
		last_round
		ID=$(fld id "$LASTR")
		if restore_and_resume live migrate-live; then
			ok "migrate-live ($SIZE bytes, restored $ST; $RND of boot $ID: $G)"
			return
		fi
	fi
	notok migrate-live "$A"
	diag
}

# Saved right after a reset, before the guest runs again (so before it has
# programmed its ITS: the seeds' bug class), restored, cont: the guest
# boots anew on the restored state and its MSIs arrive.
step_migrate_reset() {
	mark
	if stopped && qmp_ok '{"execute":"system_reset"}' && save rst && restore rst; then
		if { [ "$ST" = running ] || qmp_ok '{"execute":"cont"}'; } &&
		   wait_boot "$FROM" "$ID" && wait_rounds "$BOOTID" "$BOOTAT" 2 &&
		   alive_again migrate-reset "$FIRST" "$LAST"; then
			ok "migrate-reset ($SIZE bytes, restored $ST; new boot $BOOTID, rounds 1-2: $G)"
			return
		fi
	fi
	notok migrate-reset "$A"
	diag
}

# Saved on this pass's implementation, restored on the other (rmmod or
# insmod in between), then saved there and restored here again.
step_migrate_cross() {
	mark
	other=module
	[ "$impl" = module ] && other=in-kernel
	if stopped && save x1 && switch_to "$other" &&
	   restore_and_resume x1 migrate-cross; then
		G1="$impl -> $other: $SIZE bytes, $RND: $G"
		if stopped && save x2 && switch_to "$impl" &&
		   restore_and_resume x2 migrate-cross; then
			ok "migrate-cross ($G1; back: $RND: $G)"
			return
		fi
	fi
	notok migrate-cross "$A (on $NOW)"
	diag
	qemu_stop
	switch_to "$impl" || echo "# $A"
}

# Saved before the guest ever ran (QEMU started with -S: the seeds' first
# bug class, a save before the guest programmed its ITS), restored into a
# new QEMU, cont: the guest boots there.
step_migrate_early() {
	mark
	ID=none
	if save early && restore early; then
		if [ "$ST" = running ] || qmp_ok '{"execute":"cont"}'; then
			ok "migrate-early ($SIZE bytes, before the guest ran; restored $ST)"
			return 0
		fi
		A="cont ($ST): $A"
	fi
	notok migrate-early "$A"
	diag
	return 1
}

# The guest's ITS tables in a saved stream, from its "LG its" line: DT
# (the device table), DTK (flat or indirect), CT (the collection table).
its_tables() {
	l=$(after 0 | grep 'LG its devices=' | tail -n 1)
	DT=0x$(fld devices "$l") DTK=$(fld dt "$l") CT=0x$(fld collections "$l")
	if [ "$DT" = 0x ] || [ "$CT" = 0x ]; then
		A="no LG its line"
		return 1
	fi
}

# poke FILE GPA [FIELD]: migpoke on guest RAM (the virt machine's starts
# at 1 GiB); the value read or replaced in P.
poke() {
	P=$("$MIGPOKE" "$1" 0x40000000 "$2" ${3:+"$3"}) && return 0
	A="migpoke $*: failed"
	return 1
}

# The virtio-rng-pci device is 00:01.0: its DeviceID is its RID, 8.
VIRTIO_DEVID=8

# corrupt KIND FILE: makes one entry of the guest's ITS tables in the
# stream FILE wrong in a way every implementation refuses (the ABI rev 0
# layouts of Documentation/virt/kvm/devices/arm-vgic-its.rst):
#   cte  collection 0's RDbase names vCPU 0xffff (of 2)
#   dte  the virtio device's ITT lies beyond guest RAM
#   ite  the virtio device's first ITE maps pINTID 0x100 (not an LPI)
# WHERE says what was changed.
corrupt() {
	if [ "$1" = cte ]; then
		poke "$2" "$CT" 51:16=0xffff || return 1
		WHERE="CTE at $CT: RDbase $P -> 0xffff"
		return 0
	fi
	dte=$((DT + VIRTIO_DEVID * 8))
	if [ "$DTK" = indirect ]; then
		# The L1 entry (64K L2 pages: 8192 DTEs each) names the L2 page.
		poke "$2" "$DT" 51:16 || return 1
		dte=$(((P << 16) + VIRTIO_DEVID * 8))
	fi
	dte=$(printf '0x%x' "$dte")
	if [ "$1" = dte ]; then
		poke "$2" "$dte" 48:5=0xfffffffff || return 1
		WHERE="DTE of DeviceID $VIRTIO_DEVID at $dte: ITT $(printf '0x%x' $((P << 8))) -> 0xfffffffff00"
		return 0
	fi
	poke "$2" "$dte" 48:5 || return 1
	itt=$(printf '0x%x' $((P << 8)))
	# The first valid ITE: the driver maps EventIDs from 0.
	poke "$2" "$itt" 47:16=0x100 || return 1
	WHERE="ITE of DeviceID $VIRTIO_DEVID EventID 0 at $itt: pINTID $P -> 0x100"
}

# What QEMU and the kernel said of a restore that failed, in FAILED.
failed_restore() {
	FAILED=$(grep -v '^$' "$W/$q.err" | tail -n 3 | tr '\n' ' ')
	FAILED="qemu: ${FAILED:-nothing}"
	k=$(dmesg | tail -n +$((dm + 1)) | grep -m1 'RESTORE_TABLES failed' | sed 's/^\[[^]]*\] //')
	[ -n "$k" ] && FAILED="$FAILED; kernel: $k"
}

# A stream saved from the running guest, with one ITS table entry made
# invalid (cte, dte, ite), must fail to restore: QEMU says so and stops
# (it treats a failed KVM_DEV_ARM_ITS_RESTORE_TABLES as fatal), nothing
# runs, the kernel stays clean. The module also names the entry. Then
# the intact stream restores, and the guest goes on.
step_restore_corrupt() {
	mark
	if ! stopped || ! its_tables || ! save good; then
		notok restore-corrupt "$A"
		diag
		return
	fi
	R1=""
	# No core files of the QEMUs that refuse the streams. busybox sh has
	# ulimit -c (POSIX sh does not say).
	# shellcheck disable=SC3045
	ulimit -c 0
	for c in cte dte ite; do
		mark
		cp "$W/good.mig" "$W/bad.mig"
		if ! corrupt $c "$W/bad.mig"; then
			notok restore-corrupt "$c: $A"
			return
		fi
		echo "HOST restoring bad.mig ($c corrupted) on $NOW" >>"$LOG"
		FROM=$(lines)
		if guest_start bad -incoming "exec:cat /tmp/lg/bad.mig" && migwait &&
		   qmp '{"execute":"query-status"}'; then
			st=$(status)
			qemu_stop
			notok restore-corrupt "$c ($WHERE): the stream restored, $st"
			diag
			return
		fi
		qemu_stop
		failed_restore
		if [ ! -s "$W/$q.err" ]; then
			notok restore-corrupt "$c ($WHERE): QEMU said nothing"
			diag
			return
		fi
		if [ "$NOW" = module ] && ! echo "$FAILED" | grep -q "RESTORE_TABLES failed"; then
			notok restore-corrupt "$c ($WHERE): the module named no entry" "$FAILED"
			diag
			return
		fi
		if after "$FROM" | grep -q 'LG round='; then
			notok restore-corrupt "$c: the guest ran" "$(after "$FROM" | grep 'LG round=')"
			return
		fi
		echo "# $impl: restore-corrupt $c: $WHERE; $FAILED"
		R1="$R1 $c"
	done
	mark
	if restore_and_resume good restore-corrupt; then
		ok "restore-corrupt (refused:$R1; then the intact stream: $RND: $G)"
	else
		notok restore-corrupt "intact stream: $A"
		diag
	fi
}

run_impl() {
	impl=$1
	W=$R/tmp/lg
	rm -rf "$W"
	mkdir -p "$W"
	cp "$GUEST/Image" "$GUEST/initramfs.gz" "$W/"
	LOG=$W/guest.log
	: >"$LOG"
	start=$(date +%s) t0=$start
	mark
	START=$(date +%s)
	if guest_start src -S && qmp '{"execute":"query-status"}' && served; then
		ok "start ($v VM in kvm-vgic3 debugfs, $(status))"
	else
		notok start "$A"
		diag
		qemu_stop
		for s in $BOOT_STEPS $SEQS; do [ "$s" = start ] || skip "$s" "no VM"; done
		return
	fi
	v=
	if ! step_migrate_early; then
		qemu_stop
		for s in $BOOT_STEPS $SEQS; do
			case $s in start|migrate-early) ;; *) skip "$s" "no VM" ;; esac
		done
		return
	fi
	START=$(date +%s)
	if wait_boot 0 none; then
		ok "boot (userspace in $BOOTS s: $BOOT)"
	else
		notok boot "$A"
		diag
		qemu_stop
		for s in $BOOT_STEPS $SEQS; do
			case $s in start|migrate-early|boot) ;; *) skip "$s" "no boot" ;; esac
		done
		return
	fi
	if [ "$(fld ncpus "$BOOT")" = 2 ] && [ "$(fld cpus "$BOOT")" = 0-1 ]; then
		ok "cpus ($(fld cpus "$BOOT") online)"
	else
		notok cpus "$BOOT"
	fi
	irqs=$(after 0 | grep -o 'LG irq .*' | sed 's/^LG irq //' | tr '\n' ';')
	if wait_rounds "$BOOTID" "$BOOTAT" 3; then
		for w in timer ipi; do
			if growth $w "$FIRST" "$LAST"; then
				ok "$w (rounds 1-3: $D)"
			else
				notok $w "$D" "$FIRST" "$LAST"
			fi
		done
		if growth msi "$FIRST" "$LAST" && [ "$(fld err "$LAST")" = 0 ]; then
			ok "msi (rounds 1-3: $D, err $(fld err "$LAST"); $irqs)"
		else
			notok msi "$D, err $(fld err "$LAST")" "$FIRST" "$LAST" "$irqs"
		fi
	else
		for s in timer ipi msi; do notok $s "$A"; done
		diag
	fi
	for s in $SEQS; do
		if ! alive; then
			skip "$s" "QEMU is gone"
			continue
		fi
		case $s in
		guest-reboot) step_guest_reboot ;;
		system_reset) step_system_reset ;;
		stop-cont) step_stop_cont ;;
		migrate) step_migrate ;;
		migrate-live) step_migrate_live ;;
		migrate-reset) step_migrate_reset ;;
		migrate-cross) step_migrate_cross ;;
		restore-corrupt) step_restore_corrupt ;;
		*) notok "$s" "unknown step" ;;
		esac
	done
	qemu_stop
	[ -n "$KEEP" ] && tr -d '\r' <"$LOG" >"$KEEP/$impl.log"
	echo "# $impl: $(($(date +%s) - start)) s, $(grep -c 'LG round=' "$LOG") rounds printed"
}

[ -z "$R" ] || [ -x "$R/usr/bin/qemu-system-aarch64" ] || { echo "Bail out! no QEMU in $R"; exit 1; }
if [ ! -f "$GUEST/Image" ] || [ ! -f "$GUEST/initramfs.gz" ]; then
	echo "Bail out! no guest in $GUEST"
	exit 1
fi
case " $SEQS " in *" restore-corrupt "*)
	[ -x "$MIGPOKE" ] || { echo "Bail out! no migpoke at $MIGPOKE"; exit 1; } ;;
esac
[ "$ACCEL" != kvm ] || [ -c /dev/kvm ] || { echo "Bail out! no /dev/kvm"; exit 1; }
[ -z "$R" ] || chroot_mount "$R" || exit 1

was_loaded=no
loaded && was_loaded=yes
for impl in $PASSES; do
	case $impl in
	in-kernel|module) ;;
	*) echo "Bail out! unknown pass $impl"; exit 1 ;;
	esac
	# shellcheck disable=SC2086 # word lists
	pass_begin "$impl" $BOOT_STEPS $SEQS || continue
	run_impl "$impl"
done
module_as_was "$was_loaded"
[ -z "$R" ] || chroot_umount "$R"
echo "# $((n - failed)) of $n steps passed"
[ $failed = 0 ]
