package io.rulescaler.cluster;

import static io.restassured.RestAssured.given;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClusterResourceTest {

    static String yaml(String name, int min, int max) {
        return """
                name: %s
                provider: stub
                template:
                  image: debian-12
                  minCores: 2
                  minRamMb: 2048
                  zones: [a, b]
                  loginUser: admin
                layout: {a: 2, b: 1}
                size: {min: %d, max: %d, desired: %d}
                guard: {scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300}
                ruleSet: default
                recipients: [ops@example.com]
                """.formatted(name, min, max, min);
    }

    @Test
    void createGetListUpdateDelete() {
        asAdmin().contentType("application/yaml").body(yaml("crud-a", 1, 5))
                .post("/api/v1/clusters")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/clusters/crud-a"))
                .body("name", equalTo("crud-a"))
                .body("spec.size.max", equalTo(5))
                .body("version", equalTo(0));

        asAdmin().get("/api/v1/clusters/crud-a").then().statusCode(200)
                .header("ETag", "\"0\"")
                .body("spec.template.zones", hasItem("b"))
                .body("spec.layout.a", equalTo(2));

        asAdmin().get("/api/v1/clusters").then().statusCode(200).body("name", hasItem("crud-a"));

        asAdmin().contentType("application/yaml").body(yaml("crud-a", 1, 8))
                .put("/api/v1/clusters/crud-a")
                .then().statusCode(200)
                .body("outcome", equalTo("updated"))
                .body("changes", hasItem("size.max: 5 -> 8"))
                .body("cluster.version", equalTo(1));

        asAdmin().delete("/api/v1/clusters/crud-a").then().statusCode(204);
        asAdmin().get("/api/v1/clusters/crud-a").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("crud-a"));
    }

    @Test
    void applyingTheSameSpecTwiceChangesNothing() {
        asAdmin().contentType("application/yaml").body(yaml("idem", 2, 4))
                .put("/api/v1/clusters/idem").then().statusCode(201).body("outcome", equalTo("created"));
        asAdmin().contentType("application/yaml").body(yaml("idem", 2, 4))
                .put("/api/v1/clusters/idem").then().statusCode(200)
                .body("outcome", equalTo("unchanged"))
                .body("changes", empty())
                .body("cluster.version", equalTo(0));
    }

    @Test
    void staleIfMatchIsRefusedAndNothingIsOverwritten() {
        asAdmin().contentType("application/yaml").body(yaml("locky", 1, 3))
                .put("/api/v1/clusters/locky").then().statusCode(201);
        asAdmin().contentType("application/yaml").header("If-Match", "\"0\"").body(yaml("locky", 1, 4))
                .put("/api/v1/clusters/locky").then().statusCode(200).body("cluster.version", equalTo(1));
        // a second writer still holding version 0 loses
        asAdmin().contentType("application/yaml").header("If-Match", "\"0\"").body(yaml("locky", 1, 9))
                .put("/api/v1/clusters/locky").then().statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString("version 1"));
        asAdmin().get("/api/v1/clusters/locky").then().body("spec.size.max", equalTo(4));
    }

    @Test
    void twoWritersOnTheSameVersionGetOneSuccessAndOneConflict() throws Exception {
        asAdmin().contentType("application/yaml").body(yaml("race", 1, 3)).put("/api/v1/clusters/race").then().statusCode(201);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int max : new int[] {5, 6}) {
                answers.add(pool.submit(() -> asAdmin().contentType("application/yaml").header("If-Match", "\"0\"")
                        .body(yaml("race", 1, max)).put("/api/v1/clusters/race").statusCode()));
            }
            java.util.List<Integer> codes = new java.util.ArrayList<>();
            for (var f : answers) {
                codes.add(f.get());
            }
            java.util.Collections.sort(codes);
            org.junit.jupiter.api.Assertions.assertEquals(200, codes.get(0), codes.toString());
            org.junit.jupiter.api.Assertions.assertTrue(codes.get(1) == 409 || codes.get(1) == 412, codes.toString());
        } finally {
            pool.shutdown();
        }
        asAdmin().get("/api/v1/clusters/race").then().body("version", equalTo(1));
    }

    @Test
    void unknownFieldIsNamed() {
        asAdmin().contentType("application/yaml").body(yaml("typo", 1, 3) + "cooldwn: 5\n")
                .put("/api/v1/clusters/typo").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("cooldwn"))
                .body("detail", containsString("unknown field 'cooldwn'"));
        asAdmin().get("/api/v1/clusters/typo").then().statusCode(404);
    }

    @Test
    void minAboveMaxIsRefused() {
        asAdmin().contentType("application/json")
                .body("{\"name\":\"bad-size\",\"provider\":\"stub\",\"size\":{\"min\":5,\"max\":2}}")
                .post("/api/v1/clusters").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", startsWith("size"))
                .body("detail", containsString("min must not be greater than max"));
    }

    @Test
    void withoutTokenIsUnauthenticated() {
        given().get("/api/v1/clusters").then().statusCode(401).contentType("application/problem+json");
    }
}
