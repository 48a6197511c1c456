package io.rulescaler.capacity.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.boot.PathStage;
import io.rulescaler.capacity.CapacityConfig;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.CapacityMetrics.StateSource;
import io.rulescaler.handoff.ScaleRequestWritten;
import io.rulescaler.capacity.fact.NodeView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way the capacity planner reads a cluster's state (spec, {@link io.rulescaler.capacity.fact.ClusterView},
 * {@link NodeView}s) for its rules, with the reuse policy inside: a recent read is reused whole, or
 * its node views with the spec and sizes read again after the planner's own writes, or everything
 * is read (counted as {@code rulescaler_session_state_reads_total{source}}).
 * Reuse justified by bench/capacity-webhook.sh: docs/bench-capacity.md, webhook rounds of 2026-11-25 02:00 and 2026-12-06 14:38.
 */
@ApplicationScoped
public class ClusterStateReader {

    private final ClusterStateQuery query;
    private final EntityManager em;
    private final DecisionLock lock;
    private final CapacityConfig config;
    private final CapacityMetrics metrics;
    private final Map<String, Recent> recent = new ConcurrentHashMap<>();

    ClusterStateReader(ClusterStateQuery query, EntityManager em, DecisionLock lock, CapacityConfig config, CapacityMetrics metrics) {
        this.query = query;
        this.em = em;
        this.lock = lock;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The cluster's state for an evaluation (call it on the cluster's rules thread): a recent read
     * when it may be reused ({@code rulescaler.capacity.facts-max-age}), else read in a read-only
     * transaction of its own and kept for the next evaluations. Empty when the cluster does not exist.
     */
    public Optional<ClusterFacts> read(String cluster) {
        Recent r = recent.computeIfAbsent(cluster, k -> new Recent());
        long generation = r.generation.get();
        ClusterFacts reuse = r.reusable(config);
        if (reuse != null) {
            metrics.stateRead(cluster, StateSource.REUSED);
            PathStage.mark("state-read", cluster);
            return Optional.of(reuse);
        }
        // the node views of a recent read, with spec and sizes read again; or everything read
        List<NodeView> recentNodes = r.recentNodes(config);
        // before the transaction reads anything (see DecisionLock#ensure), so that judging finds the row
        lock.ensure(cluster);
        Optional<ClusterFacts> read = QuarkusTransaction.requiringNew().call(() -> {
            // nothing loaded here is changed: no snapshots, no dirty checks at each flush
            em.unwrap(org.hibernate.Session.class).setDefaultReadOnly(true);
            return query.read(cluster, recentNodes);
        });
        read.ifPresent(f -> {
            r.keep(f, generation, recentNodes == null);
            metrics.stateRead(cluster, recentNodes != null ? StateSource.VIEW : StateSource.DATABASE);
        });
        PathStage.mark("state-read", cluster);
        return read;
    }

    /** The cluster's state as stored now, nothing reused or kept (status pages, the warm-up); empty when it does not exist. */
    public Optional<ClusterFacts> stored(String cluster) {
        return QuarkusTransaction.joiningExisting().call(() -> query.read(cluster, null));
    }

    /** The cluster's spec changed in storage: its next evaluation reads spec and sizes again (call before submitting it). */
    public void outdated(String cluster) {
        Recent r = recent.get(cluster);
        if (r != null) {
            r.outdated();
        }
    }

    /** The cluster is gone: nothing of it is kept. */
    public void forget(String cluster) {
        recent.remove(cluster);
    }

    /** The sizes a session last read are out of date once the planner wrote a scale request (after its commit). */
    void onScaleRequestWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) ScaleRequestWritten written) {
        outdated(written.cluster());
    }

    /** A cluster's last read and whether it may be reused. */
    private static final class Recent {
        /**
         * The cluster state the last evaluation read; null until the first read. Its node views are as
         * old as {@link #nodesReadNanos} (System.nanoTime); the rest is out of date once {@link #viewStale}.
         */
        volatile ClusterFacts facts;
        volatile long nodesReadNanos;
        /** The stored spec or sizes changed (a scale request, a spec change) since {@link #facts} was read. */
        volatile boolean viewStale;
        /** Moves on whenever the stored state changed here; a read that began before the change is not kept. */
        final AtomicLong generation = new AtomicLong();

        /** Keeps what an evaluation read, unless the state changed meanwhile; {@code withNodes}: the node views are new too. */
        void keep(ClusterFacts f, long generationBeforeRead, boolean withNodes) {
            if (generation.get() == generationBeforeRead) {
                if (withNodes) {
                    nodesReadNanos = System.nanoTime();
                }
                facts = f;
                viewStale = false;
                if (generation.get() != generationBeforeRead) {
                    viewStale = true; // outdated() ran between the check and here: do not lose it
                }
            }
        }

        /** The spec or sizes changed in storage: the next evaluation reads them again (node views may still be reused). */
        void outdated() {
            generation.incrementAndGet();
            viewStale = true;
        }

        /** The node views of the last read, while younger than facts-max-age; else null. */
        List<NodeView> recentNodes(CapacityConfig config) {
            ClusterFacts f = facts;
            return f != null && System.nanoTime() - nodesReadNanos < config.factsMaxAge().toNanos() ? f.nodes() : null;
        }

        /** The whole state of the last read, when its nodes are younger than facts-max-age and nothing else changed since. */
        ClusterFacts reusable(CapacityConfig config) {
            ClusterFacts f = facts;
            return !viewStale && recentNodes(config) != null ? f : null;
        }
    }
}
