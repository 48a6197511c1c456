package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.rulescaler.testing.Api;
import io.rulescaler.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node agent end to end on stub machines: the chain hands each new node its own token (file mode
 * 0600), the shipped agent script run here posts a real heartbeat with vitals and a failed unit's
 * journal, a node token may post only its own heartbeat, least-loaded scale-in follows the vitals,
 * and the token of a destroyed node no longer works.
 */
@QuarkusTest
class NodeAgentOnStubTest {

    static final Path AGENT = Path.of("puppet/modules/agent/files/rulescaler-agent.sh").toAbsolutePath();

    @Test
    void agentPostsVitalsWithItsOwnTokenWhichDiesWithTheNode() throws Exception {
        RealParts.require("curl", "curl");
        String c = Ops.unique("agent");
        Path roots = Path.of("target/agent-roots/" + c).toAbsolutePath();
        String chain = "test-agent-scale-out";
        String shipped = Files.readString(Path.of("actions/stub-scale-out.yaml"));
        Files.writeString(OrchestrationTestResources.CHAINS.resolve(chain + ".yaml"), shipped
                .replace("name: stub-scale-out", "name: " + chain)
                .replace("  - name: update-cluster", "  - name: agent-token\n"
                        + "    action: HandOverNodeToken\n"
                        + "    scope: node\n"
                        + "    nodes: added\n"
                        + "    params: {local: \"true\", root: \"" + roots + "/{node}\", url: \"http://127.0.0.1:" + RestAssured.port
                        + "\", units: tomcat10}\n"
                        + "  - name: update-cluster"));
        asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        Ops.cluster(c, "stub", 10, "chains: {scaleOut: " + chain + "}\nscaling: {scaleInPolicy: least-loaded}\n");
        JsonPath out = Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("succeeded", out.getString("state"), out.prettify());

        Path root1 = roots.resolve(c + "-1");
        Path env1 = root1.resolve("etc/rulescaler/agent.env");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env1)), "the token file is 0600");
        Map<String, String> e1 = env(env1);
        long id1 = ((Number) node(c, c + "-1").get("id")).longValue();
        long id2 = ((Number) node(c, c + "-2").get("id")).longValue();
        assertEquals(String.valueOf(id1), e1.get("RULESCALER_NODE_ID"));

        // node 1's Tomcat has failed three times: the agent says so with its journal
        Files.writeString(root1.resolve("etc/rulescaler/unit-tomcat10.state"), "failed\n");
        Files.writeString(root1.resolve("etc/rulescaler/unit-tomcat10.restarts"), "3\n");
        Files.writeString(root1.resolve("etc/rulescaler/unit-tomcat10.result"), "oom-kill\n"); // killed at MemoryMax
        Files.writeString(root1.resolve("etc/rulescaler/unit-tomcat10.journal"), "Starting Tomcat\nOutOfMemoryError: \"Java heap space\"\n");
        assertEquals(0, runAgent(root1), "the agent's heartbeat was accepted");
        Map<String, Object> n1 = asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + c + "-1").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        Map<?, ?> vitals = (Map<?, ?>) n1.get("vitals");
        assertEquals(3, vitals.get("unitRestarts"), n1.toString());
        assertTrue(vitals.get("cpu") instanceof Number && vitals.get("memory") instanceof Number && vitals.get("load") instanceof Number, n1.toString());
        List<?> recent = (List<?>) n1.get("recentVitals");
        Map<?, ?> unit = (Map<?, ?>) ((List<?>) ((Map<?, ?>) recent.get(0)).get("units")).get(0);
        assertEquals("failed", unit.get("state"));
        assertEquals("oom-kill", unit.get("result"), "the limit kill shows in the vitals");
        assertTrue(String.valueOf(unit.get("journal")).contains("OutOfMemoryError: \"Java heap space\""), unit.toString());
        assertTrue(Ops.nodes(c).stream().anyMatch(n -> n.get("vitals") != null), "vitals show in the node list");

        // a node token posts only its own heartbeat, and nothing else
        String token1 = e1.get("RULESCALER_TOKEN");
        Api.as(token1).contentType("application/json").body("{\"cpu\": 1}").post("/api/v1/nodes/" + id2 + "/heartbeat")
                .then().statusCode(403).contentType("application/problem+json");
        Api.as(token1).get("/api/v1/clusters").then().statusCode(403);
        Api.as(token1).contentType("application/json").body(Map.of("name", "x", "role", "admin")).post("/api/v1/tokens").then().statusCode(403);

        // vitals decide least-loaded: node 1 is busy, node 2 is quiet, so node 2 leaves
        String webhook = asAdmin().contentType("application/json").body(Map.of("name", Ops.unique("hb"), "role", "webhook"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        Api.as(webhook).contentType("application/json").body(Map.of("cpu", 90.0)).post("/api/v1/nodes/" + id1 + "/heartbeat").then().statusCode(202);
        Api.as(webhook).contentType("application/json").body(Map.of("cpu", 4.0)).post("/api/v1/nodes/" + id2 + "/heartbeat").then().statusCode(202);
        String token2 = env(roots.resolve(c + "-2/etc/rulescaler/agent.env")).get("RULESCALER_TOKEN");
        Api.as(token2).contentType("application/json").body("{\"cpu\": 4}").post("/api/v1/nodes/" + id2 + "/heartbeat").then().statusCode(202);
        JsonPath in = Ops.await(Ops.scale(c, 1).getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("succeeded", in.getString("state"), in.prettify());
        assertTrue(!in.getString("reason").contains("least-loaded:"), "every node had vitals: " + in.getString("reason"));
        assertEquals("terminated", node(c, c + "-2").get("state"), "the quiet node left");
        assertEquals("active", node(c, c + "-1").get("state"));

        // the destroyed node's token is revoked: its agent is turned away
        Api.as(token2).contentType("application/json").body("{\"cpu\": 4}").post("/api/v1/nodes/" + id2 + "/heartbeat").then().statusCode(401);
        assertNotEquals(0, runAgent(roots.resolve(c + "-2")), "the agent of a destroyed node is refused");
        assertEquals(0, runAgent(root1), "the live node's agent still posts");
    }

    static Map<String, Object> node(String c, String name) {
        return Ops.nodes(c).stream().filter(n -> name.equals(n.get("name"))).findFirst().orElseThrow();
    }

    static Map<String, String> env(Path file) throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
            }
        }
        return m;
    }

    /** Runs the shipped agent script once for the node under {@code root}; returns its exit status. */
    static int runAgent(Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", AGENT.toString()).redirectErrorStream(true);
        pb.environment().put("RULESCALER_AGENT_ROOT", root.toString());
        pb.environment().put("RULESCALER_AGENT_FAKE_UNITS", "1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "agent finished: " + output);
        System.out.println("agent for " + root.getFileName() + " exit=" + p.exitValue() + " " + output);
        return p.exitValue();
    }
}
