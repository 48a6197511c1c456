package io.rulescaler.capacity.lease;

import io.rulescaler.handoff.SessionOwnership;
import jakarta.enterprise.context.ApplicationScoped;

/** Tells orchestration's per-cluster jobs which clusters' sessions this instance owns, from the session leases. */
@ApplicationScoped
public class LeaseOwnership implements SessionOwnership {

    private final SessionLeases leases;

    public LeaseOwnership(SessionLeases leases) {
        this.leases = leases;
    }

    @Override
    public boolean ownsSession(String cluster) {
        return leases.epochOrAcquire(cluster) != 0;
    }
}
