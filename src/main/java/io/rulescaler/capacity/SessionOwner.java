package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cluster's rules thread, its session, the state it last read and what its last evaluation did (see {@link ClusterSessions}). */
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
    /** The cluster state the last evaluation read, and when (System.nanoTime); null when out of date. */
    volatile ClusterFacts facts;
    long factsReadNanos;
    /** Moves on whenever the stored state changed here; a read that began before the change is not kept. */
    final java.util.concurrent.atomic.AtomicLong factsGeneration = new java.util.concurrent.atomic.AtomicLong();

    void read(ClusterFacts f, long generationBeforeRead) {
        if (factsGeneration.get() == generationBeforeRead) {
            factsReadNanos = System.nanoTime();
            facts = f;
        }
    }

    void outdated() {
        factsGeneration.incrementAndGet();
        facts = null;
    }

    boolean factsFresh(Duration maxAge) {
        return facts != null && System.nanoTime() - factsReadNanos < maxAge.toNanos();
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
