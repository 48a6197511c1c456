package io.rulescaler.capacity;

import io.rulescaler.boot.StopGated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.decision.DecisionLock;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequests;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Brings clusters to their bounds without waiting for a rule: a new cluster to its starting size,
 * a cluster below its minimum (nodes failed) up to it, one above its maximum (max lowered) down to
 * it. It writes the same outbox row a decision would (source HEALTH), under the cluster row lock
 * that decisions take, and only when no request of the cluster is still pending.
 */
@ApplicationScoped
public class BoundsKeeper {

    private static final Logger LOG = Logger.getLogger(BoundsKeeper.class);
    private final ClusterRepository clusterRows;
    private final NodeRepository nodes;
    private final ClusterService clusters;
    private final CapacityConfig config;
    private final Clock clock;
    private final DecisionLock decisionLock;
    private final ScaleRequests requests;

    public BoundsKeeper(ClusterRepository clusterRows, NodeRepository nodes, ClusterService clusters, CapacityConfig config, Clock clock, DecisionLock decisionLock,
                        ScaleRequests requests) {
        this.clusterRows = clusterRows;
        this.nodes = nodes;
        this.requests = requests;
        this.decisionLock = decisionLock;
        this.clusters = clusters;
        this.config = config;
        this.clock = clock;
    }

    @StopGated
    @Scheduled(every = "${rulescaler.capacity.keep-bounds-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!config.keepBounds()) {
            return;
        }
        List<String> names = QuarkusTransaction.requiringNew().call(() ->
                clusterRows.find("select c.name from ClusterEntity c where c.paused = false and c.dryRun = false order by c.name")
                        .project(String.class).list());
        for (String name : names) {
            try {
                check(name);
            } catch (RuntimeException e) {
                LOG.warnf("bounds check failed cluster=%s error=%s", name, e.toString());
            }
        }
    }

    /** Checks one cluster and writes a scale request when it is outside its bounds; returns its id. */
    public Optional<Long> check(String name) {
        // almost every tick finds the cluster within its bounds: that is seen without the decision lock, which is a
        // write (certified across Galera nodes) and would cost every cluster a row update per tick
        if (QuarkusTransaction.requiringNew().call(() -> wanted(name)).isEmpty()) {
            return Optional.empty();
        }
        decisionLock.ensure(name);
        return QuarkusTransaction.requiringNew().call(() -> {
            // the same lock as rule and manual decisions: judged one after another, on any instance; then read again
            decisionLock.acquire(name);
            Optional<Wanted> wanted = wanted(name);
            if (wanted.isEmpty()) {
                return Optional.<Long>empty();
            }
            Wanted w = wanted.get();
            long id = requests.submit(ScaleRequestEntity.pending(name, w.target(), w.live(), w.reason(), ScaleRequestEntity.Source.HEALTH,
                    "bounds", clock.instant()));
            LOG.infof("bounds scale request cluster=%s from=%d to=%d reason=%s", name, w.live(), w.target(), w.reason());
            return Optional.of(id);
        });
    }

    /** The size a cluster outside its bounds should have, and why. */
    private record Wanted(int target, int live, String reason) {
    }

    /** In the caller's transaction: the request the cluster needs, if any (none while one is pending). */
    private Optional<Wanted> wanted(String name) {
        ClusterEntity c = clusterRows.findByName(name).orElse(null);
        if (c == null || c.paused || c.dryRun || requests.hasPending(name)) {
            return Optional.empty();
        }
        boolean everRequested = requests.everRequested(name);
        int live = (int) nodes.count("clusterId = ?1 and state in ?2", c.id, NodeState.LIVE);
        ClusterSpec.Sizing size = clusters.get(name).spec().size();
        if (!everRequested && live == 0 && size.desired() != null && size.desired() > 0) {
            return Optional.of(new Wanted(size.desired(), live, "new cluster: starting size " + size.desired()));
        } else if (live < size.min()) {
            return Optional.of(new Wanted(size.min(), live, live + " live nodes, below the minimum of " + size.min()));
        } else if (live > size.max()) {
            return Optional.of(new Wanted(size.max(), live, live + " live nodes, above the maximum of " + size.max()));
        }
        return Optional.empty();
    }
}
