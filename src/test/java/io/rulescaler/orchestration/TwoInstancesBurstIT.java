package io.rulescaler.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import io.rulescaler.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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

    private static final String TOKEN = "burst-it-admin-token";
    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private static final int[] TARGETS = {4, 7, 3, 5};
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
    void aBurstOnTwoProcessesRunsEveryTaskOnceAndOneOperationPerClusterAtATime() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "burst-it-");
        database = "rulescaler_burst_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String a = "vm-a-" + Long.toString(System.nanoTime() % 100_000, 36);
        String b = "vm-b-" + Long.toString(System.nanoTime() % 100_000, 36);
        ServiceProcess first = start(work, a);
        ServiceProcess second = start(work, b);
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
        List<Object[]> r = rows(sql, 1);
        return r.isEmpty() || r.get(0)[0] == null ? -1 : ((Number) r.get(0)[0]).longValue();
    }

    private List<Object[]> rows(String sql, int columns) {
        try (Connection c = DriverManager.getConnection(SERVER + database, "root", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private ServiceProcess start(Path work, String instance) throws Exception {
        Path dir = Files.createDirectories(work.resolve(instance));
        ServiceProcess p = ServiceProcess.start(dir, Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", SERVER + database + "?createDatabaseIfNotExist=true"),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "root"),
                Map.entry("RULESCALER_DATA_DIR", dir.resolve("data").toString()),
                Map.entry("RULESCALER_CLUSTERS_DIR", dir.resolve("no-clusters").toString()),
                Map.entry("RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString()),
                Map.entry("RULESCALER_SCRIPTS_DIR", Path.of("fabric-scripts").toAbsolutePath().toString()),
                Map.entry("RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", TOKEN),
                Map.entry("RULESCALER_ORCHESTRATION_INSTANCE_ID", instance),
                Map.entry("RULESCALER_ORCHESTRATION_WORKERS", "4"),
                // each process has its own in-memory stub provider: reconciling one's machines against
                // the other's stub would call them vanished; this test is about the task queue
                Map.entry("RULESCALER_RECONCILE_ON_START", "false"),
                Map.entry("RULESCALER_RECONCILE_INTERVAL", "off"),
                Map.entry("RULESCALER_CAPACITY_KEEP_BOUNDS", "false")), Duration.ofSeconds(120));
        started.add(p);
        return p;
    }

    private static RequestSpecification given(ServiceProcess p) {
        return io.restassured.RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + TOKEN)
                .config(io.rulescaler.testing.Api.CONFIG);
    }
}
