package io.rulescaler.capacity.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.kie.api.KieBase;

/**
 * The outcome of compiling one rule set: a knowledge base ready for STREAM sessions when there
 * were no errors, else the errors with file, line and column.
 */
public record CompiledRules(String ruleSet, KieBase kieBase, List<RuleError> errors, List<String> files,
                            int ruleCount, Duration took, Instant compiledAt) {

    public boolean ok() {
        return errors.isEmpty() && kieBase != null;
    }

    /** Whether the set has a rule of this name. */
    public boolean hasRule(String rule) {
        return kieBase != null && kieBase.getKiePackages().stream().anyMatch(p -> p.getRules().stream().anyMatch(r -> r.getName().equals(rule)));
    }

    /** The file (e.g. {@code web/loop.drl}) a rule of this set comes from; null when unknown. */
    public String fileOf(String rule) {
        if (kieBase == null) {
            return null;
        }
        for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
            for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                if (r.getName().equals(rule) && r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl
                        && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
                    String path = impl.getResource().getSourcePath();
                    return path.startsWith("src/main/resources/") ? path.substring("src/main/resources/".length()) : path;
                }
            }
        }
        return null;
    }

    /**
     * The metrics the set's rules match samples on ({@code Sample( metric == "cpu", … )}, also inside an accumulate,
     * {@code not} or {@code exists}), sorted: what a warm-up session inserts samples of, so that it reaches the
     * constraints behind those patterns.
     */
    public Set<String> sampleMetrics() {
        Set<String> out = new TreeSet<>();
        if (kieBase != null) {
            for (org.kie.api.definition.KiePackage p : kieBase.getKiePackages()) {
                for (org.kie.api.definition.rule.Rule r : p.getRules()) {
                    if (r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl) {
                        sampleMetrics(impl.getLhs(), out);
                    }
                }
            }
        }
        return out;
    }

    private static void sampleMetrics(org.drools.base.rule.RuleConditionElement e, Set<String> out) {
        if (e instanceof org.drools.base.rule.Pattern p && p.getObjectType() instanceof org.drools.base.base.ClassObjectType t
                && t.getClassType() == io.rulescaler.capacity.fact.Sample.class) {
            for (org.drools.base.rule.constraint.Constraint c : p.getConstraints()) {
                if (c instanceof org.drools.base.rule.IndexableConstraint i
                        && i.getConstraintType() == org.drools.base.util.index.ConstraintTypeOperator.EQUAL
                        && i.getFieldExtractor() instanceof org.drools.core.base.FieldNameSupplier field && "metric".equals(field.getFieldName())
                        && i.getField() != null && i.getField().getValue() instanceof String metric) {
                    out.add(metric);
                }
            }
        }
        for (org.drools.base.rule.RuleConditionElement nested : e.getNestedElements()) {
            sampleMetrics(nested, out);
        }
    }
}
