#!/usr/bin/env python3
"""CPU milliseconds per post for each thread group, in the bare and in the real rounds of a
webhook throughput run: cuts cpu-by-thread.py's samples at the BENCH-ROUND timestamps.
Usage: bench/tools/cpu-per-post.py OUT.tsv RUN.txt [posts per round, default 3000]
('machine' rows are whole-machine totals: busy = user+nice + system + irq+softirq.)"""
import bisect
import collections
import re
import sys


def main(samples_path, run_path, posts):
    samples = collections.defaultdict(list)
    for line in open(samples_path):
        t, proc, group, value = line.rstrip('\n').split('\t')
        samples[(proc, group)].append((int(t), int(value)))
    windows = []
    for m in re.finditer(r'bare (\d+)-(\d+) ms real (\d+)-(\d+)', open(run_path).read()):
        a, b, c, d = map(int, m.groups())
        windows += [('bare', a, b), ('real', c, d)]

    def at(key, t):
        series = samples[key]
        times = [s[0] for s in series]
        i = bisect.bisect_left(times, t)
        if i >= len(series):
            return series[-1][1]
        if i == 0:
            return series[0][1]
        (t0, v0), (t1, v1) = series[i - 1], series[i]
        return v0 + (v1 - v0) * (t - t0) / max(1, t1 - t0)

    totals = {'bare': collections.Counter(), 'real': collections.Counter()}
    rounds = collections.Counter()
    for kind, a, b in windows:
        rounds[kind] += 1
        for key in samples:
            totals[kind][key] += at(key, b) - at(key, a)
    tick_ms = 10  # USER_HZ 100
    for kind, counter in totals.items():
        n = posts * max(1, rounds[kind])
        print(f'== {kind} ({rounds[kind]} rounds): CPU ms per post')
        for (proc, group), ticks in counter.most_common(16):
            print(f'   {proc:8} {group:22} {ticks * tick_ms / n:.3f}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3000)
