package io.rulescaler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rulescaler.placement.LayoutPlacement.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Layouts across provider profiles: new nodes by weight, and scale-in that keeps the weights. */
class LayoutPlacementTest {

    static final Site EAST = new Site("east", "a");
    static final Site WEST = new Site("west", "b");

    static Map<Site, Integer> weights() {
        Map<String, Integer> layout = new LinkedHashMap<>();
        layout.put("east/a", 2);
        layout.put("west/b", 1);
        layout.put("north/c", 0);
        return LayoutPlacement.sites(layout, "east", null);
    }

    @Test
    void layoutKeysArePairsOrZonesOfTheDefaultProfile() {
        assertEquals(Map.of(EAST, 2, WEST, 1), weights(), "weight 0 is left out");
        assertEquals(Map.of(new Site("stub", "a"), 1, new Site("lab", "z"), 3),
                LayoutPlacement.sites(Map.of("a", 1, "lab/z", 3), "stub", null));
        assertEquals(Map.of(new Site("stub", "x"), 1, new Site("stub", "y"), 1),
                LayoutPlacement.sites(null, "stub", List.of("x", "y")), "template zones weigh 1 each without a layout");
        assertEquals(List.of(new Site("stub", null), new Site("stub", null)),
                LayoutPlacement.assign(Map.of(), Map.of(), 2, "stub"), "no layout, no zones: the provider's profile");
    }

    @Test
    void newNodesFollowTheWeightsAcrossProfiles() {
        assertEquals(List.of(EAST, EAST, WEST), LayoutPlacement.assign(weights(), Map.of(), 3, "east"));
        Map<Site, Long> count = LayoutPlacement.assign(weights(), Map.of(), 6, "east").stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(Map.of(EAST, 4L, WEST, 2L), count);
        // existing nodes count: the under-weight profile catches up first
        assertEquals(List.of(WEST, WEST), LayoutPlacement.assign(weights(), Map.of(EAST, 4L), 2, "east"));
    }

    record N(String name, Site site, boolean serving) {
    }

    static List<String> leaving(List<N> ordered, int count) {
        Map<Site, Long> live = new HashMap<>();
        ordered.forEach(n -> live.merge(n.site(), 1L, Long::sum));
        return LayoutPlacement.keepWeights(ordered, count, N::site, N::serving, weights(), live).stream().map(N::name).toList();
    }

    @Test
    void scaleInTakesFromTheMostOverWeightPair() {
        List<N> oldestFirst = List.of(new N("e1", EAST, true), new N("w1", WEST, true), new N("e2", EAST, true),
                new N("w2", WEST, true), new N("e3", EAST, true), new N("e4", EAST, true));
        // 4:2 both at 2 per weight; the oldest goes (east), then west is over (2 > 3/2), then east again
        assertEquals(List.of("e1", "w1", "e2"), leaving(oldestFirst, 3));
        List<N> westHeavy = List.of(new N("w1", WEST, true), new N("w2", WEST, true), new N("w3", WEST, true),
                new N("e1", EAST, true), new N("e2", EAST, true));
        assertEquals(List.of("w1", "w2"), leaving(westHeavy, 2), "2 east : 1 west left");
    }

    @Test
    void nodesThatDoNotServeLeaveFirstAndUnweighedSitesBeforeWeighedOnes() {
        List<N> nodes = new ArrayList<>(List.of(new N("e1", EAST, true), new N("e2", EAST, true), new N("e3", EAST, true),
                new N("w-failed", WEST, false), new N("old-zone", new Site("east", "gone"), true)));
        assertEquals(List.of("w-failed", "old-zone", "e1"), leaving(nodes, 3));
        assertEquals(List.of(), leaving(nodes, 0));
        assertEquals(5, leaving(nodes, 9).size(), "never more than the candidates");
    }
}
