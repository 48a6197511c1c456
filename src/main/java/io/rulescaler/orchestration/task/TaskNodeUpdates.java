package io.rulescaler.orchestration.task;

import io.rulescaler.action.ActionOutputs;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import org.jboss.logging.Logger;

/** What a task's progress does to its node record (state, machine id, address) and to the task's log; runs in the caller's transaction. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class TaskNodeUpdates {

    private static final Logger LOG = Logger.getLogger(TaskNodeUpdates.class);
    private final NodeRepository nodes;
    private final NodeService nodeService;
    private final Clock clock;

    TaskNodeUpdates(NodeRepository nodes, NodeService nodeService, Clock clock) {
        this.nodes = nodes;
        this.nodeService = nodeService;
        this.clock = clock;
    }

    /**
     * Copies a created machine's id and address (outputs node.providerId / node.address) onto the
     * node, and the spec version a redeploy's health gate saw it pass with (node.specVersion).
     */
    void recordMachine(TaskEntity t, Map<String, String> outputs, java.time.Instant now) {
        if (t.nodeId != null && outputs != null && outputs.containsKey(ActionOutputs.NODE_SPEC_VERSION)) {
            NodeEntity n = nodes.findById(t.nodeId);
            if (n != null) {
                n.specVersion = Integer.parseInt(outputs.get(ActionOutputs.NODE_SPEC_VERSION));
                n.updatedAt = now;
            }
        }
        if (t.nodeId == null || outputs == null || !outputs.containsKey(ActionOutputs.NODE_PROVIDER_ID)) {
            return;
        }
        NodeEntity n = nodes.findById(t.nodeId);
        if (n != null) {
            n.providerId = outputs.get(ActionOutputs.NODE_PROVIDER_ID);
            n.address = outputs.getOrDefault(ActionOutputs.NODE_ADDRESS, n.address);
            if (n.launchedAt == null) {
                n.launchedAt = now;
            }
            n.updatedAt = now;
        }
    }

    /** Moves the task's node to {@code state} (a NodeState name; null: leave it) where the lifecycle allows. */
    public void moveNode(TaskEntity t, String state, String reason) {
        if (t.nodeId == null || state == null) {
            return;
        }
        NodeState to = NodeState.valueOf(state);
        NodeEntity n = nodes.findById(t.nodeId);
        if (n == null || n.state == to) {
            return;
        }
        if (!n.state.canMoveTo(to)) {
            LOG.warnf("node state not changed node=%s from=%s to=%s task=%d: the lifecycle does not allow it",
                    n.name, n.state, to, t.id);
            return;
        }
        nodeService.transition(n.id, to, reason);
    }

    /**
     * Reads the given nodes with one query (later finds hit the session) and makes the moves, their history
     * written with one insert; a move the lifecycle does not allow is skipped with a warning, as in {@link #moveNode}.
     */
    void moveAll(java.util.List<Long> nodeIds, java.util.List<NodeService.Move> moves) {
        if (!nodeIds.isEmpty()) {
            nodes.list("id in ?1", nodeIds);
        }
        if (!moves.isEmpty()) {
            nodeService.transitionAll(moves);
        }
    }

    /** Stores the captured output of one attempt (nothing when it is empty). */
    void log(long taskId, int attempt, String owner, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        TaskLogEntity l = new TaskLogEntity();
        l.taskId = taskId;
        l.attempt = attempt;
        l.owner = owner;
        l.text = text;
        l.createdAt = clock.instant();
        nodes.getEntityManager().persist(l);
    }
}
