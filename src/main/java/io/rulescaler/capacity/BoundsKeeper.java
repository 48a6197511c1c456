package io.rulescaler.capacity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.decision.DecisionLock;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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
    private final EntityManager em;
    private final ClusterService clusters;
    private final CapacityConfig config;
    private final Clock clock;
    private final DecisionLock decisionLock;
    private final ScaleRequests requests;

    public BoundsKeeper(EntityManager em, ClusterService clusters, CapacityConfig config, Clock clock, DecisionLock decisionLock,
                        ScaleRequests requests) {
        this.em = em;
        this.requests = requests;
        this.decisionLock = decisionLock;
        this.clusters = clusters;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${rulescaler.capacity.keep-bounds-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!config.keepBounds()) {
            return;
        }
        List<String> names = QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select c.name from ClusterEntity c where c.paused = false and c.dryRun = false order by c.name",
                        String.class).getResultList());
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
        decisionLock.ensure(name);
        return QuarkusTransaction.requiringNew().call(() -> {
            // the same lock as rule and manual decisions: judged one after another, on any instance
            decisionLock.acquire(name);
            ClusterEntity c = em.createQuery("from ClusterEntity where name = ?1", ClusterEntity.class)
                    .setParameter(1, name).getResultStream().findFirst().orElse(null);
            if (c == null || c.paused || c.dryRun) {
                return Optional.<Long>empty();
            }
            if (requests.hasPending(name)) {
                return Optional.<Long>empty();
            }
            boolean everRequested = requests.everRequested(name);
            int live = em.createQuery("select count(n) from NodeEntity n where n.clusterId = ?1 and n.state in ?2", Long.class)
                    .setParameter(1, c.id).setParameter(2, NodeState.LIVE).getSingleResult().intValue();
            ClusterSpec.Sizing size = clusters.get(name).spec().size();
            Integer target = null;
            String reason = null;
            if (!everRequested && live == 0 && size.desired() != null && size.desired() > 0) {
                target = size.desired();
                reason = "new cluster: starting size " + target;
            } else if (live < size.min()) {
                target = size.min();
                reason = live + " live nodes, below the minimum of " + size.min();
            } else if (live > size.max()) {
                target = size.max();
                reason = live + " live nodes, above the maximum of " + size.max();
            }
            if (target == null) {
                return Optional.<Long>empty();
            }
            long id = requests.submit(ScaleRequestEntity.pending(name, target, live, reason, ScaleRequestEntity.Source.HEALTH,
                    "bounds", clock.instant()));
            LOG.infof("bounds scale request cluster=%s from=%d to=%d reason=%s", name, live, target, reason);
            return Optional.of(id);
        });
    }
}
