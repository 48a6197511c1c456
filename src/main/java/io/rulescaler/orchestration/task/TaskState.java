package io.rulescaler.orchestration.task;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a task is. WAITING tasks belong to a later step (or wait for a parallelism slot);
 * READY tasks may be claimed once {@code next_run_at} has passed.
 *
 * <pre>
 *  WAITING ──> READY ──claim──> RUNNING ──ok──> SUCCEEDED
 *                ^                 │  │
 *                │  retryable,     │  └──permanent / attempts used──> FAILED
 *                └─ attempts left ─┘
 *                ^                 │
 *                └─ lease expired ─┘ (janitor: the owner died; the task runs again, actions are retry-safe)
 *  WAITING | READY ──cancel / rollback / earlier node failure──> CANCELLED | SKIPPED
 * </pre>
 */
public enum TaskState {
    WAITING, READY, RUNNING, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

    /** States a task never leaves. */
    public static final Set<TaskState> DONE = EnumSet.of(SUCCEEDED, FAILED, SKIPPED, CANCELLED);

    public boolean isDone() {
        return DONE.contains(this);
    }

    public String label() {
        return name().toLowerCase();
    }
}
