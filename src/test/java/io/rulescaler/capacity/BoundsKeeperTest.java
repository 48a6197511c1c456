package io.rulescaler.capacity;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A new cluster reaches its starting size and a lowered max shrinks it, without any rule deciding. */
@QuarkusTest
class BoundsKeeperTest {

    private final BoundsKeeper keeper;

    BoundsKeeperTest(BoundsKeeper keeper) {
        this.keeper = keeper;
    }

    static String spec(String name, int min, int max, int desired) {
        return "name: " + name + "\nprovider: stub\nlayout: {a: 1}\nsize: {min: " + min + ", max: " + max + ", desired: " + desired + "}\n";
    }

    /** Waits until the cluster has exactly {@code expected} active nodes and none on the way in or out. */
    static void awaitActive(String name, int expected) throws InterruptedException {
        List<String> states = List.of();
        for (int i = 0; i < 240; i++) {
            states = asAdmin().get("/api/v1/clusters/" + name + "/nodes").then().statusCode(200)
                    .extract().jsonPath().getList("state");
            long active = states.stream().filter("active"::equals).count();
            boolean settled = states.stream().allMatch(s -> s.equals("active") || s.equals("terminated"));
            if (settled && active == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("cluster " + name + " did not reach " + expected + " active nodes: " + states);
    }

    @Test
    void aNewClusterGrowsToItsStartingSizeAndALoweredMaxShrinksIt() throws Exception {
        String name = "bounds-" + System.nanoTime() % 100000;
        asAdmin().contentType("application/yaml").body(spec(name, 1, 4, 3)).put("/api/v1/clusters/" + name).then().statusCode(201);

        Optional<Long> first = keeper.check(name);
        assertTrue(first.isPresent(), "a new cluster gets a request for its starting size");
        assertEquals(Optional.empty(), keeper.check(name), "nothing more while that request is pending");
        awaitActive(name, 3);
        assertEquals(Optional.empty(), keeper.check(name), "within bounds: nothing to do");

        asAdmin().contentType("application/yaml").body(spec(name, 1, 2, 2)).put("/api/v1/clusters/" + name).then().statusCode(200);
        assertTrue(keeper.check(name).isPresent(), "above the new max");
        awaitActive(name, 2);

        asAdmin().post("/api/v1/clusters/" + name + "/pause").then().statusCode(200);
        asAdmin().contentType("application/yaml").body(spec(name, 1, 1, 1) + "paused: true\n").put("/api/v1/clusters/" + name)
                .then().statusCode(200);
        assertEquals(Optional.empty(), keeper.check(name), "a paused cluster is left alone");
    }
}
