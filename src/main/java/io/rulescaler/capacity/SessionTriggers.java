package io.rulescaler.capacity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.boot.StopGated;
import io.rulescaler.capacity.decision.ClusterStateReader;
import io.rulescaler.capacity.lease.SessionLeases;
import io.rulescaler.capacity.rules.RulesEnabled;
import io.rulescaler.capacity.rules.RulesReloaded;
import io.rulescaler.cluster.ClusterChanged;
import io.rulescaler.cluster.ClusterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What queues an evaluation besides a signal: the tick, a spec change, a reload or an enabled rule; and what ends a
 * cluster's session (the cluster deleted, the service stopping).
 */
@ApplicationScoped
class SessionTriggers {

    private final SessionThreads threads;
    private final ClusterRepository clusters;
    private final SessionLeases leases;
    private final ClusterStateReader states;

    SessionTriggers(SessionThreads threads, ClusterRepository clusters, SessionLeases leases, ClusterStateReader states) {
        this.threads = threads;
        this.clusters = clusters;
        this.leases = leases;
        this.states = states;
    }

    /** Moves every cluster's session clock forward (cron timers, windows closing) even without signals. */
    @StopGated
    @Scheduled(every = "${rulescaler.capacity.tick-interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        Set<String> names = new HashSet<>(clusterNames());
        for (String name : names) {
            SessionOwner o = threads.owner(name);
            if (o.queue.isEmpty()) {
                threads.submit(name, null);
            }
        }
    }

    /** Evaluates every cluster whose session lease this instance holds or takes now (tests, and after a reload). */
    CompletableFuture<Void> evaluateAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String name : clusterNames()) {
            all.add(threads.submit(name, null));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    void onClusterChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ClusterChanged changed) {
        if (changed.deleted()) {
            states.forget(changed.name());
            threads.remove(changed.name());
        } else {
            // before the evaluation below: it reads the new spec
            states.outdated(changed.name());
            threads.submit(changed.name(), null);
        }
    }

    void onRulesReloaded(@Observes RulesReloaded reloaded) {
        for (SessionOwner o : threads.all()) {
            // ruleSet is null until a first evaluation ran: one may be finding no rules right now
            if (reloaded.ruleSet().equals(o.ruleSet) || o.ruleSet == null) {
                threads.submit(o.cluster, null);
            }
        }
    }

    void onRulesEnabled(@Observes RulesEnabled enabled) {
        for (SessionOwner o : threads.all()) {
            if (enabled.ruleSet().equals(o.ruleSet)) {
                o.stoppedCheckedAt = 0;
                threads.submit(o.cluster, null);
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        threads.closeAll();
    }

    private List<String> clusterNames() {
        return QuarkusTransaction.requiringNew().call(
                () -> clusters.listAll().stream().map(c -> c.name).toList()).stream().filter(c -> leases.epochOrAcquire(c) != 0).toList();
    }
}
