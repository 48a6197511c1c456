package io.rulescaler.orchestration.operation;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an operation is. Every operation starts RUNNING (its tasks are written in the same
 * transaction that creates it); the first task of the chain is READY at once.
 *
 * <pre>
 *               task fails, on-failure=stop
 *          ┌──────────────────────────────────────────────> FAILED
 *          │       task fails, on-failure=rollback               ^
 *  RUNNING ┼──────────────────────────────> ROLLING_BACK ───────┘ (undo tasks done)
 *          │       cancel                                  
 *          ├──────────────────────────────> CANCELLING ───────> CANCELLED (undo tasks done)
 *          │       every step done (continue-failures counted in the message)
 *          └──────────────────────────────────────────────> SUCCEEDED
 * </pre>
 *
 * A cancel during ROLLING_BACK is recorded but changes nothing: the rollback finishes.
 */
public enum OperationState {
    RUNNING, ROLLING_BACK, CANCELLING, SUCCEEDED, FAILED, CANCELLED;

    /** States in which the operation still has work in flight. */
    public static final Set<OperationState> ACTIVE = EnumSet.of(RUNNING, ROLLING_BACK, CANCELLING);

    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
