package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
 * {@code triggers} decide what a chain may be used for: a cluster that names a chain whose triggers leave out
 * {@code scale} for scale-out, scale-in, replace or teardown is refused when applied (file:line of the chain's
 * {@code triggers:}), and a chain file changed to leave out {@code scale} while a cluster scales with it does not load.
 */
@QuarkusTest
class ChainTriggersTest {

    @Test
    void aClusterNamingANoticeChainForScaleOutIsRefusedWithFileAndLine() {
        String c = Ops.unique("trig-notify");
        String yaml = "name: " + c + "\nprovider: stub\nsize: {min: 0, max: 3, desired: 0}\n";
        asAdmin().contentType("application/yaml").body(yaml + "chains: {scaleOut: notify}\n").put("/api/v1/clusters/" + c)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("test-chains/notify.yaml:6: cluster '" + c + "' uses chain 'notify' for scale-out"))
                .body("detail", containsString("leave out scale; add scale to its 'triggers'"))
                .body("field", equalTo("chains.scaleOut"));
        asAdmin().contentType("application/yaml").body(yaml + "chains: {teardown: restart-app}\n").put("/api/v1/clusters/" + c)
                .then().statusCode(400).body("field", equalTo("chains.teardown"))
                .body("detail", containsString("test-chains/restart-app.yaml:"));
        asAdmin().get("/api/v1/clusters/" + c).then().statusCode(404);
        // chains without triggers (stub-*) and chains that list scale are accepted
        asAdmin().contentType("application/yaml").body(yaml).put("/api/v1/clusters/" + c).then().statusCode(201);
    }

    @Test
    void aChainChangedToLeaveOutScaleDoesNotLoadWhileAClusterScalesWithIt() throws Exception {
        Path file = OrchestrationTestResources.CHAINS.resolve("test-trig-out.yaml");
        String steps = "steps:\n  - name: deploy\n    action: DeployEC2Node\n    scope: node\n    nodes: added\n"
                + "    node-state: {start: provisioning, success: active}\n";
        try {
            Files.writeString(file, "name: test-trig-out\ntriggers: [scale, manual]\n" + steps);
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
            String c = Ops.unique("trig-out");
            Ops.cluster(c, "stub", 3, "chains: {scaleOut: test-trig-out}\n");

            Files.writeString(file, "name: test-trig-out\ntriggers: [rule, manual]\n" + steps);
            JsonPath report = asAdmin().post("/api/v1/chains/reload").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> errors = report.getList("errors");
            Map<String, Object> e = errors.stream().filter(x -> "test-chains/test-trig-out.yaml".equals(x.get("file"))).findFirst()
                    .orElseThrow(() -> new AssertionError(errors.toString()));
            assertEquals(2, e.get("line"));
            assertEquals("triggers", e.get("field"));
            assertTrue(e.get("message").toString().contains("cluster '" + c + "' uses chain 'test-trig-out' for scale-out"), e.toString());
            // the previous version stays in force, so the cluster still scales out with it
            JsonPath op = Ops.scale(c, 1);
            assertEquals("succeeded", Ops.await(op.getLong("operationId"), java.time.Duration.ofSeconds(60)).getString("state"),
                    op.prettify());
        } finally {
            Files.deleteIfExists(file);
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        }
    }
}
