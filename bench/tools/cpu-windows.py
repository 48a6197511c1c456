#!/usr/bin/env python3
"""CPU-seconds of one process per fixed window, and JFR recordings at chosen times (idle cost over time).

Usage: cpu-windows.py PID [--window 30] [--duration 600] [--jfr 60,300,540] [--jfr-seconds 60] [--jfr-dir target]
Prints one `CPU` line per window: seconds since the watch began, UTC time, CPU-seconds in the window,
cores, load average; with --jfr, starts `jcmd PID JFR.start duration=Ns filename=DIR/idle-<t>s.jfr` at those
seconds (settings=profile; summarise with bench/tools/jfr-hot.py). Used for the idle phase of bench/scale-model.sh (IDLE=600).
"""
import argparse
import os
import subprocess
import time

HZ = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pid", type=int)
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--jfr", default="", help="comma-separated seconds after the start at which to record")
    ap.add_argument("--jfr-seconds", type=int, default=60)
    ap.add_argument("--jfr-dir", default="target")
    a = ap.parse_args()
    jfr_at = sorted(float(s) for s in a.jfr.split(",") if s)
    t0 = time.monotonic()
    c0 = ticks(a.pid)
    total = 0.0
    k = 0
    while time.monotonic() - t0 < a.duration:
        k += 1
        end = t0 + k * a.window
        while True:
            now = time.monotonic()
            while jfr_at and jfr_at[0] <= now - t0:
                at = int(jfr_at.pop(0))
                name = os.path.join(a.jfr_dir, f"idle-{at}s.jfr")
                subprocess.run(["jcmd", str(a.pid), "JFR.start", f"duration={a.jfr_seconds}s", "settings=profile", f"filename={os.path.abspath(name)}"],
                               capture_output=True)
                print(f"JFR start t={at}s file={name}", flush=True)
            if now >= end:
                break
            time.sleep(min(1.0, end - now))
        try:
            c1 = ticks(a.pid)
        except FileNotFoundError:
            break
        cpu = (c1 - c0) / HZ
        total += cpu
        print(f"CPU t={k * a.window:.0f}s utc={time.strftime('%H:%M:%S', time.gmtime())} cpu_s={cpu:.2f} "
              f"cores={cpu / a.window:.3f} load={load()}", flush=True)
        c0 = c1
    print(f"CPU total_s={total:.1f} over {time.monotonic() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
