-- The outbox between the capacity planner (writer) and the orchestrator (reader): every accepted
-- scaling decision or manual scale call becomes one row; the orchestrator turns the newest pending
-- row of a cluster into an operation and marks older pending rows superseded.
CREATE TABLE scale_request (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name  VARCHAR(63)   NOT NULL,
    target_size   INT           NOT NULL,
    previous_size INT           NOT NULL,
    reason        VARCHAR(1024) NOT NULL,
    source        VARCHAR(32)   NOT NULL,
    decision_id   BIGINT        NULL,
    requested_by  VARCHAR(128)  NULL,
    force_request BOOLEAN       NOT NULL DEFAULT FALSE,
    status        VARCHAR(16)   NOT NULL,
    operation_id  BIGINT        NULL,
    status_detail VARCHAR(1024) NULL,
    created_at    DATETIME(6)   NOT NULL,
    updated_at    DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_scale_request_pending ON scale_request (status, cluster_name, id);
