package io.rulescaler.orchestration.task;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One step of an operation for one node or the whole cluster; also the row workers claim. */
@Entity
@Table(name = "task")
public class TaskEntity {

    /** Whether a node-scoped task works on a node the operation adds, one it removes, or one a chain run is for. */
    public enum Role { ADDED, REMOVED, TARGET }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "operation_id", nullable = false)
    public Long operationId;

    /** Ordering group: tasks of the lowest unfinished seq run; undo tasks have seq ≥ 1000. */
    @Column(nullable = false)
    public int seq;

    @Column(name = "step_index", nullable = false)
    public int stepIndex;

    @Column(name = "step_name", nullable = false)
    public String stepName;

    @Column(name = "action_type", nullable = false)
    public String actionType;

    @Column(name = "is_undo", nullable = false)
    public boolean undo;

    @Column(name = "node_id")
    public Long nodeId;

    @Column(name = "node_name")
    public String nodeName;

    @Enumerated(EnumType.STRING)
    @Column(name = "node_role")
    public Role nodeRole;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskState state;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;

    @Column(name = "next_run_at", nullable = false)
    public Instant nextRunAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "outputs_json")
    public String outputsJson;

    public String message;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @jakarta.persistence.Version
    public long version;
}
