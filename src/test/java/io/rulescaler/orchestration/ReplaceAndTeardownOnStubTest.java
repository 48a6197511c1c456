package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replace and teardown operations with the stub chains, through the REST API. */
@QuarkusTest
class ReplaceAndTeardownOnStubTest {

    @Test
    void replaceBringsUpASuccessorInTheSameZoneThenTeardownLeavesNothing() {
        String c = Ops.unique("rt");
        Ops.cluster(c, "stub", 10, null);
        assertEquals("succeeded", Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        Map<String, Object> old = Ops.nodes(c).get(0);

        long id = asAdmin().contentType("application/json").body(Map.of("cluster", c, "type", "replace", "node", old.get("name")))
                .post("/api/v1/operations").then().statusCode(201)
                .header("Location", containsString("/api/v1/operations/")).extract().jsonPath().getLong("id");
        // a second operation while one is in flight is a conflict
        asAdmin().contentType("application/json").body(Map.of("cluster", c, "type", "teardown"))
                .post("/api/v1/operations").then().statusCode(409).contentType("application/problem+json");
        JsonPath op = Ops.await(id, Duration.ofSeconds(60));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        assertEquals("stub-replace", op.getString("chain"));
        var nodes = Ops.nodes(c);
        Map<String, Object> oldNow = nodes.stream().filter(n -> n.get("name").equals(old.get("name"))).findFirst().orElseThrow();
        assertEquals("terminated", oldNow.get("state"));
        Map<String, Object> successor = nodes.stream().filter(n -> "active".equals(n.get("state"))
                && !n.get("name").equals(old.get("name")) && ((Integer) n.get("index")) == 3).findFirst().orElseThrow();
        assertEquals(old.get("zone"), successor.get("zone"), "the successor goes where the old node was");
        assertNotEquals(old.get("providerId"), successor.get("providerId"));
        assertEquals(2, Ops.machines("stub", c).size());

        asAdmin().contentType("application/json").body(Map.of("cluster", c, "type", "replace", "node", "no-such-node"))
                .post("/api/v1/operations").then().statusCode(404).contentType("application/problem+json");

        long down = asAdmin().contentType("application/json").body(Map.of("cluster", c, "type", "teardown"))
                .post("/api/v1/operations").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath td = Ops.await(down, Duration.ofSeconds(60));
        assertEquals("succeeded", td.getString("state"), td.prettify());
        assertTrue(Ops.nodes(c).stream().allMatch(n -> "terminated".equals(n.get("state"))), Ops.nodes(c).toString());
        assertEquals(0, Ops.machines("stub", c).size(), "teardown leaves no machine");
        // with no live node left the cluster can be deleted
        asAdmin().delete("/api/v1/clusters/" + c).then().statusCode(204);
    }
}
