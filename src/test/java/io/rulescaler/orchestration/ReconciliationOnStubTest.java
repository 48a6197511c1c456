package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.provider.ComputeProviders;
import io.rulescaler.provider.Installation;
import io.rulescaler.provider.Machine;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation of the node table with the stub provider (journaled under the data folder) on the
 * real database, through the REST API: machines destroyed behind rulescaler's back, machines no
 * node accounts for, machines of another installation, and a provider that does not answer.
 */
@QuarkusTest
class ReconciliationOnStubTest {

    @Inject
    ComputeProviders providers;
    @Inject
    Installation installation;
    @Inject
    NodeService nodeService;
    @Inject
    ClusterRepository clusters;

    @Test
    void machinesDestroyedBehindItsBackAreFailedAndReplacedOneAfterTheOther() throws Exception {
        String c = Ops.unique("rcv");
        Ops.cluster(c, "stub", 10, null);
        assertEquals("succeeded", Ops.await(Ops.scale(c, 3).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        List<Map<String, Object>> before = Ops.nodes(c);
        Map<String, Object> kept = before.get(0);
        Set<String> victims = Set.of((String) before.get(1).get("name"), (String) before.get(2).get("name"));
        for (Map<String, Object> n : before.subList(1, 3)) {
            providers.get("stub").destroy((String) n.get("providerId"));
        }

        JsonPath report = reconcile(c);
        assertEquals("ok", report.getString("outcome"), report.prettify());
        assertEquals(victims, Set.copyOf(report.getList("failedNodes.node", String.class)), report.prettify());
        assertEquals(1, report.getInt("matchedNodes"));
        assertTrue(report.getList("unknownMachines").isEmpty(), report.prettify());
        Long first = report.getLong("replaceOperationId");
        assertNotNull(first, report.prettify());

        // the first replace runs; when it ends the second vanished node is replaced at once
        JsonPath op1 = Ops.await(first, Duration.ofSeconds(60));
        assertEquals("succeeded", op1.getString("state"), op1.prettify());
        assertEquals("replace", op1.getString("kind"));
        assertEquals("reconcile", op1.getString("source"));
        List<Map<String, Object>> replaces = awaitOperations(c, "replace", 2);
        JsonPath op2 = Ops.await(((Number) replaces.get(0).get("id")).longValue(), Duration.ofSeconds(60));
        assertEquals("succeeded", op2.getString("state"), op2.prettify());

        List<Map<String, Object>> after = Ops.nodes(c);
        for (String v : victims) {
            Map<String, Object> node = after.stream().filter(n -> v.equals(n.get("name"))).findFirst().orElseThrow();
            assertEquals("terminated", node.get("state"), after.toString());
            List<Map<String, Object>> history = asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + v).then().statusCode(200)
                    .extract().jsonPath().getList("history");
            assertTrue(history.stream().anyMatch(h -> "failed".equals(h.get("to"))
                    && String.valueOf(h.get("reason")).startsWith("reconcile: machine vanished")), history.toString());
        }
        List<Map<String, Object>> active = after.stream().filter(n -> "active".equals(n.get("state"))).toList();
        assertEquals(3, active.size(), after.toString());
        assertTrue(active.stream().anyMatch(n -> kept.get("name").equals(n.get("name"))), "the node that kept its machine stays");
        Set<Object> machineIds = Ops.machines("stub", c).stream().map(m -> m.get("providerId")).collect(Collectors.toSet());
        assertEquals(active.stream().map(n -> n.get("providerId")).collect(Collectors.toSet()), machineIds,
                "one machine per active node, the successors' machines are new");
        assertTrue(Ops.machines("stub", c).stream().allMatch(m -> installation.id().equals(((Map<?, ?>) m.get("tags"))
                .get(Machine.TAG_INSTALLATION))), "new machines carry this installation's id");

        JsonPath again = reconcile(c);
        assertEquals(3, again.getInt("matchedNodes"), again.prettify());
        assertTrue(again.getList("failedNodes").isEmpty(), again.prettify());
        assertNull(again.get("replaceOperationId"));
        assertEquals(again.getString("checkedAt"), asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then()
                .statusCode(200).extract().jsonPath().getString("checkedAt"), "GET shows the last report");
    }

    @Test
    void aTaggedMachineWithoutANodeIsReportedNotDestroyedAndAnOrphanOfANodeIsAdopted() throws Exception {
        String c = Ops.unique("rcu");
        Ops.cluster(c, "stub", 10, null);
        assertEquals("succeeded", Ops.await(Ops.scale(c, 1).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        long failed = failedNodeWithoutMachine(c, c + "-7");
        Machine orphan = providers.get("stub").create(c, c + "-7", "a", null, Map.of(Machine.TAG_CLUSTER, c,
                Machine.TAG_NODE, c + "-7", Machine.TAG_NODE_ID, Long.toString(failed)));
        Machine ghost = providers.get("stub").create(c, c + "-99", "a", null, Map.of(Machine.TAG_CLUSTER, c,
                Machine.TAG_NODE, c + "-99", Machine.TAG_NODE_ID, "987654321"));
        int operationsBefore = operations(c).size();

        JsonPath report = reconcile(c);
        assertEquals("ok", report.getString("outcome"), report.prettify());
        assertEquals(List.of(orphan.providerId()), report.getList("adoptedMachines.providerId"), report.prettify());
        assertEquals(List.of(ghost.providerId()), report.getList("unknownMachines.providerId"), report.prettify());
        assertTrue(report.getString("unknownMachines[0].reason").contains("database does not have"), report.prettify());
        assertTrue(report.getList("failedNodes").isEmpty(), report.prettify());

        assertTrue(Ops.machines("stub", c).stream().anyMatch(m -> ghost.providerId().equals(m.get("providerId"))),
                "an unknown machine is never destroyed");
        Map<String, Object> adopted = Ops.nodes(c).stream().filter(n -> (c + "-7").equals(n.get("name"))).findFirst().orElseThrow();
        assertEquals(orphan.providerId(), adopted.get("providerId"));
        assertEquals("failed", adopted.get("state"), "adopting records the machine, it does not pretend the node works");
        assertEquals(1, Ops.nodes(c).stream().filter(n -> "active".equals(n.get("state"))).count());
        assertEquals(operationsBefore, operations(c).size(), "nothing was started for an unknown machine");
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("rulescaler_reconcile_unknown_machines{")
                && l.contains("cluster=\"" + c + "\"") && l.endsWith(" 1.0")), "unknown-machines gauge");
        JsonPath last = asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then().statusCode(200).extract().jsonPath();
        assertEquals(ghost.providerId(), last.getString("unknownMachines[0].providerId"));
        providers.get("stub").destroy(ghost.providerId());
    }

    @Test
    void aMachineTaggedByAnotherInstallationIsNeitherAdoptedNorReportedNorDestroyedByAReplace() throws Exception {
        String c = Ops.unique("rcf");
        Ops.cluster(c, "stub", 10, null);
        long id = failedNodeWithoutMachine(c, c + "-1");
        // the same cluster name, node name and node id, written by another installation
        Machine theirs = providers.get("stub").create(c, c + "-1", "a", null, Map.of(Machine.TAG_CLUSTER, c,
                Machine.TAG_NODE, c + "-1", Machine.TAG_NODE_ID, Long.toString(id), Machine.TAG_INSTALLATION, "another-installation"));
        assertNotEquals(installation.id(), "another-installation");

        JsonPath report = reconcile(c);
        assertEquals("ok", report.getString("outcome"), report.prettify());
        assertTrue(report.getList("adoptedMachines").isEmpty(), report.prettify());
        assertTrue(report.getList("unknownMachines").isEmpty(), report.prettify());
        assertEquals(1, report.getInt("foreignMachines"), report.prettify());
        assertNull(Ops.nodes(c).get(0).get("providerId"));

        // replacing that node destroys only its own machines: the tags match the node, the installation does not
        long op = asAdmin().contentType("application/json").body(Map.of("cluster", c, "type", "replace", "node", c + "-1"))
                .post("/api/v1/operations").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals("succeeded", Ops.await(op, Duration.ofSeconds(60)).getString("state"));
        List<Map<String, Object>> machines = Ops.machines("stub", c);
        assertTrue(machines.stream().anyMatch(m -> theirs.providerId().equals(m.get("providerId"))),
                "the other installation's machine is left alone");
        assertEquals(2, machines.size(), machines.toString());
        Map<String, Object> successor = Ops.nodes(c).stream().filter(n -> "active".equals(n.get("state"))).findFirst().orElseThrow();
        assertNotEquals(theirs.providerId(), successor.get("providerId"));
        providers.get("stub").destroy(theirs.providerId());
    }

    @Test
    void aProviderThatDoesNotAnswerChangesNothing() throws Exception {
        String c = Ops.unique("rcb");
        Ops.cluster(c, "stub-blind", 10, null);
        assertEquals("succeeded", Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        List<Map<String, Object>> before = Ops.nodes(c);
        providers.get("stub-blind").destroy((String) before.get(0).get("providerId"));
        int operationsBefore = operations(c).size();
        double errorsBefore = providerErrors("stub-blind");

        JsonPath report = reconcile(c);
        assertEquals("provider-unreachable", report.getString("outcome"), report.prettify());
        assertTrue(report.getString("detail").contains("nothing was changed"), report.prettify());
        assertEquals(before, Ops.nodes(c), "node rows unchanged");
        assertEquals(operationsBefore, operations(c).size(), "no operation started");
        assertEquals(errorsBefore + 1, providerErrors("stub-blind"));
        assertEquals("provider-unreachable", asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then()
                .statusCode(200).extract().jsonPath().getString("outcome"));
    }

    @Test
    void nodesOfAnOperationInFlightAreLeftToIt() {
        String c = Ops.unique("rcs");
        Ops.cluster(c, "stub-slow", 10, null);
        long op = Ops.scale(c, 1).getLong("operationId");
        JsonPath report = reconcile(c);
        assertEquals("busy", report.getString("outcome"), report.prettify());
        assertTrue(report.getString("detail").contains("operation " + op), report.prettify());
        assertTrue(report.getList("failedNodes").isEmpty(), report.prettify());
        assertTrue(report.getList("adoptedMachines").isEmpty(), report.prettify());
        JsonPath done = Ops.await(op, Duration.ofSeconds(60));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        assertEquals("active", Ops.nodes(c).get(0).get("state"));
        assertEquals("ok", reconcile(c).getString("outcome"));
    }

    @Test
    void unknownClusterIs404AndADeletedClustersReportGoesWithIt() {
        asAdmin().post("/api/v1/clusters/no-such-cluster/reconciliation").then().statusCode(404)
                .contentType("application/problem+json");
        String c = Ops.unique("rcn");
        Ops.cluster(c, "stub", 10, null);
        asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("never"));
        assertEquals("ok", reconcile(c).getString("outcome"));
        asAdmin().delete("/api/v1/clusters/" + c).then().statusCode(204);
        asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then().statusCode(404);
        Ops.cluster(c, "stub", 10, null);
        asAdmin().get("/api/v1/clusters/" + c + "/reconciliation").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("never"));
    }

