package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.testing.TinyHttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Rolling redeploy on the stub provider: 4 nodes move from app.version 1 to 2 in batches of 2
 * (the cluster spec takes the new parameters at once, nodes record the spec version they run,
 * progress reads by batch); a batch whose health gate fails rolls the done batches back to the
 * previous parameters; a cancel with onFailure=pause leaves the redeploy paused with the nodes
 * back in service, and a redeploy without parameters then brings the rest up to date. Health is
 * a real HTTP server on loopback ({@code health.http.host}), one path per node.
 */
@QuarkusTest
class RedeployOnStubTest {

    @Test
    void fourNodesMoveInBatchesOfTwoAndAFailedGateRollsBack() throws Exception {
        String c = Ops.unique("rd");
        try (TinyHttpServer health = new TinyHttpServer()) {
            for (int i = 1; i <= 4; i++) {
                health.answer("/health/" + c + "-" + i, 200, "ok");
            }
            cluster(c, health.port());
            assertEquals("succeeded", Ops.await(Ops.scale(c, 4).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
            JsonPath before = cluster(c);
            assertEquals(1, before.getInt("specVersion"));
            assertEquals(0, before.getInt("nodesOnOlderSpec"));

            // batch 2 cannot pass its gate until the test lets it: progress is seen between the batches
            health.answer("/health/" + c + "-3", 500, "not yet");
            health.answer("/health/" + c + "-4", 500, "not yet");
            JsonPath started = redeploy(c, Map.of("parameters", Map.of("app.version", "2"), "batchSize", 2,
                    "healthGateSeconds", 60, "reason", "ship version 2"), 202);
            long op = started.getLong("operationId");
            assertEquals("running", started.getString("state"));
            assertEquals(2, started.getInt("batches"));
            JsonPath during = cluster(c);
            assertEquals("2", during.getString("spec.parameters.'app.version'"), "the spec takes the new parameters at once");
            assertEquals(2, during.getInt("specVersion"));
            waitFor(() -> operation(op).getInt("batches.done") == 1, "batch 1 done");
            JsonPath progress = operation(op);
            assertEquals(2, progress.getInt("batches.total"));
            assertEquals(2, progress.getInt("batches.current"));
            assertEquals(List.of(c + "-1", c + "-2"), progress.getList("batches.batches[0].nodes"));
            assertEquals(2, cluster(c).getInt("nodesOnOlderSpec"), "nodes 3 and 4 still run spec version 1");
            Map<String, Map<String, Object>> nodes = byName(c);
            assertEquals(2, nodes.get(c + "-1").get("specVersion"));
            assertEquals(true, nodes.get(c + "-3").get("olderSpec"));
            // a second redeploy is refused while this one runs; a scale request waits for it
            redeploy(c, Map.of("parameters", Map.of("app.version", "9")), 409);
            assertEquals("PENDING", Ops.scale(c, 5).getString("status"));

            health.answer("/health/" + c + "-3", 200, "ok");
            health.answer("/health/" + c + "-4", 200, "ok");
            JsonPath done = Ops.await(op, Duration.ofSeconds(90));
            assertEquals("succeeded", done.getString("state"), done.prettify());
            assertEquals(2, done.getInt("batches.done"));
            assertTrue(log(done, "batch-2/configure/configure", c + "-4").contains("app version 2"));
            assertEquals("succeeded", latest(c).getString("state"));
            // the scale request that waited runs now: a fifth node, configured with version 2
            waitFor(() -> Ops.nodes(c).stream().filter(n -> "active".equals(n.get("state"))).count() == 5, "the waiting scale-out ran");
            assertEquals(0, cluster(c).getInt("nodesOnOlderSpec"));
            assertTrue(byName(c).values().stream().allMatch(n -> Integer.valueOf(2).equals(n.get("specVersion"))), byName(c).toString());

            // version 3: node 3 fails its gate, so batches 1 and 2 go back to version 2
            health.answer("/health/" + c + "-3", 500, "broken by version 3");
            JsonPath bad = redeploy(c, Map.of("parameters", Map.of("app.version", "3"), "batchSize", 2, "healthGateSeconds", 5,
                    "onFailure", "rollback"), 202);
            waitFor(() -> latest(c).get("rollbackOperationId") != null, "the rollback starts");
            health.answer("/health/" + c + "-3", 200, "ok again");
            JsonPath failed = Ops.await(bad.getLong("operationId"), Duration.ofSeconds(60));
            assertEquals("failed", failed.getString("state"));
            assertTrue(failed.getString("error").contains("health gate"), failed.getString("error"));
            JsonPath rollback = Ops.await(latest(c).getLong("rollbackOperationId"), Duration.ofSeconds(90));
            assertEquals("succeeded", rollback.getString("state"), rollback.prettify());
            assertTrue(log(rollback, "batch-2/configure/configure", c + "-3").contains("app version 2"));
            JsonPath rolledBack = latest(c);
            assertEquals("rolled-back", rolledBack.getString("state"), rolledBack.prettify());
            JsonPath after = cluster(c);
            assertEquals("2", after.getString("spec.parameters.'app.version'"), "the spec has the previous parameters again");
            assertEquals(2, after.getInt("specVersion"));
            assertEquals(0, after.getInt("nodesOnOlderSpec"));
            assertTrue(byName(c).values().stream().allMatch(n -> "active".equals(n.get("state"))), byName(c).toString());
        }
    }

    @Test
    void cancelWithPauseStopsWithNodesBackInServiceAndARedeployGoesOn() throws Exception {
        String c = Ops.unique("rdc");
        try (TinyHttpServer health = new TinyHttpServer()) {
            for (int i = 1; i <= 4; i++) {
                health.answer("/health/" + c + "-" + i, 200, "ok");
            }
            cluster(c, health.port());
            assertEquals("succeeded", Ops.await(Ops.scale(c, 4).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
            health.answer("/health/" + c + "-1", 500, "slow to start");
            JsonPath r = redeploy(c, Map.of("parameters", Map.of("app.version", "4"), "batchSize", 2, "healthGateSeconds", 120,
                    "onFailure", "pause"), 202);
            long op = r.getLong("operationId");
            // node 2 passes its gate at once; node 1's gate keeps waiting for a healthy answer
            waitFor(() -> Integer.valueOf(2).equals(byName(c).get(c + "-2").get("specVersion")), c + "-2 on the new spec");
            waitFor(() -> operation(op).getList("tasks", Map.class).stream().anyMatch(t -> "HealthGate".equals(t.get("action"))
                    && (c + "-1").equals(t.get("node")) && "running".equals(t.get("state"))), "the health gate of " + c + "-1 waits");
            asAdmin().post("/api/v1/operations/" + op + "/cancel").then().statusCode(202);
            JsonPath cancelled = Ops.await(op, Duration.ofSeconds(60));
            assertEquals("cancelled", cancelled.getString("state"), cancelled.prettify());
            JsonPath paused = latest(c);
            assertEquals("paused", paused.getString("state"), paused.prettify());
            assertTrue(paused.getString("detail").contains("paused after operation " + op), paused.getString("detail"));
            // the drained nodes went back into service; the spec keeps version 4, which only node 2 runs
            assertTrue(byName(c).values().stream().allMatch(n -> "active".equals(n.get("state"))), byName(c).toString());
            assertEquals("4", cluster(c).getString("spec.parameters.'app.version'"));
            assertEquals(3, cluster(c).getInt("nodesOnOlderSpec"));
            assertTrue(paused.getString("detail").contains("on spec version 2: " + c + "-2;"), paused.getString("detail"));

            health.answer("/health/" + c + "-1", 200, "ok");
            JsonPath resumed = redeploy(c, Map.of("batchPercent", 50), 202);
            JsonPath done = Ops.await(resumed.getLong("operationId"), Duration.ofSeconds(90));
            assertEquals("succeeded", done.getString("state"), done.prettify());
            assertEquals(3, done.getInt("batches.total"), "50 % of the 3 nodes on an older spec: batches of 1");
            assertEquals(3, done.getInt("batches.done"));
            assertTrue(done.getList("nodes.node").stream().noneMatch((c + "-2")::equals), "only nodes on an older spec: " + done.prettify());
            assertEquals(0, cluster(c).getInt("nodesOnOlderSpec"));
        }
    }

    @Test
    void replacingRollsBackByRetiringTheFailedNodeAndReplacingTheDoneOnes() throws Exception {
        String c = Ops.unique("rdr");
        try (TinyHttpServer health = new TinyHttpServer()) {
            health.answer("/health/" + c + "-1", 200, "ok").answer("/health/" + c + "-2", 200, "ok")
                    .answer("/health/" + c + "-3", 200, "ok").answer("/health/" + c + "-4", 500, "broken")
                    .answer("/health/" + c + "-5", 200, "ok");
            cluster(c, health.port());
            assertEquals("succeeded", Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
            JsonPath r = redeploy(c, Map.of("parameters", Map.of("app.version", "2"), "strategy", "replace", "batchSize", 1,
                    "healthGateSeconds", 3), 202);
            JsonPath failed = Ops.await(r.getLong("operationId"), Duration.ofSeconds(90));
            assertEquals("failed", failed.getString("state"), failed.prettify());
            waitFor(() -> latest(c).get("rollbackOperationId") != null, "the rollback starts");
            JsonPath rollback = Ops.await(latest(c).getLong("rollbackOperationId"), Duration.ofSeconds(90));
            assertEquals("succeeded", rollback.getString("state"), rollback.prettify());
            assertEquals("rolled-back", latest(c).getString("state"));
            // node 3 (new, passed) was replaced by node 5 on the old spec; node 4 (new, failed) was retired; node 2 never moved
            Map<String, Map<String, Object>> live = byName(c);
            assertEquals(java.util.Set.of(c + "-2", c + "-5"), live.keySet(), live.toString());
            assertTrue(live.values().stream().allMatch(n -> "active".equals(n.get("state")) && Integer.valueOf(1).equals(n.get("specVersion"))),
                    live.toString());
            assertEquals("1", cluster(c).getString("spec.parameters.'app.version'"));
            assertEquals(0, cluster(c).getInt("nodesOnOlderSpec"));
        }
    }

    @Test
    void badInputIsRefusedWithProblems() {
        String c = Ops.unique("rdb");
        cluster(c, 1);
        problem(c, Map.of("strategy", "blue-green"), 400, "strategy");
        problem(c, Map.of("batchSize", 0), 400, "batchSize");
        problem(c, Map.of("batchPercent", 101), 400, "batchPercent");
        problem(c, Map.of("batchSize", 1, "batchPercent", 10), 400, "batchSize");
        problem(c, Map.of("onFailure", "ignore"), 400, "onFailure");
        problem(c, Map.of("bachSize", 2), 400, "bachSize");
        problem(c, Map.of("parameters", Map.of("app.verison", "2")), 400, "app.verison");
        problem(c, Map.of("deployable", "tomcat-war"), 400, "no deployable 'tomcat-war'");
        problem("no-such-cluster-x", Map.of("batchSize", 1), 404, "no-such-cluster-x");
        problem(c, Map.of("batchSize", 1), 409, "no active node");
        assertEquals(1, cluster(c).getInt("specVersion"), "a refused redeploy changes nothing");
    }

    private static void problem(String cluster, Map<String, Object> body, int status, String mentions) {
        String answer = asAdmin().contentType("application/json").body(body).post("/api/v1/clusters/" + cluster + "/redeploy")
                .then().statusCode(status).contentType("application/problem+json").extract().asString();
        assertTrue(answer.contains(mentions), answer);
    }

    private static void cluster(String c, int healthPort) {
        Ops.cluster(c, "stub", 10, """
                chains: {scaleOut: test-redeploy-scale-out}
                parameters: {app.version: "1"}
                health:
                  http: {path: "/health/{node}", port: %d, host: 127.0.0.1, intervalSeconds: 1, timeoutSeconds: 2,
                         unhealthyAfter: 100, healthyAfter: 1}
                  graceSeconds: 0
                """.formatted(healthPort));
    }

    private static JsonPath redeploy(String c, Map<String, Object> body, int status) {
        return asAdmin().contentType("application/json").body(body).post("/api/v1/clusters/" + c + "/redeploy")
                .then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath cluster(String c) {
        return asAdmin().get("/api/v1/clusters/" + c).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath latest(String c) {
        return new JsonPath(asAdmin().get("/api/v1/clusters/" + c + "/redeploy").then().statusCode(200).extract()
                .jsonPath().prettify()).setRootPath("[0]");
    }

    private static JsonPath operation(long id) {
        return asAdmin().get("/api/v1/operations/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Map<String, Object>> byName(String c) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        Ops.nodes(c).stream().filter(n -> !"terminated".equals(n.get("state"))).forEach(n -> out.put((String) n.get("name"), n));
        return out;
    }

    private static String log(JsonPath op, String step, String node) {
        List<Map<String, Object>> tasks = op.getList("tasks");
        Map<String, Object> t = tasks.stream().filter(x -> step.equals(x.get("step")) && node.equals(x.get("node"))).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + step + " for " + node + " in " + tasks));
        assertNotNull(t.get("id"));
        return asAdmin().get("/api/v1/operations/" + op.getLong("id") + "/tasks/" + t.get("id") + "/log").then().statusCode(200)
                .extract().asString();
    }

    private static void waitFor(BooleanSupplier done, String what) {
        for (int i = 0; i < 900; i++) { // up to 90 s on a loaded machine
            if (done.getAsBoolean()) {
                return;
            }
            Ops.sleep(100);
        }
        throw new AssertionError("not seen within 90 s: " + what);
    }
}
