package io.rulescaler.capacity.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety net between rules and action: a pure function from (policy, cluster state, request)
 * to a verdict, so the service, the simulator and tests judge decisions identically.
 *
 * <pre>
 *  requested ─> paused? (rules only) ─> clamp [min,max] ─> scale-in stabilisation (highest
 *  recommendation in the window wins, as in the Kubernetes HPA) ─> no change? ─> cooldowns
 *  (skipped by force) ─> max step (count, percent) ─> clamp [min,max] ─> dry run?
 * </pre>
 *
 * Cooldowns: a scale-out waits {@code scaleOutCooldown} after the last scale-out; a scale-in waits
 * {@code scaleInCooldown} after the last scale change of either direction.
 */
public final class Guard {

    private Guard() {
    }

    /**
     * Whether scale-in stabilisation weighs this request, i.e. whether {@link #judge} reads
     * {@link GuardInput#recent()}: a rule's request, not forced, below the desired size once clamped.
     */
    public static boolean stabilises(GuardPolicy p, int desired, int requested, boolean fromRule, boolean force) {
        return fromRule && !force && p.stabilisationSeconds() > 0 && clamp(requested, p) < desired;
    }

    /**
     * Judges a request for {@code requested} nodes. {@code fromRule} requests are subject to pause
     * and stabilisation; manual ones are not. {@code force} skips cooldowns and stabilisation, never
     * the bounds.
     */
    public static Verdict judge(GuardPolicy p, GuardInput in, int requested, boolean fromRule, boolean force) {
        List<String> why = new ArrayList<>();
        int desired = in.desired();
        if (fromRule && in.paused()) {
            why.add("cluster is paused: rules keep evaluating but no decision is acted on");
            return new Verdict(Verdict.Kind.REFUSED, requested, clamp(requested, p), desired, in.dryRun(), why);
        }
        int t = clamp(requested, p);
        boolean clamped = false;
        if (t != requested) {
            why.add("clamped " + requested + " to " + t + " (bounds " + p.min() + ".." + p.max() + ")");
            clamped = true;
        }
        int recommended = t;
        if (stabilises(p, desired, requested, fromRule, force)) {
            Instant from = in.now().minusSeconds(p.stabilisationSeconds());
            int highest = t;
            for (GuardInput.Recommendation r : in.recent()) {
                if (!r.at().isBefore(from) && r.size() > highest) {
                    highest = r.size();
                }
            }
            if (highest >= desired) {
                why.add("scale-in stabilisation: the highest recommendation in the last " + p.stabilisationSeconds()
                        + " s is " + highest + ", not below the current " + desired);
                return new Verdict(Verdict.Kind.REFUSED, requested, recommended, desired, in.dryRun(), why);
            }
            if (highest > t) {
                why.add("scale-in stabilisation: acting on the highest recommendation in the last "
                        + p.stabilisationSeconds() + " s, " + highest + ", instead of " + t);
                t = highest;
                clamped = true;
            }
        }
        if (t == desired) {
            why.add("no change: the cluster is already at or heading for " + desired);
            return new Verdict(Verdict.Kind.REFUSED, requested, recommended, desired, in.dryRun(), why);
        }
        boolean out = t > desired;
        if (!force) {
            Instant until = cooldownUntil(p, in, out);
            if (until != null && in.now().isBefore(until)) {
                why.add((out ? "scale-out" : "scale-in") + " cooldown until " + until + " ("
                        + Duration.between(in.now(), until).toSeconds() + " s left)");
                return new Verdict(Verdict.Kind.REFUSED, requested, recommended, desired, in.dryRun(), why);
            }
        } else {
            why.add("forced: cooldowns and stabilisation skipped");
        }
        int limit = stepLimit(p, desired);
        if (Math.abs(t - desired) > limit) {
            int stepped = out ? desired + limit : desired - limit;
            why.add("max step " + limit + ": " + t + " becomes " + stepped);
            t = stepped;
            clamped = true;
        }
        int bounded = clamp(t, p);
        if (bounded != t) {
            why.add("bounds " + p.min() + ".." + p.max() + " win over the step limit: " + t + " becomes " + bounded);
            t = bounded;
        }
        if (t == desired) {
            why.add("no change after the limits");
            return new Verdict(Verdict.Kind.REFUSED, requested, recommended, desired, in.dryRun(), why);
        }
        why.add((out ? "scale out " : "scale in ") + desired + " -> " + t);
        if (in.dryRun()) {
            why.add("dry run: recorded, not acted on");
        }
        return new Verdict(clamped ? Verdict.Kind.CLAMPED : Verdict.Kind.ACCEPTED, requested, recommended, t, in.dryRun(), why);
    }

    static int clamp(int n, GuardPolicy p) {
        return Math.max(p.min(), Math.min(p.max(), n));
    }

    private static Instant cooldownUntil(GuardPolicy p, GuardInput in, boolean out) {
        if (out) {
            return in.lastScaleOut() == null ? null : in.lastScaleOut().plusSeconds(p.scaleOutCooldownSeconds());
        }
        Instant last = latest(in.lastScaleOut(), in.lastScaleIn());
        return last == null ? null : last.plusSeconds(p.scaleInCooldownSeconds());
    }

    private static int stepLimit(GuardPolicy p, int desired) {
        int limit = Integer.MAX_VALUE;
        if (p.maxStep() != null) {
            limit = p.maxStep();
        }
        if (p.maxStepPercent() != null) {
            limit = Math.min(limit, Math.max(1, (int) Math.ceil(desired * p.maxStepPercent() / 100.0)));
        }
        return limit;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
