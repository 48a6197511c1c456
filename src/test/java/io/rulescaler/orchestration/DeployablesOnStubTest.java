package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A cluster built from a deployable type across two stub profiles: nodes go to each profile by the
 * layout's weights with that profile's variant, scale-in keeps the weights, and a changed
 * deployable leaves the nodes alone but shows as "nodesDifferFromSpec".
 */
@QuarkusTest
class DeployablesOnStubTest {

    static final Path DIR = Path.of("target/test-deployables");

    static String recipe(String westImage) {
        return """
                description: two stub profiles, each variant tags its machines
                parameters: {app.version: "1.0"}
                chains: {scaleOut: stub-scale-out, scaleIn: stub-scale-in}
                profiles:
                  stub-east: {image: east-img, loginUser: admin, tags: {variant: east}}
                  stub-west: {image: %s, loginUser: admin, tags: {variant: west}}
                """.formatted(westImage);
    }

    static void writeDeployable(String name, String content) throws Exception {
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve(name + ".yaml"), content);
        asAdmin().post("/api/v1/deployables/reload").then().statusCode(200);
    }

    @Test
    void nodesFollowTheWeightsAcrossTwoStubProfiles() throws Exception {
        String d = Ops.unique("two-stubs");
        writeDeployable(d, recipe("west-img-1"));
        String c = Ops.unique("across");
        asAdmin().contentType("application/yaml").body("""
                provider: stub-east
                deployable: %s
                layout: {stub-east/a: 2, stub-west/b: 1}
                size: {min: 0, max: 10}
                recipients: [ops-%s@example.com]
                """.formatted(d, c)).put("/api/v1/clusters/" + c).then().statusCode(201);

        JsonPath out = Ops.await(Ops.scale(c, 6).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", out.getString("state"), out.prettify());
        assertEquals("stub-scale-out", out.getString("chain"), "the deployable's chain");
        assertEquals(Map.of("stub-east/a", 4L, "stub-west/b", 2L), sites(c), "weights 2:1");
        // each machine lives on its node's profile, created from that profile's variant
        assertEquals(4, Ops.machines("stub-east", c).size());
        assertEquals(2, Ops.machines("stub-west", c).size());
        assertTrue(Ops.machines("stub-east", c).stream().allMatch(m -> "east".equals(((Map<?, ?>) m.get("tags")).get("variant"))));
        assertTrue(Ops.machines("stub-west", c).stream().allMatch(m -> "west".equals(((Map<?, ?>) m.get("tags")).get("variant"))));
        assertEquals(0, cluster(c).getInt("nodesDifferFromSpec"));

        // scale in by 3: the weights hold (2:1), every leaving machine is destroyed on its own profile
        JsonPath in = Ops.await(Ops.scale(c, 3).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", in.getString("state"), in.prettify());
        assertEquals(Map.of("stub-east/a", 2L, "stub-west/b", 1L), sites(c));
        assertEquals(2, Ops.machines("stub-east", c).size());
        assertEquals(1, Ops.machines("stub-west", c).size());

        // the deployable's west variant changes: nothing happens to the nodes, but the west node differs now
        Set<Object> machinesBefore = providerIds(c);
        writeDeployable(d, recipe("west-img-2"));
        JsonPath changed = cluster(c);
        assertEquals(1, changed.getInt("nodesDifferFromSpec"), changed.prettify());
        assertEquals("west-img-2", changed.getString("spec.profiles.stub-west.image"));
        assertEquals(machinesBefore, providerIds(c), "no node was touched");

        // a new west node is built from the current recipe; the old one still differs
        JsonPath more = Ops.await(Ops.scale(c, 6).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", more.getString("state"), more.prettify());
        assertEquals(Map.of("stub-east/a", 4L, "stub-west/b", 2L), sites(c));
        assertEquals(1, cluster(c).getInt("nodesDifferFromSpec"), "only the west node from before the change");

        // the change reverted
        writeDeployable(d, recipe("west-img-1"));
        assertEquals(1, cluster(c).getInt("nodesDifferFromSpec"), "the newest west node now differs, the older one matches");
    }

    /**
     * Stub and byon in one cluster: one node on each by a 1:1 layout, the byon node on a host of the
     * profile's hosts file with the byon variant's tag, and scale-in releases the host it chose.
     * (The stub chains run local scripts only, so the listed host is allocated but not logged into.)
     */
    @Test
    void stubAndByonInOneCluster() throws Exception {
        Path hosts = Path.of("target/test-byon/hosts.yaml");
        Files.createDirectories(hosts.getParent());
        String c = Ops.unique("mixed");
        // a host of its own per run: the byon journal under the data folder outlives the test
        int port = 20_000 + (int) (System.nanoTime() % 10_000);
        Files.writeString(hosts, "- {host: 127.0.0.1, port: " + port + ", user: " + c.replace('-', '_') + ", zone: z}\n");
        String d = Ops.unique("stub-byon");
        writeDeployable(d, """
                chains: {scaleOut: noop-scale-out, scaleIn: stub-scale-in}
                profiles:
                  stub: {image: debian-12, loginUser: admin, tags: {variant: stub}}
                  test-byon: {loginUser: root, tags: {variant: byon}}
                """);
        asAdmin().contentType("application/yaml").body("""
                provider: stub
                deployable: %s
                layout: {stub/a: 1, test-byon/z: 1}
                size: {min: 0, max: 4}
                """.formatted(d)).put("/api/v1/clusters/" + c).then().statusCode(201);

        JsonPath out = Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", out.getString("state"), out.prettify());
        assertEquals("noop-scale-out", out.getString("chain"), "the deployable names the chain (the stub default is stub-scale-out)");
        assertEquals(Map.of("stub/a", 1L, "test-byon/z", 1L), sites(c));
        List<Map<String, Object>> byon = Ops.machines("test-byon", c);
        assertEquals(1, byon.size(), byon.toString());
        assertEquals("byon", ((Map<?, ?>) byon.get(0).get("tags")).get("variant"));
        Map<String, Object> byonNode = Ops.nodes(c).stream().filter(n -> "test-byon".equals(n.get("profile"))).findFirst().orElseThrow();
        assertTrue(String.valueOf(byonNode.get("address")).endsWith("127.0.0.1:" + port), byonNode.toString());
        assertEquals(1, Ops.machines("stub", c).size());

        // scale in to 1: with 1:1 the oldest leaves; whichever it is, its machine is released on its own profile
        JsonPath in = Ops.await(Ops.scale(c, 1).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", in.getString("state"), in.prettify());
        Map<String, Long> left = sites(c);
        assertEquals(1, left.values().stream().mapToLong(Long::longValue).sum(), left.toString());
        assertEquals(left.containsKey("test-byon/z") ? 1 : 0, Ops.machines("test-byon", c).size());
        assertEquals(left.containsKey("stub/a") ? 1 : 0, Ops.machines("stub", c).size());
    }

    /** The README's example: the shipped tomcat-app on the default stub provider, its stub variant and defaults. */
    @Test
    void theShippedTomcatAppRunsOnTheStubDefaults() throws Exception {
        Files.createDirectories(DIR);
        Files.copy(Path.of("deployables/tomcat-app.yaml"), DIR.resolve("tomcat-app.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        asAdmin().post("/api/v1/deployables/reload").then().statusCode(200);
        String c = Ops.unique("shop");
        asAdmin().contentType("application/yaml").body("""
                provider: stub
                deployable: tomcat-app
                parameters: {app.version: "1.4"}
                layout: {a: 2, b: 1}
                size: {min: 0, max: 3}
                """).put("/api/v1/clusters/" + c).then().statusCode(201);
        JsonPath out = Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("succeeded", out.getString("state"), out.prettify());
        assertEquals("stub-scale-out", out.getString("chain"));
        assertEquals(Map.of("stub/a", 2L), sites(c), "a:2 b:1, two nodes: both in a (ties go to the zone listed first)");
        JsonPath view = cluster(c);
        assertEquals("debian-12", view.getString("spec.template.image"));
        assertEquals("1024", view.getString("spec.parameters.'tomcat.heapMb'"));
        assertEquals("1.4", view.getString("spec.parameters.'app.version'"));
        assertEquals(0, view.getInt("nodesDifferFromSpec"));
        // a new version is a changed parameter: the two nodes now differ from the spec, and nothing ran
        long operations = operationsOf(c);
        asAdmin().contentType("application/yaml").body("""
                provider: stub
                deployable: tomcat-app
                parameters: {app.version: "1.5"}
                layout: {a: 2, b: 1}
                size: {min: 0, max: 3}
                """).put("/api/v1/clusters/" + c).then().statusCode(200);
        assertEquals(2, cluster(c).getInt("nodesDifferFromSpec"));
        assertEquals(operations, operationsOf(c));
    }

    static long operationsOf(String c) {
        return asAdmin().queryParam("cluster", c).get("/api/v1/operations").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
    }

    static JsonPath cluster(String c) {
        return asAdmin().get("/api/v1/clusters/" + c).then().statusCode(200).extract().jsonPath();
    }

    /** Active nodes per "profile/zone". */
    static Map<String, Long> sites(String c) {
        return Ops.nodes(c).stream().filter(n -> "active".equals(n.get("state")))
                .collect(Collectors.groupingBy(n -> n.get("profile") + "/" + n.get("zone"), Collectors.counting()));
    }

    static Set<Object> providerIds(String c) {
        List<Map<String, Object>> nodes = Ops.nodes(c);
        return nodes.stream().filter(n -> "active".equals(n.get("state"))).map(n -> n.get("providerId")).collect(Collectors.toSet());
    }
}
