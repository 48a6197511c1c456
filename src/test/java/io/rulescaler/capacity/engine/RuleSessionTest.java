package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine core on its own: windows on the pseudo clock, recorded rule names, caps, errors. */
class RuleSessionTest {

    static final Instant T0 = Instant.parse("2026-01-05T07:00:00Z");

    static final String AVG = """
            package test;
            import io.rulescaler.capacity.fact.*;

            rule "hot cpu"
            when
                $c : ClusterView()
                accumulate( Sample( metric == "cpu", $v : value ) over window:time( 5m ); $avg : average( $v ), $n : count( $v ); $n >= 3, $avg > 80 )
            then
                insert( ScaleDecision.delta( $c.getName(), 1, "avg cpu " + $avg ) );
            end

            rule "alert"
            when
                $a : Alert( name == "HighLoad" )
                $c : ClusterView()
            then
                insert( ScaleDecision.delta( $c.getName(), 2, "alert " + $a.getFingerprint() ) );
            end
            """;

    static RuleSession session(String drl, SessionLimits limits) {
        CompiledRules rules = RuleCompiler.compile("t", List.of(new RuleSource("t/a.drl", drl)));
        assertTrue(rules.ok(), () -> rules.errors().toString());
        RuleSession s = new RuleSession("web", rules, limits, T0);
        s.setCluster(ClusterView.of("web", 2, 1, 10));
        return s;
    }

    static Sample cpu(Instant at, double v) {
        return new Sample("web", "cpu", Map.of(), v, at);
    }

    @Test
    void windowAverageDecidesOnlyWithEnoughRecentSamplesAndRecordsTheRule() {
        try (RuleSession s = session(AVG, SessionLimits.DEFAULT)) {
            s.event(cpu(T0, 95));
            s.advanceTo(T0.plusSeconds(60));
            s.event(cpu(T0.plusSeconds(60), 95));
            assertTrue(s.evaluate().decisions().isEmpty(), "two samples are not enough");
            // the first two samples leave the 5m window before the third arrives
            s.advanceTo(T0.plus(Duration.ofMinutes(7)));
            s.event(cpu(T0.plus(Duration.ofMinutes(7)), 95));
            assertTrue(s.evaluate().decisions().isEmpty(), "old samples left the window");
            s.advanceTo(T0.plus(Duration.ofMinutes(8)));
            s.event(cpu(T0.plus(Duration.ofMinutes(8)), 90));
            s.event(cpu(T0.plus(Duration.ofMinutes(8)), 85));
            Evaluation e = s.evaluate();
            assertEquals(1, e.decisions().size(), e.toString());
            FiredDecision d = e.decisions().get(0);
            assertEquals("hot cpu", d.rule());
            assertEquals(1, d.decision().getDelta());
            assertEquals(90.0, ((Number) d.bindings().get("$avg")).doubleValue(), 0.001);
            assertTrue(d.matched().stream().anyMatch(o -> o instanceof ClusterView), d.matched().toString());
            assertFalse(s.facts().stream().anyMatch(o -> o instanceof io.rulescaler.capacity.fact.ScaleDecision),
                    "decisions are taken out of the session");
        }
    }

    @Test
    void resolvedAlertIsRetracted() {
        try (RuleSession s = session(AVG, SessionLimits.DEFAULT)) {
            s.alert(new Alert("HighLoad", "web", "firing", "fp1", T0, Map.of(), Map.of()));
            assertEquals("alert", s.evaluate().decisions().get(0).rule());
            assertEquals(1, s.alertCount());
            assertTrue(s.alert(new Alert("HighLoad", "web", "resolved", "fp1", T0, Map.of(), Map.of())));
            assertEquals(0, s.alertCount());
            assertFalse(s.facts().stream().anyMatch(o -> o instanceof Alert));
        }
    }

    @Test
    void aChangedDesiredSizeDoesNotReFireRulesThatDoNotLookAtIt() {
        try (RuleSession s = session(AVG, SessionLimits.DEFAULT)) {
            s.alert(new Alert("HighLoad", "web", "firing", "fp1", T0, Map.of(), Map.of()));
            assertEquals(1, s.evaluate().decisions().size());
            s.setCluster(ClusterView.of("web", 4, 1, 10));
            assertTrue(s.evaluate().decisions().isEmpty(), "the alert rule fires once per alert, not per size change");
        }
    }

    @Test
    void runawayRuleIsCutAtTheFiringCapAndItsDecisionsDiscarded() {
        String loop = """
                package test;
                import io.rulescaler.capacity.fact.*;
                declare Counter
                    n : int
                end
                rule "seed" when $c : ClusterView() then insert( new Counter( 0 ) ); end
                rule "runaway" when $k : Counter( n >= 0 ) then
                    insert( ScaleDecision.delta( "web", 1, "loop" ) );
                    modify( $k ) { setN( $k.getN() + 1 ) }
                end
                """;
        try (RuleSession s = session(loop, new SessionLimits(1000, 500))) {
            Evaluation e = s.evaluate();
            assertTrue(e.runaway());
            // Drools stops at the limit (it may count the firing that reached it): bounded, not 10k+
            assertTrue(e.firings() >= 500 && e.firings() <= 501, "firings=" + e.firings());
            assertTrue(e.decisions().isEmpty());
            assertTrue(e.rulesFired().get("runaway") >= 498, e.rulesFired().toString());
            assertTrue(e.summary().contains("runaway"), e.summary());
        }
    }

    @Test
    void factCapDropsFurtherSignals() {
        try (RuleSession s = session(AVG, new SessionLimits(5, 100))) {
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (s.event(cpu(T0, 10))) {
                    accepted++;
                }
            }
            assertEquals(3, accepted, "the ClusterView and the ClusterParameters take one slot each");
            assertEquals(7, s.droppedFacts());
        }
    }

    @Test
    void compileErrorsCarryFileLineAndColumn() {
        String bad = """
                package test;
                import io.rulescaler.capacity.fact.*;

                rule "broken"
                when
                    $c : ClusterView( nosuchfield > 3 )
                then
                end
                """;
        CompiledRules r = RuleCompiler.compile("t", List.of(new RuleSource("t/ok.drl", AVG), new RuleSource("t/bad.drl", bad)));
        assertFalse(r.ok());
        RuleError err = r.errors().get(0);
        assertEquals("t/bad.drl", err.file());
        assertEquals(6, err.line(), r.errors().toString());
        assertTrue(err.format().startsWith("t/bad.drl:6:"), err.format());
    }
}
