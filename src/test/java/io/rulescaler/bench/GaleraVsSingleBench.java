package io.rulescaler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.GaleraCluster;
import io.rulescaler.testing.ServiceProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: a 3-node Galera cluster used with one writer beside a single MariaDB of the
 * same binaries, server options and disk, in one run, against the packaged service — the 1 000-node
 * stub scale-out of bench/orchestration-scale-out.sh and the webhook throughput of
 * {@link CapacityWebhookBench} (same senders, same deliveries) on each, in the order single, Galera
 * (with -Dbench.nosync=true also Galera without causal reads, a diagnostic) and then reversed, with the ratios Galera ÷ single.
 * Run: bench/galera-vs-single.sh
 */
class GaleraVsSingleBench {

    static final int NODES = Integer.getInteger("bench.nodes", 1000);
    static final int WORKERS = Integer.getInteger("bench.workers", 32);
    /** Rounds over both databases; every second round takes them in the other order (-Dbench.rounds). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    static final int WARMUP_NODES = Integer.getInteger("bench.warmup.nodes", 200);
    static final int WEBHOOK_WARMUP = Integer.getInteger("bench.webhook.warmup", 3);
    static final int WEBHOOK_ROUNDS = Integer.getInteger("bench.webhook.rounds", 3);
    /** Also Galera without causal reads (wsrep_sync_wait=0: not a supported setting, a diagnostic of what the reads cost; -Dbench.nosync). */
    static final boolean NO_SYNC = Boolean.parseBoolean(System.getProperty("bench.nosync", "false"));
    static final String TOKEN = "bench-admin-token";
    static final Pattern KV = Pattern.compile("(\\w+)=(-?[0-9.]+|[A-Za-z]\\w*)");

    /** One database under test: its servers and the URL the service gets ({db} is replaced by a database name). */
    record Side(String name, GaleraCluster servers, String url) {
        String mysql() {
            return "mysql -uroot -h127.0.0.1 -P" + servers.port(0);
        }

