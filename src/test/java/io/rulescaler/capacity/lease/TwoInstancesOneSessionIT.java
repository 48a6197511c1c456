package io.rulescaler.capacity.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import io.rulescaler.signal.AlertWebhookTest;
import io.rulescaler.testing.InstancesOnOneDatabase;
import io.rulescaler.testing.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
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

    private InstancesOnOneDatabase db;

    @AfterEach
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aSignalToTheNonOwnerIsDecidedOnceByTheOwnerAndTheOtherTakesOverWhenTheOwnerDies() throws Exception {
        db = new InstancesOnOneDatabase("lease");
        String a = InstancesOnOneDatabase.instanceId("vm-a");
        String b = InstancesOnOneDatabase.instanceId("vm-b");
        ServiceProcess first = start(a);
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

        ServiceProcess second = start(b);
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
        String why = given(second).get("/api/v1/clusters/" + cluster + "/why").then().statusCode(200).extract().asString();
        assertTrue(why.contains("runs on instance " + a), "b's why names the owner: " + why);
        // one cluster over two instances: a fair share of one, a keeps it (no handoff), none runs on b
        assertTrue(why.contains("(live instances: 2, fair share: 1, sessions here: 0)"), "b's why says how sessions are shared: " + why);
        assertTrue(!first.output().contains("session lease handed off"), "no handoff with one cluster");

        // the owner dies; an alert arrives at b before a's lease has expired
        first.kill();
        db.stopped(first);
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
        db.stopped(second);
        assertTrue(second.output().contains("session leases released owner=" + b + " leases=1"), "b released its lease");
        assertTrue(count("SELECT COUNT(*) FROM session_lease WHERE cluster_name = 'web' AND expires_at < NOW(6)") == 1,
                "the released lease is expired in the database");
    }

    private record Lease(String owner, long epoch) {
    }

    private Lease lease(String cluster) {
        List<Object[]> r = db.rows("SELECT owner_id, epoch FROM session_lease WHERE cluster_name = '" + cluster + "'", 2);
        return r.isEmpty() ? new Lease(null, 0) : new Lease((String) r.get(0)[0], ((Number) r.get(0)[1]).longValue());
    }

    private List<String> decisions(String cluster) {
        return db.rows("SELECT reason FROM decision WHERE cluster_name = '" + cluster + "' ORDER BY id", 1).stream()
                .map(r -> (String) r[0]).toList();
    }

    private long count(String sql) {
        return db.count(sql);
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

    private ServiceProcess start(String instance) throws Exception {
        return db.start(instance, Map.of("RULESCALER_RULES_DIR", Path.of("target", "lease-it-no-rules").toAbsolutePath().toString(),
                "RULESCALER_SESSIONS_LEASE", "3s", "RULESCALER_SESSIONS_RENEW_INTERVAL", "1s"));
    }

    private static RequestSpecification given(ServiceProcess p) {
        return InstancesOnOneDatabase.admin(p);
    }

    private static RequestSpecification webhook(ServiceProcess p, String token) {
        return io.restassured.RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + token)
                .contentType("application/json");
    }
}
