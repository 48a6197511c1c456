package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Sample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bounded sessions: the facts rules insert count against the fact cap, and a rule that reaches the firing or
 * fact cap is stopped for its session with what it inserted dropped, while the other rules keep deciding.
 */
class BoundedSessionTest {

    static final Instant T0 = RuleSessionTest.T0;

    static final String ALERT = """
            package test;
            import io.rulescaler.capacity.fact.*;
            rule "alert"
            when
                $a : Alert( name == "HighLoad" )
                $c : ClusterView()
            then
                insert( ScaleDecision.delta( $c.getName(), 2, "alert " + $a.getFingerprint() ) );
            end
            """;

    static RuleSession session(SessionLimits limits, String... drl) {
        List<RuleSource> sources = new ArrayList<>();
        for (int i = 0; i < drl.length; i++) {
            sources.add(new RuleSource("t/f" + i + ".drl", drl[i]));
        }
        CompiledRules rules = RuleCompiler.compile("t", sources);
        assertTrue(rules.ok(), () -> rules.errors().toString());
        RuleSession s = new RuleSession("web", rules, limits, T0);
        s.setCluster(ClusterView.of("web", 2, 1, 10));
        return s;
    }

    @Test
    void aRuleInsertingAFactPerFiringIsStoppedAtTheFiringCapAndItsFactsDropped() {
        try (RuleSession s = session(new SessionLimits(100_000, 2_000), BoundedSessionRun.GROWING, ALERT)) {
            long before = s.factCount();
            Evaluation e = s.evaluate();
            assertTrue(e.runaway(), e.summary());
            assertEquals(List.of("grow"), e.stopped().stream().map(StoppedRule::rule).toList(), e.stopped().toString());
            assertEquals(StoppedRule.Cap.FIRINGS, e.stopped().get(0).cap());
            assertEquals("t/f0.drl", e.stopped().get(0).file(), "the stopped rule names its file");
            assertTrue(e.summary().contains("loops") && e.summary().contains("grow"), e.summary());
            // what "grow" inserted is gone: the cluster view and the seed's Tick remain
            assertEquals(before + 1, s.factCount(), s.facts().toString());
            assertEquals(List.of("grow"), e.disabledRules());
            // the other rules decide from the next evaluation on, and the stopped rule fires no more
            s.alert(new Alert("HighLoad", "web", "firing", "fp1", T0, Map.of(), Map.of()));
            Evaluation next = s.evaluate();
            assertFalse(next.runaway(), next.summary());
            assertEquals(1, next.decisions().size(), next.summary());
            assertEquals("alert", next.decisions().get(0).rule());
            assertFalse(next.rulesFired().containsKey("grow"), next.rulesFired().toString());
            assertEquals(before + 2, s.factCount());
        }
    }

    @Test
    void aRuleThatOutgrowsTheFactCapIsStoppedThoughItNeverReachesTheFiringCap() {
        try (RuleSession s = session(new SessionLimits(300, 10_000), BoundedSessionRun.GROWING.replace(
                "rule \"grow\" when $t : Tick() then insert( new Tick( $t.getN() + 1 ) ); end", ""))) {
            long most = 0;
            List<StoppedRule> stopped = new ArrayList<>();
            for (int i = 0; i < 100 && stopped.isEmpty(); i++) {
                Instant at = T0.plusSeconds(i);
                s.advanceTo(at);
                for (int k = 0; k < 10; k++) {
                    s.event(new Sample("web", "cpu", Map.of(), 50, at));
                }
                Evaluation e = s.evaluate();
                stopped.addAll(e.stopped());
                most = Math.max(most, s.factCount());
                assertTrue(e.firings() < 10_000, "never near the firing cap: " + e.firings());
            }
            assertEquals(1, stopped.size(), "stopped at the fact cap");
            assertEquals("remember every sample", stopped.get(0).rule());
            assertEquals(StoppedRule.Cap.FACTS, stopped.get(0).cap());
            assertTrue(most <= 301, "the session never holds more than the cap and the fact that passed it: " + most);
            long after = s.factCount();
            assertTrue(after < 300, "the remembered facts were dropped: " + after);
            // samples keep arriving and stay bounded; the stopped rule inserts nothing more
            for (int i = 100; i < 200; i++) {
                s.advanceTo(T0.plusSeconds(i));
                s.event(new Sample("web", "cpu", Map.of(), 50, T0.plusSeconds(i)));
                assertFalse(s.evaluate().rulesFired().containsKey("remember every sample"));
            }
            assertTrue(s.factCount() <= 300, "bounded: " + s.factCount());
        }
    }