        String pids() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < servers.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(servers.pid(i));
            }
            return sb.toString();
        }

        long cpuTicks() throws Exception {
            long t = 0;
            for (int i = 0; i < servers.size(); i++) {
                t += GaleraVsSingleBench.cpuTicks(servers.pid(i));
            }
            return t;
        }
    }

    final Map<String, Map<String, List<Double>>> results = new TreeMap<>();

    @Test
    void galeraBesideASingleMariaDb() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "galera-vs-single-");
        System.out.println("BENCH load at the start: " + load());
        try (GaleraCluster single = GaleraCluster.standalone(work.resolve("single"));
             GaleraCluster galera = GaleraCluster.start(work.resolve("galera"), 3)) {
            System.out.println("BENCH servers up (single + 3 Galera nodes): " + load());
            String sequential = galera.sequentialUrl("{db}", 0, 1, 2); // each database is created once beforehand
            List<Side> sides = new ArrayList<>(List.of(new Side("single", single, single.serverUrl(0) + "{db}"),
                    new Side("galera", galera, sequential)));
            if (NO_SYNC) {
                sides.add(new Side("galera-nosync", galera, sequential.replace("wsrep_sync_wait=3", "wsrep_sync_wait=0")));
            }
            for (int round = 0; round < ROUNDS; round++) {
                List<Side> order = new ArrayList<>(sides);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Side side : order) {
                    statements(side, round);
                    scaleOut(side, round, work);
                    webhook(side, round, work);
                }
            }
            summary();
        }
    }

    /**
     * Single-statement costs on the writer, one connection, no service: an autocommitted INSERT (a commit)
     * and a primary-key SELECT, on Galera also with wsrep_sync_wait=3; five interleaved passes, the median.
     */
    void statements(Side side, int round) throws Exception {
        if (side.name().endsWith("nosync")) {
            return; // the same servers as "galera", measured there
        }
        String db = "rs_stmt_" + side.name() + round;
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
            s.execute("CREATE TABLE " + db + ".t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
            s.execute("INSERT INTO " + db + ".t (v) VALUES ('x')");
        }
        String url = side.servers().serverUrl(0) + db;
        boolean galera = side.servers().size() > 1;
        try (Connection plain = DriverManager.getConnection(url, "root", "");
             Connection causal = DriverManager.getConnection(url + (galera ? "?sessionVariables=wsrep_sync_wait=3" : ""), "root", "")) {
            Map<String, List<Double>> passes = new TreeMap<>();
            for (int pass = 0; pass < 6; pass++) {
                double commit = perStatementMicros(plain, "INSERT INTO t (v) VALUES ('0123456789abcdef0123456789abcdef')", 300);
                double select = perStatementMicros(plain, "SELECT v FROM t WHERE id = 1", 1000);
                double causalSelect = galera ? perStatementMicros(causal, "SELECT v FROM t WHERE id = 1", 1000) : 0;
                if (pass > 0) { // the first pass warms the connections
                    passes.computeIfAbsent("commit_us", k -> new ArrayList<>()).add(commit);
                    passes.computeIfAbsent("select_us", k -> new ArrayList<>()).add(select);
                    if (galera) {
                        passes.computeIfAbsent("select_sync_wait_us", k -> new ArrayList<>()).add(causalSelect);
                    }
                }
            }
            passes.forEach((k, v) -> record(side, k, median(v)));
        }
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + db);
        }
    }

    static double perStatementMicros(Connection c, String sql, int n) throws Exception {
        try (Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                s.execute(sql);
            }
            return (System.nanoTime() - t0) / 1e3 / n;
        }
    }

    /** bench/orchestration-scale-out.sh pointed at the side's database; its key=value lines are kept. */
    void scaleOut(Side side, int round, Path work) throws Exception {
        String before = load();
        ProcessBuilder pb = new ProcessBuilder("bench/orchestration-scale-out.sh", String.valueOf(NODES), String.valueOf(WORKERS))
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("JDBC_URL", side.url(), "MYSQL", side.mysql(), "DB_PIDS", side.pids(),
                "WARMUP_NODES", String.valueOf(WARMUP_NODES)));
        long[] elsewhere0 = replicatedPerNode(side);
        System.out.println("BENCH " + side.name() + " round " + round + " before the scale-out, the writer's connections: " + connections(side));
        Process p = pb.start();
        Map<String, String> kv = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("BENCH   " + side.name() + " r" + round + " scale-out| " + line);
                Matcher m = KV.matcher(line);
                while (m.find()) {
                    kv.put(m.group(1), m.group(2));
                }
            }
        }
        int exit = p.waitFor();
        System.out.println("BENCH " + side.name() + " round " + round + " after the scale-out, the writer's connections: " + connections(side));
        assertEquals(0, exit, "bench/orchestration-scale-out.sh failed on " + side.name());
        double elsewhere = othersDelta(elsewhere0, replicatedPerNode(side));
        record(side, "scale_writesets_from_other_nodes", elsewhere);
        assertEquals("succeeded", kv.get("state"), "the scale-out on " + side.name() + " succeeded");
        assertEquals(String.valueOf(NODES), kv.get("nodes_active"), "every node active on " + side.name());
        for (String k : List.of("operation_seconds", "wall_ms_per_task", "runner_overhead_ms_per_task", "cpu_ms_per_task", "service_s",
                "database_s", "Com_commit", "Questions", "Com_select", "wsrep_replicated", "wsrep_local_cert_failures")) {
            if (kv.containsKey(k)) {
                record(side, "scale_" + k, Double.parseDouble(kv.get(k)));
            }
        }
        System.out.printf("BENCH %s round %d scale-out: %s s, %s ms per task, %s commits and %s certification failures per task,"
                + " %.0f write-sets from nodes 2-3, writer's max_used_connections %d (load before %s, after %s)%n", side.name(), round,
                kv.get("operation_seconds"), kv.get("wall_ms_per_task"), kv.get("Com_commit"), kv.getOrDefault("wsrep_local_cert_failures", "-"),
                elsewhere, maxUsedConnections(side), before, load());
    }

    /** The packaged service on the side's database; the same senders and deliveries as CapacityWebhookBench's throughput part. */
    void webhook(Side side, int round, Path work) throws Exception {
        String before = load();
        Path dir = Files.createDirectories(work.resolve("webhook-" + side.name() + round));
        String db = "rs_webhook_" + side.name() + round;
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + db); // once, not per connection (docs/scaling.md)
        }
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", side.url().replace("{db}", db),
                "QUARKUS_DATASOURCE_USERNAME", "root",
                "RULESCALER_DATA_DIR", dir.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", dir.resolve("no-clusters").toString(),
                "RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString(),
                "RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", TOKEN,
                "QUARKUS_LOG_CATEGORY__IO_RULESCALER__LEVEL", "WARN");
        try (ServiceProcess service = ServiceProcess.start(dir, env, Duration.ofSeconds(180))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = service.baseUrl();
            String webhook = field(send(http, base + "/api/v1/tokens", "application/json",
                    "{\"name\":\"am\",\"role\":\"webhook\"}", 201), "token");
            send(http, base + "/api/v1/clusters", "application/yaml", """
                    name: benchp
                    provider: stub
                    size: {min: 1, max: 10, desired: 1}
                    paused: true
                    """, 201);
            String url = base + "/api/v1/alerts/prometheus";
            for (int i = 0; i < WEBHOOK_WARMUP; i++) {
                CapacityWebhookBench.throughput(http, url, webhook, "benchp");
            }
            Map<String, Long> s0 = status(side);
            long[] elsewhere0 = replicatedPerNode(side);
            long svc0 = cpuTicks(service.process().pid());
            long db0 = side.cpuTicks();
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < WEBHOOK_ROUNDS; i++) {
                rates.add(CapacityWebhookBench.throughput(http, url, webhook, "benchp"));
            }
            double hz = 100; // USER_HZ on Linux
            long posts = (long) CapacityWebhookBench.THROUGHPUT_POSTS * WEBHOOK_ROUNDS;
            Map<String, Long> s1 = status(side);
            record(side, "webhook_writesets_from_other_nodes", othersDelta(elsewhere0, replicatedPerNode(side)));
            Collections.sort(rates);
            double median = rates.get(rates.size() / 2);
            record(side, "webhook_per_s", median);
            record(side, "webhook_cpu_ms_service", (cpuTicks(service.process().pid()) - svc0) * 1000 / hz / posts);
            record(side, "webhook_cpu_ms_db", (side.cpuTicks() - db0) * 1000 / hz / posts);
            StringBuilder per = new StringBuilder();
            s1.forEach((k, v) -> {
                double d = (v - s0.getOrDefault(k, 0L)) / (double) posts;
                per.append(String.format(" %s=%.2f", k, d));
                record(side, "webhook_" + k, d);
            });
            System.out.printf("BENCH %s round %d webhook: %.0f deliveries/s (rounds %s; %d alerts each, %d senders); per delivery:%s"
                    + " (load before %s, after %s)%n", side.name(), round, median, rates.stream().map(r -> String.format("%.0f", r)).toList(),
                    CapacityWebhookBench.ALERTS, CapacityWebhookBench.THREADS, per, before, load());
        }
    }

    static String send(HttpClient http, String url, String type, String body, int expect) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expect, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /** The writer's counters (every client of it): commits, statements, Galera write-sets. */
    static Map<String, Long> status(Side side) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions','Com_select','Com_insert',"
                     + "'Com_update','Com_commit','wsrep_replicated','wsrep_local_cert_failures')")) {
            while (rs.next()) {
                out.put(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
        }
        return out;
    }

    /** wsrep_replicated (write-sets a node sent as the one a client wrote to) of every node; zeros on a single server. */
    static long[] replicatedPerNode(Side side) throws Exception {
        long[] out = new long[side.servers().size()];
        for (int i = 0; i < out.length; i++) {
            try (Connection c = DriverManager.getConnection(side.servers().serverUrl(i), "root", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_replicated'")) {
                out[i] = rs.next() ? rs.getLong(2) : 0;
            }
        }
        return out;
    }

    /** The writer's connections now, by client command and state (a diagnostic: Galera's writer ran out of its 300 connections). */
    static String connections(Side side) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT command, state, COUNT(*) FROM information_schema.processlist"
                     + " GROUP BY command, state ORDER BY COUNT(*) DESC LIMIT 6")) {
            while (rs.next()) {
                sb.append(String.format("%s/%s=%d ", rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return sb.toString().trim();
    }

    static long maxUsedConnections(Side side) throws Exception {
        try (Connection c = DriverManager.getConnection(side.servers().serverUrl(0), "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Max_used_connections'")) {
            return rs.next() ? rs.getLong(2) : -1;
        }
    }

    static double othersDelta(long[] before, long[] after) {
        long d = 0;
        for (int i = 1; i < after.length; i++) {
            d += after[i] - before[i];
        }
        return d;
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14 and 15)
    }

    static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
    }

    void record(Side side, String key, double value) {
        results.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(side.name(), k -> new ArrayList<>()).add(value);
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
    }

    void summary() throws Exception {
        System.out.printf("BENCH summary: median of %d rounds (single, galera%s, then reversed), %d nodes, %d workers, load now %s%n",
                ROUNDS, NO_SYNC ? ", galera-nosync" : "", NODES, WORKERS, load());
        System.out.println("BENCH | measure | single | galera | galera-nosync | galera ÷ single | galera-nosync ÷ single | rounds single / galera / nosync |");
        results.forEach((key, bySide) -> {
            List<Double> s = bySide.getOrDefault("single", List.of());
            List<Double> g = bySide.getOrDefault("galera", List.of());
            List<Double> n = bySide.getOrDefault("galera-nosync", List.of());
            System.out.printf("BENCH | %s | %s | %s | %s | %s | %s | %s / %s / %s |%n", key, med(s), med(g), med(n), ratio(g, s), ratio(n, s),
                    fmt(s), fmt(g), fmt(n));
        });
    }

    static String med(List<Double> v) {
        return v.isEmpty() ? "-" : String.format("%.3f", median(v));
    }

    static String ratio(List<Double> a, List<Double> b) {
        return a.isEmpty() || b.isEmpty() || median(b) == 0 ? "-" : String.format("%.2f", median(a) / median(b));
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }
}
