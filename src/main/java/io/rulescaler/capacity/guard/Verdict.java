package io.rulescaler.capacity.guard;

import java.util.List;

/**
 * The guard's judgement of one decision: accepted as asked, clamped to a safer size, or refused;
 * the recommended size (the request within the bounds, kept for stabilisation), the size to act
 * on, and the reasons in words.
 */
public record Verdict(Kind kind, int requested, int recommended, int target, boolean dryRun, List<String> why) {

    /** Outcome kinds, stored lower-case. */
    public enum Kind { ACCEPTED, CLAMPED, REFUSED }

    /** Whether a scale request should be written (accepted or clamped, and not a dry run). */
    public boolean acts() {
        return kind != Kind.REFUSED && !dryRun;
    }

    public String explanation() {
        return String.join("; ", why);
    }
}
