package io.rulescaler.orchestration.operation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** An operation as the API shows it: what, why, where it is, and progress overall, per node and (redeploys) per batch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationView(
        long id, String cluster, String kind, String chain, String state, String reason, String source,
        Integer targetSize, Integer previousSize, Long scaleRequestId, Long decisionId, boolean cancelRequested,
        String error, Progress progress, List<NodeProgress> nodes, List<TaskView> tasks, Page page,
        Instant createdAt, Instant updatedAt, Instant finishedAt, Batches batches) {

    /** A redeploy's batches: how many are done of how many, which one runs, and each with its nodes. */
    public record Batches(int done, int total, Integer current, List<Batch> batches) {
    }

    /** One batch of a redeploy: its nodes and where it is (waiting, running, done, failed, cancelled). */
    public record Batch(int number, List<String> nodes, String state) {
    }

    /** n of m tasks done, with counts by state. */
    public record Progress(long done, long total, long succeeded, long failed, long running, long pending,
                           long skipped, long cancelled) {
    }

    /**
     * Which part of the operation {@code tasks} and {@code nodes} show: from {@code offset}, at most
     * {@code limit} of each (tasks in chain order, nodes by id); {@code tasks} and {@code nodes} here are the totals.
     */
    public record Page(int offset, int limit, long tasks, long nodes) {
    }

    /** Per node: how many of its tasks are done and which step it is on. */
    public record NodeProgress(Long nodeId, String node, String role, long done, long total, String currentStep,
                               String lastState) {
    }

    /** One task of the operation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskView(long id, String step, String action, boolean undo, String node, String state, int attempt,
                           int maxAttempts, String message, Instant startedAt, Instant finishedAt) {
    }
}
