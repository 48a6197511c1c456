#!/usr/bin/env python3
"""Draws docs/images/scaling.svg from the MODEL lines of bench/scale-model.sh (standard library only).
Usage: bench/tools/scale_chart.py docs/scaling-data.txt > docs/images/scaling.svg
Four panels over the number of clusters C, both axes log scale: evaluation lag p99, CPU per 1 000 samples,
heap per session, database growth per cluster-day; one line per N (nodes per cluster) and instance count.
"""
import math
import re
import sys
from collections import defaultdict


def parse(path):
    points = defaultdict(dict)  # (C, N, instances) -> metric -> value
    for line in open(path):
        if not line.startswith("MODEL "):
            continue
        kv = dict(re.findall(r"(\w+)=([^ ]+)", line))
        kind = line.split()[1]
        try:
            key = (int(kv["clusters"]), int(kv["nodes"]), int(kv["instances"]))
        except KeyError:
            continue
        p = points[key]
        num = lambda k: float(kv[k]) if k in kv and kv[k] not in ("nan", "None") else None
        if kind == "lag":
            p["p99"] = num("p99_ms")
            p["p50"] = num("p50_ms")
        elif kind == "samples":
            s, d = num("service_cpu_ms_per_1000"), num("db_cpu_ms_per_1000")
            p["cpu"] = None if s is None else s + (d or 0)
        elif kind == "memory":
            p.setdefault("heap", []).append(num("heap_kb_per_session"))
        elif kind == "storage":
            p["mb"] = num("mb_per_cluster_day")
    for p in points.values():
        if "heap" in p:
            heaps = [h for h in p["heap"] if h is not None and h > 0]
            p["heap"] = sum(heaps) / len(heaps) if heaps else None
    return points


PANELS = [("p99", "evaluation lag p99 (ms)"), ("cpu", "CPU per 1 000 samples (ms, service + database)"),
          ("heap", "heap per session (kB)"), ("mb", "database growth (MB per cluster-day)")]
COLORS = {(10, 1): "#1f77b4", (100, 1): "#d62728", (10, 2): "#6baed6", (100, 2): "#fc9272"}


def main():
    points = parse(sys.argv[1])
    W, H, PW, PH, M = 960, 640, 360, 210, 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="14">rulescaler cost growth: C clusters x N nodes '
           f'(bench/scale-model.sh, stub provider, 2 cores, shared machine)</text>',
           f'<text x="{W / 2}" y="34" text-anchor="middle" fill="#555">one run per point, load average 15-60 from other builds; '
           f'the last line per point in the data file is drawn (see docs/scaling.md for which code each ran)</text>']
    series = sorted({(n, i) for (_, n, i) in points})
    for k, (metric, title) in enumerate(PANELS):
        ox = M + (k % 2) * (PW + 2 * M)
        oy = 70 + (k // 2) * (PH + 80)
        vals = [p[metric] for p in points.values() if p.get(metric) is not None and p[metric] > 0]
        lo = 10 ** math.floor(math.log10(min(vals))) if vals else 1
        hi = 10 ** math.ceil(math.log10(max(vals))) if vals else 10
        hi = hi * 10 if hi <= lo else hi
        ys = lambda v: oy + PH - PH * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        out.append(f'<text x="{ox + PW / 2}" y="{oy - 8}" text-anchor="middle" font-weight="bold">{title} (log scale)</text>')
        out.append(f'<rect x="{ox}" y="{oy}" width="{PW}" height="{PH}" fill="none" stroke="#999"/>')
        d = lo
        while d <= hi * 1.001:
            y = ys(d)
            out.append(f'<line x1="{ox}" x2="{ox + PW}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{ox - 4}" y="{y + 4:.1f}" text-anchor="end">{d:g}</text>')
            d *= 10
        xs = lambda c: ox + PW * (math.log10(c) - 1) / 2  # C from 10 to 1 000
        for c in (10, 100, 1000):
            out.append(f'<text x="{xs(c)}" y="{oy + PH + 14}" text-anchor="middle">C = {c}</text>')
        for n, inst in series:
            pts = sorted((c, p[metric]) for (c, nn, ii), p in points.items()
                         if nn == n and ii == inst and p.get(metric) is not None and p[metric] > 0)
            if not pts:
                continue
            color = COLORS.get((n, inst), "#555")
            dash = ' stroke-dasharray="5,3"' if inst > 1 else ""
            path = " ".join(f"{'M' if q == 0 else 'L'}{xs(c):.1f},{ys(v):.1f}" for q, (c, v) in enumerate(pts))
            out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
            for c, v in pts:
                out.append(f'<circle cx="{xs(c):.1f}" cy="{ys(v):.1f}" r="3" fill="{color}"/>')
    ly = H - 22
    for q, (n, inst) in enumerate(series):
        x = M + q * 200
        color = COLORS.get((n, inst), "#555")
        dash = ' stroke-dasharray="5,3"' if inst > 1 else ""
        out.append(f'<line x1="{x}" x2="{x + 24}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 30}" y="{ly + 4}">N = {n}, {inst} instance{"s" if inst > 1 else ""}</text>')
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
