package io.rulescaler.capacity;

import static io.rulescaler.testing.Api.asAdmin;

import java.time.Duration;
import java.util.function.Supplier;

/** Clusters, tokens and waiting for the asynchronous session threads, for capacity tests. */
public final class CapacityFixtures {

    private CapacityFixtures() {
    }

    /** A cluster name unique to this test run (the test database outlives runs). */
    public static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** Creates a cluster; {@code extra} is appended YAML (guard, ruleSet, scaling …). */
    public static void cluster(String name, int min, int max, int desired, String extra) {
        String yaml = """
                name: %s
                provider: stub
                size: {min: %d, max: %d, desired: %d}
                %s
                """.formatted(name, min, max, desired, extra == null ? "" : extra);
        asAdmin().contentType("application/yaml").body(yaml).post("/api/v1/clusters").then().statusCode(201);
    }

    /** A new token of a role. */
    public static String token(String role) {
        return asAdmin().contentType("application/json")
                .body("{\"name\":\"t-" + role + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}")
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    /** Waits up to {@code timeout} for {@code condition}; fails with {@code what} otherwise. */
    public static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
