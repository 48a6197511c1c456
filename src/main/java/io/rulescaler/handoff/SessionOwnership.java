package io.rulescaler.handoff;

/**
 * Which clusters this instance speaks for: the capacity stage owns the session leases and
 * implements this, so that orchestration's per-cluster jobs (the health prober) run on one
 * instance per cluster without importing capacity.
 */
public interface SessionOwnership {

    /** Whether this instance holds the cluster's session lease, taking it when no other instance does. */
    boolean ownsSession(String cluster);
}
