package io.rulescaler.orchestration.operation;

import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.task.TaskEntity.Role;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskNodeUpdates;
import io.rulescaler.orchestration.task.TaskRepository;
import io.rulescaler.orchestration.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Moves an operation along its chain under the operation lock (the step barrier, the step's
 * on-failure policy, cancel and undo tasks, the operation's end), so the task queue in
 * {@link TaskStore} only has to say how each attempt ended.
 */
@ApplicationScoped
@Transactional
public class OperationProgress {

    private static final Logger LOG = Logger.getLogger(OperationProgress.class);
    /** First seq of undo tasks; forward steps use their index. */
    static final int UNDO_SEQ = 1000;
    private final OperationRepository operations;
    private final TaskRepository tasks;
    private final NodeRepository nodes;
    private final NodeService nodeService;
    private final TaskNodeUpdates nodeUpdates;
    private final Clock clock;
    private final jakarta.enterprise.event.Event<OperationEnding> ending;

    public OperationProgress(OperationRepository operations, TaskRepository tasks, NodeRepository nodes, NodeService nodeService,
                             TaskNodeUpdates nodeUpdates, Clock clock, jakarta.enterprise.event.Event<OperationEnding> ending) {
        this.ending = ending;
        this.operations = operations;
        this.tasks = tasks;
        this.nodes = nodes;
        this.nodeService = nodeService;
        this.nodeUpdates = nodeUpdates;
        this.clock = clock;
    }

    /**
     * After a success committed: when no task of its step is left (or the step limits parallelism),
     * takes the operation lock and moves the chain on. Two callers racing here is harmless: the
     * second finds the next step already started.
     */
    public OperationState advanceIfStepDone(long operationId, int seq) {
        Chain chain = ChainJson.chainOf(operationId, () -> operations.findById(operationId));
        boolean limited = seq < UNDO_SEQ && chain.steps().get(seq).parallelism() > 0;
        if (!limited) {
            // whether one is left, not how many: a count read every open task of the step after each batch of
            // completions (10 000 index entries per check at the start of a 10 000-node step)
            boolean open = !tasks.find("select t.id from TaskEntity t where operationId = ?1 and seq = ?2 and state in ?3",
                            operationId, seq, List.of(TaskState.WAITING, TaskState.READY, TaskState.RUNNING))
                    .project(Long.class).range(0, 0).list().isEmpty();
            if (open) {
                return null;
            }
        }
        OperationEntity op = operations.lock(operationId);
        operations.getEntityManager().refresh(op);
        return op.state.isActive() ? advance(op, clock.instant()) : null;
    }

    /** Applies the failed step's on-failure policy (continue, stop, roll back); caller holds the operation lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onFailure(OperationEntity op, Chain chain, Chain.Step step, TaskEntity t, Instant now) {
        if (t.nodeId != null && op.kind != OperationEntity.Kind.REDEPLOY) {
            // a redeploy keeps the node where it is (drained, out of service): its rollback reconfigures it
            nodeUpdates.moveNode(t, NodeState.FAILED.name(), t.stepName + " failed: " + t.message);
        }
        if (t.undo) {
            op.error = PlannerText.cut((op.error == null ? "" : op.error + "; ") + "undo step " + t.stepName
                    + (t.nodeName == null ? "" : " for " + t.nodeName) + " failed: " + t.message
                    + " (check the provider for machines left behind)", 2000);
            return;
        }
        switch (step.onFailure()) {
            case CONTINUE -> {
                if (t.nodeId != null) {
                    bulkState(op.id, "nodeId = " + t.nodeId + " and undo = false and", TaskState.SKIPPED,
                            "skipped: " + t.stepName + " failed for this node");
                }
            }
            case STOP -> {
                if (op.state == OperationState.RUNNING) {
                    op.error = failureText(t);
                }
                // undo tasks a cancel already wrote still run (a task failing because of the cancel stops nothing more)
                bulkState(op.id, "undo = false and", TaskState.CANCELLED, "cancelled: " + t.stepName + " failed and the chain stops");
            }
            case ROLLBACK -> {
                op.error = failureText(t) + "; rolled back";
                op.state = OperationState.ROLLING_BACK;
                bulkState(op.id, "undo = false and", TaskState.CANCELLED, "cancelled: rolling back after " + t.stepName + " failed");
                createUndo(op, chain, now);
            }
        }
    }

    /** Marks the operation cancelled: pending tasks stop, undo tasks are written where the chain has them. */
    public OperationEntity cancel(long operationId, String by) {
        OperationEntity op = operations.lock(operationId);
        if (op == null) {
            return null;
        }
        if (!op.state.isActive() || op.cancelRequested) {
            return op;
        }
        op.cancelRequested = true;
        op.updatedAt = clock.instant();
        if (op.state == OperationState.RUNNING) {
            op.state = OperationState.CANCELLING;
            op.error = "cancelled by " + by;
            int n = bulkState(op.id, "undo = false and", TaskState.CANCELLED, "cancelled by " + by);
            createUndo(op, ChainJson.chainOf(op), op.updatedAt);
            LOG.infof("operation cancelled operation=%d cluster=%s by=%s pending_tasks_cancelled=%d", op.id, op.clusterName, by, n);
            advance(op, op.updatedAt);
        }
        return op;
    }

    /** Writes undo tasks (reverse step order) for every forward task that started. */
    private void createUndo(OperationEntity op, Chain chain, Instant now) {
        List<TaskEntity> started = operations.tasks(op.id);
        Set<String> done = new HashSet<>();
        int n = chain.steps().size();
        for (TaskEntity t : started) {
            if (t.undo || t.attempt == 0 && t.state != TaskState.RUNNING) {
                continue;
            }
            Chain.Step s = chain.steps().get(t.stepIndex);
            if (s.undo() == null || !done.add(t.stepIndex + "/" + t.nodeId) || leaving(t)) {
                continue;
            }
            TaskEntity u = new TaskEntity();
            u.operationId = op.id;
            u.seq = UNDO_SEQ + (n - 1 - t.stepIndex);
            u.stepIndex = t.stepIndex;
            u.stepName = "undo-" + s.name();
            u.actionType = s.undo().action();
            u.undo = true;
            u.nodeId = t.nodeId;
            u.nodeName = t.nodeName;
            u.nodeRole = t.nodeRole;
            u.state = TaskState.WAITING;
            u.maxAttempts = Math.max(3, s.retry().attempts());
            u.nextRunAt = now;
            u.createdAt = now;
            tasks.persist(u);
        }
        operations.flush();
    }

    /** A node the operation removes that is already being destroyed: undoing its drain would put a dying machine back in service. */
    private boolean leaving(TaskEntity t) {
        if (t.nodeRole != Role.REMOVED || t.nodeId == null) {
            return false;
        }
        NodeEntity n = nodes.findById(t.nodeId);
        return n == null || n.state == NodeState.TERMINATING || n.state == NodeState.TERMINATED;
    }

    /**
     * Makes the next tasks READY (lowest unfinished seq, within the step's parallelism) or ends the
     * operation when nothing is left. Caller holds the operation lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OperationState advance(OperationEntity op, Instant now) {
        Integer seq = tasks.find("select min(seq) from TaskEntity where operationId = ?1 and state in ?2",
                op.id, List.of(TaskState.WAITING, TaskState.READY, TaskState.RUNNING)).project(Integer.class).singleResult();
        if (seq == null) {
            return end(op, now);
        }
        Chain.Step step = ChainJson.chainOf(op).steps().get(seq >= UNDO_SEQ ? ChainJson.chainOf(op).steps().size() - 1 - (seq - UNDO_SEQ) : seq);
        int parallelism = seq >= UNDO_SEQ ? 0 : step.parallelism();
        if (parallelism <= 0) {
            tasks.update("state = ?1, nextRunAt = ?2, version = version + 1 where operationId = ?3 and seq = ?4 and state = ?5",
                    TaskState.READY, now, op.id, seq, TaskState.WAITING);
            return null;
        }
        long busy = tasks.count("operationId = ?1 and seq = ?2 and state in ?3", op.id, seq, List.of(TaskState.READY, TaskState.RUNNING));
        int free = (int) (parallelism - busy);
        if (free > 0) {
            List<Long> ids = tasks.find("select id from TaskEntity where operationId = ?1 and seq = ?2 and state = ?3 order by id",
                    op.id, seq, TaskState.WAITING).project(Long.class).range(0, free - 1).list();
            if (!ids.isEmpty()) {
                tasks.update("state = ?1, nextRunAt = ?2, version = version + 1 where id in ?3", TaskState.READY, now, ids);
            }
        }
        return null;
    }

    private OperationState end(OperationEntity op, Instant now) {
        OperationState finalState = switch (op.state) {
            case CANCELLING -> OperationState.CANCELLED;
            case ROLLING_BACK -> OperationState.FAILED;
            default -> op.error == null ? OperationState.SUCCEEDED : OperationState.FAILED;
        };
        if (finalState == OperationState.SUCCEEDED) {
            long failed = tasks.count("operationId = ?1 and state = ?2", op.id, TaskState.FAILED);
            if (failed > 0) {
                op.error = failed + " task(s) failed with on-failure=continue";
            }
        }
        // nodes this operation added: never started → gone; still coming up at success → active
        // only the nodes that still move, in one read (one find per added node was 10 000 queries under the
        // operation lock at the end of a 10 000-node scale-out, whose nodes were all active already)
        List<NodeState> moving = finalState == OperationState.SUCCEEDED ? List.copyOf(NodeState.PENDING) : List.of(NodeState.REQUESTED);
        List<NodeEntity> added = nodes.list("from NodeEntity n where n.state in ?1 and n.id in "
                + "(select t.nodeId from TaskEntity t where t.operationId = ?2 and t.nodeRole = ?3) order by n.id", moving, op.id, Role.ADDED);
        if (finalState == OperationState.SUCCEEDED) { // still coming up at success → active
            nodeService.transitionAll(added.stream().map(n -> new NodeService.Move(n.id, NodeState.ACTIVE,
                    "operation " + op.id + " succeeded")).toList());
        } else { // never started → gone
            nodeService.transitionAll(added.stream().map(n -> new NodeService.Move(n.id, NodeState.TERMINATING,
                    "operation " + op.id + " ended before the node was created")).toList());
            nodeService.transitionAll(added.stream().map(n -> new NodeService.Move(n.id, NodeState.TERMINATED, "never created")).toList());
        }
        op.state = finalState;
        op.activeCluster = null;
        op.finishedAt = now;
        op.updatedAt = now;
        ending.fire(new OperationEnding(op));
        ChainJson.forget(op.id);
        LOG.infof("operation ended operation=%d cluster=%s kind=%s state=%s error=%s", op.id, op.clusterName,
                op.kind.label(), finalState.label(), op.error);
        return finalState;
    }

    /** Re-checks active operations whose tasks are all done or all waiting (after a crash); returns ended ones. */
    public List<Long> sweep() {
        List<Long> ended = new ArrayList<>();
        List<Long> active = operations.find("select id from OperationEntity where state in ?1", OperationState.ACTIVE)
                .project(Long.class).list();
        for (Long id : active) {
            long moving = tasks.count("operationId = ?1 and state in ?2", id, List.of(TaskState.READY, TaskState.RUNNING));
            if (moving == 0) {
                OperationEntity op = operations.lock(id);
                if (op.state.isActive() && advance(op, clock.instant()) != null) {
                    ended.add(id);
                }
            }
        }
        return ended;
    }

    /** Makes the first step of a new operation READY (caller holds or just created the operation). */
    public OperationState kickOff(OperationEntity op) {
        if (op.firstStepReady) {
            return null; // the planner wrote them READY (OperationPlanner.firstStepReady)
        }
        return advance(op, clock.instant());
    }

    private int bulkState(long opId, String extra, TaskState to, String message) {
        return tasks.update("state = ?1, message = ?2, finishedAt = ?3, version = version + 1 where " + extra
                + " operationId = ?4 and state in ?5", to, message, clock.instant(), opId, List.of(TaskState.WAITING, TaskState.READY));
    }

    private static String failureText(TaskEntity t) {
        return "step " + t.stepName + " (" + t.actionType + ")" + (t.nodeName == null ? "" : " for node " + t.nodeName)
                + " failed after " + t.attempt + " attempt(s): " + t.message;
    }
}
