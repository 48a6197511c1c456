#!/usr/bin/env python3
"""Load generator and measurements for bench/scale-model.sh (standard library only).

Against one or two running instances that share one MariaDB database:
  1. creates C dry-run stub clusters (min = max = desired = N) and seeds N ACTIVE node rows each
     straight into the database (no machines: the stub provider is never asked);
  2. warm-up, then a samples-only phase (S samples/s) for CPU per 1 000 samples, then a mixed phase
     (S samples/s and A alerts/s) for evaluation lag: alert_event.received_at -> session_alert_decided.decided_at;
  3. heap after a full GC and RSS per instance, rows and bytes of every table (information_schema after
     ANALYZE TABLE), and with two instances: kill -9 of one, then the time until the other holds every
     lease and has decided a fresh alert of every cluster the dead one owned.
Prints one `MODEL key=value ...` line per measurement (bench/tools/scale_chart.py reads them).
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from scale_probe import HZ, sql, cpu_ticks, rss_mb, loadavg, percentile, lag, table_sizes, rules_compiled, heap_mb  # noqa: E402


class Client:
    """One keep-alive HTTP/1.1 connection per thread and instance."""

    def __init__(self, ports, token):
        self.ports = ports
        self.token = token
        self.local = threading.local()

    def call(self, i, method, path, body=None, ctype="application/json", token=None):
        conns = getattr(self.local, "conns", None)
        if conns is None:
            conns = self.local.conns = {}
        port = self.ports[i % len(self.ports)]
        for attempt in range(2):
            c = conns.get(port)
            if c is None:
                c = conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                c.request(method, path, body=body, headers={"Authorization": "Bearer " + (token or self.token),
                                                              "Content-Type": ctype})
                r = c.getresponse()
                data = r.read()
                return r.status, data
            except (http.client.HTTPException, OSError):
                c.close()
                conns.pop(port, None)
                if attempt == 1:
                    return 0, b""
        return 0, b""


def alert_body(cluster, fingerprint, previous):
    one = ('{"status":"%s","labels":{"alertname":"HighLoad","cluster":"%s"},"annotations":{},'
           '"startsAt":"%s","endsAt":"%s","generatorURL":"http://prometheus:9090/graph","fingerprint":"%s"}')
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    alerts = one % ("firing", cluster, now, "0001-01-01T00:00:00Z", fingerprint)
    if previous:
        alerts += "," + one % ("resolved", cluster, previous[1], now, previous[0])
    return ('{"receiver":"rulescaler","status":"firing","alerts":[%s],"groupLabels":{"alertname":"HighLoad"},'
            '"commonLabels":{"alertname":"HighLoad","cluster":"%s"},"commonAnnotations":{},'
            '"externalURL":"http://alertmanager:9093","version":"4","groupKey":"{}:{alertname=\\"HighLoad\\"}",'
            '"truncatedAlerts":0}') % (alerts, cluster)


class Load:
    """Drives S samples/s (one POST every 100 ms) and A alerts/s (one delivery per alert) until stopped."""

    def __init__(self, client, clusters, samples_per_s, alerts_per_s, tag):
        self.client = client
        self.clusters = clusters
        self.s = samples_per_s
        self.a = alerts_per_s
        self.tag = tag
        self.stop = threading.Event()
        self.samples_sent = 0
        self.alerts_sent = 0
        self.failed = 0
        self.last = {}  # cluster -> (fingerprint, startsAt) of its firing alert
        self.threads = []
        self.next_cluster = 0
        self.seq = 0
        self.lock = threading.Lock()

    def start(self):
        self.threads = [threading.Thread(target=self.samples, args=(k, 4), daemon=True) for k in range(4)] if self.s > 0 else []
        if self.a > 0:
            # a few senders so one slow answer does not hold the rate back
            self.threads += [threading.Thread(target=self.alerts, args=(k, 4), daemon=True) for k in range(4)]
        for t in self.threads:
            t.start()
        return self

    def halt(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def samples(self, k=0, senders=4):
        # `senders` threads, each posting every senders x 100 ms, staggered: one slow answer does not hold the rate back
        per_post = max(1, round(self.s / 10))
        period = 0.1 * senders
        t_next = time.monotonic() + k * 0.1
        i = k
        while not self.stop.is_set():
            items = []
            with self.lock:
                for _ in range(per_post):
                    c = self.clusters[self.next_cluster % len(self.clusters)]
                    self.next_cluster += 1
                    items.append('{"cluster":"%s","metric":"cpu","value":%.1f}' % (c, 55 + (self.next_cluster * 7919 % 100) / 10))
            status, _ = self.client.call(i, "POST", "/api/v1/samples", '{"samples":[%s]}' % ",".join(items))
            i += 1
            with self.lock:
                if 0 < status < 300:
                    self.samples_sent += len(items)
                else:
                    self.failed += 1
            t_next += period
            delay = t_next - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                t_next = time.monotonic()  # behind: do not burst to catch up

    def alerts(self, k, senders):
        period = senders / self.a
        t_next = time.monotonic() + k * period / senders
        i = k
        while not self.stop.is_set():
            with self.lock:
                c = self.clusters[self.seq % len(self.clusters)]
                self.seq += 1
                fp = "%s-%s-%d" % (self.tag, c, self.seq)
                prev = self.last.get(c)
                self.last[c] = (fp, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            status, _ = self.client.call(i, "POST", "/api/v1/alerts/prometheus", alert_body(c, fp, prev))
            i += 1
            with self.lock:
                if 0 < status < 300:
                    self.alerts_sent += 1
                else:
                    self.failed += 1
            t_next += period
            delay = t_next - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                t_next = time.monotonic()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--ports", required=True, help="comma-separated HTTP ports of the instances")
    ap.add_argument("--pids", required=True)
    ap.add_argument("--ids", required=True, help="instance ids, as in session_lease.owner_id")
    ap.add_argument("--admin-token", required=True)
    ap.add_argument("--clusters", type=int, required=True)
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--samples", type=float, required=True, help="samples/s over all clusters")
    ap.add_argument("--alerts", type=float, required=True, help="alerts/s over all clusters")
    ap.add_argument("--warmup", type=float, default=15)
    ap.add_argument("--idle-phase", type=float, default=10)
    ap.add_argument("--samples-phase", type=float, default=30)
    ap.add_argument("--mixed-phase", type=float, default=45)
    ap.add_argument("--kill", action="store_true", help="two instances: kill -9 the second, time the take-over")
    a = ap.parse_args()
    ports = [int(p) for p in a.ports.split(",")]
    pids = [int(p) for p in a.pids.split(",")]
    ids = a.ids.split(",")
    db = a.db
    admin = Client(ports[:1], a.admin_token)
    point = f"clusters={a.clusters} nodes={a.nodes} instances={len(ports)}"

    # 1. clusters and nodes
    status, body = admin.call(0, "POST", "/api/v1/tokens", json.dumps({"name": "model-" + str(time.time()), "role": "webhook"}))
    webhook = json.loads(body)["token"]
    for p in ports:
        rules_compiled(p)
    baseline_heap = [heap_mb(p, pid) for p, pid in zip(ports, pids)]
    sizes0 = table_sizes(db)
    t0 = time.monotonic()
    names = [f"m{i:04d}" for i in range(a.clusters)]
    creators = []
    errors = []

    def create(part):
        for n in part:
            yaml = (f"name: {n}\nprovider: stub\ndryRun: true\ntemplate: {{minCores: 1}}\n"
                    f"size: {{min: {a.nodes}, max: {a.nodes}, desired: {a.nodes}}}\n")
            st, b = admin.call(0, "PUT", "/api/v1/clusters/" + n, yaml, ctype="application/yaml")
            if st >= 300 or st == 0:
                errors.append((n, st, b[:200]))
    for k in range(4):
        creators.append(threading.Thread(target=create, args=(names[k::4],)))
        creators[-1].start()
    for t in creators:
        t.join()
    if errors:
        print("cluster creation failed:", errors[:3], file=sys.stderr)
        sys.exit(1)
    sql(db, f"""INSERT INTO node (cluster_id, name, zone, node_index, address, provider_id, state, created_at, updated_at, launched_at)
        SELECT c.id, CONCAT(c.name, '-', LPAD(s.seq, 4, '0')), 'a', s.seq, CONCAT('10.0.', c.id % 250, '.', s.seq),
               CONCAT('stub-', c.id, '-', s.seq), 'ACTIVE', NOW(6), NOW(6), NOW(6)
        FROM cluster c JOIN seq_1_to_{a.nodes} s WHERE c.name LIKE 'm____'""")
    setup = time.monotonic() - t0
    print(f"MODEL setup {point} seconds={setup:.1f} load={loadavg()}", flush=True)

    client = Client(ports, webhook)
    # 2a. warm-up (sessions built, JIT) with the full mix
    load = Load(client, names, a.samples, a.alerts, "w%d" % int(time.time())).start()
    time.sleep(a.warmup)
    load.halt()
    # 2b. idle: what the sessions cost with no signal (ticks, lease renewals, polls), then samples only
    dbpid = int(subprocess.run("ss -ltnpH 'sport = :3306' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2", shell=True,
                               capture_output=True, text=True).stdout.strip() or 0)

    def cpu_now():
        return sum(cpu_ticks(p) for p in pids), (cpu_ticks(dbpid) if dbpid else 0), time.monotonic()

    c0, d0, w0 = cpu_now()
    time.sleep(a.idle_phase)
    c1, d1, w1 = cpu_now()
    idle_svc = (c1 - c0) / HZ / (w1 - w0)
    idle_db = (d1 - d0) / HZ / (w1 - w0)
    print(f"MODEL idle {point} service_cores={idle_svc:.3f} db_cores={idle_db:.3f} load={loadavg()} "
          f"(database cores: every client of the shared server, not only this run)", flush=True)
    la0 = loadavg()
    load = Load(client, names, a.samples, 0, "s").start()
    c0, d0, w0 = cpu_now()
    time.sleep(a.samples_phase)
    c1, d1, w1 = cpu_now()
    load.halt()
    elapsed = w1 - w0
    svc_s = (c1 - c0) / HZ - idle_svc * elapsed  # net of what the same seconds cost idle
    db_s = (d1 - d0) / HZ - idle_db * elapsed
    n = max(1, load.samples_sent)
    print(f"MODEL samples {point} samples_per_s={load.samples_sent / elapsed:.0f} target_per_s={a.samples:.0f} "
          f"failed_posts={load.failed} service_cpu_ms_per_1000={1e6 * svc_s / n:.1f} db_cpu_ms_per_1000={1e6 * db_s / n:.1f} "
          f"service_cores={(c1 - c0) / HZ / elapsed:.2f} db_cores={(d1 - d0) / HZ / elapsed:.2f} load={la0}->{loadavg()}", flush=True)
    # 2c. samples and alerts: evaluation lag
    tag = "x%d" % int(time.time())
    since = sql(db, "SELECT NOW(6)")
    cpu0 = [cpu_ticks(p) for p in pids]
    la0 = loadavg()
    load = Load(client, names, a.samples, a.alerts, tag).start()
    tm = time.monotonic()
    time.sleep(a.mixed_phase)
    load.halt()
    elapsed = time.monotonic() - tm
    cpu1 = [cpu_ticks(p) for p in pids]
    time.sleep(3)  # the last alerts' decisions
    decided, missing = lag(db, tag, since)
    svc_s = sum(c1 - c0 for c0, c1 in zip(cpu0, cpu1)) / HZ
    print(f"MODEL lag {point} alerts_per_s={load.alerts_sent / elapsed:.1f} target_alerts_per_s={a.alerts:.1f} "
          f"samples_per_s={load.samples_sent / elapsed:.0f} failed_posts={load.failed} decided={len(decided)} undecided={missing} "
          f"p50_ms={percentile(decided, 50):.0f} p99_ms={percentile(decided, 99):.0f} max_ms={max(decided) if decided else float('nan'):.0f} "
          f"service_cores={svc_s / elapsed:.2f} load={la0}->{loadavg()}", flush=True)
    # 3. memory and storage
    heaps = [heap_mb(p, pid) for p, pid in zip(ports, pids)]
    owned = dict((r[0], int(r[1])) for r in sql(db, "SELECT owner_id, COUNT(*) FROM session_lease WHERE expires_at > NOW(6) "
                                                    "GROUP BY owner_id", rows=True))
    for i, (p, pid) in enumerate(zip(ports, pids)):
        sessions = owned.get(ids[i], 0)
        grow = heaps[i] - baseline_heap[i]
        print(f"MODEL memory {point} instance={ids[i]} sessions={sessions} heap_mb={heaps[i]:.0f} heap_before_clusters_mb="
              f"{baseline_heap[i]:.0f} heap_kb_per_session={1024 * grow / max(1, sessions):.0f} rss_mb={rss_mb(pid):.0f}", flush=True)
    sizes1 = table_sizes(db)
    span_days = (time.monotonic() - t0 - setup) / 86400  # signal time only; the seeding is counted apart
    fixed = ("node", "cluster", "node_state_change", "api_token", "decision_lock", "session_lease", "reconciliation",
             "flyway_schema_history", "session_instance", "installation")
    per, grow_rows, grow_bytes = [], 0, 0.0
    for t, (rows1, bytes1) in sorted(sizes1.items()):
        rows = rows1 - sizes0.get(t, [0, 0])[0]
        if rows <= 0 or t in fixed:
            continue
        row_bytes = bytes1 / max(1, rows1)  # data + indexes per row at the end (page granularity makes deltas useless)
        grow_rows += rows
        grow_bytes += rows * row_bytes
        per.append(f"{t}:{rows / a.clusters / span_days:.0f}r/{rows * row_bytes / 1048576 / a.clusters / span_days:.2f}MB")
    print(f"MODEL storage {point} signal_seconds={span_days * 86400:.0f} rows_per_cluster_day={grow_rows / a.clusters / span_days:.0f} "
          f"mb_per_cluster_day={grow_bytes / 1048576 / a.clusters / span_days:.2f} per_table_per_cluster_day={','.join(per)}", flush=True)
    # 4. take-over after kill -9 of the second instance
    if a.kill and len(ports) > 1:
        dead = ids[1]
        theirs = [r[0] for r in sql(db, f"SELECT cluster_name FROM session_lease WHERE owner_id = '{dead}' AND expires_at > NOW(6)", rows=True)]
        os.kill(pids[1], signal.SIGKILL)
        tk = time.monotonic()
        killed_at = sql(db, "SELECT NOW(6)")
        survivor = Client(ports[:1], webhook)
        load = Load(survivor, names, a.samples, 0, "k").start()  # the samples go on, to the survivor
        leases_s = None
        decided_s = None
        pending = set(theirs)
        fps = {}
        rnd = 0
        deadline = tk + 180
        while time.monotonic() < deadline and (pending or leases_s is None):
            if leases_s is None and int(sql(db, f"SELECT COUNT(*) FROM session_lease WHERE owner_id = '{ids[0]}' AND expires_at > NOW(6)")) >= a.clusters:
                leases_s = time.monotonic() - tk
            if not pending:
                time.sleep(0.5)
                continue
            rnd += 1
            for c in list(pending):  # a fresh alert each round to every cluster not yet decided again
                fp = f"k{rnd}-{c}"
                fps[fp] = c
                survivor.call(0, "POST", "/api/v1/alerts/prometheus", alert_body(c, fp, None))
            time.sleep(1)
            done = sql(db, f"SELECT DISTINCT cluster_name FROM session_alert_decided WHERE decided_at > '{killed_at}'", rows=True)
            pending -= {r[0] for r in done}
            if not pending and decided_s is None:
                decided_s = time.monotonic() - tk
        load.halt()
        total = time.monotonic() - tk
        print(f"MODEL takeover {point} dead_instance_sessions={len(theirs)} leases_taken_s={leases_s if leases_s is None else round(leases_s, 1)} "
              f"all_deciding_again_s={decided_s if decided_s is None else round(decided_s, 1)} not_deciding={len(pending)} "
              f"watched_s={total:.1f} load={loadavg()}", flush=True)


if __name__ == "__main__":
    main()
