-- Operations (one change to a cluster) and their tasks (one step for one node or the whole
-- cluster). The task table is the work queue: workers claim READY rows with
-- SELECT ... FOR UPDATE SKIP LOCKED and hold a lease (owner, expiry) that they renew.
CREATE TABLE operation (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name     VARCHAR(63)   NOT NULL,
    kind             VARCHAR(32)   NOT NULL,
    chain_name       VARCHAR(64)   NOT NULL,
    chain_json       LONGTEXT      NOT NULL,
    state            VARCHAR(32)   NOT NULL,
    -- equals cluster_name while the operation is in flight, NULL once it ended: the unique index
    -- makes "one operation in flight per cluster" a database fact, across instances.
    active_cluster   VARCHAR(63)   NULL,
    target_size      INT           NULL,
    previous_size    INT           NULL,
    reason           VARCHAR(1024) NOT NULL,
    source           VARCHAR(32)   NOT NULL,
    requested_by     VARCHAR(128)  NULL,
    scale_request_id BIGINT        NULL,
    decision_id      BIGINT        NULL,
    cancel_requested BOOLEAN       NOT NULL DEFAULT FALSE,
    error            VARCHAR(2048) NULL,
    created_at       DATETIME(6)   NOT NULL,
    updated_at       DATETIME(6)   NOT NULL,
    finished_at      DATETIME(6)   NULL,
    version          BIGINT        NOT NULL DEFAULT 0,
    CONSTRAINT uq_operation_active UNIQUE (active_cluster)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_operation_cluster ON operation (cluster_name, id);
CREATE INDEX ix_operation_state ON operation (state, id);

CREATE TABLE task (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    operation_id     BIGINT        NOT NULL,
    -- ordering group: forward steps 0..n-1, undo steps 1000+ in reverse order
    seq              INT           NOT NULL,
    step_index       INT           NOT NULL,
    step_name        VARCHAR(64)   NOT NULL,
    action_type      VARCHAR(64)   NOT NULL,
    is_undo          BOOLEAN       NOT NULL DEFAULT FALSE,
    node_id          BIGINT        NULL,
    node_name        VARCHAR(255)  NULL,
    node_role        VARCHAR(16)   NULL,
    state            VARCHAR(16)   NOT NULL,
    attempt          INT           NOT NULL DEFAULT 0,
    max_attempts     INT           NOT NULL,
    next_run_at      DATETIME(6)   NOT NULL,
    lease_owner      VARCHAR(128)  NULL,
    lease_expires_at DATETIME(6)   NULL,
    outputs_json     TEXT          NULL,
    message          VARCHAR(2048) NULL,
    created_at       DATETIME(6)   NOT NULL,
    started_at       DATETIME(6)   NULL,
    finished_at      DATETIME(6)   NULL,
    version          BIGINT        NOT NULL DEFAULT 0,
    CONSTRAINT fk_task_operation FOREIGN KEY (operation_id) REFERENCES operation (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_task_ready ON task (state, next_run_at, id);
CREATE INDEX ix_task_operation ON task (operation_id, seq, state);
CREATE INDEX ix_task_lease ON task (state, lease_expires_at);

-- Captured output of each attempt of a task (bounded by rulescaler.orchestration.log-limit). No foreign
-- key on purpose: its check takes a shared lock on the task row that the queue's updates then wait on.
CREATE TABLE task_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    task_id     BIGINT       NOT NULL,
    attempt     INT          NOT NULL,
    owner       VARCHAR(128) NULL,
    text        MEDIUMTEXT   NOT NULL,
    created_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_task_log_task ON task_log (task_id, id);
