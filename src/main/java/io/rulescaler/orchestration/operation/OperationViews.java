package io.rulescaler.orchestration.operation;

import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskRepository;
import io.rulescaler.orchestration.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds what the API shows of an operation so that its cost does not grow with the operation:
 * the progress counts come from one grouped query, and the tasks and per-node lines are one page
 * each (a 10 000-node scale-out has 20 000 tasks; loading them all on every poll of the console
 * cost more than the operation's own bookkeeping).
 */
@ApplicationScoped
public class OperationViews {

    /** Tasks and node lines shown when the caller names no page. */
    public static final int DEFAULT_PAGE = 1000;
    /** Most tasks or node lines in one page. */
    public static final int MAX_PAGE = 5000;
    private final OperationRepository operations;
    private final TaskRepository tasks;

    OperationViews(OperationRepository operations, TaskRepository tasks) {
        this.operations = operations;
        this.tasks = tasks;
    }

    /** One row of the grouped progress count. */
    record StateCount(TaskState state, Long count) {
    }

    /** The operation with its progress, tasks {@code [offset, offset + limit)} in chain order (with tasks) and node lines of the same page. */
    OperationView view(OperationEntity op, boolean withTasks, int offset, int limit) {
        long[] c = new long[TaskState.values().length];
        for (StateCount r : tasks.find("select state, count(*) from TaskEntity where operationId = ?1 group by state", op.id)
                .project(StateCount.class).list()) {
            c[r.state().ordinal()] = r.count();
        }
        long total = 0;
        long done = 0;
        for (TaskState s : TaskState.values()) {
            total += c[s.ordinal()];
            done += s.isDone() ? c[s.ordinal()] : 0;
        }
        var progress = new OperationView.Progress(done, total, c[TaskState.SUCCEEDED.ordinal()],
                c[TaskState.FAILED.ordinal()], c[TaskState.RUNNING.ordinal()],
                c[TaskState.WAITING.ordinal()] + c[TaskState.READY.ordinal()], c[TaskState.SKIPPED.ordinal()],
                c[TaskState.CANCELLED.ordinal()]);
        // a page of nodes in node order (ix_task_operation_node), then only their tasks
        List<Long> nodeIds = tasks.find("select distinct nodeId from TaskEntity where operationId = ?1 and nodeId is not null "
                + "order by nodeId", op.id).project(Long.class).range(offset, offset + limit - 1).list();
        long nodeTotal = nodeIds.size() < limit && (offset == 0 || !nodeIds.isEmpty()) ? offset + nodeIds.size()
                : tasks.find("select count(distinct nodeId) from TaskEntity where operationId = ?1", op.id)
                        .project(Long.class).singleResult();
        Map<Long, List<TaskEntity>> byNode = new LinkedHashMap<>();
        nodeIds.forEach(id -> byNode.put(id, new ArrayList<>()));
        if (!nodeIds.isEmpty()) {
            tasks.list("operationId = ?1 and nodeId in ?2 order by seq, id", op.id, nodeIds).forEach(t -> byNode.get(t.nodeId).add(t));
        }
        List<OperationView.NodeProgress> nodes = byNode.values().stream().filter(ts -> !ts.isEmpty()).map(ts -> {
            TaskEntity current = ts.stream().filter(t -> !t.state.isDone()).findFirst().orElse(ts.get(ts.size() - 1));
            return new OperationView.NodeProgress(ts.get(0).nodeId, ts.get(0).nodeName,
                    ts.get(0).nodeRole == null ? null : ts.get(0).nodeRole.name().toLowerCase(),
                    ts.stream().filter(t -> t.state.isDone()).count(), ts.size(), current.stepName, current.state.label());
        }).toList();
        List<OperationView.TaskView> taskViews = withTasks ? tasks.find("operationId = ?1 order by seq, id", op.id)
                .range(offset, offset + limit - 1).list().stream().map(OperationViews::task).toList() : null;
        return new OperationView(op.id, op.clusterName, op.kind.label(), op.chainName, op.state.label(), op.reason, op.source,
                op.targetSize, op.previousSize, op.scaleRequestId, op.decisionId, op.cancelRequested, op.error, progress,
                nodes, taskViews, new OperationView.Page(offset, limit, total, nodeTotal), op.createdAt, op.updatedAt, op.finishedAt,
                // a redeploy's batches span every task; redeploys are as big as the cluster, not 20 000 tasks
                op.kind == OperationEntity.Kind.REDEPLOY ? BatchProgress.of(operations.tasks(op.id)) : null);
    }

    /** The first failed task in chain order, or null. */
    OperationView.TaskView firstFailed(long operationId) {
        return tasks.find("operationId = ?1 and state = ?2 order by seq, id", operationId, TaskState.FAILED)
                .firstResultOptional().map(OperationViews::task).orElse(null);
    }

    private static OperationView.TaskView task(TaskEntity t) {
        return new OperationView.TaskView(t.id, t.stepName, t.actionType, t.undo, t.nodeName, t.state.label(), t.attempt,
                t.maxAttempts, t.message, t.startedAt, t.finishedAt);
    }
}
