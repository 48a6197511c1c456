package io.rulescaler.capacity.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Which rule inserted which facts still in a session, so a rule stopped at the fact cap is known and what it
 * inserted can be dropped without rebuilding the session. Facts the rules delete themselves are forgotten after
 * each evaluation ({@link #prune}); signals are never tracked (they are inserted by no rule).
 */
final class RuleInsertions {

    private final Map<String, List<FactHandle>> byRule = new HashMap<>();

    void inserted(String rule, FactHandle handle) {
        byRule.computeIfAbsent(rule, r -> new ArrayList<>()).add(handle);
    }

    /** Handles tracked for {@code rule} (live or deleted during this evaluation). */
    int tracked(String rule) {
        List<FactHandle> l = byRule.get(rule);
        return l == null ? 0 : l.size();
    }

    /** Forgets the facts that left the session. */
    void prune(KieSession session) {
        byRule.values().forEach(l -> l.removeIf(h -> session.getObject(h) == null));
        byRule.values().removeIf(List::isEmpty);
    }

    /** The rule holding the most facts it inserted, not counting {@code except}; null when none. */
    String largest(Set<String> except) {
        String best = null;
        int most = 0;
        for (Map.Entry<String, List<FactHandle>> e : byRule.entrySet()) {
            if (!except.contains(e.getKey()) && e.getValue().size() > most) {
                best = e.getKey();
                most = e.getValue().size();
            }
        }
        return best;
    }

    /** The facts {@code rules} inserted, compared by identity. */
    Set<FactHandle> handlesOf(Set<String> rules) {
        Set<FactHandle> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String r : rules) {
            out.addAll(byRule.getOrDefault(r, List.of()));
        }
        return out;
    }

    /** Deletes from the session every live fact {@code rule} inserted; returns how many. */
    int drop(String rule, KieSession session) {
        List<FactHandle> l = byRule.remove(rule);
        int n = 0;
        if (l != null) {
            for (FactHandle h : l) {
                if (session.getObject(h) != null) {
                    session.delete(h);
                    n++;
                }
            }
        }
        return n;
    }
}
