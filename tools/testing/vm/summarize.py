#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Counts the results of a check run (output of check-guest.sh plus the
test host's kernel log) and prints one closing line: N passed, N failed,
N skipped. Exit status 1 on any failure, kernel splat, leak, or no test.

A TAP block counts its "ok"/"not ok" lines; one that ends (=== RC) with a
non-zero status before any is a failure. KVM's own selftests ("=== TAP
<impl> kvm-<name>") mostly print no TAP: such a program is one case, by
its exit status (0 pass, 4 = KSFT_SKIP skip, anything else fail); one that
printed TAP lines, none "not ok", and exited with neither 0 nor 4 (a crash
or a failed assertion between cases) is one failure more."""
import re
import sys

SPLAT = re.compile(r"(BUG:|WARNING:|KASAN|kmemleak: .* new suspected|"
                   r"possible recursive locking|circular locking|"
                   r"Oops|Kernel panic|UBSAN|list_(add|del) corruption|"
                   r"sleeping function called from invalid context|"
                   r"INFO: task .* blocked)")
# "ok 3 name # SKIP why", and kselftest's "ok 3 # SKIP why" (no name).
CASE = re.compile(r"^(not )?ok \d+(?: (?!#)(.*?))?(\s+#\s*(SKIP|skip).*)?$")
KSFT_SKIP = 4


def is_kvm(name):
    """A block of KVM's own selftests: "<impl> kvm-<name>"."""
    words = name.split()
    return len(words) == 2 and words[1].startswith("kvm-")


def assertion(why, line):
    """Follows a failed assertion of KVM's selftest library,
        ==== Test Assertion Failure ====
          lib/aarch64/processor.c:443: false
          pid=64 tid=64 errno=4 - Interrupted system call
             1\t0x...: backtrace (when addr2line is there)
          Unexpected exception (vector:0x4, ec:0x0)
    line by line: why is None before any, then "<where> -- <what>"."""
    if "Test Assertion Failure" in line:
        return ""
    text = line.strip()
    if why is None or " -- " in why or not line.startswith("  "):
        return why
    if why == "":
        return text
    if text.startswith("pid=") or re.match(r"^\d+\s", text):
        return why
    return f"{why} -- {text}"


def main(output_path, dmesg_path):
    passed, failed, skipped = 0, 0, 0
    failures = []
    block, name, counted = None, None, 0
    # In a block of KVM's selftests: "not ok" lines seen, and where and why
    # its last assertion failed (what a failure is reported with).
    kvm_failed, kvm_why = 0, None
    problems = []
    # "TABLES <name> <hex>": saved ITS table bytes, per implementation.
    tables = {"module": {}, "in-kernel": {}}
    for line in open(output_path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("=== FATAL"):
            problems.append(line[4:])
            continue
        m = re.match(r"^=== (KTAP|TAP) (.*)$", line)
        if m:
            block, name, counted = m.group(1), m.group(2), 0
            kvm_failed, kvm_why = 0, None
            continue
        if line.startswith("=== RC ") and block == "TAP" and is_kvm(name):
            rc = int(line.split()[2])
            why = f" ({kvm_why})" if kvm_why else ""
            if counted == 0 and rc == 0:
                passed += 1
            elif counted == 0 and rc == KSFT_SKIP:
                skipped += 1
            elif counted == 0:
                failed += 1
                failures.append(f"{name}: exited {rc}{why}")
            elif rc not in (0, KSFT_SKIP) and kvm_failed == 0:
                failed += 1
                failures.append(f"{name}: exited {rc} after {counted} "
                                f"results{why}")
            block = None
            continue
        if line.startswith("=== RC ") and block == "TAP":
            rc = int(line.split()[2])
            if rc != 0 and counted == 0:
                failed += 1
                failures.append(f"{name}: exited {rc} before any result")
            block = None
            continue
        if line.startswith("=== KMEMLEAK"):
            block, name = "LEAK", None
            continue
        if line.startswith("=== END"):
            block = None
            continue
        if block == "LEAK" and line.startswith("unreferenced object"):
            problems.append("kmemleak: " + line)
            continue
        if block == "KTAP":
            # Test cases sit one level (four spaces) below the suite.
            if not line.startswith("    ") or line.startswith("     "):
                continue
            text = line[4:]
        elif block == "TAP":
            text = line
            if is_kvm(name):
                kvm_why = assertion(kvm_why, line)
            t = re.match(r"^TABLES (\S+) (\S*)$", line)
            if t and name.split()[0] in tables:
                tables[name.split()[0]][t.group(1)] = t.group(2)
                continue
        else:
            continue
        m = CASE.match(text)
        if not m:
            continue
        counted += 1
        label = f"{name}: {m.group(2) or text}"
        if m.group(3):
            skipped += 1
        elif m.group(1):
            failed += 1
            failures.append(label)
            kvm_failed += 1
        else:
            passed += 1

    # The tables both implementations save after the same commands must be
    # byte-identical: one result per table.
    mod, ref = tables["module"], tables["in-kernel"]
    for tname in sorted(set(mod) | set(ref)):
        label = f"saved tables identical: {tname}"
        if mod.get(tname) is not None and mod.get(tname) == ref.get(tname):
            passed += 1
        else:
            failed += 1
            failures.append(label)

    try:
        for line in open(dmesg_path, errors="replace"):
            if SPLAT.search(line):
                problems.append("kernel: " + line.rstrip())
    except OSError:
        problems.append(f"no kernel log at {dmesg_path}")

    for f in failures:
        print(f"FAILED {f}")
    for p in problems[:60]:
        print(f"PROBLEM {p}")
    if passed + failed == 0:
        print("PROBLEM no test ran")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or problems or passed + failed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
