package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Two clusters' sessions over pseudo-clock time, no wall-clock waits: "grow" runs rules that insert a fact per
 * firing (one loops, one remembers every sample) beside a healthy cpu rule, "calm" runs only the healthy rule. A cpu
 * sample every 100 ms per cluster, an evaluation every second. Prints one line per simulated minute: the heap used
 * after a GC, each session's fact count, the decisions of the minute. Run in a small heap by
 * {@link BoundedSessionTest#heapStaysFlatInASmallHeapOverTenMinutesOfTicks()}; args: minutes, max facts.
 */
public final class BoundedSessionRun {

    static final String HEALTHY = """
            package test;
            import io.rulescaler.capacity.fact.*;
            // samples leave after 2 minutes here (30 in the shipped model), so the healthy sessions level off
            // within the run and what is left to grow is what the runaway rules insert
            declare Sample
                @role( event )
                @expires( 2m )
            end
            rule "hot cpu"
            when
                $c : ClusterView()
                accumulate( Sample( metric == "cpu", $v : value ) over window:time( 1m ); $avg : average( $v ), $n : count( $v ); $n >= 3, $avg > 80 )
            then
                insert( ScaleDecision.delta( $c.getName(), 1, "avg cpu " + $avg ) );
            end
            """;

    static final String GROWING = """
            package test;
            import io.rulescaler.capacity.fact.*;
            declare Tick
                n : long
            end
            declare Seen
                value : double
            end
            rule "seed" when ClusterView() not Tick() then insert( new Tick( 0 ) ); end
            rule "grow" when $t : Tick() then insert( new Tick( $t.getN() + 1 ) ); end
            rule "remember every sample" when $s : Sample( metric == "cpu" ) then insert( new Seen( $s.getValue() ) ); end
            """;

    private BoundedSessionRun() {
    }

    public static void main(String[] args) {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int maxFacts = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        SessionLimits limits = new SessionLimits(maxFacts, 10_000);
        Instant t0 = Instant.parse("2026-01-05T07:00:00Z");
        CompiledRules grow = RuleCompiler.compile("grow", List.of(new RuleSource("grow/healthy.drl", HEALTHY),
                new RuleSource("grow/growing.drl", GROWING)));
        CompiledRules calm = RuleCompiler.compile("calm", List.of(new RuleSource("calm/healthy.drl", HEALTHY)));
        try (RuleSession g = new RuleSession("grow", grow, limits, t0); RuleSession c = new RuleSession("calm", calm, limits, t0)) {
            g.setCluster(ClusterView.of("grow", 2, 1, 10));
            c.setCluster(ClusterView.of("calm", 2, 1, 10));
            long maxSeen = 0;
            for (int minute = 1; minute <= minutes; minute++) {
                int growDecisions = 0;
                int calmDecisions = 0;
                for (int second = 0; second < 60; second++) {
                    for (int tenth = 0; tenth < 10; tenth++) {
                        Instant at = t0.plus(Duration.ofMillis(((minute - 1) * 60L + second) * 1000 + tenth * 100L));
                        g.advanceTo(at);
                        c.advanceTo(at);
                        g.event(new Sample("grow", "cpu", Map.of(), 90, at));
                        c.event(new Sample("calm", "cpu", Map.of(), 90, at));
                    }
                    growDecisions += g.evaluate().decisions().size();
                    calmDecisions += c.evaluate().decisions().size();
                    maxSeen = Math.max(maxSeen, Math.max(g.factCount(), c.factCount()));
                }
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.printf("minute=%d heap_used=%d grow_facts=%d calm_facts=%d max_facts_seen=%d grow_decisions=%d"
                                + " calm_decisions=%d grow_disabled=%s%n", minute, rt.totalMemory() - rt.freeMemory(), g.factCount(),
                        c.factCount(), maxSeen, growDecisions, calmDecisions, String.join("|", g.disabledRules()).replace(' ', '_'));
            }
        }
    }
}
