package io.rulescaler.orchestration.operation;

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

/** One change to a cluster with the chain it runs, kept forever as history. */
@Entity
@Table(name = "operation")
public class OperationEntity {

    /** What an operation does to its cluster. */
    public enum Kind {
        SCALE_OUT, SCALE_IN, REPLACE, TEARDOWN,
        /** Any chain a rule or an operator starts by name; it changes no size and no node state unless its steps do. */
        RUN_CHAIN,
        /**
         * A rolling redeploy: the cluster's nodes batch by batch, drained, reconfigured (or replaced),
         * health-gated and registered again; its chain is built per batch from the cluster's chains.
         */
        REDEPLOY;

        /** Step names of a redeploy start with this and the batch number: {@code batch-2/drain}. */
        public static final String BATCH_PREFIX = "batch-";

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }

        /** Whether the kind changes the cluster's membership (and runs the chain the cluster names for it). */
        public boolean scales() {
            return this != RUN_CHAIN && this != REDEPLOY;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_name", nullable = false)
    public String clusterName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(name = "chain_name", nullable = false)
    public String chainName;

    /** The chain as it was when the operation started; a reload never changes a running operation. */
    @Column(name = "chain_json", nullable = false, columnDefinition = "LONGTEXT")
    public String chainJson;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OperationState state;

    @Column(name = "active_cluster")
    public String activeCluster;

    @Column(name = "target_size")
    public Integer targetSize;

    @Column(name = "previous_size")
    public Integer previousSize;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String source;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "scale_request_id")
    public Long scaleRequestId;

    @Column(name = "decision_id")
    public Long decisionId;

    /** The parameters a chain run was started with (over the cluster's), or all a redeploy rolls out; null for other kinds. */
    @Column(name = "parameters_json", columnDefinition = "LONGTEXT")
    public String parametersJson;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Version
    public long version;

    /**
     * Not stored: the planner wrote the first step's tasks READY with the operation, in this transaction, so
     * {@link OperationProgress#kickOff} has nothing left to do (the hand-off path saves its two statements).
     */
    @jakarta.persistence.Transient
    public transient boolean firstStepReady;
}
