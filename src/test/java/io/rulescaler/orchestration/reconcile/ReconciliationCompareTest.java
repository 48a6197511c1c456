package io.rulescaler.orchestration.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.reconcile.Reconciliation.Findings;
import io.rulescaler.orchestration.reconcile.Reconciliation.NodeRow;
import io.rulescaler.provider.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison alone, table by table: which machines are ours, which nodes lost theirs. */
class ReconciliationCompareTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Instant OLD = NOW.minusSeconds(3600);
    static final String OURS = "ours-1";

    static Machine machine(String id, String cluster, String node, Long nodeId, String installation) {
        Map<String, String> tags = new HashMap<>();
        tags.put(Machine.TAG_CLUSTER, cluster);
        tags.put(Machine.TAG_NODE, node);
        if (nodeId != null) {
            tags.put(Machine.TAG_NODE_ID, nodeId.toString());
        }
        if (installation != null) {
            tags.put(Machine.TAG_INSTALLATION, installation);
        }
        return new Machine(id, node, cluster, "a", "10.0.0." + id.length(), "RUNNING", tags);
    }

    static Findings compare(List<NodeRow> rows, List<Machine> machines) {
        return Reconciliation.compare("web", OURS, rows, machines, NOW, Duration.ofMinutes(1));
    }

    @Test
    void untaggedMachinesAreOursOnlyWhenNodeIdAndNameMatchOneOfOurRows() {
        List<NodeRow> rows = List.of(new NodeRow(7, "web-7", NodeState.FAILED, null, OLD));
        // created before the installation tag existed, same id and name: adoptable
        assertEquals(1, compare(rows, List.of(machine("m1", "web", "web-7", 7L, null))).adoptable().size());
        // same cluster name and node id, another name: another installation's, left alone and not reported
        Findings other = compare(rows, List.of(machine("m2", "web", "web-3", 7L, null)));
        assertEquals(List.of(), other.adoptable());
        assertEquals(List.of(), other.unknown());
        assertEquals(1, other.foreign());
        // another installation's id wins over matching cluster, node id and name
        Findings tagged = compare(rows, List.of(machine("m3", "web", "web-7", 7L, "theirs")));
        assertEquals(List.of(), tagged.adoptable());
        assertEquals(1, tagged.foreign());
        // another cluster's machines are not looked at
        Findings elsewhere = compare(rows, List.of(machine("m4", "db", "web-7", 7L, OURS)));
        assertEquals(0, elsewhere.foreign() + elsewhere.adoptable().size() + elsewhere.unknown().size());
    }

    @Test
    void ourMachinesThatNoNodeAccountsForAreReportedWithTheReason() {
        List<NodeRow> rows = List.of(new NodeRow(1, "web-1", NodeState.ACTIVE, "m1", OLD),
                new NodeRow(2, "web-2", NodeState.TERMINATED, "m2", OLD));
        Findings f = compare(rows, List.of(machine("m1", "web", "web-1", 1L, OURS), machine("m2", "web", "web-2", 2L, OURS),
                machine("m9", "web", "web-9", 9L, OURS), machine("m1b", "web", "web-1", 1L, OURS)));
        assertEquals(1, f.matched());
        assertEquals(List.of("m2", "m9", "m1b"), f.unknown().stream().map(Reconciliation.Unknown::providerId).toList());
        assertTrue(f.unknown().get(0).reason().contains("terminated"), f.unknown().get(0).reason());
        assertTrue(f.unknown().get(1).reason().contains("does not have"), f.unknown().get(1).reason());
        assertTrue(f.unknown().get(2).reason().contains("second machine"), f.unknown().get(2).reason());
        assertEquals(List.of(), f.vanished());
    }

    @Test
    void nodesThatExpectAMachineAndHaveNoneVanishOnlyAfterTheGrace() {
        List<NodeRow> rows = List.of(new NodeRow(1, "web-1", NodeState.ACTIVE, "gone", OLD),
                new NodeRow(2, "web-2", NodeState.CONFIGURING, "fresh", NOW.minusSeconds(10)),
                new NodeRow(3, "web-3", NodeState.FAILED, "gone-too", OLD),
                new NodeRow(4, "web-4", NodeState.TERMINATED, "long-gone", OLD),
                new NodeRow(5, "web-5", NodeState.REQUESTED, null, OLD),
                new NodeRow(6, "web-6", NodeState.ACTIVE, "here", OLD));
        Findings f = compare(rows, List.of(new Machine("here", "x", "x", "a", null, "RUNNING", Map.of())));
        assertEquals(List.of("web-1", "web-5"), f.vanished().stream().map(Reconciliation.Vanished::node).toList(),
                "young, failed and terminated nodes are not failed again; a machine is matched by its id even without tags");
        assertEquals(1, f.matched());
    }
}
