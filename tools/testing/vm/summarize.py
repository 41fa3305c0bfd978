#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Counts the results of a check run (output of check-guest.sh plus the
test host's kernel log) and prints one closing line: N passed, N failed,
N skipped. Exit status 1 on any failure, kernel splat, leak, or no test."""
import re
import sys

SPLAT = re.compile(r"(BUG:|WARNING:|KASAN|kmemleak: .* new suspected|"
                   r"possible recursive locking|circular locking|"
                   r"Oops|Kernel panic|UBSAN|list_(add|del) corruption|"
                   r"sleeping function called from invalid context|"
                   r"INFO: task .* blocked)")
CASE = re.compile(r"^(not )?ok \d+ (.*?)(\s+#\s*(SKIP|skip).*)?$")


def main(output_path, dmesg_path):
    passed, failed, skipped = 0, 0, 0
    failures = []
    block, name, counted = None, None, 0
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
        label = f"{name}: {m.group(2)}"
        if m.group(3):
            skipped += 1
        elif m.group(1):
            failed += 1
            failures.append(label)
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
