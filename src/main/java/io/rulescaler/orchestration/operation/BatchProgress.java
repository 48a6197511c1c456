package io.rulescaler.orchestration.operation;

import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads a redeploy's batches back from its tasks (step names {@code batch-<n>/...}), for its progress. */
final class BatchProgress {

    private BatchProgress() {
    }

    /** The batch number of a redeploy step name, or 0 when it has none. */
    static int batchOf(String stepName) {
        if (stepName == null || !stepName.startsWith(Kind.BATCH_PREFIX)) {
            return 0;
        }
        int slash = stepName.indexOf('/');
        try {
            return Integer.parseInt(stepName.substring(Kind.BATCH_PREFIX.length(), slash < 0 ? stepName.length() : slash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static OperationView.Batches of(List<TaskEntity> tasks) {
        Map<Integer, List<TaskEntity>> byBatch = new TreeMap<>();
        for (TaskEntity t : tasks) {
            int b = t.undo ? 0 : batchOf(t.stepName);
            if (b > 0) {
                byBatch.computeIfAbsent(b, k -> new ArrayList<>()).add(t);
            }
        }
        List<OperationView.Batch> out = new ArrayList<>();
        int done = 0;
        Integer current = null;
        for (Map.Entry<Integer, List<TaskEntity>> e : byBatch.entrySet()) {
            Set<String> nodes = new LinkedHashSet<>();
            e.getValue().stream().filter(t -> t.nodeName != null).forEach(t -> nodes.add(t.nodeName));
            String state = state(e.getValue());
            if ("done".equals(state)) {
                done++;
            } else if (current == null && ("running".equals(state) || "failed".equals(state))) {
                current = e.getKey();
            }
            out.add(new OperationView.Batch(e.getKey(), List.copyOf(nodes), state));
        }
        return new OperationView.Batches(done, byBatch.size(), current, out);
    }

    private static String state(List<TaskEntity> tasks) {
        if (tasks.stream().anyMatch(t -> t.state == TaskState.FAILED)) {
            return "failed";
        }
        if (tasks.stream().allMatch(t -> t.state == TaskState.SUCCEEDED || t.state == TaskState.SKIPPED)) {
            return "done";
        }
        if (tasks.stream().anyMatch(t -> t.state == TaskState.RUNNING || t.state == TaskState.READY
                || t.state == TaskState.SUCCEEDED)) {
            return tasks.stream().anyMatch(t -> t.state == TaskState.CANCELLED) ? "cancelled" : "running";
        }
        return tasks.stream().allMatch(t -> t.state == TaskState.CANCELLED) ? "cancelled" : "waiting";
    }
}
