package io.rulescaler.orchestration.health;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.cluster.NodeStateChangeEntity;
import io.rulescaler.error.DomainException;
import io.rulescaler.handoff.HealthDecisions;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationPlanner;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The health prober's database side: which nodes to probe, moving nodes between {@code active} and
 * {@code unhealthy}, and starting (or holding back, past the caps) the surge-first replacement.
 */
@ApplicationScoped
public class HealthStore {

    static final String SOURCE = "health";
    private static final Logger LOG = Logger.getLogger(HealthStore.class);
    private final EntityManager em;
    private final NodeRepository nodes;
    private final NodeService nodeService;
    private final OperationRepository operations;
    private final OperationPlanner planner;
    private final OperationProgress progress;
    private final HealthDecisions decisions;
    private final Clock clock;

    public HealthStore(EntityManager em, NodeRepository nodes, NodeService nodeService, OperationRepository operations,
                       OperationPlanner planner, OperationProgress progress, HealthDecisions decisions, Clock clock) {
        this.em = em;
        this.nodes = nodes;
        this.nodeService = nodeService;
        this.operations = operations;
        this.planner = planner;
        this.progress = progress;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** A node to probe: where, since when it is active (grace), and its last heartbeat. */
    record Target(long id, String name, String address, NodeState state, Instant activeSince, Instant lastHeartbeat) {
    }

    /** What one round found for a node: unhealthy by either measure (with why), or healthy. */
    record Finding(long nodeId, boolean unhealthy, boolean healthy, String why) {
    }

    /** What a round did, for the prober to say after the commit. */
    record Outcome(Long replaceOperation, String heldBack) {
    }

    /** Active and unhealthy nodes of the cluster with an address. */
    List<Target> targets(String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = cluster(cluster);
            if (c == null) {
                return List.<Target>of();
            }
            List<Target> out = new ArrayList<>();
            for (NodeEntity n : nodes.ofClusterInStates(c.id, List.of(NodeState.ACTIVE, NodeState.UNHEALTHY))) {
                out.add(new Target(n.id, n.name, n.address, n.state, activeSince(n), n.lastHeartbeatAt));
            }
            return out;
        });
    }

    /** Applies a round's findings; starts a replacement of an unhealthy node when the caps allow. */
    Outcome apply(String cluster, ClusterSpec.Health health, List<Finding> findings, boolean mailedCap) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = cluster(cluster);
            if (c == null) {
                return new Outcome(null, null);
            }
            em.lock(c, LockModeType.PESSIMISTIC_WRITE);
            Instant now = clock.instant();
            for (Finding f : findings) {
                NodeEntity n = nodes.findById(f.nodeId());
                if (n == null) {
                    continue;
                }
                if (f.unhealthy() && n.state == NodeState.ACTIVE) {
                    nodeService.transition(n.id, NodeState.UNHEALTHY, "health: " + f.why());
                    n.unhealthySince = now;
                    n.healthReason = cut(f.why(), 1000);
                } else if (f.healthy() && n.state == NodeState.UNHEALTHY && !beingReplaced(n.id)) {
                    nodeService.transition(n.id, NodeState.ACTIVE, "health: healthy again before its replacement started");
                    n.unhealthySince = null;
                    n.healthReason = null;
                }
            }
            return replaceNext(c, health, now, mailedCap);
        });
    }

    private Outcome replaceNext(ClusterEntity c, ClusterSpec.Health health, Instant now, boolean mailedCap) {
        if (c.paused || c.dryRun || operations.activeFor(c.name).isPresent()) {
            return new Outcome(null, null);
        }
        NodeEntity next = nodes.ofClusterInStates(c.id, List.of(NodeState.UNHEALTHY)).stream()
                .filter(n -> !everReplaced(n.id)).findFirst().orElse(null);
        if (next == null) {
            return new Outcome(null, null);
        }
        int live = nodes.ofClusterInStates(c.id, NodeState.LIVE).size();
        long lastHour = em.createQuery("select count(o) from OperationEntity o where o.clusterName = ?1 and o.kind = ?2"
                        + " and o.source = ?3 and o.createdAt > ?4", Long.class)
                .setParameter(1, c.name).setParameter(2, OperationEntity.Kind.REPLACE).setParameter(3, SOURCE)
                .setParameter(4, now.minus(Duration.ofHours(1))).getSingleResult();
        int atOnce = health.replacingAtOnce(live + 1);
        if (lastHour >= health.perHour()) {
            String why = "replacements stopped: " + lastHour + " replacement(s) of unhealthy nodes in the last hour, "
                    + "maxReplacementsPerHour is " + health.perHour() + "; " + next.name + " stays unhealthy until an operator "
                    + "replaces it or the hour has passed";
            next.healthReason = cut(next.healthReason + " (" + why + ")", 1000);
            if (!mailedCap) {
                decisions.record(c.name, next.name, live, next.healthReason, false, why);
            }
            LOG.warnf("health replacement held cluster=%s node=%s why=%s", c.name, next.name, why);
            return new Outcome(null, why);
        }
        String reason = "health: " + next.name + " is unhealthy (" + next.healthReason + "); replaced surge-first"
                + " (at most " + atOnce + " at once, " + health.perHour() + " per hour)";
        long decision = decisions.record(c.name, next.name, live, next.healthReason, true,
                "replacement " + (lastHour + 1) + " of at most " + health.perHour() + " this hour");
        try {
            OperationEntity op = planner.start(new OperationPlanner.Request(c.name, OperationEntity.Kind.REPLACE, null,
                    next.name, reason, SOURCE, "health-prober", null, decision));
            progress.kickOff(op);
            LOG.infof("health replacement started cluster=%s node=%s operation=%d", c.name, next.name, op.id);
            return new Outcome(op.id, null);
        } catch (DomainException e) {
            LOG.warnf("health replacement not started cluster=%s node=%s problem=%s", c.name, next.name, e.getMessage());
            return new Outcome(null, null);
        }
    }

    /** Whether an operation still running has the node as the one it removes (its replacement started). */
    private boolean beingReplaced(long nodeId) {
        return em.createQuery("select count(t) from TaskEntity t, OperationEntity o where t.operationId = o.id and t.nodeId = ?1"
                        + " and t.nodeRole = io.rulescaler.orchestration.task.TaskEntity.Role.REMOVED and o.activeCluster is not null",
                Long.class).setParameter(1, nodeId).getSingleResult() > 0;
    }

    /** Whether any operation ever took the node out (a failed replacement is not retried blindly). */
    private boolean everReplaced(long nodeId) {
        return em.createQuery("select count(t) from TaskEntity t where t.nodeId = ?1"
                        + " and t.nodeRole = io.rulescaler.orchestration.task.TaskEntity.Role.REMOVED", Long.class)
                .setParameter(1, nodeId).getSingleResult() > 0;
    }

    private Instant activeSince(NodeEntity n) {
        Instant since = n.launchedAt == null ? n.createdAt : n.launchedAt;
        for (NodeStateChangeEntity h : nodes.history(n.id)) {
            if (h.toState == NodeState.ACTIVE && h.fromState != NodeState.ACTIVE && h.fromState != NodeState.UNHEALTHY
                    && (since == null || h.changedAt.isAfter(since))) {
                since = h.changedAt;
            }
        }
        return since;
    }

    private ClusterEntity cluster(String name) {
        return em.createQuery("from ClusterEntity where name = ?1", ClusterEntity.class).setParameter(1, name)
                .getResultStream().findFirst().orElse(null);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
