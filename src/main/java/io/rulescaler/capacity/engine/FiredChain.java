package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.RunChain;
import java.util.List;
import java.util.Map;

/**
 * A chain request as the engine saw it come out of a rule: the first {@link RunChain} for a chain,
 * node and parameters in one evaluation, the rule and matched facts of that first firing, and how
 * many times rules asked for the same run in the evaluation (a runaway rule asks thousands of times
 * and still yields one request).
 */
public record FiredChain(RunChain run, String rule, List<Object> matched, Map<String, Object> bindings, int requests) {

    /** The same request asked once more. */
    FiredChain again() {
        return new FiredChain(run, rule, matched, bindings, requests + 1);
    }
}
