package io.rulescaler.capacity.decision;

import io.rulescaler.handoff.HealthDecisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;

/** Stores health replacements as decisions (source HEALTH) so they read like the scale decisions. */
@ApplicationScoped
public class HealthDecisionLog implements HealthDecisions {

    static final String RULE = "health: replace unhealthy node";
    private final EntityManager em;
    private final Clock clock;

    public HealthDecisionLog(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(String cluster, String node, int size, String reason, boolean accepted, String verdictReason) {
        DecisionEntity d = new DecisionEntity();
        d.clusterName = cluster;
        d.ruleName = RULE;
        d.source = "HEALTH";
        d.requestedBy = "health";
        d.baselineSize = size;
        d.recommendedSize = size;
        d.targetSize = size;
        d.verdict = accepted ? "accepted" : "refused";
        d.verdictReason = cut(verdictReason, 2048);
        d.reason = cut("replace " + node + ": " + reason, 1000);
        d.factsJson = "{\"node\":\"" + node.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        d.decidedAt = clock.instant();
        em.persist(d);
        em.flush();
        return d.id;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
