package io.rulescaler.handoff;

/**
 * A scale request for a cluster was handed over ({@link ScaleRequests#submit}): observed after the
 * commit, it wakes this instance's orchestrator to take the request in at once, and tells the
 * cluster's session that the state it last read (desired size, last scale times) is out of date.
 */
public record ScaleRequestWritten(String cluster) {
}
