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
