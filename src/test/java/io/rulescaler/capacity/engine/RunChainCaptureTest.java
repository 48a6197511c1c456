package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.RunChain;
import io.rulescaler.capacity.fact.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RunChain comes out of the session like a ScaleDecision: with its rule and facts, once per chain and node. */
class RunChainCaptureTest {

    static final String DRL = """
            package test;
            import io.rulescaler.capacity.fact.*;

            rule "restart the slow node"
            when
                $a : Alert( name == "TomcatHeapHigh", label( "node" ) != null )
            then
                insert( new RunChain( "restart-app", $a.label( "node" ), "heap above 90 % on " + $a.label( "node" ) ) );
            end

            rule "every sample asks to mail"
            when
                $s : Sample( metric == "queue" )
            then
                insert( new RunChain( "notify", java.util.Map.of( "why", "queue" ), "queue sample" ) );
            end
            """;

    @Test
    void theRuleTheNodeAndTheMatchedAlertAreRecorded() {
        try (RuleSession s = RuleSessionTest.session(DRL, SessionLimits.DEFAULT)) {
            s.alert(new Alert("TomcatHeapHigh", "web", "firing", "fp1", RuleSessionTest.T0, Map.of("node", "web-3"), Map.of()));
            Evaluation e = s.evaluate();
            assertEquals(1, e.chainRuns().size(), e.toString());
            FiredChain f = e.chainRuns().get(0);
            assertEquals("restart the slow node", f.rule());
            assertEquals(new RunChain("restart-app", "web-3", "heap above 90 % on web-3"), f.run());
            assertTrue(f.matched().get(0) instanceof Alert, f.matched().toString());
            assertEquals(1, f.requests());
            assertTrue(e.decisions().isEmpty());
            assertTrue(s.facts().stream().noneMatch(o -> o instanceof RunChain), "requests leave the session");
        }
    }

    @Test
    void tenThousandRequestsForTheSameRunAreOneRequestCountedTenThousandTimes() {
        try (RuleSession s = RuleSessionTest.session(DRL, new SessionLimits(100_000, 50_000))) {
            for (int i = 0; i < 10_000; i++) {
                s.event(new Sample("web", "queue", Map.of("i", "" + i), i, RuleSessionTest.T0));
            }
            Evaluation e = s.evaluate();
            assertEquals(1, e.chainRuns().size());
            assertEquals(10_000, e.chainRuns().get(0).requests());
            assertEquals(Map.of("why", "queue"), e.chainRuns().get(0).run().getParameters());
            assertTrue(e.summary().contains("1 chain request(s)"), e.summary());
        }
    }

    @Test
    void aRunawayEvaluationDropsItsDecisionsButKeepsOneRequestPerRun() {
        try (RuleSession s = RuleSessionTest.session(DRL, new SessionLimits(100_000, 10_000))) {
            for (int i = 0; i < 10_000; i++) {
                s.event(new Sample("web", "queue", Map.of("i", "" + i), i, RuleSessionTest.T0));
            }
            Evaluation e = s.evaluate();
            assertTrue(e.runaway());
            assertEquals(List.of("notify"), e.chainRuns().stream().map(f -> f.run().getChain()).toList());
            assertTrue(e.summary().contains("chain guard once each"), e.summary());
        }
    }
}
