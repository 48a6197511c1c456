package io.rulescaler.web;

import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.testing.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guard-skipping route (POST /operations type=scale) is for admins; operators go through the guard. */
@QuarkusTest
class DirectScaleNeedsAdminTest {

    @Test
    void anOperatorIsSentToTheGuardedRoute() {
        String name = "direct-" + System.nanoTime();
        String operator = Api.asAdmin().contentType("application/json").body(Map.of("name", name, "role", "operator"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        Api.as(operator).contentType("application/json")
                .body(Map.of("cluster", "any", "type", "scale", "targetSize", 3))
                .post("/api/v1/operations").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("POST /api/v1/clusters/any/scale"));
    }
}
