package io.rulescaler.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import io.rulescaler.testing.InstancesOnOneDatabase;
import io.rulescaler.testing.ServiceProcess;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged service processes on one MariaDB (Debian's, 127.0.0.1:3306), as an operator runs
 * them behind a load balancer, under a burst of scale requests sent to both from eight threads:
 * every task runs exactly once (one attempt, one log), no cluster ever has two operations at once,
 * each cluster ends at the size of its newest request, and both processes ran tasks.
 */
class TwoInstancesBurstIT {

    private static final int[] TARGETS = {4, 7, 3, 5};
    private InstancesOnOneDatabase db;

    @AfterEach
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aBurstOnTwoProcessesRunsEveryTaskOnceAndOneOperationPerClusterAtATime() throws Exception {
        db = new InstancesOnOneDatabase("burst");
        String a = InstancesOnOneDatabase.instanceId("vm-a");
        String b = InstancesOnOneDatabase.instanceId("vm-b");
        ServiceProcess first = start(a);
        ServiceProcess second = start(b);
        List<String> clusters = List.of("burst-1", "burst-2", "burst-3", "burst-4");
        for (String c : clusters) {
            given(first).contentType("application/yaml").body("""
                    name: %s
                    provider: stub
                    size: {min: 0, max: 20, desired: 0}
                    chains: {scaleOut: noop-scale-out, scaleIn: stub-scale-in}
                    """.formatted(c)).post("/api/v1/clusters").then().statusCode(201);
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        int n = 0;
        for (int target : TARGETS) {
            for (String c : clusters) {
                ServiceProcess to = n++ % 2 == 0 ? first : second;
                answers.add(pool.submit(() -> given(to).contentType("application/json")
                        .body(Map.of("cluster", c, "type", "scale", "targetSize", target, "reason", "burst " + target))
                        .post("/api/v1/operations").then().extract().statusCode()));
            }
        }
        for (Future<Integer> f : answers) {
            assertEquals(202, f.get(60, TimeUnit.SECONDS), "every request is taken (accepted, queued or superseded)");
        }
        pool.shutdown();

        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String unsettled = unsettled(clusters);
        while (!unsettled.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(250);
            unsettled = unsettled(clusters);
        }
        assertEquals("", unsettled, "every cluster reached the size of its newest request, nothing pending or running");

        for (String c : clusters) {
            List<Object[]> ops = rows("SELECT id, created_at, finished_at, state FROM operation WHERE cluster_name = '" + c
                    + "' ORDER BY id", 4);
            assertTrue(!ops.isEmpty(), c);
            for (int i = 1; i < ops.size(); i++) {
                Timestamp prevEnd = (Timestamp) ops.get(i - 1)[2];
                Timestamp start = (Timestamp) ops.get(i)[1];
                assertTrue(prevEnd != null && !start.before(prevEnd),
                        c + ": operation " + ops.get(i)[0] + " started before " + ops.get(i - 1)[0] + " ended");
            }
            for (Object[] t : rows("SELECT t.id, COUNT(l.id), t.attempt, t.state FROM task t JOIN operation o ON o.id = t.operation_id"
                    + " LEFT JOIN task_log l ON l.task_id = t.id WHERE o.cluster_name = '" + c + "' GROUP BY t.id, t.attempt, t.state", 4)) {
                assertEquals("SUCCEEDED", t[3], c + " task " + t[0]);
                assertEquals(1L, ((Number) t[1]).longValue(), c + ": task " + t[0] + " ran " + t[1] + " times (one log per run)");
                assertEquals(1, ((Number) t[2]).intValue(), c + ": task " + t[0] + " attempts");
            }
            long accepted = count("SELECT COUNT(*) FROM scale_request WHERE cluster_name = '" + c + "' AND status = 'ACCEPTED'");
            assertEquals(accepted, ops.size(), c + ": one operation per accepted request");
            assertEquals(TARGETS.length, count("SELECT COUNT(*) FROM scale_request WHERE cluster_name = '" + c + "'"), c);
        }
        // each run's log row names the instance that ran it
        assertTrue(count("SELECT COUNT(*) FROM task_log WHERE owner = '" + a + "'") > 0, "instance " + a + " ran tasks");
        assertTrue(count("SELECT COUNT(*) FROM task_log WHERE owner = '" + b + "'") > 0, "instance " + b + " ran tasks");
    }

    private String unsettled(List<String> clusters) {
        StringBuilder out = new StringBuilder();
        for (String c : clusters) {
            long pending = count("SELECT COUNT(*) FROM scale_request WHERE cluster_name = '" + c + "' AND status = 'PENDING'");
            long running = count("SELECT COUNT(*) FROM operation WHERE active_cluster = '" + c + "'");
            long active = count("SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id WHERE k.name = '" + c
                    + "' AND n.state = 'ACTIVE'");
            long newest = count("SELECT target_size FROM scale_request WHERE cluster_name = '" + c + "' ORDER BY id DESC LIMIT 1");
            if (pending > 0 || running > 0 || active != newest) {
                out.append(c).append(": pending=").append(pending).append(" running=").append(running)
                        .append(" active=").append(active).append(" newest=").append(newest).append("; ");
            }
        }
        return out.toString();
    }

    private long count(String sql) {
        return db.count(sql);
    }

    private List<Object[]> rows(String sql, int columns) {
        return db.rows(sql, columns);
    }

    private ServiceProcess start(String instance) throws Exception {
        // each process has its own in-memory stub provider: reconciling one's machines against the
        // other's stub would call them vanished; this test is about the task queue
        return db.start(instance, Map.of("RULESCALER_ORCHESTRATION_WORKERS", "4", "RULESCALER_RECONCILE_ON_START", "false",
                "RULESCALER_RECONCILE_INTERVAL", "off"));
    }

    private static RequestSpecification given(ServiceProcess p) {
        return InstancesOnOneDatabase.admin(p);
    }
}
