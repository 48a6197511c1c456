package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.NodeView;
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
    /**
     * The cluster state the last evaluation read; null until the first read. Its node views are as
     * old as {@link #nodesReadNanos} (System.nanoTime); the rest is out of date once {@link #viewStale}.
     */
    volatile ClusterFacts facts;
    long nodesReadNanos;
    /** The stored spec or sizes changed (a scale request, a spec change) since {@link #facts} was read. */
    volatile boolean viewStale;
    /** Moves on whenever the stored state changed here; a read that began before the change is not kept. */
    final java.util.concurrent.atomic.AtomicLong factsGeneration = new java.util.concurrent.atomic.AtomicLong();

    /** Keeps what an evaluation read, unless the state changed meanwhile; {@code withNodes}: the node views are new too. */
    void read(ClusterFacts f, long generationBeforeRead, boolean withNodes) {
        if (factsGeneration.get() == generationBeforeRead) {
            if (withNodes) {
                nodesReadNanos = System.nanoTime();
            }
            facts = f;
            viewStale = false;
            if (factsGeneration.get() != generationBeforeRead) {
                viewStale = true; // outdated() ran between the check and here: do not lose it
            }
        }
    }

    /** The spec or sizes changed in storage: the next evaluation reads them again (node views may still be reused). */
    void outdated() {
        factsGeneration.incrementAndGet();
        viewStale = true;
    }

    /** The node views of the last read, while younger than {@code maxAge}; else null. */
    List<NodeView> recentNodes(Duration maxAge) {
        ClusterFacts f = facts;
        return f != null && System.nanoTime() - nodesReadNanos < maxAge.toNanos() ? f.nodes() : null;
    }

    /** The whole state of the last read, when its nodes are younger than {@code maxAge} and nothing else changed since. */
    ClusterFacts reusable(Duration maxAge) {
        ClusterFacts f = facts;
        return !viewStale && recentNodes(maxAge) != null ? f : null;
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
