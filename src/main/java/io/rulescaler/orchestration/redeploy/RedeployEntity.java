package io.rulescaler.orchestration.redeploy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * One rolling redeploy of a cluster: its policy, the parameters before and after, the operation
 * that rolls it out and the one that rolled it back, and where it stands; kept as history.
 */
@Entity
@Table(name = "redeploy")
public class RedeployEntity {

    /** Where a redeploy stands. */
    public enum State {
        /** The rollout operation runs. */
        RUNNING,
        /** Every batch passed its health gate. */
        SUCCEEDED,
        /** A batch failed (or the redeploy was cancelled) and the rollback operation runs. */
        ROLLING_BACK,
        /** The rollback operation put the touched nodes back on the previous parameters. */
        ROLLED_BACK,
        /** Stopped after a failure or cancel with onFailure=pause: done batches keep the new parameters. */
        PAUSED,
        /** The rollback itself failed or could not start; the detail says what is left to do. */
        ROLLBACK_FAILED;

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }

        public boolean isActive() {
            return this == RUNNING || this == ROLLING_BACK;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_name", nullable = false)
    public String clusterName;

    @Column(name = "operation_id", nullable = false)
    public Long operationId;

    @Column(name = "rollback_operation_id")
    public Long rollbackOperationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    /** in-place or replace. */
    @Column(nullable = false)
    public String strategy;

    @Column(name = "batch_size", nullable = false)
    public int batchSize;

    @Column(nullable = false)
    public int batches;

    @Column(name = "max_unavailable", nullable = false)
    public int maxUnavailable;

    @Column(name = "health_gate_seconds", nullable = false)
    public int healthGateSeconds;

    /** rollback or pause. */
    @Column(name = "on_failure", nullable = false)
    public String onFailure;

    @Column(name = "from_spec_version", nullable = false)
    public int fromSpecVersion;

    @Column(name = "to_spec_version", nullable = false)
    public int toSpecVersion;

    @Column(name = "previous_parameters_json", nullable = false, columnDefinition = "LONGTEXT")
    public String previousParametersJson;

    @Column(name = "parameters_json", nullable = false, columnDefinition = "LONGTEXT")
    public String parametersJson;

    @Column(nullable = false)
    public String reason;

    @Column(name = "requested_by")
    public String requestedBy;

    public String detail;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Version
    public long version;
}
