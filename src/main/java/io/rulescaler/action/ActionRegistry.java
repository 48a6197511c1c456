package io.rulescaler.action;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds every {@link Action} bean by its type name, so a new action is one class; also knows the
 * names of the built-in actions that are planned but not in this build, so a chain naming them is
 * reported as "unavailable" rather than as a typo.
 */
@ApplicationScoped
public class ActionRegistry {

    /** Built-in actions chains may name that arrive with the remote-configuration work. */
    public static final Set<String> PLANNED = Set.of("OSConfiguration", "DistributeScript", "RegisterLoadBalancer",
            "DeregisterLoadBalancer", "DrainNode", "RegisterDns", "DeregisterDns");

    private final Map<String, Action> byType;

    public ActionRegistry(Instance<Action> actions) {
        Map<String, Action> m = new TreeMap<>();
        for (Action a : actions) {
            Action previous = m.put(a.type(), a);
            if (previous != null) {
                throw new IllegalStateException("two actions claim type " + a.type() + ": "
                        + previous.getClass().getName() + " and " + a.getClass().getName());
            }
        }
        this.byType = Collections.unmodifiableMap(m);
    }

    public Optional<Action> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Types this build can run. */
    public Set<String> available() {
        return byType.keySet();
    }

    /** Types a chain may name: available ones plus the planned built-ins. */
    public Set<String> known() {
        Set<String> all = new TreeSet<>(PLANNED);
        all.addAll(byType.keySet());
        return all;
    }

    /** The types of {@code types} this build cannot run. */
    public Set<String> missing(Set<String> types) {
        Set<String> out = new TreeSet<>(types);
        out.removeAll(byType.keySet());
        return out;
    }
}
