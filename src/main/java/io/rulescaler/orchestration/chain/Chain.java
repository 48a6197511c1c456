package io.rulescaler.orchestration.chain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated chain: the ordered steps an operation runs, read from one {@code actions/*.yaml}
 * file. It is stored whole with each operation, so a reload never changes one in flight.
 */
public record Chain(String name, String description, String file, List<Step> steps, Set<String> triggers,
                    long cooldownSeconds) {

    /**
     * Who may start a chain that does not say: operators, and the scale operations of clusters that
     * name it (a chain file written before triggers existed keeps working); never rules.
     */
    public static final Set<String> DEFAULT_TRIGGERS = Set.of("manual", "scale");
    /** How long after a run the same chain may run again for the same node, unless the file says. */
    public static final long DEFAULT_COOLDOWN_SECONDS = 600;

    /** A chain with the default triggers and cooldown. */
    public Chain(String name, String description, String file, List<Step> steps) {
        this(name, description, file, steps, DEFAULT_TRIGGERS, DEFAULT_COOLDOWN_SECONDS);
    }

    /** Every {@code ${params.x}} the chain reads without a default ({@code ${params.x:-default}}), by name. */
    public Set<String> requiredParameters() {
        Set<String> names = new TreeSet<>();
        for (Step s : steps) {
            s.params().values().forEach(v -> ChainParameters.required(v, names));
            if (s.undo() != null) {
                s.undo().params().values().forEach(v -> ChainParameters.required(v, names));
            }
        }
        return names;
    }

    /** Every action type the chain names, undo steps included. */
    public Set<String> actionTypes() {
        Set<String> types = new TreeSet<>();
        for (Step s : steps) {
            types.add(s.action());
            if (s.undo() != null) {
                types.add(s.undo().action());
            }
        }
        return types;
    }

    /** One step: which action, for what, how long, how often, and what a failure does. */
    public record Step(
            String name,
            String action,
            Scope scope,
            NodeFilter nodes,
            java.util.Map<String, String> params,
            long timeoutSeconds,
            Retry retry,
            Undo undo,
            OnFailure onFailure,
            int parallelism,
            String nodeStateOnStart,
            String nodeStateOnSuccess) {
    }

    /** Retry policy: total attempts (1 = no retry) and the first backoff, doubled each time. */
    public record Retry(int attempts, long backoffMillis) {
        public static final Retry NONE = new Retry(1, 0);
    }

    /** The action that undoes a step on rollback or cancel. */
    public record Undo(String action, java.util.Map<String, String> params, long timeoutSeconds, String nodeStateOnStart,
                       String nodeStateOnSuccess) {
    }

    /** Whether a step runs once for the cluster or once per node of the operation. */
    public enum Scope { CLUSTER, NODE }

    /** Which nodes of the operation a node-scoped step runs for. */
    public enum NodeFilter { ALL, ADDED, REMOVED }

    /** What a permanently failed task does to the rest of the operation. */
    public enum OnFailure { ROLLBACK, STOP, CONTINUE }
}
