package io.rulescaler.capacity.decision;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One stored decision (table {@code decision}): what was asked, by which rule, and the guard's verdict. A refusal
 * the same rule keeps getting for the same kind of reason is one row standing for {@link #repeats} evaluations,
 * from {@link #firstDecidedAt} to {@link #decidedAt} (see {@link RefusalRows}).
 */
@Entity
@Table(name = "decision")
@jakarta.persistence.NamedQuery(name = EvaluationQueries.NODE_VIEWS, query = EvaluationQueries.NODE_VIEWS_HQL)
@jakarta.persistence.NamedQuery(name = EvaluationQueries.CLUSTER_STATE, query = EvaluationQueries.CLUSTER_STATE_HQL)
@jakarta.persistence.NamedQuery(name = EvaluationQueries.RECENT_RECOMMENDATIONS, query = EvaluationQueries.RECENT_RECOMMENDATIONS_HQL)
public class DecisionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_name", nullable = false)
    public String clusterName;

    @Column(name = "rule_name", nullable = false)
    public String ruleName;

    @Column(name = "rule_set")
    public String ruleSet;

    /** RULE or MANUAL. */
    @Column(nullable = false)
    public String source;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_target")
    public Integer requestedTarget;

    @Column(name = "requested_delta")
    public Integer requestedDelta;

    @Column(name = "baseline_size", nullable = false)
    public int baselineSize;

    @Column(name = "recommended_size", nullable = false)
    public int recommendedSize;

    @Column(name = "target_size", nullable = false)
    public int targetSize;

    /** accepted, clamped or refused. */
    @Column(nullable = false)
    public String verdict;

    @Column(name = "verdict_reason", nullable = false)
    public String verdictReason;

    @Column(nullable = false)
    public String reason;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    @Column(name = "force_request", nullable = false)
    public boolean force;

    @Column(name = "facts_json", nullable = false, columnDefinition = "LONGTEXT")
    public String factsJson;

    @Column(name = "scale_request_id")
    public Long scaleRequestId;

    /** The last time this row was decided (the only time, unless it stands for repeated refusals). */
    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /** The first time; equal to {@link #decidedAt} unless the row stands for repeated refusals. */
    @Column(name = "first_decided_at")
    public Instant firstDecidedAt;

    /** How many evaluations this row stands for: 1, or more for a refusal repeated. */
    @Column(nullable = false)
    public int repeats = 1;
}
