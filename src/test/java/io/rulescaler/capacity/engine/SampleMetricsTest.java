package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metrics a rule set matches samples on, which the warm-up session inserts samples of. */
class SampleMetricsTest {

    @Test
    void theShippedSetsMatchOnTheirMetrics() {
        CompiledRules rules = RuleCompiler.compile("default", RuleSets.shipped().get("default"));
        assertTrue(rules.ok(), () -> rules.errors().toString());
        assertEquals(Set.of("cpu", "queue_depth"), rules.sampleMetrics());
    }

    @Test
    void metricsInAccumulatesAndNegationsCountOtherSamplePatternsDoNot() {
        CompiledRules rules = RuleCompiler.compile("probe", List.of(new RuleSource("probe/a.drl", """
                package io.rulescaler.rules.test;
                import io.rulescaler.capacity.fact.*;
                rule "plain"
                when
                    ClusterView()
                    Sample( metric == "plain", value > 10 )
                then
                end
                rule "in an accumulate"
                when
                    accumulate( Sample( metric == "windowed" ); $n : count() )
                then
                end
                rule "negated, and a sample without a metric constraint"
                when
                    not Sample( metric == "absent" )
                    Sample( value > 99 )
                    MetricWindow( metric == "not-a-sample" )
                then
                end
                """)));
        assertTrue(rules.ok(), () -> rules.errors().toString());
        assertEquals(Set.of("absent", "plain", "windowed"), rules.sampleMetrics());
    }
}
