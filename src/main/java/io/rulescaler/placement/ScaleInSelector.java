package io.rulescaler.placement;

import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides which nodes leave on scale-in: failed nodes first, then nodes still being brought up,
 * then active nodes by the cluster's policy; protected nodes never.
 */
public final class ScaleInSelector {

    private ScaleInSelector() {
    }

    /**
     * Picks up to {@code count} nodes.
     *
     * @param policy {@code oldest} (default), {@code newest} or {@code least-loaded}
     * @param load node id → load where known (least-loaded); nodes without a value count as the
     *             least loaded when their last heartbeat is oldest (a quiet node serves least)
     */
    public static List<NodeEntity> choose(List<NodeEntity> nodes, int count, String policy, Map<Long, Double> load) {
        Comparator<NodeEntity> byGroup = Comparator.comparingInt(ScaleInSelector::group);
        Comparator<NodeEntity> byPolicy = switch (policy == null ? "oldest" : policy) {
            case "newest" -> Comparator.comparing(ScaleInSelector::started).reversed();
            case "least-loaded" -> Comparator.<NodeEntity>comparingDouble(n -> load.getOrDefault(n.id, Double.NaN).isNaN()
                            ? Double.NEGATIVE_INFINITY : load.get(n.id))
                    .thenComparing(n -> n.lastHeartbeatAt == null ? Instant.MIN : n.lastHeartbeatAt);
            default -> Comparator.comparing(ScaleInSelector::started);
        };
        return nodes.stream()
                .filter(n -> !n.protectedNode)
                .filter(n -> n.state == NodeState.FAILED || NodeState.LIVE.contains(n.state))
                .sorted(byGroup.thenComparing(byPolicy).thenComparing(n -> n.id))
                .limit(Math.max(0, count))
                .toList();
    }

    private static int group(NodeEntity n) {
        if (n.state == NodeState.FAILED) {
            return 0;
        }
        return NodeState.PENDING.contains(n.state) ? 1 : 2;
    }

    private static Instant started(NodeEntity n) {
        return n.launchedAt != null ? n.launchedAt : n.createdAt;
    }
}
