package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.ScaleDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.runtime.rule.Match;

/** What a match held when its rule concluded a decision: the facts and the plain values bound to its variables. */
final class MatchValues {

    private MatchValues() {
    }

    static List<Object> matched(Match m) {
        List<Object> out = new ArrayList<>();
        for (Object o : m.getObjects()) {
            if (o != null && !(o instanceof ScaleDecision) && !(o instanceof io.rulescaler.capacity.fact.RunChain)) {
                out.add(o);
            }
        }
        return out;
    }

    static Map<String, Object> bindings(Match m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String id : m.getDeclarationIds()) {
            Object v;
            try {
                v = m.getDeclarationValue(id);
            } catch (RuntimeException e) {
                continue;
            }
            if (v instanceof Number || v instanceof String || v instanceof Boolean || v == null) {
                out.put(id, v);
            }
        }
        return out;
    }
}
