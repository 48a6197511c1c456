package io.rulescaler.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Follows a layout whose keys may weigh {@code profile/zone} pairs across provider profiles (a key
 * without {@code profile/} is a zone of the cluster's own profile): each new node goes to the pair
 * furthest below its weight, and scale-in takes nodes from the pair most over its weight.
 */
public final class LayoutPlacement {

    private LayoutPlacement() {
    }

    /** A place for a node: a provider profile and a zone of it (null: the provider picks). */
    public record Site(String profile, String zone) {

        /** The layout key of this site. */
        public String key() {
            return profile + "/" + (zone == null ? "" : zone);
        }
    }

    /**
     * The sites a layout weighs, in the layout's order, weights above 0 only. Without any, the
     * {@code fallbackZones} of {@code defaultProfile} weigh 1 each; without those, nothing.
     */
    public static Map<Site, Integer> sites(Map<String, Integer> layout, String defaultProfile, List<String> fallbackZones) {
        Map<Site, Integer> out = new LinkedHashMap<>();
        if (layout != null) {
            layout.forEach((key, weight) -> {
                if (weight != null && weight > 0) {
                    out.merge(site(key, defaultProfile), weight, Integer::sum);
                }
            });
        }
        if (out.isEmpty() && fallbackZones != null) {
            fallbackZones.forEach(z -> out.putIfAbsent(new Site(defaultProfile, z), 1));
        }
        return out;
    }

    /** A layout key as a site: {@code profile/zone}, or a zone of {@code defaultProfile}. */
    public static Site site(String key, String defaultProfile) {
        int slash = key.indexOf('/');
        return slash > 0 ? new Site(key.substring(0, slash), key.substring(slash + 1)) : new Site(defaultProfile, key);
    }

    /**
     * Sites for {@code count} new nodes: each goes to the site whose share of live nodes is furthest
     * below its weight (ties: the site listed first). Without weighted sites every node gets
     * {@code defaultProfile} and no zone.
     */
    public static List<Site> assign(Map<Site, Integer> weights, Map<Site, Long> live, int count, String defaultProfile) {
        List<Site> out = new ArrayList<>(count);
        if (weights.isEmpty()) {
            for (int i = 0; i < count; i++) {
                out.add(new Site(defaultProfile, null));
            }
            return out;
        }
        Map<String, Integer> byKey = new LinkedHashMap<>();
        Map<String, Site> sites = new HashMap<>();
        weights.forEach((s, w) -> {
            byKey.put(s.key(), w);
            sites.put(s.key(), s);
        });
        Map<String, Long> liveByKey = new HashMap<>();
        live.forEach((s, n) -> liveByKey.merge(s.key(), n, Long::sum));
        for (String key : ZonePlacement.assign(byKey, null, liveByKey, count)) {
            out.add(sites.get(key));
        }
        return out;
    }

    /**
     * Picks up to {@code count} of {@code ordered} (the candidates in the order they should leave,
     * without the layout) so that the layout's weights hold: candidates that do not serve (failed,
     * unhealthy, still being brought up) leave first, in order; then each time the first candidate of
     * the site most over its weight (live nodes / weight; a site the layout does not weigh counts as
     * most over), ties going to the site whose candidate comes first.
     *
     * @param live live nodes per site now, the candidates included
     */
    public static <T> List<T> keepWeights(List<T> ordered, int count, Function<T, Site> siteOf, Predicate<T> serving,
                                          Map<Site, Integer> weights, Map<Site, Long> live) {
        List<T> remaining = new ArrayList<>(ordered);
        Map<Site, Long> have = new HashMap<>(live);
        List<T> chosen = new ArrayList<>();
        while (chosen.size() < count && !remaining.isEmpty()) {
            T pick = remaining.stream().filter(serving.negate()).findFirst().orElse(null);
            if (pick == null) {
                double worst = Double.NEGATIVE_INFINITY;
                for (T candidate : remaining) {
                    Site s = siteOf.apply(candidate);
                    Integer w = weights.get(s);
                    double over = w == null ? Double.POSITIVE_INFINITY : have.getOrDefault(s, 0L) / (double) w;
                    if (over > worst) {
                        worst = over;
                        pick = candidate;
                    }
                }
            }
            chosen.add(pick);
            remaining.remove(pick);
            have.merge(siteOf.apply(pick), -1L, Long::sum);
        }
        return chosen;
    }
}
