package io.rulescaler.capacity.fact;

/**
 * What a rule concludes: a target size or a delta for a cluster, with a reason. Rules insert it
 * and do nothing else; the engine records which rule inserted it and which facts matched, then
 * removes it from the session and hands it to the guard.
 */
public final class ScaleDecision {

    private final String cluster;
    private final Integer target;
    private final Integer delta;
    private final String reason;

    private ScaleDecision(String cluster, Integer target, Integer delta, String reason) {
        if ((target == null) == (delta == null)) {
            throw new IllegalArgumentException("a decision has either a target or a delta");
        }
        this.cluster = cluster;
        this.target = target;
        this.delta = delta;
        this.reason = reason == null ? "" : reason;
    }

    /** Bring the cluster to {@code size} nodes. */
    public static ScaleDecision target(String cluster, int size, String reason) {
        return new ScaleDecision(cluster, size, null, reason);
    }

    /** Change the cluster by {@code delta} nodes (negative scales in). */
    public static ScaleDecision delta(String cluster, int delta, String reason) {
        return new ScaleDecision(cluster, null, delta, reason);
    }

    public String getCluster() {
        return cluster;
    }

    /** The requested size, or null for a delta decision. */
    public Integer getTarget() {
        return target;
    }

    /** The requested change, or null for a target decision. */
    public Integer getDelta() {
        return delta;
    }

    public String getReason() {
        return reason;
    }

    /** The size this decision asks for, starting from {@code desired}. */
    public int resolve(int desired) {
        return target != null ? target : desired + delta;
    }

    @Override
    public String toString() {
        return "ScaleDecision{cluster=" + cluster + (target != null ? ", target=" + target : ", delta=" + delta)
                + ", reason=" + reason + "}";
    }
}
