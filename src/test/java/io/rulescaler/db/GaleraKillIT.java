package io.rulescaler.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.rulescaler.testing.Api;
import io.rulescaler.testing.GaleraCluster;
import io.rulescaler.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged instances on a real 3-node Galera cluster (Debian's mariadbd + galera-4 on loopback),
 * under webhook traffic and a 200-node scale-out on the stub provider, with the database node they
 * write to killed (SIGKILL) in the middle; in both topologies of docs/scaling.md. Afterwards every
 * delivery answered 2xx is stored, each alert is decided once, the cluster has exactly 200 nodes,
 * no task ran twice and no machine was created twice.
 */
class GaleraKillIT {

    private static final String TOKEN = "galera-it-admin-token";
    private static final String DB = "rulescaler";
    private final List<ServiceProcess> instances = new ArrayList<>();
    private GaleraCluster galera;
    private Path work;

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess p : instances) {
            p.kill();
        }
        if (galera != null) {
            galera.close();
        }
    }

    @Test
    void oneWriterWithFailover() throws Exception {
        start("one-writer");
        // both instances write to node 1 while it lives, then to node 2
        startTogether(galera.sequentialUrl(DB, 0, 1, 2), galera.sequentialUrl(DB, 0, 1, 2));
        scaleOutUnderTrafficKillingNode(0);
    }

    @Test
    void severalWriters() throws Exception {
        start("several-writers");
        lostCertificationIsALostRace();
        // instance a writes to node 1, instance b to node 2; node 1 dies, a fails over to node 2
        startTogether(galera.sequentialUrl(DB, 0, 1, 2), galera.sequentialUrl(DB, 1, 2, 0));
        scaleOutUnderTrafficKillingNode(0);
    }

    /**
     * Starts both instances at once on the empty database: the migration guard (io.rulescaler.db.MigrationGuard)
     * lets one migrate while the other waits, so each migration runs once on the cluster.
     */
    private void startTogether(String urlA, String urlB) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(2);
        try {
            var a = starting.submit(() -> instance("vm-a", urlA));
            var b = starting.submit(() -> instance("vm-b", urlB));
            ServiceProcess first = a.get(300, java.util.concurrent.TimeUnit.SECONDS);
            ServiceProcess second = b.get(300, java.util.concurrent.TimeUnit.SECONDS);
            instances.clear();
            instances.addAll(List.of(first, second)); // in this order: a, then b
        } finally {
            starting.shutdownNow();
        }
        assertTrue(count("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'") == 1, "V1 ran once");
        assertEquals(count("SELECT COUNT(*) FROM flyway_schema_history"), count("SELECT COUNT(DISTINCT version) FROM flyway_schema_history"),
                "each migration ran once");
        assertEquals(0, count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"), "and succeeded");
        assertEquals(0, count("SELECT COUNT(*) FROM migration_guard"), "the guard was given back");
    }

    private void start(String name) throws Exception {
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "galera-" + name + "-");
        galera = GaleraCluster.start(work.resolve("galera"), 3);
        try (Connection c = DriverManager.getConnection(galera.serverUrl(0), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
    }

    /** Two writers on two nodes claim the same row with SKIP LOCKED: both see it free, the second commit loses certification. */
    private void lostCertificationIsALostRace() throws Exception {
        try (Connection one = DriverManager.getConnection(galera.serverUrl(0) + DB, "root", "");
             Connection two = DriverManager.getConnection(galera.serverUrl(1) + DB, "root", "")) {
            one.createStatement().execute("CREATE TABLE race (id INT PRIMARY KEY, owner VARCHAR(8))");
            one.createStatement().execute("INSERT INTO race VALUES (1, NULL)");
            Thread.sleep(500); // replicated
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            for (Connection c : List.of(one, two)) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM race WHERE owner IS NULL FOR UPDATE SKIP LOCKED")) {
                    assertTrue(rs.next(), "locks are local to a node: each writer sees the row free");
                }
                c.createStatement().executeUpdate("UPDATE race SET owner = '" + (c == one ? "one" : "two") + "' WHERE id = 1");
            }
            one.commit();
            SQLException lost = null;
            try {
                two.commit();
            } catch (SQLException e) {
                lost = e;
            }
            assertTrue(lost != null && LostRace.is(lost), "the second claim loses certification: " + lost);
            one.createStatement().execute("DROP TABLE race");
            one.commit();
        }
    }

    private ServiceProcess instance(String id, String url) throws Exception {
        Path dir = Files.createDirectories(work.resolve(id));
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", "root",
                "RULESCALER_DATA_DIR", dir.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", dir.resolve("no-clusters").toString(),
                "RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString(),
                "RULESCALER_SCRIPTS_DIR", Path.of("fabric-scripts").toAbsolutePath().toString(),
                "RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", TOKEN,
                "RULESCALER_ORCHESTRATION_INSTANCE_ID", id,
                "RULESCALER_CAPACITY_KEEP_BOUNDS", "false"));
        // each instance has its own in-memory stub: reconciling against the other's would call its machines vanished
        env.putAll(Map.of("RULESCALER_ORCHESTRATION_WORKERS", "8", "RULESCALER_RECONCILE_ON_START", "false",
                "RULESCALER_RECONCILE_INTERVAL", "off"));
        ServiceProcess p = ServiceProcess.start(dir, env, Duration.ofSeconds(180));
        synchronized (instances) {
            instances.add(p);
        }
        return p;
    }

    private void scaleOutUnderTrafficKillingNode(int victim) throws Exception {
        ServiceProcess a = instances.get(0);
        ServiceProcess b = instances.get(1);
        String webhook = admin(a).contentType("application/json").body(Map.of("name", "am", "role", "webhook"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getString("token");
        admin(a).contentType("application/yaml").body("""
                name: big
                provider: stub
                template: {image: debian-12, minCores: 1, zones: [a, b]}
                layout: {a: 1, b: 1}
                size: {min: 0, max: 250, desired: 0}
                chains: {scaleOut: stub-scale-out, scaleIn: stub-scale-in}
                """).put("/api/v1/clusters/big").then().statusCode(201);
        admin(a).contentType("application/yaml").body("""
                name: alerts
                provider: stub
                size: {min: 0, max: 1000, desired: 0}
                dryRun: true
                guard: {scaleOutCooldownSeconds: 0}
                """).put("/api/v1/clusters/alerts").then().statusCode(201);

        Map<String, Integer> answered = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService traffic = Executors.newFixedThreadPool(2);
        CountDownLatch started = new CountDownLatch(2);
        for (ServiceProcess to : List.of(a, b)) {
            traffic.submit(() -> {
                started.countDown();
                while (sending.get()) {
                    String fp = "fp" + sent.incrementAndGet() + "x" + Long.toString(System.nanoTime(), 36);
                    int status;
                    try {
                        status = RestAssured.given().baseUri(to.baseUrl()).config(Api.CONFIG).header("Authorization", "Bearer " + webhook)
                                .contentType("application/json").body(payload(fp)).post("/api/v1/alerts/prometheus").then().extract().statusCode();
                    } catch (RuntimeException e) {
                        status = -1; // no answer: Alertmanager would send it again
                    }
                    answered.put(fp, status);
                    sleep(50);
                }
                return null;
            });
        }
        started.await();
        assertEquals(202, admin(a).contentType("application/json")
                .body(Map.of("cluster", "big", "type", "scale", "targetSize", 200, "reason", "galera kill test"))
                .post("/api/v1/operations").then().extract().statusCode());

        // in the middle: a quarter of the chain's ~400 tasks done, deploys and configures in flight
        awaitSql("a quarter of the scale-out done", Duration.ofSeconds(240), "SELECT COUNT(*) >= 100 FROM task WHERE state = 'SUCCEEDED'", 1);
        galera.kill(victim);
        sleep(10_000);
        sending.set(false);
        traffic.shutdown();
        traffic.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);

        awaitSql("the scale-out ended", Duration.ofSeconds(180), "SELECT COUNT(*) FROM operation WHERE cluster_name = 'big' AND finished_at IS NULL", 0);
        List<String> stored = answered.entrySet().stream().filter(e -> e.getValue() / 100 == 2).map(Map.Entry::getKey).toList();
        assertTrue(stored.size() > 20, "traffic flowed: " + stored.size() + " of " + answered.size() + " answered 2xx");
        awaitSql("every stored alert decided", Duration.ofSeconds(120),
                "SELECT COUNT(*) >= (SELECT COUNT(*) FROM alert_event WHERE cluster_name = 'alerts') FROM decision WHERE cluster_name = 'alerts'", 1);
        for (String fp : stored) {
            assertEquals(1, count("SELECT COUNT(*) FROM alert_event WHERE fingerprint = '" + fp + "'"), "delivery " + fp + " answered 2xx is stored");
            assertEquals(1, count("SELECT COUNT(*) FROM decision WHERE cluster_name = 'alerts' AND facts_json LIKE '%" + fp + "%'"),
                    "alert " + fp + " decided once");
        }
        assertEquals(count("SELECT COUNT(*) FROM alert_event WHERE cluster_name = 'alerts'"),
                count("SELECT COUNT(*) FROM decision WHERE cluster_name = 'alerts'"), "one decision per stored alert");

        assertEquals("SUCCEEDED", string("SELECT state FROM operation WHERE cluster_name = 'big'"));
        assertEquals(200, count("SELECT COUNT(*) FROM node n JOIN cluster c ON c.id = n.cluster_id WHERE c.name = 'big' AND n.state = 'ACTIVE'"));
        assertEquals(200, count("SELECT COUNT(*) FROM node n JOIN cluster c ON c.id = n.cluster_id WHERE c.name = 'big'"), "exactly 200 nodes");
        assertEquals(0, count("SELECT COUNT(*) FROM (SELECT t.id FROM task t LEFT JOIN task_log l ON l.task_id = t.id AND l.owner <> 'janitor'"
                + " GROUP BY t.id HAVING COUNT(l.id) <> 1 OR MAX(t.attempt) <> 1) x"), () -> "every task ran exactly once; " + notOnce());
        Map<String, Integer> created = new HashMap<>();
        for (ServiceProcess p : instances) {
            Path journal = work.resolve(p == a ? "vm-a" : "vm-b").resolve("data/stub/stub.jsonl");
            if (Files.exists(journal)) {
                for (String line : Files.readAllLines(journal)) {
                    if (line.contains("\"op\":\"create\"")) {
                        String name = line.replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
                        created.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        assertEquals(200, created.size(), "200 machines created");
        assertTrue(created.values().stream().allMatch(n -> n == 1), "no machine created twice: " + created);
    }

    private static String payload(String fp) {
        return """
                {"receiver":"rulescaler","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"HighLoad","cluster":"alerts"},\
                "annotations":{},"startsAt":"2026-01-05T08:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z",\
                "generatorURL":"http://prometheus:9090/graph","fingerprint":"%s"}],\
                "groupLabels":{"alertname":"HighLoad"},"commonLabels":{"alertname":"HighLoad","cluster":"alerts"},\
                "commonAnnotations":{},"externalURL":"http://alertmanager:9093","version":"4",\
                "groupKey":"{}:{alertname=\\"HighLoad\\"}","truncatedAlerts":0}
                """.formatted(fp);
    }

    private void awaitSql(String what, Duration within, String sql, long want) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        long last = -2;
        while (System.nanoTime() < deadline) {
            try {
                last = count(sql);
                if (last == want) {
                    return;
                }
            } catch (IllegalStateException nodeGoing) {
                // asked the node being killed
            }
            Thread.sleep(500);
        }
        StringBuilder seen = new StringBuilder();
        for (ServiceProcess p : instances) {
            seen.append("--- instance ").append(p.baseUrl()).append('\n').append(p.output().lines()
                    .filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(40).reduce("", (x, y) -> x + y + "\n"));
        }
        throw new AssertionError(what + ": not within " + within + " (last " + last + "); alerts stored without a decision: "
                + undecided() + "\n" + seen);
    }

    /** Fingerprints of stored alerts of the dry-run cluster that no decision names (for failure messages). */
    private String undecided() {
        try {
            return string("SELECT GROUP_CONCAT(a.fingerprint) FROM alert_event a WHERE a.cluster_name = 'alerts' AND NOT EXISTS"
                    + " (SELECT 1 FROM decision d WHERE d.cluster_name = 'alerts' AND d.facts_json LIKE CONCAT('%', a.fingerprint, '%'))");
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /** Tasks that did not run exactly once, with every log line of theirs and the instances' warnings (for failure messages). */
    private String notOnce() {
        StringBuilder out = new StringBuilder();
        try {
            String sql = "SELECT CONCAT_WS(' ', t.id, t.step_name, t.node_name, t.state, 'attempt', t.attempt, 'started', t.started_at,"
                    + " 'finished', t.finished_at, 'logs:', (SELECT GROUP_CONCAT(CONCAT_WS('|', l.owner, l.attempt, l.created_at, LEFT(l.text, 300))"
                    + " SEPARATOR ' ;; ') FROM task_log l WHERE l.task_id = t.id)) FROM task t WHERE t.id IN"
                    + " (SELECT t2.id FROM task t2 LEFT JOIN task_log l2 ON l2.task_id = t2.id AND l2.owner <> 'janitor'"
                    + " GROUP BY t2.id HAVING COUNT(l2.id) <> 1 OR MAX(t2.attempt) <> 1) LIMIT 20";
            try (Connection c = DriverManager.getConnection(galera.serverUrl(2) + DB, "root", "");
                 Statement st = c.createStatement()) {
                st.execute("SET SESSION group_concat_max_len = 100000");
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            out.append(e);
        }
        for (ServiceProcess p : instances) {
            try {
                out.append("\n--- instance ").append(p.baseUrl()).append('\n').append(p.output().lines()
                        .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("cannot ")).limit(80).reduce("", (x, y) -> x + y + "\n"));
            } catch (java.io.IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    /** The first column of the first row, read from a node that lives (the last one). */
    private long count(String sql) {
        String s = string(sql);
        return s == null ? -1 : Long.parseLong(s);
    }

    private String string(String sql) {
        try (Connection c = DriverManager.getConnection(galera.serverUrl(2) + DB, "root", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static RequestSpecification admin(ServiceProcess p) {
        return RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + TOKEN).config(Api.CONFIG);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
