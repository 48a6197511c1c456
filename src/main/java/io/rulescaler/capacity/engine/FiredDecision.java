package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.ScaleDecision;
import java.util.List;
import java.util.Map;

/**
 * A decision as the engine saw it come out of a rule: the decision, the rule's name, the facts of
 * the match that fired it and the values bound to the rule's variables at that moment.
 */
public record FiredDecision(ScaleDecision decision, String rule, List<Object> matched, Map<String, Object> bindings) {
}
