package io.rulescaler.capacity.fact;

import java.time.Instant;
import java.util.Map;
import org.kie.api.definition.type.Expires;
import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;

/**
 * A named value with labels at a point in time (pushed, or polled from Prometheus): a stream
 * event whose event time is its own timestamp, so windows follow the data, not the arrival.
 * Samples leave the session 30 minutes after their timestamp at the latest.
 */
@Role(Role.Type.EVENT)
@Timestamp("timestamp")
@Expires("30m")
public final class Sample {

    private final String cluster;
    private final String metric;
    private final Map<String, String> labels;
    private final double value;
    private final long timestamp;

    public Sample(String cluster, String metric, Map<String, String> labels, double value, Instant at) {
        this.cluster = cluster;
        this.metric = metric;
        this.labels = labels == null ? Map.of() : Map.copyOf(labels);
        this.value = value;
        this.timestamp = at.toEpochMilli();
    }

    public String getCluster() {
        return cluster;
    }

    public String getMetric() {
        return metric;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public double getValue() {
        return value;
    }

    /** Event time in epoch milliseconds. */
    public long getTimestamp() {
        return timestamp;
    }

    public Instant getTime() {
        return Instant.ofEpochMilli(timestamp);
    }

    /** A label value or null. */
    public String label(String key) {
        return labels.get(key);
    }

    @Override
    public String toString() {
        return "Sample{cluster=" + cluster + ", metric=" + metric + ", value=" + value + ", time=" + getTime()
                + (labels.isEmpty() ? "" : ", labels=" + labels) + "}";
    }
}
