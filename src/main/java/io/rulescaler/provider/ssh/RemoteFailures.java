package io.rulescaler.provider.ssh;

import io.micrometer.core.instrument.Metrics;

/**
 * Counts failures of the remote-configuration steps by source and kind, as
 * {@code rulescaler_remote_failures_total{source="ssh|puppet|script|fabric|lb|dns",kind="..."}}.
 */
public final class RemoteFailures {

    private RemoteFailures() {
    }

    public static void count(String source, String kind) {
        Metrics.counter("rulescaler.remote.failures", "source", source, "kind", kind == null ? "unknown" : kind).increment();
    }
}
