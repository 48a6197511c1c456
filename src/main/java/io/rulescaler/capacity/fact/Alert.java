package io.rulescaler.capacity.fact;

import java.time.Instant;
import java.util.Map;

/**
 * An Alertmanager alert as rules see it: a plain fact (not a windowed event) that stays in the
 * session while the alert fires and is retracted when it resolves.
 */
public final class Alert {

    private final String name;
    private final String cluster;
    private final String status;
    private final String fingerprint;
    private final Instant startsAt;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;

    public Alert(String name, String cluster, String status, String fingerprint, Instant startsAt,
                 Map<String, String> labels, Map<String, String> annotations) {
        this.name = name;
        this.cluster = cluster;
        this.status = status;
        this.fingerprint = fingerprint;
        this.startsAt = startsAt;
        this.labels = labels == null ? Map.of() : Map.copyOf(labels);
        this.annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public String getName() {
        return name;
    }

    public String getCluster() {
        return cluster;
    }

    /** {@code firing} or {@code resolved}; resolved alerts are retracted, so rules see firing ones. */
    public String getStatus() {
        return status;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public Instant getStartsAt() {
        return startsAt;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    /** A label value or null. */
    public String label(String key) {
        return labels.get(key);
    }

    @Override
    public String toString() {
        return "Alert{name=" + name + ", status=" + status + ", cluster=" + cluster + ", fingerprint=" + fingerprint
                + ", startsAt=" + startsAt + ", labels=" + labels + "}";
    }
}
