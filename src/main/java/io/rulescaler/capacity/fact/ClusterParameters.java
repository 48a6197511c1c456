package io.rulescaler.capacity.fact;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cluster's {@code parameters} (its spec's string map) as rules read them, one per session, so a
 * rule set can take per-cluster settings (a target, a threshold) from the spec instead of a copied
 * rule file: {@code ClusterParameters( $t : number( "target.cpu", 60.0 ) )}. Always present (empty
 * when the spec defines none); replaced, never modified, when the spec's parameters change, so
 * every rule that joins it is evaluated again and what it inserted logically is taken back.
 */
public final class ClusterParameters {

    private final String cluster;
    private final Map<String, String> values;

    public ClusterParameters(String cluster, Map<String, String> values) {
        this.cluster = cluster;
        this.values = values == null ? Map.of() : Map.copyOf(values);
    }

    public String getCluster() {
        return cluster;
    }

    /** Every parameter, by name. */
    public Map<String, String> getValues() {
        return values;
    }

    /** The value of a parameter, or null when the spec does not define it. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value of a parameter, or {@code fallback} when the spec does not define it. */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A parameter read as a number, or {@code fallback} when it is not defined or not a finite number. */
    public double number(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterParameters p && Objects.equals(cluster, p.cluster) && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cluster, values);
    }

    @Override
    public String toString() {
        return "ClusterParameters{cluster=" + cluster + ", values=" + new TreeMap<>(values) + "}";
    }
}
