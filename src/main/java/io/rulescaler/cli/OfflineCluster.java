package io.rulescaler.cli;

import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.guard.Guard;
import io.rulescaler.capacity.guard.GuardInput;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster held in memory for the offline tools: the same guard as the service, with its desired
 * size, last scale times and recent recommendations kept here instead of in the database.
 */
final class OfflineCluster {

    final String name;
    final GuardPolicy policy;
    int desired;
    boolean paused;
    boolean dryRun;
    Instant lastOut;
    Instant lastIn;
    int maxIdle = -1;
    int idleForMinutes = 30;
    final List<GuardInput.Recommendation> recent = new ArrayList<>();

    OfflineCluster(String name, GuardPolicy policy, int desired) {
        this.name = name;
        this.policy = policy;
        this.desired = desired;
    }

    /** Judges a rule's decision at {@code now}; an acting verdict moves the desired size. */
    Verdict judge(FiredDecision d, Instant now) {
        Verdict v = Guard.judge(policy, new GuardInput(desired, paused, dryRun, now, lastOut, lastIn, List.copyOf(recent)),
                d.decision().resolve(desired), true, false);
        recent.add(new GuardInput.Recommendation(now, v.recommended()));
        recent.removeIf(r -> r.at().isBefore(now.minusSeconds(policy.stabilisationSeconds())));
        if (v.acts()) {
            if (v.target() > desired) {
                lastOut = now;
            } else {
                lastIn = now;
            }
            desired = v.target();
        }
        return v;
    }

    ClusterView view(int current, int pending, int draining) {
        return new ClusterView(name, desired, current, pending, draining, policy.min(), policy.max(), paused, dryRun, lastOut, lastIn,
                maxIdle, idleForMinutes);
    }
}
