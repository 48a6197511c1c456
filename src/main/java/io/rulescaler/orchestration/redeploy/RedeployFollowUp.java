package io.rulescaler.orchestration.redeploy;

import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpecParser;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.error.DomainException;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationEnding;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.orchestration.operation.OperationState;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskEntity.Role;
import io.rulescaler.orchestration.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What happens when a redeploy's operation ends, in the transaction that ends it: success closes
 * the redeploy; a failed health gate or a cancel either pauses it (onFailure=pause) or puts the
 * spec's previous parameters and spec version back and starts the rollback operation, which runs
 * the same batches over the nodes the rollout touched. Nothing can take the cluster's operation
 * slot in between, so scale requests keep waiting until the rollback is done.
 */
@ApplicationScoped
public class RedeployFollowUp {

    private static final Logger LOG = Logger.getLogger(RedeployFollowUp.class);
    private final RedeployRepository redeploys;
    private final OperationRepository operations;
    private final NodeRepository nodes;
    private final ClusterService clusters;
    private final RedeployPlanner planner;
    private final Event<OperationEvent> events;
    private final Clock clock;

    public RedeployFollowUp(RedeployRepository redeploys, OperationRepository operations, NodeRepository nodes,
                            ClusterService clusters, RedeployPlanner planner, Event<OperationEvent> events, Clock clock) {
        this.redeploys = redeploys;
        this.operations = operations;
        this.nodes = nodes;
        this.clusters = clusters;
        this.planner = planner;
        this.events = events;
        this.clock = clock;
    }

    void onEnding(@Observes OperationEnding ending) {
        OperationEntity op = ending.operation();
        if (op.kind != OperationEntity.Kind.REDEPLOY) {
            return;
        }
        RedeployEntity r = redeploys.byOperation(op.id).orElse(null);
        if (r == null || !r.state.isActive()) {
            return;
        }
        Instant now = clock.instant();
        r.updatedAt = now;
        if (op.id.equals(r.rollbackOperationId)) {
            r.state = op.state == OperationState.SUCCEEDED ? RedeployEntity.State.ROLLED_BACK : RedeployEntity.State.ROLLBACK_FAILED;
            r.detail = cut(op.state == OperationState.SUCCEEDED
                    ? "rolled back to spec version " + r.fromSpecVersion + " by operation " + op.id + (r.detail == null ? "" : "; " + r.detail)
                    : "the rollback (operation " + op.id + ") " + op.state.label() + ": " + op.error
                    + "; the spec has the previous parameters again, nodes not on spec version " + r.fromSpecVersion
                    + " need a new redeploy");
            r.finishedAt = now;
            LOG.infof("redeploy ended redeploy=%d cluster=%s state=%s", r.id, r.clusterName, r.state.label());
            return;
        }
        if (op.state == OperationState.SUCCEEDED) {
            r.state = RedeployEntity.State.SUCCEEDED;
            r.finishedAt = now;
            LOG.infof("redeploy ended redeploy=%d cluster=%s state=succeeded", r.id, r.clusterName);
            return;
        }
        List<TaskEntity> tasks = operations.tasks(op.id);
        String why = (op.state == OperationState.CANCELLED ? "cancelled" : "failed") + (op.error == null ? "" : ": " + op.error);
        if (RedeployInput.PAUSE.equals(r.onFailure)) {
            r.state = RedeployEntity.State.PAUSED;
            r.finishedAt = now;
            r.detail = cut("paused after operation " + op.id + " " + why + "; on spec version " + r.toSpecVersion + ": "
                    + names(nodesOn(r, tasks, true)) + "; drained and not back in service: " + names(drained(tasks))
                    + ". Redeploy again (same or other parameters) to go on, or roll back with the previous parameters");
            LOG.infof("redeploy paused redeploy=%d cluster=%s why=%s", r.id, r.clusterName, why);
            return;
        }
        rollBack(r, op, tasks, why, now);
    }

