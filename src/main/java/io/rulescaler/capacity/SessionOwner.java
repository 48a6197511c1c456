package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.rules.DisabledRules;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cluster's rules thread, its session and what its last evaluation did (see {@link ClusterSessions}, {@link SessionThreads}). */
final class SessionOwner {
    final String cluster;
    final ExecutorService exec;
    final AtomicBoolean scheduled = new AtomicBoolean();
    final java.util.Queue<SessionThreads.Task> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
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
    /** Rules this session stopped (rule -> why), for "why". */
    final java.util.Map<String, String> stopped = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The last evaluation that ran away (stopped rules), shown in "why" while they stay stopped. */
    volatile Evaluation lastRunaway;
    /** When the stored stopped rules were last compared with the session's (System.nanoTime). */
    long stoppedCheckedAt;
    /** System.nanoTime() when the last evaluation began (rules thread only); 0 before the first. */
    long evaluationStartedAt;

    /** Keeps an evaluation and what the decision stage stored of it for "why"; the last one that decided stays as previous. */
    void remember(Evaluation evaluation, List<DecisionView> stored) {
        if (evaluation.runaway()) {
            lastRunaway = evaluation;
        }
        if (!lastDecisions.isEmpty()) {
            previous = last;
            previousDecisions = lastDecisions;
        }
        last = evaluation;
        lastDecisions = List.copyOf(stored);
    }

    /**
     * Brings the session's stopped rules in line with what is stored: rules stopped elsewhere (or before a restart)
     * stay stopped; rules enabled again (file changed, admin) come back, in a session carried over so they see the
     * facts already there.
     */
    void syncStopped(DisabledRules disabledRules, CompiledRules rules) {
        stoppedCheckedAt = System.nanoTime();
        java.util.List<DisabledRules.Row> rows = disabledRules.current(cluster, rules);
        Set<String> keep = new java.util.HashSet<>();
        rows.forEach(r -> keep.add(r.rule()));
        boolean back = false;
        for (String r : session.disabledRules()) {
            if (!keep.contains(r)) {
                back |= session.enable(r);
            }
        }
        for (String r : keep) {
            session.disable(r);
        }
        stopped.keySet().retainAll(keep);
        rows.forEach(r -> stopped.putIfAbsent(r.rule(), r.cause()));
        if (back) {
            RuleSession next = session.carryTo(rules);
            session.close();
            session = next;
        }
    }

    /** Closes the session (rules thread only); the next evaluation builds a new one from storage. */
    void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    SessionOwner(String cluster) {
        this.cluster = cluster;
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rules-" + cluster);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Waits, on the cluster's rules thread, until {@code gap} has passed since the cluster's last evaluation began
     * ({@code rulescaler.capacity.evaluation-gap}), so that signals arriving meanwhile are taken in together.
     */
    void pace(java.time.Duration gap) {
        long now = System.nanoTime();
        if (!gap.isZero() && evaluationStartedAt != 0 && now - evaluationStartedAt < gap.toNanos()) {
            java.util.concurrent.locks.LockSupport.parkNanos(gap.toNanos() - (now - evaluationStartedAt));
        }
        evaluationStartedAt = System.nanoTime();
    }
}
