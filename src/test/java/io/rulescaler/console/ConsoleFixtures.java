package io.rulescaler.console;

import static io.rulescaler.testing.Api.asAdmin;

import java.util.Map;

/** Clusters, tokens and rule files the console tests set up through the REST API. */
final class ConsoleFixtures {

    private ConsoleFixtures() {
    }

    /** A name no earlier run used (the test database persists between runs). */
    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** A new token of {@code role}; returns its secret. */
    static String token(String role) {
        return asAdmin().contentType("application/json").body(Map.of("name", unique("console-" + role), "role", role))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    /** A stub cluster of 0..max nodes; {@code extra} is appended YAML. */
    static void cluster(String name, int max, String extra) {
        String yaml = """
                name: %s
                provider: stub
                template: {image: debian-12, minCores: 2, minRamMb: 2048, zones: [a, b], loginUser: admin}
                layout: {a: 1, b: 1}
                size: {min: 0, max: %d}
                recipients: [ops-%s@example.com]
                """.formatted(name, max, name) + (extra == null ? "" : extra);
        asAdmin().contentType("application/yaml").body(yaml).put("/api/v1/clusters/" + name).then().statusCode(201);
    }
}
