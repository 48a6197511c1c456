package io.rulescaler.capacity.fact;

import java.time.Instant;

/** One node of the cluster as rules see it; replaced when its state, heartbeat or load changes. */
public final class NodeView {

    private final String id;
    private final String cluster;
    private final String state;
    private final String zone;
    private final Instant launchedAt;
    private final Instant lastHeartbeat;
    private final Double load;

    public NodeView(String id, String cluster, String state, String zone, Instant launchedAt, Instant lastHeartbeat, Double load) {
        this.id = id;
        this.cluster = cluster;
        this.state = state;
        this.zone = zone;
        this.launchedAt = launchedAt;
        this.lastHeartbeat = lastHeartbeat;
        this.load = load;
    }

    /** The node's name (unique within its cluster). */
    public String getId() {
        return id;
    }

    public String getCluster() {
        return cluster;
    }

    /** Lower-case lifecycle state: requested, provisioning, configuring, active, draining, … */
    public String getState() {
        return state;
    }

    public String getZone() {
        return zone;
    }

    public Instant getLaunchedAt() {
        return launchedAt;
    }

    public Instant getLastHeartbeat() {
        return lastHeartbeat;
    }

    /** Last reported load average, or null. */
    public Double getLoad() {
        return load;
    }

    @Override
    public String toString() {
        return "NodeView{id=" + id + ", cluster=" + cluster + ", state=" + state + ", zone=" + zone
                + ", lastHeartbeat=" + lastHeartbeat + ", load=" + load + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeView v && java.util.Objects.equals(id, v.id) && java.util.Objects.equals(cluster, v.cluster)
                && java.util.Objects.equals(state, v.state) && java.util.Objects.equals(zone, v.zone)
                && java.util.Objects.equals(launchedAt, v.launchedAt) && java.util.Objects.equals(lastHeartbeat, v.lastHeartbeat)
                && java.util.Objects.equals(load, v.load);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, cluster, state, lastHeartbeat);
    }
}
