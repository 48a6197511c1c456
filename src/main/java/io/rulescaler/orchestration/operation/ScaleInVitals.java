package io.rulescaler.orchestration.operation;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.placement.ScaleInSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the pure {@link ScaleInSelector} what the agents reported: each node's CPU (for
 * least-loaded), which nodes are idle by the cluster's {@code size.idle} (they leave first) and
 * which nodes the spec protects by name.
 */
final class ScaleInVitals {

    /** Vitals older than this do not count for least-loaded (the agent posts every 15 s by default). */
    static final Duration FRESH = Duration.ofMinutes(5);

    private ScaleInVitals() {
    }

    static ScaleInSelector.Choice choose(List<NodeEntity> all, ClusterSpec spec, int count, String policy, Instant now) {
        Map<Long, Double> load = new HashMap<>();
        Set<Long> idle = new HashSet<>();
        ClusterSpec.Idle idleDef = spec.size().maxIdle() == null ? null : spec.size().idleOrDefault();
        for (NodeEntity n : all) {
            if (n.cpu != null && n.vitalsAt != null && n.vitalsAt.isAfter(now.minus(FRESH))) {
                load.put(n.id, n.cpu);
            }
            if (idleDef != null && n.idleSince != null && !n.idleSince.isAfter(now.minus(Duration.ofMinutes(idleDef.forMinutes())))) {
                idle.add(n.id);
            }
        }
        Set<String> specProtected = spec.protectedNodes() == null ? Set.of() : Set.copyOf(spec.protectedNodes());
        return ScaleInSelector.plan(all, count, policy, load, specProtected, idle);
    }
}
