package io.rulescaler.orchestration.operation;

/** Fired after an operation started or ended (after commit), so notifications stay out of the runner. */
public record OperationEvent(long operationId, Type type) {

    /** What happened. */
    public enum Type { STARTED, ENDED }
}
