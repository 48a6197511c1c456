package io.rulescaler.cluster;

/** CDI event fired after a cluster's spec was committed (created, changed or deleted). */
public record ClusterChanged(String name, boolean deleted) {
}
