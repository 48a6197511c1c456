package io.rulescaler.capacity.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation of a session did: when (session time), how many rules fired (and which),
 * whether the firing cap cut it short (a runaway rule), and the decisions it produced.
 */
public record Evaluation(String cluster, Instant at, int firings, int maxFirings, boolean runaway,
                         Map<String, Integer> rulesFired, List<FiredDecision> decisions, long factCount,
                         long droppedFacts) {

    /** A sentence about this evaluation for people reading "why". */
    public String summary() {
        if (runaway) {
            return "rules fired " + firings + " times, the cap per evaluation; a rule loops (most fired: "
                    + top() + "); decisions of this evaluation were discarded";
        }
        if (firings == 0) {
            return "no rule matched the " + factCount + " facts in the session, so nothing was decided";
        }
        if (decisions.isEmpty()) {
            return "rules fired " + firings + " times (" + rulesFired.keySet() + ") but none concluded a ScaleDecision";
        }
        return "rules fired " + firings + " times and concluded " + decisions.size() + " decision(s)";
    }

    private String top() {
        return rulesFired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
    }
}
