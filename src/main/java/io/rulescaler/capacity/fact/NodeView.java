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
    private final Double cpu;
    private final Double memory;
    private final Integer unitRestarts;
    private final Integer idleMinutes;

    public NodeView(String id, String cluster, String state, String zone, Instant launchedAt, Instant lastHeartbeat, Double load) {
        this(id, cluster, state, zone, launchedAt, lastHeartbeat, load, null, null, null, null);
    }

    /** A node with the vitals its agent last reported and how long it has been idle (whole minutes; null: not idle). */
    public NodeView(String id, String cluster, String state, String zone, Instant launchedAt, Instant lastHeartbeat, Double load,
                    Double cpu, Double memory, Integer unitRestarts, Integer idleMinutes) {
        this.id = id;
        this.cluster = cluster;
        this.state = state;
        this.zone = zone;
        this.launchedAt = launchedAt;
        this.lastHeartbeat = lastHeartbeat;
        this.load = load;
        this.cpu = cpu;
        this.memory = memory;
        this.unitRestarts = unitRestarts;
        this.idleMinutes = idleMinutes;
    }

    /** Last reported CPU use in percent, or null. */
    public Double getCpu() {
        return cpu;
    }

    /** Last reported memory use in percent, or null. */
    public Double getMemory() {
        return memory;
    }

    /** Restarts of the watched units (Tomcat by default) the agent last reported, or null. */
    public Integer getUnitRestarts() {
        return unitRestarts;
    }

    /** Whole minutes the node's CPU has stayed below the cluster's idle threshold, or null when it is not idle. */
    public Integer getIdleMinutes() {
        return idleMinutes;
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
                + ", lastHeartbeat=" + lastHeartbeat + ", load=" + load + ", cpu=" + cpu + ", memory=" + memory
                + ", unitRestarts=" + unitRestarts + ", idleMinutes=" + idleMinutes + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeView v && java.util.Objects.equals(id, v.id) && java.util.Objects.equals(cluster, v.cluster)
                && java.util.Objects.equals(state, v.state) && java.util.Objects.equals(zone, v.zone)
                && java.util.Objects.equals(launchedAt, v.launchedAt) && java.util.Objects.equals(lastHeartbeat, v.lastHeartbeat)
                && java.util.Objects.equals(load, v.load) && java.util.Objects.equals(cpu, v.cpu)
                && java.util.Objects.equals(memory, v.memory) && java.util.Objects.equals(unitRestarts, v.unitRestarts)
                && java.util.Objects.equals(idleMinutes, v.idleMinutes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, cluster, state, lastHeartbeat);
    }
}
