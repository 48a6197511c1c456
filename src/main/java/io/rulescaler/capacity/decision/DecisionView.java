package io.rulescaler.capacity.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A stored decision as the API shows it; {@code count} is how many evaluations the row stands for (a refusal
 * repeated for the same reason is one row), from {@code firstDecidedAt} to {@code decidedAt} (the last).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(long id, String cluster, String rule, String ruleSet, String source, String requestedBy,
                           Integer requestedTarget, Integer requestedDelta, int baseline, int recommended, int target,
                           String verdict, String why, String reason, boolean dryRun, boolean force, JsonNode facts,
                           Long scaleRequestId, Instant decidedAt, int count, Instant firstDecidedAt) {

    static DecisionView of(DecisionEntity e) {
        JsonNode facts;
        try {
            facts = FactJson.MAPPER.readTree(e.factsJson);
        } catch (Exception ex) {
            facts = FactJson.MAPPER.getNodeFactory().textNode(e.factsJson);
        }
        return new DecisionView(e.id, e.clusterName, e.ruleName, e.ruleSet, e.source, e.requestedBy, e.requestedTarget,
                e.requestedDelta, e.baselineSize, e.recommendedSize, e.targetSize, e.verdict, e.verdictReason, e.reason,
                e.dryRun, e.force, facts, e.scaleRequestId, e.decidedAt, e.repeats,
                e.firstDecidedAt == null ? e.decidedAt : e.firstDecidedAt);
    }
}
