package io.rulescaler.placement;

import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Who leaves, and a note for the operation when the policy could not be followed as asked. */
    public record Choice(List<NodeEntity> nodes, String note) {
    }

    /**
     * Picks up to {@code count} nodes: failed and unhealthy first, then nodes still being brought up,
     * then idle nodes ({@code idle}), then active nodes by the policy. Never a node protected on its
     * row or named in {@code specProtected}. {@code least-loaded} orders by the agent's CPU
     * ({@code load}); nodes without vitals come after those with, newest first, and when no candidate
     * has vitals the choice falls back to {@code newest} and the note says so.
     */
    public static Choice plan(List<NodeEntity> nodes, int count, String policy, Map<Long, Double> load,
                              Set<String> specProtected, Set<Long> idle) {
        List<NodeEntity> candidates = nodes.stream()
                .filter(n -> !n.protectedNode && !specProtected.contains(n.name))
                .filter(n -> n.state == NodeState.FAILED || n.state == NodeState.UNHEALTHY || NodeState.LIVE.contains(n.state))
                .toList();
        String note = null;
        Comparator<NodeEntity> newest = Comparator.comparing(ScaleInSelector::started).reversed();
        Comparator<NodeEntity> byPolicy = switch (policy == null ? "oldest" : policy) {
            case "newest" -> newest;
            case "least-loaded" -> {
                List<String> without = candidates.stream().filter(n -> n.state == NodeState.ACTIVE && !load.containsKey(n.id))
                        .map(n -> n.name).toList();
                long active = candidates.stream().filter(n -> n.state == NodeState.ACTIVE).count();
                if (active > 0 && without.size() == active) {
                    note = "least-loaded: no node has reported vitals, so the newest nodes leave instead";
                } else if (!without.isEmpty()) {
                    note = "least-loaded: no vitals from " + String.join(", ", without) + "; those count after the others, newest first";
                }
                yield Comparator.<NodeEntity>comparingInt(n -> load.containsKey(n.id) ? 0 : 1)
                        .thenComparingDouble(n -> load.getOrDefault(n.id, 0.0))
                        .thenComparing(newest);
            }
            default -> Comparator.comparing(ScaleInSelector::started);
        };
        Comparator<NodeEntity> byGroup = Comparator.comparingInt(n -> n.state == NodeState.UNHEALTHY ? 0
                : group(n) == 2 && idle.contains(n.id) ? 2 : group(n) == 2 ? 3 : group(n));
        List<NodeEntity> chosen = candidates.stream().sorted(byGroup.thenComparing(byPolicy).thenComparing(n -> n.id))
                .limit(Math.max(0, count)).toList();
        boolean policyMattered = chosen.stream().anyMatch(n -> n.state == NodeState.ACTIVE && !idle.contains(n.id));
        return new Choice(chosen, policyMattered ? note : null);
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
