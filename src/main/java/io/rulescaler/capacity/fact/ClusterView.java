package io.rulescaler.capacity.fact;

import java.time.Instant;

/**
 * The cluster as rules see it, one per session: the anchor fact that rules join samples and
 * alerts to. Replaced (never mutated) whenever the spec, the nodes or the last scale change.
 * {@code desired} is what the cluster is heading for (the last accepted request, else the node
 * count, else the spec); {@code capacity()} counts active, pending and draining nodes.
 * {@code healthChecked}: the spec declares {@code health:}, so the health checks replace failing or silent
 * nodes themselves and rules need not add capacity for them.
 */
public final class ClusterView {

    private final String name;
    private final int desired;
    private final int current;
    private final int pending;
    private final int draining;
    private final int min;
    private final int max;
    private final boolean paused;
    private final boolean dryRun;
    private final Instant lastScaleOut;
    private final Instant lastScaleIn;
    private final int maxIdle;
    private final int idleForMinutes;
    private final boolean healthChecked;

    public ClusterView(String name, int desired, int current, int pending, int draining, int min, int max,
                       boolean paused, boolean dryRun, Instant lastScaleOut, Instant lastScaleIn) {
        this(name, desired, current, pending, draining, min, max, paused, dryRun, lastScaleOut, lastScaleIn, -1, 0);
    }

    /** With the spec's idle limit: {@code maxIdle} idle nodes at most (-1: no limit), idle after {@code idleForMinutes}. */
    public ClusterView(String name, int desired, int current, int pending, int draining, int min, int max,
                       boolean paused, boolean dryRun, Instant lastScaleOut, Instant lastScaleIn, int maxIdle, int idleForMinutes) {
        this(name, desired, current, pending, draining, min, max, paused, dryRun, lastScaleOut, lastScaleIn, maxIdle, idleForMinutes,
                false);
    }

    /** With the idle limit, and whether the spec's health checks replace failing nodes ({@code health:} declared). */
    public ClusterView(String name, int desired, int current, int pending, int draining, int min, int max, boolean paused,
                       boolean dryRun, Instant lastScaleOut, Instant lastScaleIn, int maxIdle, int idleForMinutes, boolean healthChecked) {
        this.healthChecked = healthChecked;
        this.maxIdle = maxIdle;
        this.idleForMinutes = idleForMinutes;
        this.name = name;
        this.desired = desired;
        this.current = current;
        this.pending = pending;
        this.draining = draining;
        this.min = min;
        this.max = max;
        this.paused = paused;
        this.dryRun = dryRun;
        this.lastScaleOut = lastScaleOut;
        this.lastScaleIn = lastScaleIn;
    }

    /** A cluster with only bounds and a desired size (tests, scenarios, simulations). */
    public static ClusterView of(String name, int desired, int min, int max) {
        return new ClusterView(name, desired, desired, 0, 0, min, max, false, false, null, null);
    }

    public String getName() {
        return name;
    }

    public int getDesired() {
        return desired;
    }

    /** Active nodes. */
    public int getCurrent() {
        return current;
    }

    /** Nodes requested, provisioning or configuring. */
    public int getPending() {
        return pending;
    }

    /** Nodes being drained before they leave. */
    public int getDraining() {
        return draining;
    }

    /** Active + pending + draining: the capacity that exists or is on its way. */
    public int getCapacity() {
        return current + pending + draining;
    }

    public int getMin() {
        return min;
    }

    public int getMax() {
        return max;
    }

    public boolean isPaused() {
        return paused;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public Instant getLastScaleOut() {
        return lastScaleOut;
    }

    public Instant getLastScaleIn() {
        return lastScaleIn;
    }

    /** Most idle nodes the cluster keeps ({@code size.maxIdle}); -1 when it sets no limit. */
    public int getMaxIdle() {
        return maxIdle;
    }

    /** Minutes below {@code size.idle.cpuBelow} after which a node counts as idle. */
    public int getIdleForMinutes() {
        return idleForMinutes;
    }

    /** Whether the spec declares health checks, which replace failing and silent nodes without a rule. */
    public boolean isHealthChecked() {
        return healthChecked;
    }

    /** The same view with another desired size. */
    public ClusterView withDesired(int newDesired) {
        return new ClusterView(name, newDesired, current, pending, draining, min, max, paused, dryRun, lastScaleOut, lastScaleIn,
                maxIdle, idleForMinutes, healthChecked);
    }

    @Override
    public String toString() {
        return "ClusterView{name=" + name + ", desired=" + desired + ", current=" + current + ", pending=" + pending
                + ", draining=" + draining + ", min=" + min + ", max=" + max + (paused ? ", paused" : "")
                + (dryRun ? ", dryRun" : "") + (maxIdle >= 0 ? ", maxIdle=" + maxIdle + " after " + idleForMinutes + "m" : "")
                + (healthChecked ? ", healthChecked" : "") + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterView v && v.toString().equals(toString())
                && java.util.Objects.equals(lastScaleOut, v.lastScaleOut) && java.util.Objects.equals(lastScaleIn, v.lastScaleIn);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
