package io.rulescaler.orchestration.task;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Captured output of one attempt of a task (or a chunk of it, flushed with the lease). */
@Entity
@Table(name = "task_log")
public class TaskLogEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "task_id", nullable = false)
    public Long taskId;

    @Column(nullable = false)
    public int attempt;

    public String owner;

    @Column(nullable = false, columnDefinition = "MEDIUMTEXT")
    public String text;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
