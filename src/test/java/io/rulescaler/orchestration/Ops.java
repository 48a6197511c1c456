package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helpers for clusters and operations through the REST API. */
final class Ops {

    private Ops() {
    }

    /** A cluster name no earlier run of the tests used (the test database persists between runs). */
    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    static void cluster(String name, String provider, int max, String extra) {
        String yaml = """
                name: %s
                provider: %s
                template: {image: debian-12, minCores: 2, minRamMb: 2048, zones: [a, b], loginUser: admin}
                layout: {a: 2, b: 1}
                size: {min: 0, max: %d}
                recipients: [ops-%s@example.com, lead-%s@example.com]
                """.formatted(name, provider, max, name, name) + (extra == null ? "" : extra);
        asAdmin().contentType("application/yaml").body(yaml).put("/api/v1/clusters/" + name).then().statusCode(201);
    }

    /** Posts a manual scale; returns the answer (requestId, status, operationId, detail). */
    static JsonPath scale(String cluster, int target) {
        return asAdmin().contentType("application/json")
                .body(Map.of("cluster", cluster, "type", "scale", "targetSize", target, "reason", "test scale to " + target))
                .post("/api/v1/operations").then().statusCode(202).extract().jsonPath();
    }

    static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

    /** Waits until the operation ended and returns it with tasks. */
    static JsonPath await(long id, Duration max) {
        Instant end = Instant.now().plus(max);
        JsonPath op;
        do {
            op = asAdmin().get("/api/v1/operations/" + id).then().statusCode(200).extract().jsonPath();
            if (ENDED.contains(op.getString("state"))) {
                return op;
            }
            sleep(150);
        } while (Instant.now().isBefore(end));
        throw new AssertionError("operation " + id + " did not end within " + max + ": " + op.prettify());
    }

    static List<Map<String, Object>> nodes(String cluster) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** Machines the provider profile reports for a cluster (by tag). */
    static List<Map<String, Object>> machines(String profile, String cluster) {
        List<Map<String, Object>> all = asAdmin().get("/api/v1/providers/" + profile + "/machines").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(m -> cluster.equals(((Map<?, ?>) m.get("tags")).get("rulescaler-cluster"))).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
