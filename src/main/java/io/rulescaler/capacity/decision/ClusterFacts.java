package io.rulescaler.capacity.decision;

import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.cluster.ClusterSpec;
import java.util.List;

/** A cluster's spec and the state facts derived from the database, read in one go. */
public record ClusterFacts(ClusterSpec spec, ClusterView view, List<NodeView> nodes) {
}
