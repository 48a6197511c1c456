package io.rulescaler.handoff;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One request to run a chain (table {@code chain_run}), stored with the chain guard's verdict like a
 * scale decision: who asked (rule and matched facts, or an operator), why, the verdict and, once the
 * orchestrator took it, the operation it became and how that ended. Its contract is {@link ChainRuns}.
 */
@Entity
@Table(name = "chain_run")
public class ChainRunEntity {

    /**
     * Where a run is. Refused and dry-run rows are stored and never taken; PENDING → RUNNING (an
     * operation runs it) → SUCCEEDED | FAILED | CANCELLED, or PENDING → REJECTED by the orchestrator.
     */
    public enum Status {
        PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, REFUSED, DRY_RUN, REJECTED;

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Who asked: a rule's RunChain or an operator's call. */
    public enum Source { RULE, MANUAL }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_name", nullable = false)
    public String clusterName;

    @Column(name = "chain_name", nullable = false)
    public String chainName;

    /** The node the run is for; empty for the whole cluster. */
    @Column(name = "node_name", nullable = false)
    public String nodeName = "";

    @Column(name = "parameters_json", columnDefinition = "LONGTEXT")
    public String parametersJson;

    @Column(nullable = false)
    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Source source;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "rule_set")
    public String ruleSet;

    @Column(name = "requested_by")
    public String requestedBy;

    /** How many times rules asked for this run in the evaluation that produced it. */
    @Column(nullable = false)
    public int requests = 1;

    @Column(name = "facts_json", columnDefinition = "LONGTEXT")
    public String factsJson;

    /** accepted or refused. */
    @Column(nullable = false)
    public String verdict;

    @Column(name = "verdict_reason", nullable = false)
    public String verdictReason;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** "cluster/chain/node" while pending or running, else null (unique: one run per chain and node). */
    @Column(name = "active_key")
    public String activeKey;

    @Column(name = "operation_id")
    public Long operationId;

    @Column(name = "status_detail")
    public String statusDetail;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The node, or null for the whole cluster. */
    public String node() {
        return nodeName == null || nodeName.isEmpty() ? null : nodeName;
    }

    /** The key that is unique among pending and running runs. */
    public static String activeKey(String cluster, String chain, String node) {
        return cluster + "/" + chain + "/" + (node == null ? "" : node);
    }
}
