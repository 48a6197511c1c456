#!/usr/bin/env python3
"""Samples CPU ticks per thread group of the test JVM (surefire fork) and every mariadbd (stop
other MariaDB servers or keep them idle) every 100 ms,
plus the machine's /proc/stat totals, until killed. Output: lines "epoch_ms TAB process TAB
thread-group TAB ticks" (thread names with digits folded to N). Pair with cpu-per-post.py.
Usage: bench/tools/cpu-by-thread.py OUT.tsv & bench/capacity-webhook.sh ... > RUN.txt; kill %1"""
import os
import re
import sys
import time


def processes():
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            comm = open(f'/proc/{pid}/comm').read().strip()
            cmd = open(f'/proc/{pid}/cmdline').read()
        except OSError:
            continue
        if comm == 'mariadbd' or (comm == 'java' and 'surefire' in cmd):
            found.append((pid, comm))
    return found


def main(path):
    with open(path, 'w') as out:
        while True:
            now = int(time.time() * 1000)
            ticks = {}
            for pid, comm in processes():
                try:
                    tasks = os.listdir(f'/proc/{pid}/task')
                except OSError:
                    continue
                for tid in tasks:
                    try:
                        stat = open(f'/proc/{pid}/task/{tid}/stat').read()
                    except OSError:
                        continue
                    name = re.sub(r'\d+', 'N', stat[stat.index('(') + 1:stat.rindex(')')])
                    fields = stat[stat.rindex(')') + 2:].split()
                    key = (comm, name)
                    ticks[key] = ticks.get(key, 0) + int(fields[11]) + int(fields[12])
            cpu = [int(x) for x in open('/proc/stat').readline().split()[1:]]
            ticks[('machine', 'idle')] = cpu[3] + cpu[4]
            ticks[('machine', 'user+nice')] = cpu[0] + cpu[1]
            ticks[('machine', 'system')] = cpu[2]
            ticks[('machine', 'irq+softirq')] = cpu[5] + cpu[6]
            for (proc, group), value in ticks.items():
                out.write(f'{now}\t{proc}\t{group}\t{value}\n')
            out.flush()
            time.sleep(0.1)


if __name__ == '__main__':
    main(sys.argv[1])
