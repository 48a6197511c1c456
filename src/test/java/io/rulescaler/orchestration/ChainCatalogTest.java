package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chain reload keeps the old chain when a file turns bad; a chain naming an action this build lacks
 * is refused when it loads, and so is every cluster that uses it.
 */
@QuarkusTest
class ChainCatalogTest {

    @Test
    void aBrokenFileIsReportedWithLineAndFieldAndTheOldChainStays() throws Exception {
        Path file = OrchestrationTestResources.CHAINS.resolve("test-reload.yaml");
        try {
            Files.writeString(file, "name: test-reload\nsteps:\n  - name: one\n    action: Noop\n  - name: two\n    action: Noop\n");
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200).body("loaded", hasItem("test-reload"));
            Files.writeString(file, "name: test-reload\nsteps:\n  - name: one\n    action: Noop\n  - name: two\n    action: Nope\n    colour: red\n");
            JsonPath report = asAdmin().post("/api/v1/chains/reload").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> errors = report.getList("errors");
            assertEquals(2, errors.size(), errors.toString());
            assertEquals("test-chains/test-reload.yaml", errors.get(0).get("file"));
            assertEquals(6, errors.get(0).get("line"));
            assertEquals("steps[1].action", errors.get(0).get("field"));
            assertTrue(errors.get(0).get("message").toString().contains("unknown action 'Nope' (known: "));
            assertEquals("steps[1].colour", errors.get(1).get("field"));
            List<Map<String, Object>> chains = asAdmin().get("/api/v1/chains").then().statusCode(200).extract().jsonPath().getList("chains");
            Map<String, Object> kept = chains.stream().filter(c -> "test-reload".equals(c.get("name"))).findFirst().orElseThrow();
            assertEquals(2, kept.get("steps"), "the previous version stays in force");
        } finally {
            Files.deleteIfExists(file);
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        }
    }

    @Test
    void aClusterWhoseChainNeedsMissingActionsIsRefusedNamingThem() throws Exception {
        // DrainNode is no action of this build: the chain does not load, and a cluster naming it is refused
        Path out = OrchestrationTestResources.CHAINS.resolve("test-needs-drain-node.yaml");
        Path down = OrchestrationTestResources.CHAINS.resolve("test-needs-drain-node-teardown.yaml");
        try {
            Files.writeString(out, "name: test-needs-drain-node\nsteps:\n  - name: deploy\n    action: DeployEC2Node\n    scope: node\n"
                    + "  - name: drain\n    action: DrainNode\n    scope: node\n");
            Files.writeString(down, "name: test-needs-drain-node-teardown\nsteps:\n  - name: drain\n    action: DrainNode\n    scope: node\n");
            JsonPath report = asAdmin().post("/api/v1/chains/reload").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> errors = report.getList("errors");
            Map<String, Object> error = errors.stream().filter(e -> "test-chains/test-needs-drain-node.yaml".equals(e.get("file")))
                    .findFirst().orElseThrow(() -> new AssertionError(errors.toString()));
            assertEquals(7, error.get("line"));
            assertTrue(error.get("message").toString().contains("unknown action 'DrainNode' (known: ")
                    && error.get("message").toString().contains("DrainLoadBalancer"), error.toString());
            asAdmin().get("/api/v1/chains").then().statusCode(200)
                    .body("chains.find { it.name == 'test-needs-drain-node' }", equalTo(null))
                    .body("chains.find { it.name == 'stub-scale-out' }.unavailableActions.size()", equalTo(0));
            String c = Ops.unique("needs-drain");
            Ops.cluster(c, "stub", 5, "chains: {scaleOut: test-needs-drain-node}\n");
            JsonPath r = Ops.scale(c, 1);
            assertEquals("REJECTED", r.getString("status"));
            assertTrue(r.getString("detail").contains("chain 'test-needs-drain-node'") && r.getString("detail").contains("DrainNode")
                    && r.getString("detail").contains("no valid chain"), r.getString("detail"));
            assertEquals(0, Ops.nodes(c).size(), "nothing half-written");
            // a direct operation answers 422 problem+json naming the field
            String c2 = Ops.unique("needs-drain-td");
            Ops.cluster(c2, "stub", 5, "chains: {teardown: test-needs-drain-node-teardown}\n");
            asAdmin().contentType("application/json").body(Map.of("cluster", c2, "type", "teardown"))
                    .post("/api/v1/operations").then().statusCode(422).contentType("application/problem+json")
                    .body("field", equalTo("chains")).body("detail", containsString("DrainNode"));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(down);
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        }
    }

    @Test
    void everyShippedChainAndTestChainLoadsAgainstTheActionsOfThisBuild() throws Exception {
        JsonPath report = asAdmin().post("/api/v1/chains/reload").then().statusCode(200).extract().jsonPath();
        List<String> loaded = report.getList("loaded");
        List<Map<String, Object>> errors = report.getList("errors");
        for (Path dir : List.of(Path.of("actions"), Path.of("src/test/chains"))) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    String name = f.getFileName().toString().replace(".yaml", "");
                    assertTrue(loaded.contains(name), name + " did not load: " + errors);
                }
            }
        }
        assertEquals(List.of(), errors);
    }
}
