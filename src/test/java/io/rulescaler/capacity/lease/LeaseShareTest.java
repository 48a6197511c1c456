package io.rulescaler.capacity.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The balancing policy alone: fair share, when a free lease is taken, how much is handed off, and that rounds converge. */
class LeaseShareTest {

    @Test
    void theShareIsTheCeilingOverLiveInstancesAndOwnersCountAsLive() {
        assertEquals(4, new LeaseShare("a", List.of("a", "b", "c"), Map.of(), 10).share());
        assertEquals(10, new LeaseShare("a", List.of(), Map.of(), 10).share(), "alone: everything");
        LeaseShare withOldOwner = new LeaseShare("a", List.of("a"), Map.of("old", 3), 4);
        assertEquals(2, withOldOwner.liveInstances(), "an owner of unexpired leases counts as live");
        assertEquals(2, withOldOwner.share());
        assertEquals(0, new LeaseShare("a", List.of("a", "b"), Map.of(), 0).share());
    }

    @Test
    void takesBelowTheShareAndAFreeLeaseNobodyElseWouldTake() {
        LeaseShare s = new LeaseShare("a", List.of("a", "b"), Map.of("a", 2, "b", 1), 6);
        assertEquals(3, s.share());
        assertTrue(s.mayTake(), "below the share");
        s.took();
        assertEquals(3, s.held());
        assertFalse(s.mayTake(), "at the share while b is below it: b takes the rest");

        LeaseShare full = new LeaseShare("a", List.of("a", "b"), Map.of("a", 3, "b", 3), 7);
        assertEquals(4, full.share());
        assertTrue(full.mayTake());
        // a view where every other instance holds its share (b over it: balance off, or counted just
        // before a cluster was deleted): a free lease is taken anyway, never left orphaned
        LeaseShare orphan = new LeaseShare("a", List.of("a", "b"), Map.of("a", 4, "b", 6), 9);
        orphan.took();
        assertEquals(5, orphan.share());
        assertEquals(5, orphan.held());
        assertTrue(orphan.mayTake(), "at the share, but nobody else is below it: take it");
        assertEquals(0, orphan.toHandOff());
    }

    @Test
    void handsOffOnePerRoundAndOnlyWhatOthersLack() {
        assertEquals(1, new LeaseShare("a", List.of("a", "b"), Map.of("a", 10), 10).toHandOff(), "capped per round");
        assertEquals(0, new LeaseShare("a", List.of("a", "b"), Map.of("a", 5, "b", 5), 10).toHandOff(), "at the share");
        assertEquals(0, new LeaseShare("a", List.of("a", "b"), Map.of("a", 5, "b", 4), 9).toHandOff(), "ceil: 5 is the share");
        assertEquals(0, new LeaseShare("a", List.of("a"), Map.of("a", 6, "old", 5), 11).toHandOff(),
                "a surplus nobody lacks stays (here none: 11 over 2 is 6)");
        LeaseShare nobodyLacks = new LeaseShare("a", List.of("a", "b", "c"), Map.of("a", 2, "b", 2, "c", 2), 6);
        nobodyLacks.took();
        assertEquals(0, nobodyLacks.toHandOff(), "one over the share, but b and c hold theirs");
    }

    @Test
    void roundsConvergeWithoutPingPong() {
        for (int instances = 2; instances <= 4; instances++) {
            for (int clusters = 0; clusters <= 13; clusters++) {
                Map<String, String> owner = new TreeMap<>();
                for (int c = 0; c < clusters; c++) {
                    owner.put("c" + c, "i0"); // the first instance up took everything
                }
                List<String> live = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    live.add("i" + i);
                }
                int rounds = 0;
                int changesInLastRounds = 0;
                for (; rounds < 3 * clusters + 10; rounds++) {
                    int changes = 0;
                    for (String me : live) {
                        changes += round(me, live, owner);
                    }
                    changesInLastRounds = rounds >= 2 * clusters + 5 ? changesInLastRounds + changes : 0;
                }
                int share = (clusters + instances - 1) / instances;
                Map<String, Integer> counts = counts(owner);
                for (String me : live) {
                    assertTrue(counts.getOrDefault(me, 0) <= share, me + " within the share " + share + ": " + counts);
                }
                assertFalse(owner.containsValue(null), "every cluster has an owner");
                assertEquals(0, changesInLastRounds, "stable: " + instances + " instances, " + clusters + " clusters");
                if (instances == 2) {
                    assertTrue(Math.abs(counts.getOrDefault("i0", 0) - counts.getOrDefault("i1", 0)) <= 1, counts.toString());
                }
            }
        }
    }

    /** One renewal of {@code me}: take free leases, hand off (the handed-off one is free until the next instance's round). */
    private static int round(String me, List<String> live, Map<String, String> owner) {
        LeaseShare s = new LeaseShare(me, live, counts(owner), owner.size());
        int changes = 0;
        for (Map.Entry<String, String> e : owner.entrySet()) {
            if (e.getValue() == null && s.mayTake()) {
                e.setValue(me);
                s.took();
                changes++;
            }
        }
        int n = s.toHandOff();
        for (Map.Entry<String, String> e : owner.entrySet()) {
            if (n > 0 && me.equals(e.getValue())) {
                e.setValue(null);
                n--;
                changes++;
            }
        }
        return changes;
    }

    private static Map<String, Integer> counts(Map<String, String> owner) {
        Map<String, Integer> out = new HashMap<>();
        owner.values().stream().filter(v -> v != null).forEach(v -> out.merge(v, 1, Integer::sum));
        return out;
    }
}
