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
 * A guarded request to bring a cluster to a size: the durable hand-over (outbox) from the
 * capacity planner to the orchestrator, written in the same transaction as its decision; who
 * writes and reads it, and how its status moves, is {@link ScaleRequests}.
 */
@Entity
@Table(name = "scale_request")
public class ScaleRequestEntity {

    /** Where a request is. PENDING → ACCEPTED (an operation runs it) | SUPERSEDED | REJECTED. */
    public enum Status { PENDING, ACCEPTED, SUPERSEDED, REJECTED }

    /** What produced the request. */
    public enum Source { RULE, MANUAL, SCHEDULE, HEALTH }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_name", nullable = false)
    public String clusterName;

    @Column(name = "target_size", nullable = false)
    public int targetSize;

    @Column(name = "previous_size", nullable = false)
    public int previousSize;

    @Column(nullable = false)
    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Source source;

    @Column(name = "decision_id")
    public Long decisionId;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "force_request", nullable = false)
    public boolean force;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "operation_id")
    public Long operationId;

    @Column(name = "status_detail")
    public String statusDetail;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** A new PENDING request, the one shape every producer (rules, manual calls, bounds) writes. */
    public static ScaleRequestEntity pending(String cluster, int target, int previous, String reason, Source source,
                                             String requestedBy, java.time.Instant now) {
        ScaleRequestEntity r = new ScaleRequestEntity();
        r.clusterName = cluster;
        r.targetSize = target;
        r.previousSize = previous;
        r.reason = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        r.source = source;
        r.requestedBy = requestedBy;
        r.status = Status.PENDING;
        r.createdAt = now;
        r.updatedAt = now;
        return r;
    }
}
