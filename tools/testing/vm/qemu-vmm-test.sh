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

QEMU="chroot $R /usr/bin/qemu-system-aarch64"
# shellcheck source-path=SCRIPTDIR source=qmp-lib.sh
. "$(dirname "$0")/qmp-lib.sh"

# A write to the QMP FIFO of a QEMU that died must fail, not kill the script.
trap '' PIPE
# shellcheck disable=SC2086 # one pass a word
set -- $PASSES
echo "1..$(($# * 6))"

migrate() {
	mark
	rm -f "$W/$2"
	if ! qmp_ok "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > /tmp/vmm/$2\"}}"; then
		notok "$1" "$A"
		diag
		return 1
	fi
	if migwait && [ -s "$W/$2" ]; then
		ok "$1 ($(wc -c <"$W/$2") bytes)"
	else
		notok "$1" "$A"
		diag
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
		diag
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
		v=$(vgic_states)
		case "$impl:$v" in
		in-kernel:0 | module*:1)
			ok "create ($v VM in kvm-vgic3 debugfs)" ;;
		*)
			notok create "$v VMs in /sys/kernel/debug/kvm-vgic3" ;;
		esac
	else
		notok create "$A"
		qemu_stop
		diag
		for s in migrate-1 system_reset migrate-2 incoming-1 incoming-2; do
			skip "$s" "no VM"
		done
		return
	fi
	if migrate migrate-1 1.mig; then
		mark
		if qmp_ok '{"execute":"system_reset"}' &&
		   qmp '{"execute":"query-status"}'; then
			ok "system_reset ($(status))"
		else
			notok system_reset "$A"
			diag
		fi
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
chroot_mount "$R" || exit 1

was_loaded=no
loaded && was_loaded=yes
for impl in $PASSES; do
	case $impl in
	in-kernel|module|module-pmu-off) ;;
	*) echo "Bail out! unknown pass $impl"; exit 1 ;;
	esac
	# shellcheck disable=SC2086 # one step a word
	pass_begin "$impl" $STEPS || continue
	if [ "$impl" = module-pmu-off ]; then
		run_impl "$impl" -cpu host,pmu=off
	else
		run_impl "$impl" -cpu host
	fi
done
module_as_was "$was_loaded"
chroot_umount "$R"
echo "# $((n - failed)) of $n steps passed"
[ $failed = 0 ]
