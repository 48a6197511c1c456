package io.rulescaler.notify;

import java.util.List;

/**
 * What an operation mail shows, handed to the mailer by the side that knows operations, so that notify never reads
 * them itself. The names are the ones the templates under {@code templates/mail/} use ({@code op}, {@code failing}).
 *
 * @param op         the operation: what, why, and how far its tasks got
 * @param failing    its first failed task, or null
 * @param failingLog the whole captured log of {@code failing} (the mail shows its last lines), or null
 */
public record OperationMail(Operation op, Task failing, String failingLog) {

    /** Which moment of an operation a queued mail is about. */
    public enum Event { STARTED, ENDED }

    /** The operation as its mails describe it. */
    public record Operation(long id, String cluster, String kind, String chain, String state, String reason, String source,
                            Integer targetSize, Integer previousSize, String error, Progress progress, List<NodeLine> nodes) {
    }

    /** Task counts: all of them and by outcome. */
    public record Progress(long total, long succeeded, long failed, long skipped, long cancelled) {
    }

    /** Per node: how many of its tasks are done. */
    public record NodeLine(String node, String role, long done, long total) {
    }

    /** One task, as a failure mail names it. */
    public record Task(long id, String step, String action, String node, int attempt, int maxAttempts, String message) {
    }
}
