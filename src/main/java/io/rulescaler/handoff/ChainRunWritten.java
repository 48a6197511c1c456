package io.rulescaler.handoff;

/**
 * A pending chain run was handed over ({@link ChainRuns#record}): observed after the commit, it
 * wakes this instance's orchestrator to take the run in at once.
 */
public record ChainRunWritten(String cluster) {
}