    private void rollBack(RedeployEntity r, OperationEntity op, List<TaskEntity> tasks, String why, Instant now) {
        Map<String, String> previous = ChainJson.parameters(r.previousParametersJson);
        try {
            operations.flush(); // the ended operation leaves the cluster's slot before the rollback takes it
            var spec = clusters.rollOut(r.clusterName, s -> ClusterSpecParser.withFields(s, Map.of("parameters", previous)),
                    r.fromSpecVersion);
            List<RedeployPlanner.Batch> batches = rollbackBatches(r, tasks);
            if (batches.isEmpty()) {
                r.state = RedeployEntity.State.ROLLED_BACK;
                r.finishedAt = now;
                r.detail = cut(why + "; no node had been reconfigured: the spec is back on version " + r.fromSpecVersion);
                return;
            }
            int count = batches.stream().mapToInt(b -> b.targets().size() + b.leaving().size()).sum();
            Chain chain = planner.chainFor(spec, r.strategy, batches.size(), count, r.healthGateSeconds, r.fromSpecVersion);
            OperationEntity back = planner.start(new RedeployPlanner.Plan(r.clusterName, chain, batches, previous,
                    "rollback of redeploy " + r.id + " (operation " + op.id + " " + why + ")", "redeploy", "redeploy-rollback"));
            r.rollbackOperationId = back.id;
            r.state = RedeployEntity.State.ROLLING_BACK;
            r.detail = cut("operation " + op.id + " " + why);
            events.fire(new OperationEvent(back.id, OperationEvent.Type.STARTED));
            LOG.infof("redeploy rolling back redeploy=%d cluster=%s operation=%d nodes=%d", r.id, r.clusterName, back.id, count);
        } catch (DomainException e) {
            r.state = RedeployEntity.State.ROLLBACK_FAILED;
            r.finishedAt = now;
            r.detail = cut("operation " + op.id + " " + why + "; the rollback could not start: " + e.getMessage());
            LOG.warnf("redeploy rollback not started redeploy=%d cluster=%s problem=%s", r.id, r.clusterName, e.getMessage());
        }
    }

    /**
     * The nodes to put back on the previous parameters. In place: every node whose configuration
     * started. Replacing: the new nodes that passed their gate are replaced again; new nodes that never
     * passed (their predecessors still serve) are retired first, without a successor.
     */
    private List<RedeployPlanner.Batch> rollbackBatches(RedeployEntity r, List<TaskEntity> tasks) {
        List<RedeployPlanner.Batch> out = new ArrayList<>();
        if (RedeployInput.REPLACE.equals(r.strategy)) {
            List<NodeEntity> passed = load(tasks.stream().filter(t -> t.nodeRole == Role.ADDED && isGate(t) && t.state == TaskState.SUCCEEDED)
                    .map(t -> t.nodeId).collect(Collectors.toCollection(LinkedHashSet::new)));
            Set<Long> passedIds = passed.stream().map(n -> n.id).collect(Collectors.toSet());
            List<NodeEntity> leftovers = load(tasks.stream().filter(t -> t.nodeRole == Role.ADDED && !passedIds.contains(t.nodeId))
                    .map(t -> t.nodeId).collect(Collectors.toCollection(LinkedHashSet::new)));
            if (!leftovers.isEmpty()) {
                out.add(RedeployPlanner.Batch.retiring(leftovers));
            }
            for (int i = 0; i < passed.size(); i += r.batchSize) {
                out.add(RedeployPlanner.Batch.replacing(List.copyOf(passed.subList(i, Math.min(passed.size(), i + r.batchSize)))));
            }
            return out;
        }
        List<NodeEntity> touched = load(tasks.stream().filter(t -> t.nodeRole == Role.TARGET && !t.undo && started(t)
                && !t.stepName.endsWith("/drain")).map(t -> t.nodeId).collect(Collectors.toCollection(LinkedHashSet::new)));
        for (int i = 0; i < touched.size(); i += r.batchSize) {
            out.add(RedeployPlanner.Batch.inPlace(List.copyOf(touched.subList(i, Math.min(touched.size(), i + r.batchSize)))));
        }
        return out;
    }

    /** Nodes of the rollout that now run (true) the new spec version. */
    private List<NodeEntity> nodesOn(RedeployEntity r, List<TaskEntity> tasks, boolean onNew) {
        return load(tasks.stream().filter(t -> t.nodeId != null && t.nodeRole != Role.REMOVED).map(t -> t.nodeId)
                .collect(Collectors.toCollection(LinkedHashSet::new))).stream()
                .filter(n -> (n.specVersion == r.toSpecVersion) == onNew).toList();
    }

    private List<NodeEntity> drained(List<TaskEntity> tasks) {
        return load(tasks.stream().filter(t -> t.nodeId != null).map(t -> t.nodeId)
                .collect(Collectors.toCollection(LinkedHashSet::new))).stream().filter(n -> n.state == NodeState.DRAINING).toList();
    }

    /** The nodes by id, in that order, leaving out terminated ones. */
    private List<NodeEntity> load(Set<Long> ids) {
        return ids.stream().map(nodes::findById).filter(n -> n != null && n.state != NodeState.TERMINATED
                && n.state != NodeState.TERMINATING).toList();
    }

    private static boolean isGate(TaskEntity t) {
        return "HealthGate".equals(t.actionType);
    }

    private static boolean started(TaskEntity t) {
        return t.attempt > 0 || t.state == TaskState.RUNNING || t.state == TaskState.SUCCEEDED || t.state == TaskState.FAILED;
    }

    private static String names(List<NodeEntity> list) {
        return list.isEmpty() ? "none" : list.stream().map(n -> n.name).collect(Collectors.joining(", "));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
