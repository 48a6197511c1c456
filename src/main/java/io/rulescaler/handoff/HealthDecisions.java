package io.rulescaler.handoff;

/**
 * Records a replacement of an unhealthy node as a decision (source HEALTH) in the capacity stage's
 * decision table, so it shows among the scale decisions; capacity implements it, orchestration's
 * health prober calls it in the transaction that starts (or holds back) the replacement.
 */
public interface HealthDecisions {

    /**
     * Writes the decision in the caller's transaction and returns its id.
     *
     * @param size     live nodes of the cluster (the replacement keeps the size)
     * @param accepted whether the replacement starts, or is held back by a cap ({@code verdictReason} says which)
     */
    long record(String cluster, String node, int size, String reason, boolean accepted, String verdictReason);
}
