package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cluster's rules thread, its session and what its last evaluation did (see {@link ClusterSessions}). */
final class SessionOwner {
    final String cluster;
    final ExecutorService exec;
    final AtomicBoolean scheduled = new AtomicBoolean();
    final java.util.Queue<ClusterSessions.Task> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final Set<String> stale = ConcurrentHashMap.newKeySet();
    RuleSession session;
    long epoch;
    volatile String ruleSet;
    volatile Evaluation last;
    volatile List<DecisionView> lastDecisions = List.of();
    volatile Evaluation previous;
    volatile List<DecisionView> previousDecisions = List.of();
    volatile String problem;
    volatile long runaways;

    /** Keeps an evaluation and what the decision stage stored of it for "why"; the last one that decided stays as previous. */
    void remember(Evaluation evaluation, List<DecisionView> stored) {
        if (!lastDecisions.isEmpty()) {
            previous = last;
            previousDecisions = lastDecisions;
        }
        last = evaluation;
        lastDecisions = List.copyOf(stored);
    }

    SessionOwner(String cluster) {
        this.cluster = cluster;
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rules-" + cluster);
            t.setDaemon(true);
            return t;
        });
    }
}
