package io.rulescaler.capacity.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation of a session did: when (session time), how many rules fired (and which),
 * whether the firing cap cut it short (a runaway rule), the decisions it produced and the chain runs
 * it requested (each distinct run once).
 */
public record Evaluation(String cluster, Instant at, int firings, int maxFirings, boolean runaway,
                         Map<String, Integer> rulesFired, List<FiredDecision> decisions, long factCount,
                         long droppedFacts, List<FiredChain> chainRuns) {

    /** An evaluation that requested no chain runs. */
    public Evaluation(String cluster, Instant at, int firings, int maxFirings, boolean runaway,
                      Map<String, Integer> rulesFired, List<FiredDecision> decisions, long factCount, long droppedFacts) {
        this(cluster, at, firings, maxFirings, runaway, rulesFired, decisions, factCount, droppedFacts, List.of());
    }

    /** A sentence about this evaluation for people reading "why". */
    public String summary() {
        if (runaway) {
            return "rules fired " + firings + " times, the cap per evaluation; a rule loops (most fired: "
                    + top() + "); decisions of this evaluation were discarded"
                    + (chainRuns.isEmpty() ? "" : ", its " + chainRuns.size() + " chain request(s) go to the chain guard once each");
        }
        if (firings == 0) {
            return "no rule matched the " + factCount + " facts in the session, so nothing was decided";
        }
        if (decisions.isEmpty() && chainRuns.isEmpty()) {
            return "rules fired " + firings + " times (" + rulesFired.keySet() + ") but none concluded a ScaleDecision or RunChain";
        }
        return "rules fired " + firings + " times and concluded " + decisions.size() + " decision(s)"
                + (chainRuns.isEmpty() ? "" : " and " + chainRuns.size() + " chain request(s)");
    }

    private String top() {
        return rulesFired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
    }
}
