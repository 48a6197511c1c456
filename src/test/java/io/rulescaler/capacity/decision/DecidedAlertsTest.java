package io.rulescaler.capacity.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.CapacityFixtures;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.fact.ScaleDecision;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Decide-once on MariaDB: a rule firing again on the same alert (a rebuilt session) is dropped,
 * even when the cluster view moved on; the same alert with a new sample, another rule, another
 * start of the alert, or a decision on no alert at all decides.
 */
@QuarkusTest
class DecidedAlertsTest {

    @Inject
    DecidedAlerts decided;

    @Test
    void aRuleDecidesOncePerAlertAndMatchButAgainOnNewFacts() {
        String c = CapacityFixtures.unique("once");
        Instant starts = Instant.parse("2026-11-25T08:00:00Z");
        Alert alert = alert(c, "fp-1", starts);
        Sample hot = new Sample(c, "cpu", Map.of(), 95.0, starts.plusSeconds(10));
        AtomicInteger ran = new AtomicInteger();

        decided.decideOnce(c, fired("alert rule", view(c, 2), alert), () -> count(ran));
        decided.decideOnce(c, fired("alert rule", view(c, 4), alert(c, "fp-1", starts)), () -> count(ran));
        assertEquals(1, ran.get(), "the same rule on the same alert decides once, though desired moved from 2 to 4");

        decided.decideOnce(c, fired("alert and cpu", view(c, 4), alert, hot), () -> count(ran));
        decided.decideOnce(c, fired("alert and cpu", view(c, 4), alert, new Sample(c, "cpu", Map.of(), 95.0, starts.plusSeconds(10))),
                () -> count(ran));
        assertEquals(2, ran.get(), "with a sample: once per alert and sample (the replayed sample is the same)");
        decided.decideOnce(c, fired("alert and cpu", view(c, 4), alert, new Sample(c, "cpu", Map.of(), 97.0, starts.plusSeconds(25))),
                () -> count(ran));
        assertEquals(3, ran.get(), "a new sample with the same alert decides again");

        decided.decideOnce(c, fired("another rule", view(c, 4), alert), () -> count(ran));
        decided.decideOnce(c, fired("alert rule", view(c, 4), alert(c, "fp-1", starts.plusSeconds(3600))), () -> count(ran));
        assertEquals(5, ran.get(), "another rule, or the alert firing anew (new start), decides");

        decided.decideOnce(c, fired("cpu only", view(c, 4), hot), () -> count(ran));
        decided.decideOnce(c, fired("cpu only", view(c, 4), hot), () -> count(ran));
        assertEquals(7, ran.get(), "decisions on no alert are never dropped here");
    }

    private static io.rulescaler.capacity.decision.DecisionView count(AtomicInteger ran) {
        ran.incrementAndGet();
        return null;
    }

    private static FiredDecision fired(String rule, Object... matched) {
        return new FiredDecision(ScaleDecision.delta("x", 1, "test"), rule, List.of(matched), Map.of());
    }

    private static Alert alert(String cluster, String fp, Instant starts) {
        return new Alert("WebHighLoad", cluster, "firing", fp, starts, Map.of("alertname", "WebHighLoad"), Map.of());
    }

    private static ClusterView view(String cluster, int desired) {
        return new ClusterView(cluster, desired, desired, 0, 0, 0, 10, false, false, null, null);
    }
}
