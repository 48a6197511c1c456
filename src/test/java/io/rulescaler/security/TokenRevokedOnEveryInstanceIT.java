package io.rulescaler.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.rulescaler.testing.Api;
import io.rulescaler.testing.InstancesOnOneDatabase;
import io.rulescaler.testing.ServiceProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged instances on one MariaDB with the token cache: a token revoked on one instance is
 * refused there at once and on the other within the other's cache time; while that time lasts the
 * other still takes it, which shows it no longer reads the token from the database per request.
 * Instance A remembers tokens for 1 s (the default), instance B for 10 minutes.
 */
class TokenRevokedOnEveryInstanceIT {

    private InstancesOnOneDatabase db;

    @AfterEach
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aRevokedTokenStopsWorkingOnEveryInstanceWithinTheCacheTime() throws Exception {
        db = new InstancesOnOneDatabase("tokens");
        ServiceProcess a = db.start(InstancesOnOneDatabase.instanceId("tok-a"), Map.of());
        ServiceProcess b = db.start(InstancesOnOneDatabase.instanceId("tok-b"), Map.of("RULESCALER_SECURITY_TOKEN_CACHE_TTL", "10m"));

        String first = issue(a, "first");
        assertEquals(200, status(a, first));
        assertEquals(200, status(b, first));
        InstancesOnOneDatabase.admin(b).delete("/api/v1/tokens/first").then().statusCode(204);
        assertEquals(401, status(b, first), "the instance that revoked forgets the token at once");
        assertEquals(401, awaitRefused(a, first, Duration.ofSeconds(30)),
                "the other instance (cache time 1 s) refuses the revoked token within a bounded wait");

        String second = issue(a, "second");
        assertEquals(200, status(b, second));
        InstancesOnOneDatabase.admin(a).delete("/api/v1/tokens/second").then().statusCode(204);
        assertEquals(401, status(a, second));
        assertEquals(200, status(b, second), "B remembers the token for its cache time (10 min) without reading the database");
        assertEquals(401, status(b, "rs_never-issued"), "an unknown token is still refused");
    }

    private static String issue(ServiceProcess p, String name) {
        return InstancesOnOneDatabase.admin(p).contentType("application/json").body(Map.of("name", name, "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getString("token");
    }

    private static int status(ServiceProcess p, String token) {
        return RestAssured.given().baseUri(p.baseUrl()).config(Api.CONFIG).header("Authorization", "Bearer " + token)
                .get("/api/v1/clusters").statusCode();
    }

    /** Polls until the token is refused or the wait is over; returns the last status. */
    private static int awaitRefused(ServiceProcess p, String token, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        int s = status(p, token);
        while (s != 401 && System.nanoTime() < end) {
            Thread.sleep(100);
            s = status(p, token);
        }
        return s;
    }
}
