package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Decisions of one cluster are judged one after another through the cluster's decision lock row,
 * and the orchestrator's node writes (which hold a shared lock on the cluster row) do not hold
 * evaluations up.
 */
@QuarkusTest
class DecisionLockTest {

    @Inject
    EntityManager em;

    @Inject
    ClusterSessions sessions;

    /** Runs {@code sql} FOR UPDATE / IN SHARE MODE in its own transaction and keeps it open until {@code release}. */
    CompletableFuture<Void> hold(String sql, String cluster, CountDownLatch held, CountDownLatch release) {
        return CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery(sql).setParameter(1, cluster).getResultList();
            held.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    @Test
    void aManualRequestWaitsForTheDecisionLockAndGoesThroughAfterIt() throws Exception {
        String c = unique("lock-manual");
        cluster(c, 1, 8, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String operator = token("operator");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = hold("SELECT cluster_name FROM decision_lock WHERE cluster_name = ?1 FOR UPDATE", c, held, release);
        assertTrue(held.await(30, TimeUnit.SECONDS));
        CompletableFuture<Integer> manual = CompletableFuture.supplyAsync(() -> as(operator).contentType("application/json")
                .body("{\"target\":4,\"reason\":\"serialised\"}").post("/api/v1/clusters/" + c + "/scale").statusCode());
        Thread.sleep(1000);
        assertFalse(manual.isDone(), "the manual request waits while another transaction holds the cluster's decision lock");
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        assertEquals(202, manual.get(30, TimeUnit.SECONDS));
    }

    @Test
    void anEvaluationDoesNotWaitForAShareLockOnTheClusterRow() throws Exception {
        String c = unique("lock-fk");
        cluster(c, 1, 8, 2, "");
        sessions.submit(c, null).get(30, TimeUnit.SECONDS);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // what every node insert of the cluster holds until it commits (foreign key to cluster)
        CompletableFuture<Void> holder = hold("SELECT id FROM cluster WHERE name = ?1 LOCK IN SHARE MODE", c, held, release);
        try {
            assertTrue(held.await(30, TimeUnit.SECONDS));
            CompletableFuture<Void> evaluation = sessions.submit(c, null);
            evaluation.get(30, TimeUnit.SECONDS);
            assertFalse(holder.isDone(), "the evaluation finished while the share lock was still held");
            assertTrue(sessions.why(c).text() != null);
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEvaluationThatConcludesNothingDoesNotWaitForTheDecisionLockOneThatDecidesDoes() throws Exception {
        String c = unique("lock-eval");
        cluster(c, 1, 8, 2, "guard: {scaleOutCooldownSeconds: 0}");
        sessions.submit(c, null).get(30, TimeUnit.SECONDS);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = hold("SELECT cluster_name FROM decision_lock WHERE cluster_name = ?1 FOR UPDATE", c, held, release);
        CompletableFuture<Void> deciding = null;
        try {
            assertTrue(held.await(30, TimeUnit.SECONDS));
            // no rule matches this alert: nothing to judge, so no lock is taken
            sessions.submit(c, s -> s.alert(alert(c, "NothingMatchesThis", "lock-quiet"))).get(30, TimeUnit.SECONDS);
            assertFalse(holder.isDone(), "the quiet evaluation finished while the decision lock was held");
            // HighLoad scales out: judging it needs the lock, so it waits for the holder
            deciding = sessions.submit(c, s -> s.alert(alert(c, "HighLoad", "lock-decides")));
            Thread.sleep(1000);
            assertFalse(deciding.isDone(), "an evaluation that concluded a decision waits for the cluster's decision lock");
            assertEquals(0, decisions(c), "nothing is stored while the lock is held elsewhere");
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
        deciding.get(30, TimeUnit.SECONDS);
        assertEquals(1, decisions(c), "after the lock was released the decision was judged and stored");
    }

    private int decisions(String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM decision WHERE cluster_name = ?1").setParameter(1, cluster).getSingleResult()).intValue());
    }

    private static io.rulescaler.capacity.fact.Alert alert(String cluster, String name, String fingerprint) {
        return new io.rulescaler.capacity.fact.Alert(name, cluster, "firing", fingerprint + System.nanoTime(),
                java.time.Instant.now(), java.util.Map.of("alertname", name, "cluster", cluster), java.util.Map.of());
    }
}
