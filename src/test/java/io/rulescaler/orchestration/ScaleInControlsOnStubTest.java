package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.testing.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scale-in controls on the stub provider through the REST API: protection by the API and by the
 * spec, the least-loaded fallback said in the operation, and a scale-in cancelled while its node
 * drains putting the node back to active (the shipped stub-scale-in chain with a slow drain).
 */
@QuarkusTest
class ScaleInControlsOnStubTest {

    @Test
    void protectedNodesNeverLeaveAndLeastLoadedWithoutVitalsSaysItFellBackToNewest() {
        String c = Ops.unique("prot");
        Ops.cluster(c, "stub", 10, "protectedNodes: [" + c + "-2]\nscaling: {scaleInPolicy: least-loaded}\n");
        assertEquals("succeeded", Ops.await(Ops.scale(c, 4).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        String operator = token("operator");
        Api.as(operator).contentType("application/json").body(Map.of("protected", true, "reason", "holds the debug session"))
                .put("/api/v1/clusters/" + c + "/nodes/" + c + "-4/protection").then().statusCode(200);
        // bad input writes nothing; an unknown node is a 404
        Api.as(operator).contentType("application/json").body("{}").put("/api/v1/clusters/" + c + "/nodes/" + c + "-3/protection")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("protected"));
        Api.as(operator).contentType("application/json").body(Map.of("protected", true))
                .put("/api/v1/clusters/" + c + "/nodes/absent/protection").then().statusCode(404);
        Api.as(token("viewer")).contentType("application/json").body(Map.of("protected", true))
                .put("/api/v1/clusters/" + c + "/nodes/" + c + "-3/protection").then().statusCode(403);

        Map<String, Map<String, Object>> before = byName(c);
        assertEquals(true, before.get(c + "-4").get("protectedNode"));
        assertEquals("holds the debug session", before.get(c + "-4").get("protectionReason"));
        assertEquals(true, before.get(c + "-2").get("protectedNode"), "protected by name in the spec");
        assertEquals(false, before.get(c + "-3").get("protectedNode"));

        JsonPath in = Ops.await(Ops.scale(c, 1).getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("succeeded", in.getString("state"), in.prettify());
        assertTrue(in.getString("reason").contains("no node has reported vitals, so the newest nodes leave instead"), in.getString("reason"));
        Map<String, Map<String, Object>> after = byName(c);
        assertEquals("active", after.get(c + "-2").get("state"));
        assertEquals("active", after.get(c + "-4").get("state"));
        assertEquals("terminated", after.get(c + "-1").get("state"));
        assertEquals("terminated", after.get(c + "-3").get("state"));
        // the history says who protected the node and why
        List<String> reasons = asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + c + "-4").then().statusCode(200)
                .extract().jsonPath().getList("history.reason");
        assertTrue(reasons.contains("protected from scale-in: holds the debug session"), reasons.toString());
    }

    @Test
    void cancellingAScaleInWhileItsNodeDrainsPutsTheNodeBackToActive() throws Exception {
        String chain = "test-slow-drain-scale-in";
        String shipped = Files.readString(Path.of("actions/stub-scale-in.yaml"));
        Files.writeString(OrchestrationTestResources.CHAINS.resolve(chain + ".yaml"), shipped
                .replace("name: stub-scale-in", "name: " + chain)
                .replace("params: {script: local/drain.sh}", "params: {script: local/drain.sh, wait: \"4\"}"));
        asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        String c = Ops.unique("undrain");
        Ops.cluster(c, "stub", 10, "chains: {scaleIn: " + chain + "}\n");
        assertEquals("succeeded", Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        long id = Ops.scale(c, 1).getLong("operationId");
        String draining = null;
        for (int i = 0; i < 100 && draining == null; i++) {
            draining = Ops.nodes(c).stream().filter(n -> "draining".equals(n.get("state"))).map(n -> (String) n.get("name"))
                    .findFirst().orElse(null);
            Ops.sleep(100);
        }
        assertTrue(draining != null, "a node drains: " + Ops.nodes(c));
        Api.as(token("operator")).post("/api/v1/operations/" + id + "/cancel").then().statusCode(202);
        JsonPath op = Ops.await(id, Duration.ofSeconds(60));
        assertEquals("cancelled", op.getString("state"), op.prettify());
        assertEquals("succeeded", ProviderFailuresTest.tasks(op, "undo-drain").get(0).get("state"), op.prettify());
        assertEquals("cancelled", ProviderFailuresTest.tasks(op, "destroy").get(0).get("state"));
        assertEquals("active", byName(c).get(draining).get("state"), "back to active: " + Ops.nodes(c));
        assertEquals(2, Ops.machines("stub", c).size(), "nothing destroyed");
    }

    static Map<String, Map<String, Object>> byName(String c) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        Ops.nodes(c).forEach(n -> out.put((String) n.get("name"), n));
        return out;
    }

    static String token(String role) {
        return asAdmin().contentType("application/json").body(Map.of("name", Ops.unique("t-" + role), "role", role))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
