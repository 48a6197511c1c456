package io.rulescaler.capacity.engine;

/**
 * Bounds that keep one cluster's rules from sinking the service: at most {@code maxFacts} facts
 * in a session, signals and the facts rules insert alike (further signals are dropped and counted;
 * the rule holding the most facts it inserted is stopped), and at most {@code maxFirings} rule
 * firings per evaluation (reaching it stops the looping rule).
 */
public record SessionLimits(int maxFacts, int maxFirings) {

    public static final SessionLimits DEFAULT = new SessionLimits(100_000, 10_000);
}
