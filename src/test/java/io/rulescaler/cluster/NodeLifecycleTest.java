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

    NodeLifecycleTest(NodeService nodes, ClusterRepository clusters) {
        this.nodes = nodes;
        this.clusters = clusters;
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
