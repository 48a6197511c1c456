package io.rulescaler.placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the zone of each new node so that the cluster follows its layout weights: each new node
 * goes to the zone whose share of live nodes is furthest below its weight (ties: first zone listed).
 */
public final class ZonePlacement {

    private ZonePlacement() {
    }

    /**
     * Zones for {@code count} new nodes.
     *
     * @param weights zone → weight from {@code ClusterSpec.layout()}; zones of weight 0 get nothing
     * @param fallbackZones used with equal weights when there is no layout (template zones)
     * @param liveByZone live nodes per zone now
     * @return one zone per new node; null entries when the cluster names no zones at all
     */
    public static List<String> assign(Map<String, Integer> weights, List<String> fallbackZones,
                                      Map<String, Long> liveByZone, int count) {
        Map<String, Integer> w = new LinkedHashMap<>();
        if (weights != null && weights.values().stream().anyMatch(v -> v != null && v > 0)) {
            weights.forEach((z, v) -> {
                if (v != null && v > 0) {
                    w.put(z, v);
                }
            });
        } else if (fallbackZones != null && !fallbackZones.isEmpty()) {
            fallbackZones.forEach(z -> w.put(z, 1));
        }
        List<String> out = new ArrayList<>(count);
        if (w.isEmpty()) {
            for (int i = 0; i < count; i++) {
                out.add(null);
            }
            return out;
        }
        Map<String, Long> have = new LinkedHashMap<>();
        w.keySet().forEach(z -> have.put(z, liveByZone.getOrDefault(z, 0L)));
        for (int i = 0; i < count; i++) {
            String best = null;
            double bestScore = Double.MAX_VALUE;
            for (Map.Entry<String, Integer> e : w.entrySet()) {
                double score = (have.get(e.getKey()) + 1.0) / e.getValue();
                if (score < bestScore) {
                    bestScore = score;
                    best = e.getKey();
                }
            }
            out.add(best);
            have.merge(best, 1L, Long::sum);
        }
        return out;
    }
}
