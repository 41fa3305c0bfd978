#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the output of soak-guest.sh into the soak's table (one row per
part: iterations, outcomes by class, kernel splats, kmemleak objects,
slab+vmalloc before and after) and fails (exit 1) on a splat, a leak, a
hang, a failed part or a compared seed whose digest differs between the
module and the in-kernel ITS."""
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from summarize import SPLAT  # noqa: E402


def add_soak_line(part, iters, outcomes):
    """Adds one job's SOAK line to its part: iterations and outcome
    counts add up, secs is the longest job's, the figures of one job's
    own memory (kmem_*, bytes_per_cycle) are job 0's."""
    part["jobs"] = part.get("jobs", 0) + 1
    part["iters"] = (0 if part["iters"] == "-" else part["iters"]) + iters
    acc = part.setdefault("acc", {})
    for kv in outcomes.split():
        k, _, v = kv.partition("=")
        try:
            n = int(v)
        except ValueError:
            acc.setdefault(k, v)
            continue
        if k == "secs":
            acc[k] = max(acc.get(k, 0), n)
        elif k.startswith("kmem_") or k == "bytes_per_cycle":
            acc.setdefault(k, n)
        else:
            acc[k] = acc.get(k, 0) + n
    part["outcomes"] = " ".join(f"{k}={v}" for k, v in acc.items())
    if part["jobs"] > 1:
        part["outcomes"] = f"jobs={part['jobs']} " + part["outcomes"]


# A leak of one small object per VM cycle shows over a thousand cycles.
LIFECYCLE_MAX_BYTES = 512


def main(path):
    parts, order = {}, []
    cur, section = None, None
    tables = {"module": {}, "in-kernel": {}}
    fatal = []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("=== FATAL"):
            fatal.append(line[4:])
            continue
        m = re.match(r"^=== PART (\S+) (\S+)$", line)
        if m:
            cur = {"impl": m.group(1), "name": m.group(2), "iters": "-",
                   "outcomes": "", "splats": 0, "leaks": 0, "rc": None,
                   "secs": 0, "mem": {}, "fails": [], "hang": False}
            key = f"{m.group(2)}"
            parts[key] = cur
            order.append(key)
            section = None
            continue
        if cur is None:
            continue
        m = re.match(r"^=== MEM (before|after) slab=(\d+) vmalloc=(\d+)$", line)
        if m:
            cur["mem"][m.group(1)] = (int(m.group(2)), int(m.group(3)))
            continue
        m = re.match(r"^=== RC (\d+) (\d+)$", line)
        if m:
            cur["rc"], cur["secs"] = int(m.group(1)), int(m.group(2))
            continue
        if line.startswith("=== HANG"):
            cur["hang"] = True
            continue
        if line == "=== DMESG":
            section = "dmesg"
            continue
        m = re.match(r"^=== KMEMLEAK (\S+)$", line)
        if m:
            section = "leak"
            cur["leaks"] = int(m.group(1)) if m.group(1).isdigit() else 0
            continue
        if line == "=== END":
            section = None
            continue
        if section == "dmesg":
            if SPLAT.search(line):
                cur["splats"] += 1
            continue
        if section == "leak":
            continue
        m = re.match(r"^SOAK (\S+) iters=(\d+) ?(.*)$", line)
        if m:
            add_soak_line(cur, int(m.group(2)), m.group(3))
            continue
        m = re.match(r"^TABLES (\S+) (\S*)$", line)
        if m and cur["impl"] in tables:
            tables[cur["impl"]][m.group(1)] = m.group(2)
            continue
        if line.startswith("not ok"):
            cur["fails"].append(line)

    print("| part | impl | iterations | outcomes by class | splats | "
          "kmemleak | slab+vmalloc before -> after (KiB) | s |")
    print("|---|---|---|---|---|---|---|---|")
    bad = list(fatal)
    for key in order:
        p = parts[key]
        b, a = p["mem"].get("before"), p["mem"].get("after")
        mem = (f"{sum(b) // 1024} -> {sum(a) // 1024}" if b and a else "?")
        outcomes = p["outcomes"].replace(" ", ", ")
        print(f"| {p['name']} | {p['impl']} | {p['iters']} | {outcomes} | "
              f"{p['splats']} | {p['leaks']} | {mem} | {p['secs']} |")
        if (p["name"] == "lifecycle" and b and a and p["iters"] != "-"
                and p["iters"] >= 1000):
            per = (sum(a) - sum(b)) / p["iters"]
            print(f"|  | lifecycle: slab+vmalloc per cycle over the part: "
                  f"{per:.0f} bytes |  |  |  |  |  |  |")
            if per > LIFECYCLE_MAX_BYTES:
                bad.append(f"lifecycle: {per:.0f} bytes per VM cycle")
        if p["splats"]:
            bad.append(f"{p['name']}: {p['splats']} kernel splats")
        if p["leaks"]:
            bad.append(f"{p['name']}: {p['leaks']} kmemleak objects")
        if p["hang"]:
            bad.append(f"{p['name']}: hang")
        if p["rc"] not in (0, None) or p["rc"] is None:
            bad.append(f"{p['name']}: exit status {p['rc']}")
        for f in p["fails"]:
            bad.append(f"{p['name']}: {f}")
    mod, ref = tables["module"], tables["in-kernel"]
    same = 0
    for name in sorted(set(mod) | set(ref)):
        if mod.get(name) is not None and mod.get(name) == ref.get(name):
            same += 1
        else:
            bad.append(f"compared seed {name}: module {mod.get(name)} "
                       f"in-kernel {ref.get(name)}")
    print(f"\ncompared seeds identical on both implementations: {same} of "
          f"{len(set(mod) | set(ref))}")
    for b in bad:
        print(f"PROBLEM {b}")
    print("soak: " + ("FAILED" if bad else "passed"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
