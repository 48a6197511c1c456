package io.rulescaler.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.time.SessionPseudoClock;

/**
 * Benchmark, not a test (not matched by surefire's default includes): samples per second through
 * the shipped window rules via the service's session path, against raw Drools inserting the same
 * events into a session of the same knowledge base; and the time to reload 200 rules.
 * Run: bench/capacity-engine.sh
 */
class CapacityEngineBench {

    static final int SAMPLES = 300_000;
    static final int BATCH = 1000;
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    static List<Sample> samples() {
        List<Sample> out = new ArrayList<>(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            // 1 ms apart: the 5-minute window slides through them; values stay between 20 and 80 (no decision)
            out.add(new Sample("web", "cpu", Map.of(), 30 + (i % 40), T0.plusMillis(i)));
        }
        return out;
    }

    @Test
    void samplesPerSecondThroughWindowRulesVersusRawDrools() {
        CompiledRules rules = RuleCompiler.compile("default", RuleSets.shipped().get("default"));
        assertTrue(rules.ok());
        List<Sample> data = samples();
        double ours = 0;
        double raw = 0;
        for (int round = 0; round < 3; round++) {
            ours = Math.max(ours, service(rules, data));
            raw = Math.max(raw, raw(rules, data));
        }
        System.out.printf("BENCH samples/s service-path=%.0f raw-drools=%.0f ratio=%.2f (samples=%d batch=%d, best of 3)%n",
                ours, raw, ours / raw, SAMPLES, BATCH);
    }

    static double service(CompiledRules rules, List<Sample> data) {
        long start = System.nanoTime();
        try (RuleSession s = new RuleSession("web", rules, new SessionLimits(2_000_000, 10_000), T0)) {
            s.setCluster(ClusterView.of("web", 3, 1, 10));
            for (int i = 0; i < data.size(); i += BATCH) {
                s.advanceTo(data.get(i).getTime());
                for (int j = i; j < Math.min(i + BATCH, data.size()); j++) {
                    s.event(data.get(j));
                }
                s.evaluate();
            }
        }
        return data.size() / ((System.nanoTime() - start) / 1e9);
    }

    static double raw(CompiledRules rules, List<Sample> data) {
        long start = System.nanoTime();
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        KieSession k = rules.kieBase().newKieSession(conf, null);
        SessionPseudoClock clock = k.getSessionClock();
        clock.advanceTime(T0.toEpochMilli(), TimeUnit.MILLISECONDS);
        k.insert(ClusterView.of("web", 3, 1, 10));
        for (int i = 0; i < data.size(); i += BATCH) {
            long delta = data.get(i).getTimestamp() - clock.getCurrentTime();
            if (delta > 0) {
                clock.advanceTime(delta, TimeUnit.MILLISECONDS);
            }
            for (int j = i; j < Math.min(i + BATCH, data.size()); j++) {
                k.insert(data.get(j));
            }
            k.fireAllRules();
        }
        k.dispose();
        return data.size() / ((System.nanoTime() - start) / 1e9);
    }

    @Test
    void reloadOfTwoHundredRules() {
        StringBuilder drl = new StringBuilder("package bench;\nimport io.rulescaler.capacity.fact.*;\n");
        for (int i = 0; i < 200; i++) {
            drl.append("""
                    rule "r%d"
                    when
                        $c : ClusterView()
                        accumulate( Sample( metric == "m%d", $v : value ) over window:time( 5m ); $avg : average( $v ); $avg > %d )
                    then
                        insert( ScaleDecision.delta( $c.getName(), 1, "m%d" ) );
                    end
                    """.formatted(i, i % 20, 50 + i % 30, i));
        }
        List<RuleSource> sources = List.of(new RuleSource("bench/r.drl", drl.toString()));
        CompiledRules warm = RuleCompiler.compile("bench", sources);
        assertTrue(warm.ok(), () -> warm.errors().toString());
        long best = Long.MAX_VALUE;
        long bestCarry = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            RuleSession s = new RuleSession("web", warm, SessionLimits.DEFAULT, T0);
            s.setCluster(ClusterView.of("web", 3, 1, 10));
            for (int i = 0; i < 10_000; i++) {
                s.event(new Sample("web", "m" + (i % 20), Map.of(), 10, T0.plusMillis(i)));
            }
            s.evaluate();
            long t0 = System.nanoTime();
            CompiledRules next = RuleCompiler.compile("bench", sources);
            long t1 = System.nanoTime();
            RuleSession carried = s.carryTo(next);
            carried.evaluate();
            long t2 = System.nanoTime();
            s.close();
            carried.close();
            best = Math.min(best, t2 - t0);
            bestCarry = Math.min(bestCarry, t2 - t1);
            System.out.printf("BENCH reload-200-rules round=%d compile_ms=%d carry_10k_facts_ms=%d total_ms=%d%n", round,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t2 - t0) / 1_000_000);
        }
        System.out.printf("BENCH reload-200-rules best_total_ms=%d best_carry_ms=%d%n", best / 1_000_000, bestCarry / 1_000_000);
    }
}
