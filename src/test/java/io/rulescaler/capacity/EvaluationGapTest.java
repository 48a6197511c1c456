package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A burst of signals to one cluster costs one evaluation per {@code rulescaler.capacity.evaluation-gap}, not one
 * each: here the gap is two seconds, so everything submitted right after an evaluation is taken in by the next one.
 */
@QuarkusTest
@TestProfile(EvaluationGapTest.LongGap.class)
class EvaluationGapTest {

    /** Two seconds between the starts of a cluster's evaluations; nothing else writes. */
    public static class LongGap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.capacity.evaluation-gap", "2s", "rulescaler.orchestration.enabled", "false");
        }
    }

    @Inject
    ClusterSessions sessions;

    @Inject
    CapacityMetrics metrics;

    @Test
    void signalsArrivingWithinTheGapAreTakenInByOneEvaluation() throws Exception {
        String c = unique("gap");
        cluster(c, 1, 10, 1, "");
        sessions.submit(c, null).get(30, TimeUnit.SECONDS);
        long before = evaluations(c);

        AtomicInteger seen = new AtomicInteger();
        List<CompletableFuture<Void>> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(sessions.submit(c, s -> seen.incrementAndGet()));
        }
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertEquals(5, seen.get(), "every signal of the burst reached the session");
        assertEquals(before + 1, evaluations(c), "the five signals were evaluated together, once");
    }

    private long evaluations(String c) {
        Timer t = metrics.registry().find("rulescaler.rule.evaluations").tags("cluster", c).timer();
        return t == null ? 0 : t.count();
    }
}
