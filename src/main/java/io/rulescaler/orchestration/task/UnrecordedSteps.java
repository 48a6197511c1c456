package io.rulescaler.orchestration.task;

import io.rulescaler.orchestration.chain.ChainJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One runner's claimed tasks whose outcomes are not recorded yet, by step (operation, seq), so that a batch of
 * successes leaves its step check to the runner's last task of that step ({@link TaskCompletions.InFlight}).
 * Only tasks the claim started and whose step has no parallelism limit count: a limited step is checked after
 * every outcome, since that check is what lets its next waiting tasks run.
 */
final class UnrecordedSteps implements TaskCompletions.InFlight {

    private final Map<Long, List<Long>> stepOf = new ConcurrentHashMap<>();

    /** Notes a task just claimed (with what its claim read, null when the claim did not start it). */
    void claimed(TaskEntity t, TaskContexts.Inputs inputs) {
        if (inputs != null && (t.undo || ChainJson.chainOf(inputs.op()).steps().get(t.stepIndex).parallelism() <= 0)) {
            stepOf.put(t.id, key(t.operationId, t.seq));
        }
    }

    /** Forgets a task whose outcome will not be recorded here (or was). */
    void forget(long taskId) {
        stepOf.remove(taskId);
    }

    @Override
    public void recorded(List<Long> taskIds) {
        taskIds.forEach(stepOf::remove);
    }

    @Override
    public boolean holdsStep(long operationId, int seq) {
        return stepOf.containsValue(key(operationId, seq));
    }

    private static List<Long> key(long operationId, int seq) {
        return List.of(operationId, (long) seq);
    }
}
