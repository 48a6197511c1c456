package io.rulescaler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Zone spreading by layout weights and the choice of nodes on scale-in. */
class PlacementTest {

    static Stream<Arguments> zones() {
        return Stream.of(
                Arguments.of("2:1 from empty", Map.of("a", 2, "b", 1), Map.of(), 3, Map.of("a", 2L, "b", 1L)),
                Arguments.of("fills the zone that is short", Map.of("a", 1, "b", 1), Map.of("a", 3L), 3, Map.of("a", 0L, "b", 3L)),
                Arguments.of("weight 0 gets nothing", Map.of("a", 1, "b", 0), Map.of(), 4, Map.of("a", 4L, "b", 0L)),
                Arguments.of("even 1:1:1 for 6", Map.of("a", 1, "b", 1, "c", 1), Map.of(), 6, Map.of("a", 2L, "b", 2L, "c", 2L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zones")
    void spreadsByLayoutWeights(String name, Map<String, Integer> weights, Map<String, Long> live, int count, Map<String, Long> expected) {
        List<String> got = ZonePlacement.assign(new LinkedHashMap<>(weights), null, live, count);
        assertEquals(count, got.size());
        expected.forEach((zone, n) -> assertEquals(n, got.stream().filter(zone::equals).count(), name + ": " + got));
    }

    @org.junit.jupiter.api.Test
    void withoutLayoutTheTemplateZonesShareEquallyAndWithoutZonesThereIsNone() {
        assertEquals(List.of("x", "y", "x", "y"), ZonePlacement.assign(null, List.of("x", "y"), Map.of(), 4));
        assertEquals(Arrays.asList(null, null), ZonePlacement.assign(Map.of(), List.of(), Map.of(), 2));
    }

    static NodeEntity node(long id, NodeState state, int launchedMinute, boolean isProtected, Integer heartbeatMinute) {
        NodeEntity n = new NodeEntity();
        n.id = id;
        n.name = "n" + id;
        n.state = state;
        n.createdAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * launchedMinute);
        n.launchedAt = n.createdAt;
        n.protectedNode = isProtected;
        n.lastHeartbeatAt = heartbeatMinute == null ? null : Instant.parse("2026-01-01T01:00:00Z").plusSeconds(60L * heartbeatMinute);
        return n;
    }

    static Stream<Arguments> scaleIn() {
        List<NodeEntity> nodes = new ArrayList<>(List.of(
                node(1, NodeState.ACTIVE, 1, true, 5),      // oldest but protected
                node(2, NodeState.ACTIVE, 2, false, 9),
                node(3, NodeState.ACTIVE, 3, false, 1),
                node(4, NodeState.ACTIVE, 4, false, 7),
                node(5, NodeState.TERMINATED, 0, false, null)));
        List<NodeEntity> withFailed = new ArrayList<>(nodes);
        withFailed.add(node(6, NodeState.FAILED, 9, false, null));
        withFailed.add(node(7, NodeState.PROVISIONING, 8, false, null));
        return Stream.of(
                Arguments.of("oldest, protected never", nodes, 2, "oldest", Map.of(), List.of(2L, 3L)),
                Arguments.of("newest", nodes, 2, "newest", Map.of(), List.of(4L, 3L)),
                Arguments.of("least loaded by load value", nodes, 1, "least-loaded", Map.of(2L, 0.9, 3L, 0.5, 4L, 0.1), List.of(4L)),
                Arguments.of("least loaded: stalest heartbeat without load", nodes, 1, "least-loaded", Map.of(), List.of(3L)),
                Arguments.of("failed then pending first", withFailed, 3, "newest", Map.of(), List.of(6L, 7L, 4L)),
                Arguments.of("never more than there are", nodes, 10, "oldest", Map.of(), List.of(2L, 3L, 4L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scaleIn")
    void choosesWhoLeaves(String name, List<NodeEntity> nodes, int count, String policy, Map<Long, Double> load, List<Long> expected) {
        assertEquals(expected, ScaleInSelector.choose(nodes, count, policy, load).stream().map(n -> n.id).toList(), name);
    }
}
