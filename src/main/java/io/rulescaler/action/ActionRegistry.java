package io.rulescaler.action;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds every {@link Action} bean by its type name, so a new action is one class: what exists is
 * exactly the beans of this build, each with the parameters it declares.
 */
@ApplicationScoped
public class ActionRegistry {

    private final Map<String, Action> byType;
    private final Map<String, List<ActionParameter>> parameters;

    public ActionRegistry(Instance<Action> actions) {
        Map<String, Action> m = new TreeMap<>();
        Map<String, List<ActionParameter>> p = new TreeMap<>();
        for (Action a : actions) {
            Action previous = m.put(a.type(), a);
            if (previous != null) {
                throw new IllegalStateException("two actions claim type " + a.type() + ": "
                        + previous.getClass().getName() + " and " + a.getClass().getName());
            }
            p.put(a.type(), List.copyOf(a.parameters()));
        }
        this.byType = Collections.unmodifiableMap(m);
        this.parameters = Collections.unmodifiableMap(p);
    }

    public Optional<Action> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Types this build can run. */
    public Set<String> available() {
        return byType.keySet();
    }

    /** Every type with the parameters it declares: what a chain is checked against when it loads. */
    public Map<String, List<ActionParameter>> parameters() {
        return parameters;
    }

    /** The types of {@code types} this build cannot run (none for a chain that loaded). */
    public Set<String> missing(Set<String> types) {
        Set<String> out = new TreeSet<>(types);
        out.removeAll(byType.keySet());
        return out;
    }
}
