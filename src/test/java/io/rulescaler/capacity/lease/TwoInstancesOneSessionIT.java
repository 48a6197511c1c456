package io.rulescaler.capacity.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import io.rulescaler.signal.AlertWebhookTest;
import io.rulescaler.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged service processes on one MariaDB (Debian's, 127.0.0.1:3306), as an operator runs
 * them behind a load balancer: one holds the cluster's session lease; an alert and samples posted
 * to the other are stored, taken in by the owner and decided once, by the owner. The owner is
 * killed (SIGKILL); after its lease expires the other takes the cluster over, rebuilds the session
 * from what was stored (the first alert still fires there, and is not decided again), and decides
 * on a new alert. A graceful stop releases the lease.
 */
class TwoInstancesOneSessionIT {

    private static final String TOKEN = "lease-it-admin-token";
    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private final List<ServiceProcess> started = new ArrayList<>();
    private String database;

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess p : started) {
            p.kill();
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    @Test
    void aSignalToTheNonOwnerIsDecidedOnceByTheOwnerAndTheOtherTakesOverWhenTheOwnerDies() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lease-it-");
        database = "rulescaler_lease_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String a = "vm-a-" + Long.toString(System.nanoTime() % 100_000, 36);
        String b = "vm-b-" + Long.toString(System.nanoTime() % 100_000, 36);
        ServiceProcess first = start(work, a);
        String cluster = "web";
        given(first).contentType("application/yaml").body("""
                name: web
                provider: stub
                size: {min: 0, max: 20, desired: 2}
                dryRun: true
                """).post("/api/v1/clusters").then().statusCode(201);
        String webhook = given(first).contentType("application/json").body("{\"name\":\"am\",\"role\":\"webhook\"}")
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        await("instance a to hold the lease of " + cluster, () -> a.equals(lease(cluster).owner()));

        ServiceProcess second = start(work, b);
        Lease before = lease(cluster);
        assertEquals(a, before.owner(), "the first instance keeps the lease while it renews");

        // an alert and samples posted to the instance that does not own the session
        webhook(second, webhook).body(AlertWebhookTest.payload(cluster, "firing", "fp-one", "WebHighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200);
        webhook(second, webhook).contentType("application/json")
                .body(Map.of("samples", List.of(Map.of("cluster", cluster, "metric", "cpu", "value", 42.0))))
                .post("/api/v1/samples").then().statusCode(202);
        await("one decision", () -> decisions(cluster).size() == 1);
        await("the inbox taken in", () -> count("SELECT COUNT(*) FROM session_signal WHERE pending = TRUE") == 0);
        assertEquals(2L, count("SELECT COUNT(*) FROM session_signal WHERE received_by = '" + b + "'"),
                "the alert and the samples were stored by the instance they reached");
        // the same alert again, at the owner this time (an HA Alertmanager peer): still one decision
        webhook(first, webhook).body(AlertWebhookTest.payload(cluster, "firing", "fp-one", "WebHighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("duplicates", org.hamcrest.Matchers.equalTo(1));
        Thread.sleep(1500); // a few inbox polls and a tick: nothing more may be decided
        assertEquals(1, decisions(cluster).size(), "exactly one decision for the alert: " + decisions(cluster));
        assertTrue(decidedOn(first, cluster) == 1 && decidedOn(second, cluster) == 0,
                "decided by the owner (a), never by b: a=" + decidedOn(first, cluster) + " b=" + decidedOn(second, cluster));
        assertTrue(given(second).get("/api/v1/clusters/" + cluster + "/why").then().statusCode(200).extract().asString()
                .contains("runs on instance " + a), "b's why names the owner");

        // the owner dies; an alert arrives at b before a's lease has expired
        first.kill();
        started.remove(first);
        webhook(second, webhook).body(AlertWebhookTest.payload(cluster, "firing", "fp-two", "WebHighLoad")
                        .replace("2026-01-05T08:00:00.123456789Z", "2026-01-05T09:00:00Z"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200);
        await("b to take the lease over", () -> b.equals(lease(cluster).owner()));
        Lease after = lease(cluster);
        assertEquals(before.epoch() + 1, after.epoch(), "a new epoch for the new owner");
        await("b to decide on the second alert", () -> decisions(cluster).size() == 2);
        Thread.sleep(1500);
        List<String> reasons = decisions(cluster);
        assertEquals(2, reasons.size(), "the first alert, replayed into b's rebuilt session, is not decided again: " + reasons);
        assertTrue(reasons.stream().anyMatch(r -> r.contains("08:00")) && reasons.stream().anyMatch(r -> r.contains("09:00")), reasons.toString());
        assertTrue(decidedOn(second, cluster) == 1, "b decided on the second alert");
        assertTrue(second.output().contains("decision skipped cluster=web"), "b dropped the replayed alert's decision");

        // a graceful stop gives the lease up at once
        second.close();
        started.remove(second);
        assertTrue(second.output().contains("session leases released owner=" + b + " leases=1"), "b released its lease");
        assertTrue(count("SELECT COUNT(*) FROM session_lease WHERE cluster_name = 'web' AND expires_at < NOW(6)") == 1,
                "the released lease is expired in the database");
    }

    private record Lease(String owner, long epoch) {
    }

    private Lease lease(String cluster) {
        return query(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT owner_id, epoch FROM session_lease WHERE cluster_name = '" + cluster + "'")) {
                return rs.next() ? new Lease(rs.getString(1), rs.getLong(2)) : new Lease(null, 0);
            }
        });
    }

    private List<String> decisions(String cluster) {
        return query(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT reason FROM decision WHERE cluster_name = '" + cluster + "' ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private long count(String sql) {
        return query(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Decisions this process recorded for the cluster, from its own metrics (0 when it never decided). */
    private static int decidedOn(ServiceProcess p, String cluster) {
        String metrics = io.restassured.RestAssured.given().baseUri(p.baseUrl()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("rulescaler_decisions_total{") && line.contains("cluster=\"" + cluster + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (int) total;
    }

    private interface Sql<T> {
        T run(Connection c) throws Exception;
    }

    private <T> T query(Sql<T> q) {
        try (Connection c = DriverManager.getConnection(SERVER + database, "root", "")) {
            return q.run(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // database not created yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private ServiceProcess start(Path work, String instance) throws Exception {
        Path dir = Files.createDirectories(work.resolve(instance));
        ServiceProcess p = ServiceProcess.start(dir, Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", SERVER + database + "?createDatabaseIfNotExist=true"),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "root"),
                Map.entry("RULESCALER_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RULESCALER_CLUSTERS_DIR", dir.resolve("no-clusters").toString()),
                Map.entry("RULESCALER_RULES_DIR", dir.resolve("rules").toString()),
                Map.entry("RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString()),
                Map.entry("RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", TOKEN),
                Map.entry("RULESCALER_ORCHESTRATION_INSTANCE_ID", instance),
                Map.entry("RULESCALER_SESSIONS_LEASE", "3s"),
                Map.entry("RULESCALER_SESSIONS_RENEW_INTERVAL", "1s"),
                Map.entry("RULESCALER_CAPACITY_KEEP_BOUNDS", "false")), Duration.ofSeconds(120));
        started.add(p);
        return p;
    }

    private static RequestSpecification given(ServiceProcess p) {
        return io.restassured.RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + TOKEN)
                .config(io.rulescaler.testing.Api.CONFIG);
    }

    private static RequestSpecification webhook(ServiceProcess p, String token) {
        return io.restassured.RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + token)
                .contentType("application/json");
    }
}
