package io.rulescaler.capacity.engine;

/**
 * Bounds that keep one cluster's rules from sinking the service: at most {@code maxFacts} facts
 * in a session (further signals are dropped and counted) and at most {@code maxFirings} rule
 * firings per evaluation (more means a runaway rule).
 */
public record SessionLimits(int maxFacts, int maxFirings) {

    public static final SessionLimits DEFAULT = new SessionLimits(100_000, 10_000);
}
