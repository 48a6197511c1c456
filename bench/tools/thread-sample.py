#!/usr/bin/env python3
"""Poor man's sampling profiler: `jcmd <pid> Thread.print` every INTERVAL seconds for SECONDS, then
the most frequent (thread group, state, innermost rulescaler frames) among threads whose name matches.
Usage: bench/tools/thread-sample.py PID [seconds=20] [interval=0.5] [thread-name-regex=task-|executor-|session]
Waiting in the database shows as RUNNABLE in sun.nio.ch.Net.poll under the rulescaler frame that asked.
"""
import collections
import re
import subprocess
import sys
import time

pid = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
names = re.compile(sys.argv[4] if len(sys.argv) > 4 else r"task-|executor-|session")
counts = collections.Counter()
dumps = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    out = subprocess.run(["jcmd", pid, "Thread.print"], capture_output=True, text=True).stdout
    dumps += 1
    for block in out.split("\n\n"):
        lines = [line.strip() for line in block.splitlines()]
        if not lines or not lines[0].startswith('"'):
            continue
        name = lines[0].split('"')[1]
        if not names.search(name):
            continue
        state = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("java.lang.Thread.State")), "?")
        frames = [line[3:] for line in lines if line.startswith("at ")]
        ours = [re.sub(r"\(.*", "", f) for f in frames if "io.rulescaler" in f and "Subclass" not in f and "ClientProxy" not in f][:2]
        if not ours:
            continue  # idle pool threads
        leaf = re.sub(r"\(.*", "", frames[0]) if frames else "?"
        counts[(re.sub(r"\d+", "N", name), "db-wait" if leaf.startswith("sun.nio.ch.Net.poll") else state.split()[0], " < ".join(ours))] += 1
    time.sleep(interval)
total = sum(counts.values())
print(f"{dumps} dumps, {total} busy thread samples")
for (name, state, where), n in counts.most_common(25):
    print(f"{n:5d} {100 * n / max(1, total):5.1f}% {state:14s} {name:28s} {where}")