    @Test
    void decisionsOfOtherRulesInTheRunawayEvaluationAreKeptUnlessTheyMatchedWhatTheStoppedRuleInserted() {
        String tainted = """
                package test;
                import io.rulescaler.capacity.fact.*;
                rule "decide on ticks" when $t : Tick( n == 5 ) $c : ClusterView() then
                    insert( ScaleDecision.delta( $c.getName(), 1, "tick 5" ) );
                end
                """;
        try (RuleSession s = session(new SessionLimits(100_000, 2_000), BoundedSessionRun.GROWING, ALERT, tainted)) {
            s.alert(new Alert("HighLoad", "web", "firing", "fp1", T0, Map.of(), Map.of()));
            Evaluation e = s.evaluate();
            assertTrue(e.runaway());
            List<String> kept = e.decisions().stream().map(FiredDecision::rule).toList();
            assertEquals(List.of("alert"), kept, "the alert rule's decision is kept; the one on a Tick 'grow' inserted is not: "
                    + e.summary());
            assertTrue(e.summary().contains("1 decision(s) of other rules kept"), e.summary());
        }
    }

    @Test
    void aStoppedRuleStaysStoppedAcrossAReloadOfOtherRulesAndComesBackWhenEnabled() {
        try (RuleSession s = session(new SessionLimits(100_000, 2_000), BoundedSessionRun.GROWING, ALERT)) {
            s.evaluate();
            CompiledRules again = RuleCompiler.compile("t", List.of(new RuleSource("t/f0.drl", BoundedSessionRun.GROWING),
                    new RuleSource("t/f1.drl", ALERT)));
            try (RuleSession next = s.carryTo(again)) {
                assertEquals(java.util.Set.of("grow"), next.disabledRules());
                assertFalse(next.evaluate().rulesFired().containsKey("grow"));
                assertTrue(next.enable("grow"));
                // matches filtered while it was stopped are gone: enabling carries the facts to a fresh session
                try (RuleSession fresh = next.carryTo(again)) {
                    Evaluation e = fresh.evaluate();
                    assertTrue(e.rulesFired().containsKey("grow"), "enabled again, it fires (and is stopped again)");
                    assertTrue(e.runaway());
                }
            }
        }
    }

    /**
     * Ten minutes of pseudo-clock ticks (a sample every 100 ms for two clusters, an evaluation a second, a cap of
     * 3 000 facts) in a JVM of 64 MB heap: before the rules' facts were capped, "grow" added 10 000 facts per
     * evaluation and this run could not finish in that heap.
     */
    @Test
    void heapStaysFlatInASmallHeapOverTenMinutesOfTicks() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BoundedSessionRun.class.getName(), "10", "3000").redirectErrorStream(true);
        Process p = pb.start();
        List<Map<String, String>> minutes = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("minute=")) {
                    Map<String, String> m = new HashMap<>();
                    for (String kv : line.split(" ")) {
                        m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    }
                    minutes.add(m);
                }
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the run ends");
        assertEquals(0, p.exitValue(), all.toString());
        assertEquals(10, minutes.size(), all.toString());
        for (Map<String, String> m : minutes) {
            assertTrue(Long.parseLong(m.get("max_facts_seen")) <= 3_001, "facts bounded: " + m);
            assertTrue(Integer.parseInt(m.get("calm_decisions")) > 0, "the second cluster keeps deciding: " + m);
            assertTrue(Integer.parseInt(m.get("grow_decisions")) > 0, "the runaway cluster's healthy rule keeps deciding: " + m);
        }
        assertTrue(minutes.get(9).get("grow_disabled").contains("grow") && minutes.get(9).get("grow_disabled").contains("remember"),
                all.toString());
        // the run's rules let samples leave after 2 minutes: from minute 3 on, both sessions hold what the healthy
        // rules need, and the runaway rules, stopped, add nothing; neither the fact count nor the heap grows
        long settledFacts = Long.parseLong(minutes.get(2).get("grow_facts"));
        assertTrue(Long.parseLong(minutes.get(9).get("grow_facts")) <= settledFacts + 10, all.toString());
        long settled = 0;
        for (int i = 2; i < 5; i++) {
            settled = Math.max(settled, Long.parseLong(minutes.get(i).get("heap_used")));
        }
        long end = Long.parseLong(minutes.get(9).get("heap_used"));
        assertTrue(end <= settled + 4L * 1024 * 1024, "heap flat from minute 3 to 10 (within 4 MB):\n" + all);
    }
}
