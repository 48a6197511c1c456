package io.rulescaler.capacity.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation of a session did: when (session time), how many rules fired (and which),
 * whether a cap cut it short (a runaway rule), the decisions it produced, the rules it stopped for reaching a cap,
 * every rule stopped in the session so far, and the chain runs it requested (each distinct run once).
 */
public record Evaluation(String cluster, Instant at, int firings, int maxFirings, boolean runaway,
                         Map<String, Integer> rulesFired, List<FiredDecision> decisions, long factCount,
                         long droppedFacts, List<StoppedRule> stopped, List<String> disabledRules, List<FiredChain> chainRuns) {

    /** An evaluation that requested no chain runs. */
    public Evaluation(String cluster, Instant at, int firings, int maxFirings, boolean runaway,
                      Map<String, Integer> rulesFired, List<FiredDecision> decisions, long factCount, long droppedFacts,
                      List<StoppedRule> stopped, List<String> disabledRules) {
        this(cluster, at, firings, maxFirings, runaway, rulesFired, decisions, factCount, droppedFacts, stopped, disabledRules,
                List.of());
    }

    /** A sentence about this evaluation for people reading "why". */
    public String summary() {
        if (runaway && firings >= maxFirings) {
            return "rules fired " + firings + " times, the cap per evaluation; a rule loops (most fired: "
                    + top() + "); stopped for this cluster: " + stoppedNames() + ", their decisions were discarded"
                    + (decisions.isEmpty() ? "" : ", " + decisions.size() + " decision(s) of other rules kept")
                    + (chainRuns.isEmpty() ? "" : ", " + chainRuns.size() + " chain request(s) go to the chain guard once each");
        }
        if (runaway) {
            return "the session passed its cap of facts; stopped for this cluster: " + stoppedNames()
                    + ", the facts they inserted dropped and their decisions discarded"
                    + (decisions.isEmpty() ? "" : ", " + decisions.size() + " decision(s) of other rules kept");
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

    private List<String> stoppedNames() {
        return stopped.stream().map(StoppedRule::rule).toList();
    }

    private String top() {
        return rulesFired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
    }
}
