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
}
