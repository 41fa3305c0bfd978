#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: dash is the nearest shell shellcheck knows
# /init of the small Linux guest (tools/testing/vm/build-guest) that Debian's
# QEMU runs inside the test host (linux-guest-test.sh). It prints what it
# sees on its serial console, one "LG ..." line at a time, for the host to
# assert:
#
#   LG boot id=ID cpus=0-1 ncpus=2 hwrng=virtio_rng.0 kernel=...
#   LG irq CHIP... NAME (once per boot: the interrupts it counts, and where)
#   LG its devices=GPA dt=flat|indirect collections=GPA (once per boot:
#       where the guest's ITS driver put its device and collection tables)
#   LG round=N id=ID up=SECONDS timer=C0,C1 ipi=C0,C1 msi=M err=E rng=BYTES
#
# ID is random per boot (a reset or reboot changes it, a migration does
# not). timer: the arch_timer interrupts of each CPU; ipi: the IPI lines of
# each CPU, summed; msi: the virtio device's interrupts through the ITS
# (its "...MSI..." lines in /proc/interrupts, all CPUs); err: the "Err:"
# count of /proc/interrupts (interrupts no handler took); rng: bytes read
# from /dev/hwrng so far. Each round reads /dev/hwrng, runs work on both
# CPUs, then waits up to lg.interval seconds (kernel command line, default
# 3) for a line on the console: "reboot" runs reboot -f, "irq" prints
# /proc/interrupts, any other line but an empty one is printed back as
#   LG cmd? 'LINE' (od -c: its bytes)
# (the host resends a command the console garbled). It never ends.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

interval=3
read -r cmdline </proc/cmdline
for a in $cmdline; do
	case "$a" in lg.interval=*) interval=${a#lg.interval=} ;; esac
done

id=$(cut -c1-8 /proc/sys/kernel/random/boot_id)
online=$(cat /sys/devices/system/cpu/online)
ncpus=$(grep -c '^processor' /proc/cpuinfo)
hwrng=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
echo "LG boot id=$id cpus=$online ncpus=$ncpus hwrng=${hwrng:-none} kernel=$(uname -r)"

# counts: one summary of /proc/interrupts.
counts() {
	awk -v n="$ncpus" '
	NR == 1 { next }
	/arch_timer/ { for (i = 0; i < n; i++) t[i] += $(i + 2) }
	$1 ~ /^IPI[0-9]+:$/ { for (i = 0; i < n; i++) p[i] += $(i + 2) }
	/MSI/ && /virtio/ { for (i = 0; i < n; i++) m += $(i + 2) }
	$1 == "Err:" { e = $2 }
	END {
		tl = t[0]; pl = p[0]
		for (i = 1; i < n; i++) { tl = tl "," t[i]; pl = pl "," p[i] }
		printf "timer=%s ipi=%s msi=%d err=%d", tl, pl, m, e
	}' /proc/interrupts
}

# The lines counted, without their counts: which chip and hwirq each is.
awk -v n="$ncpus" 'NR > 1 && (/arch_timer/ || (/MSI/ && /virtio/)) {
	s = "LG irq"
	for (i = n + 2; i <= NF; i++) s = s " " $i
	print s
}' /proc/interrupts

# The ITS driver's tables, from its boot messages (the host corrupts them
# in a saved migration stream: linux-guest-test.sh, restore-corrupt).
dt=$(dmesg | sed -n 's/.*allocated [0-9]* Devices @\([0-9a-f]*\) (\([a-z]*\),.*/\1 \2/p')
ct=$(dmesg | sed -n 's/.*allocated [0-9]* Interrupt Collections @\([0-9a-f]*\) .*/\1/p')
echo "LG its devices=${dt%% *} dt=${dt##* } collections=$ct"

rng=0 round=0
while :; do
	round=$((round + 1))
	# virtio-rng: every read is a request the device completes with an
	# MSI-X interrupt through the ITS.
	b=$(dd if=/dev/hwrng bs=64 count=8 2>/dev/null | wc -c)
	rng=$((rng + b))
	# Work on both CPUs: the wake-ups between them are IPIs.
	for _ in 1 2; do dd if=/dev/zero of=/dev/null bs=4k count=64 2>/dev/null & done
	wait
	up=$(cut -d' ' -f1 /proc/uptime)
	echo "LG round=$round id=$id up=$up $(counts) rng=$rng"
	cmd=
	# shellcheck disable=SC3045 # busybox's read has -t (dash's has not)
	read -r -t "$interval" cmd
	case "$cmd" in
	reboot)
		echo "LG reboot id=$id"
		reboot -f ;;
	irq)
		sed 's/^/LG | /' /proc/interrupts ;;
	'') ;;
	*)
		echo "LG cmd? '$cmd' ($(printf '%s' "$cmd" | od -An -c | tr -s ' \n' '  '))" ;;
	esac
done
