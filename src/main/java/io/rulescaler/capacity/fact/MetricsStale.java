package io.rulescaler.capacity.fact;

import java.time.Instant;

/**
 * Present while a polled query has no fresh answer and the cluster's stale policy is {@code hold}:
 * the shipped rules do not decide from stale data while one exists.
 */
public final class MetricsStale {

    private final String cluster;
    private final String query;
    private final Instant since;
    private final String reason;

    public MetricsStale(String cluster, String query, Instant since, String reason) {
        this.cluster = cluster;
        this.query = query;
        this.since = since;
        this.reason = reason;
    }

    public String getCluster() {
        return cluster;
    }

    public String getQuery() {
        return query;
    }

    public Instant getSince() {
        return since;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MetricsStale{cluster=" + cluster + ", query=" + query + ", since=" + since + ", reason=" + reason + "}";
    }
}
