package io.rulescaler.handoff;

/**
 * The capacity planner wrote a scale request for a cluster (a rule's or an operator's decision
 * that acts, or the bounds keeper's): observed after the commit, it tells the cluster's session
 * that the state it last read (desired size, last scale times) is out of date.
 */
public record ScaleRequestWritten(String cluster) {
}
