package io.rulescaler.capacity.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which rules a session stops when an evaluation reaches its firing or fact cap (see {@link RuleSession#evaluate()}). */
final class RuleCaps {

    private RuleCaps() {
    }

    /** The rules of a loop that reached the firing cap: the one that fired most and all that fired a tenth of the cap. */
    static List<StoppedRule> loopers(Map<String, Integer> rulesFired, int firings, SessionLimits limits, CompiledRules rules) {
        String top = rulesFired.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        List<StoppedRule> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : rulesFired.entrySet()) {
            if (e.getKey().equals(top) || e.getValue() >= Math.max(1, limits.maxFirings() / 10)) {
                out.add(new StoppedRule(e.getKey(), rules.fileOf(e.getKey()), StoppedRule.Cap.FIRINGS, e.getValue(),
                        "fired " + e.getValue() + " of the " + firings + " firings of one evaluation, which reached the cap of "
                                + limits.maxFirings()));
            }
        }
        return out;
    }

    /** The least a rule must have inserted to be the one stopped at the fact cap: 1 % of the cap. */
    static int factShare(SessionLimits limits) {
        return Math.max(1, limits.maxFacts() / 100);
    }

    static Set<String> names(List<StoppedRule> stopped) {
        Set<String> out = new LinkedHashSet<>();
        stopped.forEach(r -> out.add(r.rule()));
        return out;
    }
}
