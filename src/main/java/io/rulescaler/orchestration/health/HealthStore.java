package io.rulescaler.orchestration.health;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
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
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final TaskRepository tasks;
    private final ClusterRepository clusters;
    private final NodeService nodeService;
    private final OperationRepository operations;
    private final OperationPlanner planner;
    private final OperationProgress progress;
    private final HealthDecisions decisions;
    private final Clock clock;

    public HealthStore(EntityManager em, NodeRepository nodes, TaskRepository tasks, ClusterRepository clusters, NodeService nodeService, OperationRepository operations,
                       OperationPlanner planner, OperationProgress progress, HealthDecisions decisions, Clock clock) {
        this.em = em;
        this.nodes = nodes;
        this.tasks = tasks;
        this.clusters = clusters;
        this.nodeService = nodeService;
        this.operations = operations;
        this.planner = planner;
        this.progress = progress;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** A node to probe: where, since when it is active (grace), its last heartbeat and its health reason. */
    record Target(long id, String name, String address, String providerId, NodeState state, Instant activeSince,
                  Instant lastHeartbeat, String healthReason) {
    }

    /** What one round found for a node: unhealthy by either measure (with why), or healthy. */
    record Finding(long nodeId, boolean unhealthy, boolean healthy, String why) {
    }

    /**
     * What a round did, for the prober to act on and report after the commit: the replace operation started
     * (or null), the cap that held one back (mail), the active and unhealthy nodes now, the nodes a replacement
     * is taking out, the per-hour count and caps, and why unhealthy nodes wait (null when none does).
     */
    record Outcome(Long replaceOperation, String heldBack, List<Target> after, List<String> replacing, int replacedLastHour,
                   int perHour, int atOnce, String waiting, Set<Long> recovered) {

        Outcome withRecovered(Set<Long> ids) {
            return new Outcome(replaceOperation, heldBack, after, replacing, replacedLastHour, perHour, atOnce, waiting, ids);
        }
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
                out.add(target(n, activeSince(n)));
            }
            return out;
        });
    }

    /** Adds a line to each node's history (the load balancer moves of the prober). */
    void note(Map<Long, String> lines) {
        if (!lines.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> lines.forEach(nodeService::note));
        }
    }

    /** Applies a round's findings; starts a replacement of up to maxReplacing unhealthy nodes when the caps allow. */
    Outcome apply(String cluster, ClusterSpec.Health health, List<Finding> findings, boolean mailedCap) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = cluster(cluster);
            if (c == null) {
                return new Outcome(null, null, List.of(), List.of(), 0, health.perHour(), 1, null, Set.of());
            }
            em.lock(c, LockModeType.PESSIMISTIC_WRITE);
            Instant now = clock.instant();
            Set<Long> recovered = new HashSet<>();
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
                    recovered.add(n.id);
                }
            }
            return replaceNext(c, health, now, mailedCap).withRecovered(recovered);
        });
    }

    /**
     * Starts one replace operation for the oldest unhealthy nodes not yet taken out, at most maxReplacing of
     * them and no more than the per-hour cap leaves (one operation per cluster, so a batch rather than
     * concurrent operations); says why when they wait.
     */
    private Outcome replaceNext(ClusterEntity c, ClusterSpec.Health health, Instant now, boolean mailedCap) {
        List<NodeEntity> unhealthy = nodes.ofClusterInStates(c.id, List.of(NodeState.UNHEALTHY));
        int size = nodes.ofClusterInStates(c.id, NodeState.LIVE).size() + unhealthy.size();
        int live = size - unhealthy.size();
        int atOnce = health.replacingAtOnce(size);
        int lastHour = replacedLastHour(c.name, now);
        List<String> replacing = replacing(c.name);
        List<NodeEntity> waiting = unhealthy.stream().filter(n -> !replacing.contains(n.name)).toList();
        List<NodeEntity> candidates = waiting.stream().filter(n -> !everReplaced(n.id)).toList();
        java.util.function.Function<String, Outcome> wait = why -> new Outcome(null, null, after(c), replacing, lastHour,
                health.perHour(), atOnce, waiting.isEmpty() ? null : why, Set.of());
        if (c.paused) {
            return wait.apply("the cluster is paused");
        }
        if (c.dryRun) {
            return wait.apply("the cluster is in dry-run: replacements are not started");
        }
        OperationEntity inFlight = operations.activeFor(c.name).orElse(null);
        if (inFlight != null) {
            return wait.apply("operation " + inFlight.id + " (" + inFlight.kind.label() + ") is in flight, and a cluster runs one "
                    + "operation at a time");
        }
        if (candidates.isEmpty()) {
            return wait.apply("a replacement of " + waiting.stream().map(n -> n.name).toList() + " ran before and did not "
                    + "finish; failed replacements are not retried (replace the node by hand, or scale)");
        }
        int allowed = Math.min(atOnce, health.perHour() - lastHour);
        if (allowed <= 0) {
            NodeEntity next = candidates.get(0);
            String why = "replacements stopped: " + lastHour + " replacement(s) of unhealthy nodes in the last hour, "
                    + "maxReplacementsPerHour is " + health.perHour() + "; " + next.name + " stays unhealthy until an operator "
                    + "replaces it or the hour has passed";
            if (next.healthReason == null || !next.healthReason.contains("replacements stopped")) {
                next.healthReason = cut(next.healthReason + " (" + why + ")", 1000);
            }
            if (!mailedCap) {
                decisions.record(c.name, next.name, live, next.healthReason, false, why);
            }
            LOG.warnf("health replacement held cluster=%s node=%s why=%s", c.name, next.name, why);
            return new Outcome(null, why, after(c), replacing, lastHour, health.perHour(), atOnce, why, Set.of());
        }
        List<NodeEntity> batch = candidates.subList(0, Math.min(allowed, candidates.size()));
        String names = String.join(", ", batch.stream().map(n -> n.name).toList());
        String reasons = batch.size() == 1 ? batch.get(0).healthReason
                : String.join("; ", batch.stream().map(n -> n.name + ": " + n.healthReason).toList());
        String reason = "health: " + names + (batch.size() == 1 ? " is" : " are") + " unhealthy (" + reasons + "); replaced "
                + "surge-first (at most " + atOnce + " at once, " + health.perHour() + " per hour)";
        long decision = decisions.record(c.name, names, live, reasons, true, "replacement " + (lastHour + batch.size())
                + " of at most " + health.perHour() + " this hour" + (batch.size() == 1 ? "" : ", " + batch.size() + " in one operation"));
        try {
            OperationEntity op = planner.start(new OperationPlanner.Request(c.name, OperationEntity.Kind.REPLACE, null,
                    batch.get(0).name, cut(reason, 1000), SOURCE, "health-prober", null, decision,
                    batch.subList(1, batch.size()).stream().map(n -> n.name).toList()));
            progress.kickOff(op);
            LOG.infof("health replacement started cluster=%s nodes=%s operation=%d", c.name, names, op.id);
            List<String> now2 = new ArrayList<>(replacing);
            batch.forEach(n -> now2.add(n.name));
            String rest = waiting.size() > batch.size() ? "at most " + atOnce + " node(s) are replaced at once (maxReplacing)" : null;
            return new Outcome(op.id, null, after(c), now2, lastHour + batch.size(), health.perHour(), atOnce, rest, Set.of());
        } catch (DomainException e) {
            LOG.warnf("health replacement not started cluster=%s nodes=%s problem=%s", c.name, names, e.getMessage());
            return wait.apply("the replacement could not start: " + e.getMessage());
        }
    }

    /** Nodes taken out by replace operations of the health checks that started in the last hour. */
    private int replacedLastHour(String cluster, Instant now) {
        return tasks.find("select count(distinct t.nodeId) from TaskEntity t, OperationEntity o where t.operationId = o.id"
                        + " and o.clusterName = ?1 and o.kind = ?2 and o.source = ?3 and o.createdAt > ?4"
                        + " and t.nodeRole = io.rulescaler.orchestration.task.TaskEntity.Role.REMOVED",
                cluster, OperationEntity.Kind.REPLACE, SOURCE, now.minus(Duration.ofHours(1))).project(Long.class).singleResult().intValue();
    }

    /** Names of the nodes a replace operation in flight is taking out. */
    private List<String> replacing(String cluster) {
        return tasks.find("select distinct t.nodeName from TaskEntity t, OperationEntity o where t.operationId = o.id"
                        + " and o.clusterName = ?1 and o.kind = ?2 and o.activeCluster is not null"
                        + " and t.nodeRole = io.rulescaler.orchestration.task.TaskEntity.Role.REMOVED",
                cluster, OperationEntity.Kind.REPLACE).project(String.class).list();
    }

    /** The active and unhealthy nodes after the round's changes. */
    private List<Target> after(ClusterEntity c) {
        return nodes.ofClusterInStates(c.id, List.of(NodeState.ACTIVE, NodeState.UNHEALTHY)).stream()
                .map(n -> target(n, null)).toList();
    }

    private static Target target(NodeEntity n, Instant activeSince) {
        return new Target(n.id, n.name, n.address, n.providerId, n.state, activeSince, n.lastHeartbeatAt, n.healthReason);
    }

    /** Whether an operation still running has the node as the one it removes (its replacement started). */
    private boolean beingReplaced(long nodeId) {
        return tasks.find("select count(t) from TaskEntity t, OperationEntity o where t.operationId = o.id and t.nodeId = ?1"
                + " and t.nodeRole = io.rulescaler.orchestration.task.TaskEntity.Role.REMOVED and o.activeCluster is not null", nodeId)
                .project(Long.class).singleResult() > 0;
    }

    /** Whether any operation ever took the node out (a failed replacement is not retried blindly). */
    private boolean everReplaced(long nodeId) {
        return tasks.count("nodeId = ?1 and nodeRole = ?2", nodeId, TaskEntity.Role.REMOVED) > 0;
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
        return clusters.findByName(name).orElse(null);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
