package io.rulescaler.orchestration.reconcile;

import io.rulescaler.boot.StopGated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.action.ActionException;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.provider.ComputeProviders;
import io.rulescaler.provider.Installation;
import io.rulescaler.provider.Machine;
import io.rulescaler.provider.ProviderException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps the node table and the clouds from drifting apart silently: at start and every
 * {@code rulescaler.reconcile.interval}, per provider profile, compares the nodes the database
 * lists with the machines the provider reports. A node whose machine vanished is marked failed and
 * replaced; a machine tagged for a node that has none recorded is adopted; a machine of this
 * installation that no node accounts for is reported (log, metric, API), never destroyed. A
 * provider that does not answer skips its clusters and changes nothing.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private final ReconcileConfig config;
    private final ReconcileStore store;
    private final ReconcileMetrics metrics;
    private final ComputeProviders providers;
    private final Installation installation;
    private final OperationRepository operations;
    private final Event<OperationEvent> events;
    private final ReentrantLock round = new ReentrantLock();
    private final String me;

    public Reconciler(ReconcileConfig config, ReconcileStore store, ReconcileMetrics metrics, ComputeProviders providers,
                      Installation installation, OperationRepository operations, Event<OperationEvent> events) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.providers = providers;
        this.installation = installation;
        this.operations = operations;
        this.events = events;
        this.me = hostName();
    }

    void onStart(@Observes StartupEvent e) {
        if (!config.onStart()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                reconcileAll();
            } catch (RuntimeException ex) {
                LOG.warnf("reconcile at start failed problem=%s", ex.toString());
            }
        }, "reconcile-at-start");
        t.setDaemon(true);
        t.start();
    }

    /** Set when the service stops: no round starts after it. */
    private volatile boolean stopping;

    /**
     * Lets a round in progress (the one at start runs on its own thread) finish its transaction before the beans
     * go away, and starts none after; bounded well within {@code quarkus.shutdown.timeout}.
     */
    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
        try {
            if (round.tryLock(20, TimeUnit.SECONDS)) {
                round.unlock();
            } else {
                LOG.warnf("a reconcile round still runs after 20 s; stopping without it");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @StopGated
    @Scheduled(every = "${rulescaler.reconcile.interval:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!round.isLocked()) {
            try {
                reconcileAll();
            } catch (RuntimeException ex) {
                LOG.warnf("reconcile round failed problem=%s", ex.toString());
            }
        }
    }

    /** Reconciles every cluster, one provider list per profile; returns each cluster's report. */
    public List<ReconciliationView> reconcileAll() {
        round.lock();
        try {
            if (stopping) {
                return List.of();
            }
            Map<String, List<ReconcileStore.ClusterRef>> byProfile = store.clusters(null).stream()
                    .collect(Collectors.groupingBy(ReconcileStore.ClusterRef::profile, LinkedHashMap::new, Collectors.toList()));
            return byProfile.entrySet().stream().flatMap(e -> reconcileProfile(e.getKey(), e.getValue(), true).stream()).toList();
        } finally {
            round.unlock();
        }
    }

    /** Reconciles one cluster now (404 when it does not exist) and returns its report. */
    public ReconciliationView reconcile(String cluster) {
        round.lock();
        try {
            List<ReconcileStore.ClusterRef> refs = store.clusters(cluster);
            return reconcileProfile(refs.get(0).profile(), refs, false).get(0);
        } finally {
            round.unlock();
        }
    }

    /** The cluster's last report. */
    public ReconciliationView last(String cluster) {
        return store.last(cluster);
    }

    private List<ReconciliationView> reconcileProfile(String profile, List<ReconcileStore.ClusterRef> refs, boolean wholeProfile) {
        Map<ReconcileStore.ClusterRef, ReconcileStore.Snapshot> snaps = new LinkedHashMap<>();
        refs.forEach(r -> snaps.put(r, store.snapshot(r)));
        List<Machine> machines;
        try {
            machines = providers.get(profile).list();
        } catch (ProviderException | RuntimeException e) {
            LOG.warnf("reconcile skipped profile=%s clusters=%s: provider did not answer, nothing changed: %s", profile,
                    refs.stream().map(ReconcileStore.ClusterRef::name).toList(), e.getMessage());
            metrics.providerError(profile);
            metrics.run(profile, "provider-unreachable");
            return refs.stream().map(r -> record(new ReconciliationView(r.name(), profile, "provider-unreachable",
                    "provider profile " + profile + " did not answer; nothing was changed: " + e.getMessage(), store.now(), me,
                    0, List.of(), List.of(), List.of(), 0, null))).toList();
        }
        String ours = installation.id();
        Map<ReconcileStore.ClusterRef, Reconciliation.Findings> found = new LinkedHashMap<>();
        refs.forEach(r -> found.put(r, Reconciliation.compare(r.name(), ours, snaps.get(r).rows(), machines, store.now(),
                config.grace())));
        if (found.values().stream().anyMatch(f -> !f.vanished().isEmpty())) {
            confirmVanished(profile, refs, snaps, found, ours);
        }
        List<ReconciliationView> out = refs.stream().map(r -> reconcileCluster(r, snaps.get(r), found.get(r))).toList();
        if (wholeProfile) {
            reportOrphanClusters(profile, refs, machines, ours);
        }
        metrics.run(profile, "ok");
        LOG.infof("reconciled profile=%s clusters=%d machines=%d failed=%d adopted=%d unknown=%d busy=%d", profile, out.size(),
                machines.size(), out.stream().mapToInt(v -> v.failedNodes().size()).sum(),
                out.stream().mapToInt(v -> v.adoptedMachines().size()).sum(),
                out.stream().mapToInt(v -> v.unknownMachines().size()).sum(),
                out.stream().filter(v -> "busy".equals(v.outcome())).count());
        return out;
    }

    /**
     * A machine missing from one answer is looked for once more before its node is failed: a node
     * stays only if the second list misses it too (a provider that fails now fails no node).
     */
    private void confirmVanished(String profile, List<ReconcileStore.ClusterRef> refs,
                                 Map<ReconcileStore.ClusterRef, ReconcileStore.Snapshot> snaps,
                                 Map<ReconcileStore.ClusterRef, Reconciliation.Findings> found, String ours) {
        List<Machine> again;
        try {
            again = providers.get(profile).list();
        } catch (ProviderException | RuntimeException e) {
            LOG.warnf("reconcile profile=%s: second look failed, no node is failed this round: %s", profile, e.getMessage());
            again = null;
        }
        for (ReconcileStore.ClusterRef r : refs) {
            Reconciliation.Findings f = found.get(r);
            Set<Long> still = again == null ? Set.of() : Reconciliation.compare(r.name(), ours, snaps.get(r).rows(), again,
                    store.now(), config.grace()).vanished().stream().map(Reconciliation.Vanished::nodeId).collect(Collectors.toSet());
            found.put(r, new Reconciliation.Findings(f.vanished().stream().filter(v -> still.contains(v.nodeId())).toList(),
                    f.adoptable(), f.unknown(), f.foreign(), f.matched()));
        }
    }

    private ReconciliationView reconcileCluster(ReconcileStore.ClusterRef r, ReconcileStore.Snapshot snap,
                                                Reconciliation.Findings f) {
        ReconcileStore.Applied a = store.apply(r, snap, f, config.replace());
        if (a.replaceOperationId() != null) {
            events.fire(new OperationEvent(a.replaceOperationId(), OperationEvent.Type.STARTED));
        }
        for (Reconciliation.Vanished v : a.failed()) {
            LOG.warnf("reconcile node failed cluster=%s node=%s state=%s provider_id=%s: its machine vanished", r.name(),
                    v.node(), v.state(), v.providerId());
        }
        for (Reconciliation.Adoptable ad : a.adopted()) {
            LOG.infof("reconcile machine adopted cluster=%s node=%s provider_id=%s", r.name(), ad.node(), ad.providerId());
        }
        for (Reconciliation.Unknown u : a.unknown()) {
            LOG.warnf("reconcile unknown machine cluster=%s provider_id=%s name=%s: %s (reported, not destroyed)", r.name(),
                    u.providerId(), u.name(), u.reason());
        }
        metrics.failed(r.name(), a.failed().size());
        metrics.adopted(r.name(), a.adopted().size());
        if (!"busy".equals(a.outcome()) || !a.unknown().isEmpty()) {
            metrics.unknownMachines(r.name(), a.unknown().size());
        }
        return record(new ReconciliationView(r.name(), r.profile(), a.outcome(), a.detail(), store.now(), me, f.matched(),
                a.failed(), a.adopted(), a.unknown(), f.foreign(), a.replaceOperationId()));
    }

    private ReconciliationView record(ReconciliationView v) {
        store.record(v);
        return v;
    }

    /** Machines of this installation tagged for a cluster the database no longer has: log and metric only. */
    private void reportOrphanClusters(String profile, List<ReconcileStore.ClusterRef> refs, List<Machine> machines, String ours) {
        Set<String> known = refs.stream().map(ReconcileStore.ClusterRef::name).collect(Collectors.toSet());
        Map<String, Integer> orphans = new LinkedHashMap<>();
        for (Machine m : machines) {
            String cluster = m.tags() == null ? null : m.tags().get(Machine.TAG_CLUSTER);
            if (cluster != null && ours.equals(m.tags().get(Machine.TAG_INSTALLATION)) && !known.contains(cluster)) {
                orphans.merge(cluster, 1, Integer::sum);
            }
        }
        Set<String> all = new TreeSet<>(store.clusters(null).stream().map(ReconcileStore.ClusterRef::name).toList());
        orphans.forEach((cluster, n) -> {
            if (!all.contains(cluster)) {
                LOG.warnf("reconcile unknown machines profile=%s cluster=%s count=%d: the cluster no longer exists here "
                        + "(reported, not destroyed)", profile, cluster, n);
                metrics.unknownMachines(cluster, n);
            }
        });
    }

    /** After an operation ends, the next node that lost its machine is replaced at once (one operation at a time). */
    void onEnded(@Observes OperationEvent e) {
        if (e.type() != OperationEvent.Type.ENDED || !config.replace()) {
            return;
        }
        try {
            String cluster = QuarkusTransaction.requiringNew().call(() -> {
                OperationEntity op = operations.findById(e.operationId());
                return op == null ? null : op.clusterName;
            });
            Long id = cluster == null ? null : store.replaceNext(cluster);
            if (id != null) {
                events.fire(new OperationEvent(id, OperationEvent.Type.STARTED));
            }
        } catch (RuntimeException ex) {
            LOG.warnf("reconcile follow-up after operation %d failed problem=%s", e.operationId(), ex.toString());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }
}
