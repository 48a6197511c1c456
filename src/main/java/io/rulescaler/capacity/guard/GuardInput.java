package io.rulescaler.capacity.guard;

import java.time.Instant;
import java.util.List;

/**
 * What the guard knows about a cluster when it judges a decision: where the cluster is heading
 * ({@code desired}, which already counts pending and draining nodes), the flags, the time, the
 * last scale changes and the rule recommendations still inside the stabilisation window.
 */
public record GuardInput(int desired, boolean paused, boolean dryRun, Instant now, Instant lastScaleOut,
                         Instant lastScaleIn, List<Recommendation> recent) {

    /** A size some rule recommended at some time (after clamping to the bounds). */
    public record Recommendation(Instant at, int size) {
    }
}
