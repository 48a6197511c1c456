package io.rulescaler.capacity.fact;

import java.time.Instant;
import org.kie.api.definition.type.Expires;
import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;

/** A node saying it lives, with its vitals; a stream event timed by the node's own clock reading. */
@Role(Role.Type.EVENT)
@Timestamp("timestamp")
@Expires("30m")
public final class Heartbeat {

    private final String node;
    private final String cluster;
    private final long timestamp;
    private final Double cpu;
    private final Double memory;
    private final Double load;

    public Heartbeat(String node, String cluster, Instant at, Double cpu, Double memory, Double load) {
        this.node = node;
        this.cluster = cluster;
        this.timestamp = at.toEpochMilli();
        this.cpu = cpu;
        this.memory = memory;
        this.load = load;
    }

    public String getNode() {
        return node;
    }

    public String getCluster() {
        return cluster;
    }

    public long getTimestamp() {
        return timestamp;
    }

    public Instant getTime() {
        return Instant.ofEpochMilli(timestamp);
    }

    /** CPU use in percent, or null when the node did not say. */
    public Double getCpu() {
        return cpu;
    }

    /** Memory use in percent, or null. */
    public Double getMemory() {
        return memory;
    }

    /** Load average, or null. */
    public Double getLoad() {
        return load;
    }

    @Override
    public String toString() {
        return "Heartbeat{node=" + node + ", cluster=" + cluster + ", time=" + getTime() + ", cpu=" + cpu
                + ", memory=" + memory + ", load=" + load + "}";
    }
}
