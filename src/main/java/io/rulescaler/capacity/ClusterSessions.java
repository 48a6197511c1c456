package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.capacity.decision.ClusterStateReader;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.lease.SessionLeases;
import io.rulescaler.error.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Owns one rule session per cluster, each on its own single thread, so facts never race. Every
 * piece of work for a cluster (signals, ticks, reloads, spec changes) is a task on that thread:
 *
 * <pre>
 *  submit / SessionTriggers (tick, spec change, reload, enabled rule)
 *       ─> SessionThreads: queue on the cluster's thread (SessionOwner); work queued meanwhile is taken together
 *       ─> SessionEvaluator#run:
 *            read the cluster's state (ClusterStateReader: a recent read reused, or read)
 *          ─> ensure session on the cluster's rule set (carry facts on change)
 *          ─> refresh ClusterView/NodeViews ─> advance clock to now ─> insert signals ─> fire (capped)
 *          ─> Evaluation (what fired, the decisions and the facts they matched)
 *          ─> DecisionService#judge: [one transaction: decision lock, state read again, guard, stored]
 *          ─> SessionOwner#remember, for "why" (WhyText)
 * </pre>
 */
@ApplicationScoped
public class ClusterSessions {

    /** How many of a cluster's newest chain runs "why" lists. */
    static final int WHY_CHAIN_RUNS = 5;

    private final SessionThreads threads;
    private final SessionEvaluator evaluator;
    private final SessionTriggers triggers;
    private final SessionLeases leases;
    private final ClusterStateReader states;
    private final ChainRunService chainRuns;

    ClusterSessions(SessionThreads threads, SessionEvaluator evaluator, SessionTriggers triggers, SessionLeases leases,
                    ClusterStateReader states, ChainRunService chainRuns) {
        this.threads = threads;
        this.evaluator = evaluator;
        this.triggers = triggers;
        this.leases = leases;
        this.states = states;
        this.chainRuns = chainRuns;
    }

    /**
     * Runs {@code signals} against the cluster's session on its thread, then evaluates. Work that
     * queues up while an evaluation runs is taken together: one evaluation for all of it, so a
     * burst of signals costs one evaluation, not one each.
     */
    public CompletableFuture<Void> submit(String cluster, Consumer<RuleSession> signals) {
        return threads.submit(cluster, signals);
    }

    /** Evaluates every known cluster now (tests, and after a reload). */
    public CompletableFuture<Void> evaluateAll() {
        return triggers.evaluateAll();
    }

    /** The last evaluation of a cluster in words. */
    public Why why(String cluster) {
        ClusterFacts f = states.stored(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
        SessionOwner o = threads.existing(cluster);
        if (leases.epochOrAcquire(cluster) == 0) {
            o = new SessionOwner(cluster); // a stand-in that only says where the session runs
            o.problem = leases.notHere(cluster);
        }
        return WhyText.of(cluster, o, f, chainRuns.list(cluster, null, WHY_CHAIN_RUNS));
    }

    /** A copy of the facts in a cluster's session, read on its thread (status pages, tests). */
    public CompletableFuture<List<Object>> facts(String cluster) {
        SessionOwner o = threads.owner(cluster);
        return CompletableFuture.supplyAsync(() -> o.session == null ? List.of() : o.session.facts(), o.exec);
    }

    /** Queries of a cluster currently held as stale. */
    public Set<String> staleQueries(String cluster) {
        SessionOwner o = threads.existing(cluster);
        return o == null ? Set.of() : Set.copyOf(o.stale);
    }

    /** Marks or clears a stale query on the cluster's session (poller, policy hold). */
    public CompletableFuture<Void> stale(String cluster, String query, MetricsStale marker) {
        SessionOwner o = threads.owner(cluster);
        return CompletableFuture.runAsync(() -> {
            if (marker == null) {
                o.stale.remove(query);
            } else {
                o.stale.add(query);
            }
            evaluator.run(o, s -> s.stale(query, marker));
        }, o.exec);
    }
}
