package io.rulescaler.capacity.guard;

import io.rulescaler.cluster.ClusterSpec;

/** The guard settings of one cluster, with the defaults applied (times in seconds; null = no limit). */
public record GuardPolicy(int min, int max, int scaleOutCooldownSeconds, int scaleInCooldownSeconds,
                          int stabilisationSeconds, Integer maxStep, Integer maxStepPercent) {

    /** Defaults when a spec leaves them out: 60 s out, 300 s in, 300 s stabilisation, no step limit. */
    public static final int DEFAULT_OUT_COOLDOWN = 60;
    public static final int DEFAULT_IN_COOLDOWN = 300;
    public static final int DEFAULT_STABILISATION = 300;

    public static GuardPolicy of(ClusterSpec spec) {
        ClusterSpec.Guard g = spec.guard();
        return new GuardPolicy(spec.size().min(), spec.size().max(),
                g == null || g.scaleOutCooldownSeconds() == null ? DEFAULT_OUT_COOLDOWN : g.scaleOutCooldownSeconds(),
                g == null || g.scaleInCooldownSeconds() == null ? DEFAULT_IN_COOLDOWN : g.scaleInCooldownSeconds(),
                g == null || g.scaleInStabilisationSeconds() == null ? DEFAULT_STABILISATION : g.scaleInStabilisationSeconds(),
                g == null ? null : g.maxStep(), g == null ? null : g.maxStepPercent());
    }
}