    private static JsonPath reconcile(String cluster) {
        return asAdmin().post("/api/v1/clusters/" + cluster + "/reconciliation").then().statusCode(200).extract().jsonPath();
    }

    private long failedNodeWithoutMachine(String cluster, String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long cid = clusters.findByName(cluster).orElseThrow().id;
            long id = nodeService.request(cid, name, "a", 1, "test: a deploy that timed out after the machine was made").id;
            nodeService.transition(id, NodeState.PROVISIONING, "test");
            nodeService.transition(id, NodeState.FAILED, "test: deploy timed out");
            return id;
        });
    }

    private static List<Map<String, Object>> operations(String cluster) {
        return asAdmin().get("/api/v1/operations?cluster=" + cluster).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<Map<String, Object>> awaitOperations(String cluster, String kind, int count) {
        Instant end = Instant.now().plusSeconds(30);
        List<Map<String, Object>> ops;
        do {
            ops = operations(cluster).stream().filter(o -> kind.equals(o.get("kind"))).toList();
            if (ops.size() >= count) {
                return ops;
            }
            Ops.sleep(150);
        } while (Instant.now().isBefore(end));
        throw new AssertionError("expected " + count + " " + kind + " operations of " + cluster + ", got " + ops);
    }

    private static double providerErrors(String profile) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("rulescaler_reconcile_provider_errors_total{")
                        && l.contains("profile=\"" + profile + "\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0.0);
    }
}
