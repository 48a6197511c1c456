package io.rulescaler.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.orchestration.operation.OperationService;
import io.rulescaler.orchestration.task.TaskRunner;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two task runners (two "instances", each with its own lease owner and worker pool) in one JVM on
 * one MariaDB, under a burst of scale requests from several threads: no task runs twice, no cluster
 * has two operations at once, the newest request of a cluster wins.
 */
@QuarkusTest
class TwoRunnersOneDatabaseTest {

    @Inject
    Orchestrator orchestrator;

    @Inject
    OperationService operations;

    @Inject
    EntityManager em;

    @Test
    void aBurstOnTwoRunnersRunsEveryTaskOnceAndOneOperationPerClusterAtATime() throws Exception {
        TaskRunner second = orchestrator.newRunner(Ops.unique("second-instance"), 4);
        int firstBefore = orchestrator.runner().executed();
        List<String> clusters = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                String c = Ops.unique("burst" + i);
                Ops.cluster(c, "stub", 20, "chains: {scaleOut: noop-scale-out, scaleIn: stub-scale-in}\n");
                clusters.add(c);
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> futures = new ArrayList<>();
            for (String c : clusters) {
                for (int target : new int[] {4, 6, 3}) {
                    futures.add(pool.submit(() -> operations.requestScale(c, target, "burst " + target, "test")));
                }
                futures.add(pool.submit(operations::intakeAll));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Instant end = Instant.now().plus(Duration.ofSeconds(120));
            while (!settled(clusters).isEmpty() && Instant.now().isBefore(end)) {
                Thread.sleep(200);
            }
            assertEquals("", settled(clusters), "every cluster reached the size of its newest request with nothing pending");
        } finally {
            second.close();
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (String c : clusters) {
                @SuppressWarnings("unchecked")
                List<Object[]> ops = em.createNativeQuery("SELECT id, created_at, finished_at, state FROM operation "
                        + "WHERE cluster_name = ?1 ORDER BY id").setParameter(1, c).getResultList();
                assertTrue(!ops.isEmpty(), c);
                for (int i = 1; i < ops.size(); i++) {
                    java.time.LocalDateTime prevEnd = (java.time.LocalDateTime) ops.get(i - 1)[2];
                    java.time.LocalDateTime start = (java.time.LocalDateTime) ops.get(i)[1];
                    assertTrue(prevEnd != null && !start.isBefore(prevEnd), c + ": operation " + ops.get(i)[0]
                            + " started before " + ops.get(i - 1)[0] + " ended");
                }
                @SuppressWarnings("unchecked")
                List<Object[]> runs = em.createNativeQuery("SELECT t.id, COUNT(l.id), t.attempt, t.state FROM task t "
                        + "JOIN operation o ON o.id = t.operation_id LEFT JOIN task_log l ON l.task_id = t.id "
                        + "WHERE o.cluster_name = ?1 GROUP BY t.id, t.attempt, t.state").setParameter(1, c).getResultList();
                for (Object[] r : runs) {
                    assertEquals("SUCCEEDED", r[3], c + " task " + r[0]);
                    // one attempt, one execution: each execution stores exactly one log row
                    assertEquals(1L, ((Number) r[1]).longValue(), c + ": task " + r[0] + " ran " + r[1] + " times");
                    assertEquals(1, ((Number) r[2]).intValue(), c + ": task " + r[0] + " attempts");
                }
                long superseded = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM scale_request WHERE cluster_name = ?1 "
                        + "AND status = 'SUPERSEDED'").setParameter(1, c).getSingleResult()).longValue();
                long accepted = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM scale_request WHERE cluster_name = ?1 "
                        + "AND status = 'ACCEPTED'").setParameter(1, c).getSingleResult()).longValue();
                assertEquals(3, superseded + accepted + rejected(c), c);
                assertEquals(accepted, ops.size(), c + ": one operation per accepted request");
            }
        });
        assertTrue(second.executed() > 0, "the second instance ran tasks");
        assertTrue(orchestrator.runner().executed() > firstBefore, "the first instance ran tasks");
    }

    private long rejected(String c) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM scale_request WHERE cluster_name = ?1 AND status = 'REJECTED'")
                .setParameter(1, c).getSingleResult()).longValue();
    }

    private String settled(List<String> clusters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StringBuilder unsettled = new StringBuilder();
            for (String c : clusters) {
                long pending = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM scale_request WHERE cluster_name = ?1 "
                        + "AND status = 'PENDING'").setParameter(1, c).getSingleResult()).longValue();
                long active = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM operation WHERE active_cluster = ?1")
                        .setParameter(1, c).getSingleResult()).longValue();
                long live = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id "
                        + "WHERE k.name = ?1 AND n.state = 'ACTIVE'").setParameter(1, c).getSingleResult()).longValue();
                int newest = ((Number) em.createNativeQuery("SELECT target_size FROM scale_request WHERE cluster_name = ?1 "
                        + "ORDER BY id DESC LIMIT 1").setParameter(1, c).getSingleResult()).intValue();
                if (pending > 0 || active > 0 || live != newest) {
                    unsettled.append(c).append(": pending=").append(pending).append(" active=").append(active)
                            .append(" live=").append(live).append(" newest=").append(newest).append(' ')
                            .append(em.createNativeQuery("SELECT GROUP_CONCAT(CONCAT(id, ':', target_size, ':', status, ':', "
                                    + "COALESCE(status_detail, '')) ORDER BY id) FROM scale_request WHERE cluster_name = ?1")
                                    .setParameter(1, c).getSingleResult()).append("; ");
                }
            }
            return unsettled.toString();
        });
    }
}
