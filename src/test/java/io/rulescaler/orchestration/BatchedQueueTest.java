package io.rulescaler.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationService;
import io.rulescaler.orchestration.operation.OperationState;
import io.rulescaler.orchestration.task.TaskCompletions;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskState;
import io.rulescaler.orchestration.task.TaskStore;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue's batched paths, driven by hand on an instance whose own runner is off (so nothing
 * else takes the tasks): planning writes its rows in bulk, concurrent batch claims never hand one
 * task to two workers, and a batch of outcomes records each at most once, fails the failing one
 * with the chain's rollback, drops outcomes whose lease is gone and moves the chain on.
 */
@QuarkusTest
@TestProfile(BatchedQueueTest.NoRunner.class)
class BatchedQueueTest {

    /** This instance runs no workers, janitor or intake: the test is the only worker. */
    public static class NoRunner implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.orchestration.enabled", "false");
        }
    }

    private static final Duration LEASE = Duration.ofMinutes(5);

    @Inject
    OperationService operations;

    @Inject
    TaskStore store;

    @Inject
    TaskCompletions completions;

    @Inject
    EntityManager em;

    private long plan(String cluster, int nodes) {
        Ops.cluster(cluster, "stub", nodes, "chains: {scaleOut: noop-scale-out}\n");
        OperationService.ScaleOutcome o = operations.requestScale(cluster, nodes, "test", "test");
        assertEquals("ACCEPTED", o.status(), o.detail());
        return o.operationId();
    }

    private List<TaskEntity> tasks(long op) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("from TaskEntity where operationId = ?1 order by seq, id",
                TaskEntity.class).setParameter(1, op).getResultList());
    }

    private long count(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return ((Number) q.getSingleResult()).longValue();
        });
    }

    /**
     * Claims every READY task (the shared test database may hold READY tasks of runs that died),
     * keeps and starts those of {@code op} and gives the others back.
     */
    private List<TaskEntity> claimOwn(String owner, long op) {
        List<TaskEntity> mine = new ArrayList<>();
        for (List<TaskEntity> got = store.claim(owner, 100, LEASE); !got.isEmpty(); got = store.claim(owner, 100, LEASE)) {
            got.stream().filter(t -> t.operationId == op).forEach(mine::add);
        }
        giveBackForeign(owner, op);
        QuarkusTransaction.requiringNew().run(() -> mine.forEach(t -> assertNotNull(store.start(t.id, owner, t.attempt))));
        return mine;
    }

    private void giveBackForeign(String owner, long op) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE task SET state = 'READY', lease_owner = NULL, "
                + "lease_expires_at = NULL, attempt = attempt - 1 WHERE lease_owner = ?1 AND operation_id <> ?2 AND state = 'RUNNING'")
                .setParameter(1, owner).setParameter(2, op).executeUpdate());
    }

    private static TaskCompletions.Done ok(TaskEntity t) {
        return new TaskCompletions.Done(t.id, t.attempt, new TaskStore.Outcome(true, false, "created m-" + t.id,
                Map.of("node.providerId", "m-" + t.id, "node.address", "10.9.0." + (t.id % 250)), "log of " + t.id + "\n"));
    }

    @Test
    void planningWritesEveryNodeHistoryAndTaskRowInBulk() {
        String c = Ops.unique("bulkplan");
        long op = plan(c, 600); // more rows than one multi-row statement takes
        assertEquals(600, count("SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id WHERE k.name = ?1", c));
        assertEquals(600, count("SELECT COUNT(DISTINCT n.node_index) FROM node n JOIN cluster k ON k.id = n.cluster_id "
                + "WHERE k.name = ?1 AND n.node_index BETWEEN 1 AND 600 AND n.state = 'REQUESTED'", c));
        assertEquals(400, count("SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id WHERE k.name = ?1 "
                + "AND n.zone = 'a'", c), "layout a:2, b:1");
        assertEquals(600, count("SELECT COUNT(*) FROM node_state_change h JOIN node n ON n.id = h.node_id JOIN cluster k "
                + "ON k.id = n.cluster_id WHERE k.name = ?1 AND h.from_state IS NULL AND h.to_state = 'REQUESTED'", c),
                "one REQUESTED history row per node");
        List<TaskEntity> tasks = tasks(op);
        assertEquals(1200, tasks.size());
        assertEquals(600, tasks.stream().filter(t -> t.seq == 0 && t.state == TaskState.READY).count(), "first step kicked off");
        assertEquals(600, tasks.stream().filter(t -> t.seq == 1 && t.state == TaskState.WAITING).count());
        assertEquals(0, count("SELECT COUNT(*) FROM task t LEFT JOIN node n ON n.id = t.node_id AND n.name = t.node_name "
                + "WHERE t.operation_id = ?1 AND (n.id IS NULL OR t.node_role <> 'ADDED' OR t.attempt <> 0)", op),
                "every task names its own new node");
        OperationEntity entity = QuarkusTransaction.requiringNew().call(() -> em.find(OperationEntity.class, op));
        assertTrue(tasks.stream().allMatch(t -> t.createdAt.equals(entity.createdAt) && t.nextRunAt != null),
                "tasks carry the operation's creation time exactly (same time zone handling as the entities)");
    }

    @Test
    void concurrentBatchClaimsNeverHandOneTaskToTwoWorkers() throws Exception {
        long op = plan(Ops.unique("claims"), 60);
        int workers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String owner = "claimer-" + w;
            results.add(pool.submit(() -> {
                go.await();
                List<Long> mine = new ArrayList<>();
                for (List<TaskEntity> got = store.claim(owner, 7, LEASE); !got.isEmpty(); got = store.claim(owner, 7, LEASE)) {
                    got.forEach(t -> {
                        assertEquals(owner, t.leaseOwner);
                        assertEquals(TaskState.RUNNING, t.state);
                        mine.add(t.id);
                    });
                }
                return mine;
            }));
        }
        go.countDown();
        Map<Long, String> claimedBy = new HashMap<>();
        int handedOut = 0;
        for (int w = 0; w < workers; w++) {
            for (Long id : results.get(w).get(60, TimeUnit.SECONDS)) {
                handedOut++;
                String earlier = claimedBy.put(id, "claimer-" + w);
                assertTrue(earlier == null, "task " + id + " handed to " + earlier + " and claimer-" + w);
            }
        }
        pool.shutdown();
        for (int w = 0; w < workers; w++) {
            giveBackForeign("claimer-" + w, op);
        }
        assertEquals(claimedBy.size(), handedOut);
        List<TaskEntity> deploy = tasks(op).stream().filter(t -> t.seq == 0).toList();
        assertEquals(60, deploy.size());
        for (TaskEntity t : deploy) {
            assertEquals(TaskState.RUNNING, t.state, "task " + t.id);
            assertEquals(claimedBy.get(t.id), t.leaseOwner, "the row names the one worker that got task " + t.id);
            assertEquals(1, t.attempt, "claimed once: task " + t.id);
        }
    }

    @Test
    void aBatchWithOneFailingTaskRecordsTheSuccessesAndRollsTheOperationBack() {
        long op = plan(Ops.unique("batchfail"), 5);
        List<TaskEntity> claimed = claimOwn("batcher", op);
        assertEquals(5, claimed.size());
        TaskEntity failing = claimed.get(2);
        List<TaskCompletions.Done> batch = new ArrayList<>();
        for (TaskEntity t : claimed) {
            batch.add(t == failing ? new TaskCompletions.Done(t.id, t.attempt, new TaskStore.Outcome(false, false,
                    "quota exceeded", Map.of(), "failed here\n")) : ok(t));
        }
        List<Long> ended = completions.finishAll("batcher", batch);
        assertTrue(ended.isEmpty(), "rolling back, not ended: undo tasks are waiting");

        Map<Long, TaskEntity> after = new HashMap<>();
        tasks(op).forEach(t -> after.put(t.id, t));
        for (TaskEntity t : claimed) {
            TaskEntity now = after.get(t.id);
            assertEquals(1, count("SELECT COUNT(*) FROM task_log WHERE task_id = ?1", t.id), "one log row for task " + t.id);
            if (t == failing) {
                assertEquals(TaskState.FAILED, now.state);
                assertEquals("FAILED", nodeState(t.nodeId));
            } else {
                assertEquals(TaskState.SUCCEEDED, now.state, "task " + t.id);
                assertTrue(now.outputsJson.contains("m-" + t.id), now.outputsJson);
                assertEquals("m-" + t.id, nodeProviderId(t.nodeId), "the machine id reached the node record");
                assertEquals("CONFIGURING", nodeState(t.nodeId), "the step's node state on success");
                assertEquals(null, now.leaseOwner);
            }
        }
        OperationEntity o = QuarkusTransaction.requiringNew().call(() -> em.find(OperationEntity.class, op));
        assertEquals(OperationState.ROLLING_BACK, o.state);
        assertTrue(o.error.contains("quota exceeded"), o.error);
        assertEquals(5, after.values().stream().filter(t -> t.undo && t.state == TaskState.READY).count(),
                "an undo task for every node whose deploy started");
        assertEquals(5, after.values().stream().filter(t -> t.seq == 1 && t.state == TaskState.CANCELLED).count());
    }

    @Test
    void aBatchRecordsEachOutcomeOnceDropsLostLeasesAndMovesTheChainToItsEnd() {
        long op = plan(Ops.unique("batchok"), 3);
        List<TaskEntity> deploy = claimOwn("worker-a", op);
        assertEquals(3, deploy.size());

        assertTrue(completions.finishAll("worker-b", List.of(ok(deploy.get(0)))).isEmpty());
        assertEquals(TaskState.RUNNING, tasks(op).get(0).state, "an outcome from a worker without the lease is dropped");

        completions.finishAll("worker-a", deploy.stream().map(BatchedQueueTest::ok).toList());
        List<TaskEntity> now = tasks(op);
        assertTrue(now.stream().filter(t -> t.seq == 0).allMatch(t -> t.state == TaskState.SUCCEEDED), now.toString());
        assertEquals(3, now.stream().filter(t -> t.seq == 1 && t.state == TaskState.READY).count(),
                "the batch finished the step, so the next one is ready");

        // as a retry does after a commit that went through although its connection died
        completions.finishAll("worker-a", deploy.stream().map(BatchedQueueTest::ok).toList());
        assertEquals(3, count("SELECT COUNT(*) FROM task WHERE operation_id = ?1 AND seq = 0 AND state = 'SUCCEEDED' "
                + "AND attempt = 1", op), "a repeated batch changes nothing");
        for (TaskEntity t : deploy) {
            assertEquals(1, count("SELECT COUNT(*) FROM task_log WHERE task_id = ?1 AND owner = 'worker-a'", t.id),
                    "no second log of task " + t.id);
        }

        List<TaskEntity> configure = claimOwn("worker-a", op);
        assertEquals(3, configure.size());
        List<Long> ended = completions.finishAll("worker-a", configure.stream().map(t -> new TaskCompletions.Done(t.id, t.attempt,
                new TaskStore.Outcome(true, false, null, Map.of(), "noop\n"))).toList());
        assertEquals(List.of(op), ended);
        OperationEntity o = QuarkusTransaction.requiringNew().call(() -> em.find(OperationEntity.class, op));
        assertEquals(OperationState.SUCCEEDED, o.state);
        assertEquals(null, o.activeCluster);
        Set<String> states = new HashSet<>();
        deploy.forEach(t -> states.add(nodeState(t.nodeId)));
        assertEquals(Set.of("ACTIVE"), states);
        assertNotNull(nodeProviderId(deploy.get(1).nodeId));
    }

    /** A claim is known by its lease end (what a runner looks for when the claim's commit failed) until a renewal. */
    @Test
    void aClaimIsFoundByItsLeaseEndUntilItsTasksAreRenewed() {
        long op = plan(Ops.unique("claimend"), 4);
        java.time.Instant until = java.time.Instant.now().plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Set<Long> claimed = new HashSet<>();
        for (List<TaskEntity> got = store.claim("ender", 100, until); !got.isEmpty(); got = store.claim("ender", 100, until)) {
            got.forEach(t -> claimed.add(t.id));
        }
        try {
            assertTrue(claimed.size() >= 4, "the operation's first step: " + claimed);
            Set<Long> found = new HashSet<>();
            QuarkusTransaction.requiringNew().run(() -> store.claimedUntil("ender", until).forEach(t -> found.add(t.id)));
            assertEquals(claimed, found);
            assertTrue(QuarkusTransaction.requiringNew().call(() -> store.claimedUntil("someone-else", until)).isEmpty());
            assertTrue(QuarkusTransaction.requiringNew().call(() -> store.claimedUntil("ender", until.plusNanos(1000))).isEmpty());
            long renewed = claimed.iterator().next();
            QuarkusTransaction.requiringNew().run(() -> store.renew("ender", Set.of(renewed), LEASE.plusSeconds(1)));
            Set<Long> after = new HashSet<>();
            QuarkusTransaction.requiringNew().run(() -> store.claimedUntil("ender", until).forEach(t -> after.add(t.id)));
            assertEquals(claimed.size() - 1, after.size());
            assertTrue(!after.contains(renewed), "a renewed task is running, no longer the lost claim's");
        } finally {
            giveBackForeign("ender", op);
        }
    }

    /**
     * The janitor re-queues a lease only if it is still expired when it writes: a renewal that commits while the
     * janitor waits for the row (the owner's heartbeat came late, e.g. during a database failover) keeps the task
     * with its runner; before, the janitor's unlocked read saw the old lease end and its update overwrote the
     * renewal (the renewal does not change the row's version), so the task ran a second time elsewhere.
     */
    @Test
    void aRenewalThatCommitsWhileTheJanitorWaitsKeepsTheTask() throws Exception {
        long op = plan(Ops.unique("latebeat"), 3);
        java.time.Instant expired = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<Long> claimed = new ArrayList<>();
        for (List<TaskEntity> got = store.claim("late", 100, expired); !got.isEmpty(); got = store.claim("late", 100, expired)) {
            got.stream().filter(t -> t.operationId == op).forEach(t -> claimed.add(t.id));
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            assertTrue(claimed.size() >= 3, "the operation's first step: " + claimed);
            long renewed = claimed.get(0);
            CountDownLatch renewing = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            Future<Integer> renewal = threads.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                int n = store.renew("late", Set.of(renewed), LEASE); // holds the row until it commits
                renewing.countDown();
                commit.await(30, TimeUnit.SECONDS);
                return n;
            }));
            assertTrue(renewing.await(30, TimeUnit.SECONDS));
            Future<Integer> janitor = threads.submit(() -> store.requeueExpired());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // the janitor's statement on the leases is under way (it waits for the renewed row, or reads past it unlocked)
            while (count("SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND command = 'Query'"
                    + " AND info LIKE '%lease_expires_at%' AND info NOT LIKE '%processlist%'") == 0) {
                assertTrue(System.nanoTime() < deadline, "the janitor waits for the renewed row");
                Thread.sleep(20);
            }
            commit.countDown();
            assertEquals(1, renewal.get(30, TimeUnit.SECONDS));
            janitor.get(30, TimeUnit.SECONDS);
            TaskEntity kept = tasks(op).stream().filter(t -> t.id == renewed).findFirst().orElseThrow();
            assertEquals(TaskState.RUNNING, kept.state, "the renewed task stays with its runner");
            assertEquals("late", kept.leaseOwner);
            assertEquals(1, kept.attempt, "and is not queued for a second attempt");
            for (TaskEntity other : tasks(op)) {
                if (claimed.contains(other.id) && other.id != renewed) {
                    assertEquals(TaskState.READY, other.state, "a lease nobody renewed is queued again: task " + other.id);
                }
            }
        } finally {
            threads.shutdownNow();
            giveBackForeign("late", op);
        }
    }

    private String nodeState(long nodeId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT state FROM node WHERE id = ?1")
                .setParameter(1, nodeId).getSingleResult());
    }

    private String nodeProviderId(long nodeId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT provider_id FROM node WHERE id = ?1")
                .setParameter(1, nodeId).getSingleResult());
    }
}
