package io.rulescaler.capacity.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.guard.GuardInput.Recommendation;
import io.rulescaler.capacity.guard.Verdict.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table of guard cases: each names the rule of the guard it shows. */
class GuardTest {

    static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");
    static final GuardPolicy P = new GuardPolicy(2, 10, 60, 300, 300, null, null);

    static GuardInput at(int desired) {
        return new GuardInput(desired, false, false, NOW, null, null, List.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("plain scale out", P, at(3), 4, true, false, Kind.ACCEPTED, 4, "scale out 3 -> 4"),
                Arguments.of("above max is clamped", P, at(9), 14, true, false, Kind.CLAMPED, 10, "clamped 14 to 10"),
                Arguments.of("below min is clamped", P, at(3), 0, true, false, Kind.CLAMPED, 2, "clamped 0 to 2"),
                Arguments.of("at max asking for more is refused", P, at(10), 12, true, false, Kind.REFUSED, 10, "no change"),
                Arguments.of("paused refuses rules", P, new GuardInput(3, true, false, NOW, null, null, List.of()), 5, true, false, Kind.REFUSED, 3, "paused"),
                Arguments.of("paused lets manual through", P, new GuardInput(3, true, false, NOW, null, null, List.of()), 5, false, false, Kind.ACCEPTED, 5, "scale out"),
                Arguments.of("scale-out cooldown", P, new GuardInput(3, false, false, NOW, NOW.minusSeconds(30), null, List.of()), 5, true, false, Kind.REFUSED, 3, "scale-out cooldown"),
                Arguments.of("scale-out cooldown over", P, new GuardInput(3, false, false, NOW, NOW.minusSeconds(61), null, List.of()), 5, true, false, Kind.ACCEPTED, 5, "scale out"),
                Arguments.of("scale-in waits after a scale-out", P, new GuardInput(5, false, false, NOW, NOW.minusSeconds(100), null, List.of()), 4, true, false, Kind.REFUSED, 5, "scale-in cooldown"),
                Arguments.of("scale-out ignores scale-in cooldown", P, new GuardInput(5, false, false, NOW, null, NOW.minusSeconds(10), List.of()), 6, true, false, Kind.ACCEPTED, 6, "scale out"),
                Arguments.of("force skips cooldown", P, new GuardInput(3, false, false, NOW, NOW.minusSeconds(5), null, List.of()), 5, false, true, Kind.ACCEPTED, 5, "forced"),
                Arguments.of("force never passes max", P, new GuardInput(3, false, false, NOW, NOW.minusSeconds(5), null, List.of()), 50, false, true, Kind.CLAMPED, 10, "clamped 50 to 10"),
                Arguments.of("max step count", new GuardPolicy(1, 100, 0, 0, 0, 2, null), at(10), 20, true, false, Kind.CLAMPED, 12, "max step 2"),
                Arguments.of("max step percent", new GuardPolicy(1, 100, 0, 0, 0, null, 50), at(10), 30, true, false, Kind.CLAMPED, 15, "max step 5"),
                Arguments.of("max step percent is at least one", new GuardPolicy(1, 100, 0, 0, 0, null, 10), at(2), 5, true, false, Kind.CLAMPED, 3, "max step 1"),
                Arguments.of("stabilisation keeps the highest recent recommendation", P,
                        new GuardInput(6, false, false, NOW, null, null, List.of(new Recommendation(NOW.minusSeconds(100), 5), new Recommendation(NOW.minusSeconds(400), 6))),
                        3, true, false, Kind.CLAMPED, 5, "stabilisation"),
                Arguments.of("stabilisation refuses when a recent recommendation holds the size", P,
                        new GuardInput(6, false, false, NOW, null, null, List.of(new Recommendation(NOW.minusSeconds(100), 7))),
                        3, true, false, Kind.REFUSED, 6, "stabilisation"),
                Arguments.of("dry run judges but does not act", P, new GuardInput(3, false, true, NOW, null, null, List.of()), 4, true, false, Kind.ACCEPTED, 4, "dry run"));
    }

    /**
     * The decision path reads the recent recommendations only when {@link Guard#stabilises} says so:
     * wherever it says no, a recommendation that would hold a scale-in back changes nothing.
     */
    @Test
    void recentRecommendationsMatterOnlyWhereStabilisesSaysSo() {
        List<Recommendation> holding = List.of(new Recommendation(NOW.minusSeconds(10), 10));
        int consulted = 0;
        for (GuardPolicy p : List.of(P, new GuardPolicy(2, 10, 0, 0, 0, null, null))) {
            for (int desired = 2; desired <= 10; desired++) {
                for (int requested = 0; requested <= 12; requested++) {
                    for (boolean fromRule : new boolean[] {true, false}) {
                        for (boolean force : new boolean[] {true, false}) {
                            Verdict without = Guard.judge(p, at(desired), requested, fromRule, force);
                            Verdict with = Guard.judge(p, new GuardInput(desired, false, false, NOW, null, null, holding),
                                    requested, fromRule, force);
                            String c = "desired=" + desired + " requested=" + requested + " rule=" + fromRule + " force=" + force;
                            if (Guard.stabilises(p, desired, requested, fromRule, force)) {
                                consulted++;
                                assertEquals(Kind.REFUSED, with.kind(), c + ": " + with.explanation());
                            } else {
                                assertEquals(without.kind(), with.kind(), c);
                                assertEquals(without.target(), with.target(), c);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(consulted > 0, "some requests are scale-ins that stabilisation weighs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(String name, GuardPolicy p, GuardInput in, int requested, boolean fromRule, boolean force,
                Kind kind, int target, String because) {
        Verdict v = Guard.judge(p, in, requested, fromRule, force);
        assertEquals(kind, v.kind(), v.explanation());
        assertEquals(target, v.target(), v.explanation());
        assertTrue(v.explanation().contains(because), v.explanation());
        assertEquals(kind != Kind.REFUSED && !in.dryRun(), v.acts());
    }

    @Test
    void flappingDemandGivesBoundedOperationsInsideTheBounds() {
        // demand flips between 2 and 9 nodes every 30 s for two hours
        GuardPolicy p = new GuardPolicy(2, 8, 60, 300, 300, 3, null);
        int desired = 2;
        Instant lastOut = null;
        Instant lastIn = null;
        List<Recommendation> recent = new ArrayList<>();
        int operations = 0;
        for (int i = 0; i < 240; i++) {
            Instant now = NOW.plusSeconds(30L * i);
            int want = i % 2 == 0 ? 9 : 2;
            Verdict v = Guard.judge(p, new GuardInput(desired, false, false, now, lastOut, lastIn, List.copyOf(recent)), want, true, false);
            recent.add(new Recommendation(now, v.recommended()));
            if (v.acts()) {
                operations++;
                if (v.target() > desired) {
                    lastOut = now;
                } else {
                    lastIn = now;
                }
                desired = v.target();
            }
            assertTrue(desired >= 2 && desired <= 8, "desired " + desired + " at step " + i);
        }
        // scale-in is held by stabilisation while 9s keep coming: only the climb to max happens
        assertEquals(2, operations, "2 -> 5 -> 8, then stabilisation holds");
        assertEquals(8, desired);
        assertFalse(operations > 10);
    }
}
