package io.rulescaler.cluster;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.error.ConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class NodeLifecycleTest {

    private final NodeService nodes;
    private final ClusterRepository clusters;
    private final NodeRepository rows;

    NodeLifecycleTest(NodeService nodes, ClusterRepository clusters, NodeRepository rows) {
        this.nodes = nodes;
        this.clusters = clusters;
        this.rows = rows;
    }

    @Test
    void manyMovesAreWrittenInBulkAndTheSessionStaysInStep() {
        asAdmin().contentType("application/yaml").body(ClusterResourceTest.yaml("life-bulk", 0, 3))
                .put("/api/v1/clusters/life-bulk").then().statusCode(201);
        long clusterId = QuarkusTransaction.requiringNew().call(() -> clusters.findByName("life-bulk").orElseThrow().id);
        long[] ids = QuarkusTransaction.requiringNew().call(() -> new long[] {
            nodes.request(clusterId, "life-bulk-1", "a", 1, "t").id, nodes.request(clusterId, "life-bulk-2", "a", 2, "t").id,
            nodes.request(clusterId, "life-bulk-3", "a", 3, "t").id});
        long before = QuarkusTransaction.requiringNew().call(() -> rows.findById(ids[0]).version);
        int moved = QuarkusTransaction.requiringNew().call(() -> {
            int n = nodes.transitionAll(java.util.List.of(new NodeService.Move(ids[0], NodeState.PROVISIONING, "deploy"),
                    new NodeService.Move(ids[1], NodeState.PROVISIONING, "deploy"), new NodeService.Move(ids[2], NodeState.TERMINATING, "cancel"),
                    new NodeService.Move(ids[0], NodeState.CONFIGURING, "machine up"), // a second move of one node: from where the first left it
                    new NodeService.Move(ids[2], NodeState.ACTIVE, "not allowed from terminating")));
            NodeEntity first = rows.findById(ids[0]);
            assertTrue(first.state == NodeState.CONFIGURING, "the session holds the bulk-written state: " + first.state);
            first.address = "10.1.2.3"; // a change after the bulk moves, in the same transaction: no stale version
            return n;
        });
        org.junit.jupiter.api.Assertions.assertEquals(4, moved);
        NodeEntity first = QuarkusTransaction.requiringNew().call(() -> rows.findById(ids[0]));
        org.junit.jupiter.api.Assertions.assertEquals("10.1.2.3", first.address);
        org.junit.jupiter.api.Assertions.assertEquals(before + 3, first.version, "two bulk moves and the address change");
        asAdmin().get("/api/v1/clusters/life-bulk/nodes/life-bulk-1").then()
                .body("state", equalTo("configuring")).body("history.to", contains("requested", "provisioning", "configuring"));
        asAdmin().get("/api/v1/clusters/life-bulk/nodes/life-bulk-2").then()
                .body("state", equalTo("provisioning")).body("history.to", contains("requested", "provisioning"));
        asAdmin().get("/api/v1/clusters/life-bulk/nodes/life-bulk-3").then().body("state", equalTo("terminating"));
    }

    @Test
    void aNodeMovedMeanwhileFailsTheBulkMove() {
        asAdmin().contentType("application/yaml").body(ClusterResourceTest.yaml("life-race", 0, 3))
                .put("/api/v1/clusters/life-race").then().statusCode(201);
        long clusterId = QuarkusTransaction.requiringNew().call(() -> clusters.findByName("life-race").orElseThrow().id);
        long nodeId = QuarkusTransaction.requiringNew().call(() -> nodes.request(clusterId, "life-race-1", "a", 1, "t").id);
        RuntimeException lost = assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            rows.findById(nodeId); // read here (requested) ...
            QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.TERMINATING, "cancelled")); // ... moved by another
            nodes.transitionAll(java.util.List.of(new NodeService.Move(nodeId, NodeState.PROVISIONING, "deploy")));
        }));
        Throwable cause = lost;
        while (cause != null && !(cause instanceof jakarta.persistence.OptimisticLockException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().contains("moved from REQUESTED meanwhile"), String.valueOf(lost));
        asAdmin().get("/api/v1/clusters/life-race/nodes/life-race-1").then()
                .body("state", equalTo("terminating")).body("history.to", contains("requested", "terminating"));
    }

    @Test
    void aNodeShowsItsStateAndHistoryThroughTheApi() {
        asAdmin().contentType("application/yaml").body(ClusterResourceTest.yaml("life", 0, 3))
                .put("/api/v1/clusters/life").then().statusCode(201);
        long clusterId = QuarkusTransaction.requiringNew().call(() -> clusters.findByName("life").orElseThrow().id);
        long nodeId = QuarkusTransaction.requiringNew().call(() -> nodes.request(clusterId, "life-1", "a", 1, "test scale-out").id);
        QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.PROVISIONING, "deploy started"));
        QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.CONFIGURING, "machine up"));
        QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.ACTIVE, "configured"));

        asAdmin().get("/api/v1/clusters/life/nodes").then().statusCode(200)
                .body("", hasSize(1)).body("[0].state", equalTo("active"));
        asAdmin().get("/api/v1/clusters/life/nodes/life-1").then().statusCode(200)
                .body("history.to", contains("requested", "provisioning", "configuring", "active"))
                .body("history[3].reason", equalTo("configured"));
        asAdmin().get("/api/v1/clusters/life").then().body("nodes.active", equalTo(1));
        // a live node protects the cluster from deletion
        asAdmin().delete("/api/v1/clusters/life").then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("live nodes"));
    }

    @Test
    void aTerminatedNodeCannotComeBack() {
        asAdmin().contentType("application/yaml").body(ClusterResourceTest.yaml("life-b", 0, 3))
                .put("/api/v1/clusters/life-b").then().statusCode(201);
        long clusterId = QuarkusTransaction.requiringNew().call(() -> clusters.findByName("life-b").orElseThrow().id);
        long nodeId = QuarkusTransaction.requiringNew().call(() -> nodes.request(clusterId, "life-b-1", "a", 1, "t").id);
        QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.TERMINATING, "cancelled"));
        QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.TERMINATED, "gone"));
        ConflictException e = assertThrows(ConflictException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> nodes.transition(nodeId, NodeState.ACTIVE, "resurrect")));
        assertTrue(e.getMessage().contains("cannot move from terminated to active"), e.getMessage());
        asAdmin().get("/api/v1/clusters/life-b/nodes/life-b-1").then().body("state", equalTo("terminated"));
    }

    @ParameterizedTest(name = "{0} -> {1} allowed={2}")
    @CsvSource({
        "REQUESTED,PROVISIONING,true", "PROVISIONING,CONFIGURING,true", "CONFIGURING,ACTIVE,true",
        "ACTIVE,DRAINING,true", "DRAINING,TERMINATING,true", "TERMINATING,TERMINATED,true",
        "ACTIVE,FAILED,true", "FAILED,TERMINATING,true",
        "REQUESTED,ACTIVE,false", "TERMINATED,REQUESTED,false", "DRAINING,PROVISIONING,false", "FAILED,ACTIVE,false"})
    void lifecycleTransitions(NodeState from, NodeState to, boolean allowed) {
        if (allowed) {
            assertTrue(from.canMoveTo(to));
        } else {
            assertFalse(from.canMoveTo(to));
        }
    }
}
