package io.rulescaler.capacity.lease;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How instances share the clusters' rule sessions: the lease on each session and the signal inbox between instances. */
@ConfigMapping(prefix = "rulescaler.sessions")
public interface SessionConfig {

    /**
     * How long a session lease lasts without renewal. When the owner stops (or hangs) for this
     * long, another instance takes the cluster over. This instance stops deciding on its own a
     * third of the lease before expiry when it cannot renew, so two owners never decide at once.
     */
    @WithDefault("15s")
    Duration lease();

    /** How often this instance renews its leases and takes clusters whose lease is free or expired. */
    @WithDefault("5s")
    Duration renewInterval();

    /** How often the owner takes in signals that other instances stored for its clusters. */
    @WithDefault("250ms")
    Duration inboxPollInterval();

    /** Age of the stored samples and heartbeats a rebuilt session (new owner, restart) is given again. */
    @WithDefault("10m")
    Duration replayWindow();

    /**
     * Also store the samples and heartbeats that reach the owner itself (one row per batch), so a
     * new owner or a restart rebuilds the session's windows; false keeps them in memory only.
     */
    @WithDefault("true")
    boolean storeOwnerSignals();

    /**
     * Spread the sessions over the live instances: each takes free leases up to its fair share
     * (ceil(clusters / live instances)) and hands a surplus over to an instance below it, one
     * lease per renewal. False: every instance takes every free lease (the first one up runs all).
     */
    @WithDefault("true")
    boolean balance();
}
