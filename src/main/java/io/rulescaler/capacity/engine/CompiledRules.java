package io.rulescaler.capacity.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
