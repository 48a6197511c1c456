package io.rulescaler.orchestration.operation;

/**
 * Fired after an operation started or ended (after commit), so notifications stay out of the runner;
 * {@code handedOver}: every first task of a started operation went to this instance's workers already
 * (the intake's hand-off), so the dispatcher need not look for them.
 */
public record OperationEvent(long operationId, Type type, boolean handedOver) {

    public OperationEvent(long operationId, Type type) {
        this(operationId, type, false);
    }

    /** What happened. */
    public enum Type { STARTED, ENDED }
}
