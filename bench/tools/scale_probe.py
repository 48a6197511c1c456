"""Measurement helpers of bench/tools/scale_model.py: MariaDB queries through the mariadb client,
CPU ticks and RSS of a process, load average, percentiles, evaluation lag, table sizes, heap."""
import http.client
import json
import os
import subprocess
import time

HZ = os.sysconf("SC_CLK_TCK")


def sql(db, query, rows=False):
    out = subprocess.run(["mysql", "-uroot", "-h127.0.0.1", "-N", "-B", db, "-e", query],
                         check=True, capture_output=True, text=True).stdout
    if rows:
        return [line.split("\t") for line in out.splitlines() if line]
    return out.strip()


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def lag(db, tag, since):
    rows = sql(db, f"""SELECT TIMESTAMPDIFF(MICROSECOND, e.received_at, MIN(d.decided_at)) / 1000
        FROM alert_event e LEFT JOIN session_alert_decided d ON d.fingerprint = e.fingerprint AND d.cluster_name = e.cluster_name
        WHERE e.fingerprint LIKE '{tag}-%' AND e.status = 'firing' AND e.received_at >= '{since}'
        GROUP BY e.id""", rows=True)
    decided = [float(r[0]) for r in rows if r[0] != "NULL"]
    return decided, len(rows) - len(decided)


def table_sizes(db):
    tables = [r[0] for r in sql(db, f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}'", rows=True)]
    sql(db, "ANALYZE TABLE " + ", ".join(tables))
    out = {}
    for name, b in sql(db, f"SELECT table_name, data_length + index_length FROM information_schema.tables "
                           f"WHERE table_schema = '{db}'", rows=True):
        out[name] = [int(sql(db, f"SELECT COUNT(*) FROM `{name}`")), int(b)]
    return out


def rules_compiled(port, timeout=300):
    """Waits until /q/health/ready no longer reports the first rule compile as running (it runs in the background)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/q/health/ready")
            if b"compiling" not in conn.getresponse().read():
                return
        except OSError:
            pass
        time.sleep(1)


def heap_mb(port, pid):
    for _ in range(2):  # the second full GC also frees what the first one's finalization released
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
        time.sleep(1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/q/metrics")
    text = conn.getresponse().read().decode()
    used = 0.0
    for line in text.splitlines():
        if line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line:
            used += float(line.rsplit(" ", 1)[1])
    return used / 1048576
