package io.rulescaler.capacity.rules;

import io.rulescaler.capacity.engine.RuleError;
import java.time.Instant;
import java.util.List;

/**
 * Where one rule set stands: the files and rule count running now, when they were loaded, and the
 * errors of the last attempt if it failed (then the older rules still decide).
 */
public record RuleSetStatus(String ruleSet, String status, List<String> files, int rules, String digest,
                            Instant loadedAt, Instant lastAttemptAt, long compileMillis, List<RuleError> errors) {

    public static final String OK = "ok";
    /** The last compile failed; the previous rules still run. */
    public static final String FAILED_KEEPING_OLD = "failed-keeping-previous";
    /** The set never compiled; clusters using it have no session. */
    public static final String FAILED = "failed";
    /** The set has not finished its first compile since start; its clusters' signals wait in storage. */
    public static final String COMPILING = "compiling";
}
