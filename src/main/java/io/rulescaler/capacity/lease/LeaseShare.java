package io.rulescaler.capacity.lease;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How one renewal round of an instance balances session leases, as a pure function of what the
 * database said: the fair share is ceil(clusters / live instances); a free lease is taken while
 * this instance holds fewer than the share, or when no other live instance holds fewer (so no
 * lease stays orphaned); a surplus over the share is handed off, a little per round, only while
 * another live instance holds fewer than the share.
 */
public final class LeaseShare {

    /** At most this many leases are handed off per renewal round (no thundering herd of session rebuilds). */
    public static final int MAX_HANDOFF_PER_ROUND = 1;

    private final String me;
    private final Map<String, Integer> held = new HashMap<>();
    private final int share;

    /**
     * @param me       this instance
     * @param live     the live instances (this one is added when missing)
     * @param heldBy   unexpired leases of existing clusters per owner (owners not in {@code live} count as live)
     * @param clusters how many clusters exist
     */
    public LeaseShare(String me, Collection<String> live, Map<String, Integer> heldBy, int clusters) {
        this.me = me;
        for (String instance : live) {
            held.put(instance, 0);
        }
        held.put(me, 0);
        held.putAll(heldBy);
        int instances = held.size();
        this.share = (clusters + instances - 1) / instances;
    }

    /** The fair share: ceil(clusters / live instances). */
    public int share() {
        return share;
    }

    /** How many instances count as live (this one included). */
    public int liveInstances() {
        return held.size();
    }

    /** How many leases this instance holds, counting those taken this round. */
    public int held() {
        return held.get(me);
    }

    /** Whether this instance should take a free lease now. */
    public boolean mayTake() {
        return held() < share || !anotherBelowShare();
    }

    /** Counts a lease taken this round. */
    public void took() {
        held.merge(me, 1, Integer::sum);
    }

    /** How many leases to hand off this round: the surplus over the share, no more than the others lack, capped per round. */
    public int toHandOff() {
        int surplus = held() - share;
        if (surplus <= 0) {
            return 0;
        }
        int lacking = 0;
        for (Map.Entry<String, Integer> e : held.entrySet()) {
            if (!e.getKey().equals(me)) {
                lacking += Math.max(0, share - e.getValue());
            }
        }
        return Math.min(MAX_HANDOFF_PER_ROUND, Math.min(surplus, lacking));
    }

    private boolean anotherBelowShare() {
        for (Map.Entry<String, Integer> e : held.entrySet()) {
            if (!e.getKey().equals(me) && e.getValue() < share) {
                return true;
            }
        }
        return false;
    }
}
