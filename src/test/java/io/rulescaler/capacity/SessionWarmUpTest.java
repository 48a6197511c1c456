package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.rules.RuleCatalog;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.drools.base.base.ClassObjectType;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.AlphaNode;
import org.drools.core.reteoo.ObjectSink;
import org.drools.core.reteoo.ObjectSource;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.mvel.MVELConstraint;
import org.junit.jupiter.api.Test;

/** The warm-up session runs for the shipped rule set once it compiled, and leaves nothing behind. */
@QuarkusTest
class SessionWarmUpTest {

    @Inject
    SessionWarmUp warmUp;

    @Inject
    RuleCatalog catalog;

    @Inject
    EntityManager em;

    @Test
    void theShippedRuleSetIsWarmedAndNothingIsStored() {
        await("default rule set warmed up", Duration.ofSeconds(60), () -> warmUp.warmed().contains("default"));
        for (String table : new String[] {"decision", "scale_request", "alert_event", "session_lease", "decision_lock",
                "session_alert_decided", "cluster"}) {
            String column = table.equals("cluster") ? "name" : "cluster_name";
            Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?1")
                    .setParameter(1, SessionWarmUp.NAME).getSingleResult();
            assertEquals(0, n.intValue(), "the warm-up wrote nothing to " + table);
        }
    }

    /**
     * Drools creates a constraint's MVEL evaluator at its first evaluation, without a lock: the warm-up's samples
     * create those of the sample constraints, in a rule set no cluster uses (nothing else could have evaluated them).
     */
    @Test
    void theWarmUpCreatesTheEvaluatorsOfTheSampleConstraints() throws Exception {
        String set = unique("warm");
        assertTrue(catalog.put(set + "/probe.drl", """
                package io.rulescaler.rules.test;
                import io.rulescaler.capacity.fact.*;
                rule "probe: a sample above 10"
                when
                    ClusterView()
                    Sample( metric == "warm_probe", value > 10 || value < 1 )
                then
                end
                rule "probe: an average"
                when
                    accumulate( Sample( metric == "warm_window" ); $n : count() )
                then
                end
                """).written(), "the probe rule set compiles");
        await(set + " warmed up", Duration.ofSeconds(60), () -> warmUp.warmed().contains(set));
        CompiledRules rules = catalog.get(set).orElseThrow();
        assertEquals(Set.of("warm_probe", "warm_window"), rules.sampleMetrics(), "metrics found, in an accumulate too");
        List<MVELConstraint> constraints = new ArrayList<>();
        for (ObjectTypeNode otn : ((InternalRuleBase) rules.kieBase()).getRete().getObjectTypeNodes()) {
            if (otn.getObjectType() instanceof ClassObjectType t && t.getClassType() == Sample.class) {
                alphaConstraints(otn, constraints);
            }
        }
        assertTrue(constraints.stream().anyMatch(c -> c.getExpression().contains("value > 10")), "found: " + constraints);
        Field evaluator = MVELConstraint.class.getDeclaredField("conditionEvaluator");
        evaluator.setAccessible(true);
        for (MVELConstraint c : constraints) {
            assertNotNull(evaluator.get(c), "the evaluator of '" + c.getExpression() + "' was created by the warm-up");
        }
    }

    private static void alphaConstraints(ObjectSource source, List<MVELConstraint> out) {
        for (ObjectSink sink : source.getObjectSinkPropagator().getSinks()) {
            if (sink instanceof AlphaNode a) {
                if (a.getConstraint() instanceof MVELConstraint m) {
                    out.add(m);
                }
                alphaConstraints(a, out);
            }
        }
    }
}
