-- Rolling redeploy: the cluster's spec version (bumped when what nodes run changes: parameters,
-- deployable), the spec version each node runs, and one row per redeploy with its policy, the
-- parameters before and after, and how it ended (the rollback operation, when there was one).
ALTER TABLE cluster ADD COLUMN spec_version INT NOT NULL DEFAULT 1;
ALTER TABLE node ADD COLUMN spec_version INT NOT NULL DEFAULT 1;

CREATE TABLE redeploy (
    id                       BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name             VARCHAR(63)   NOT NULL,
    operation_id             BIGINT        NOT NULL,
    rollback_operation_id    BIGINT        NULL,
    state                    VARCHAR(32)   NOT NULL,
    strategy                 VARCHAR(16)   NOT NULL,
    batch_size               INT           NOT NULL,
    batches                  INT           NOT NULL,
    max_unavailable          INT           NOT NULL,
    health_gate_seconds      INT           NOT NULL,
    on_failure               VARCHAR(16)   NOT NULL,
    from_spec_version        INT           NOT NULL,
    to_spec_version          INT           NOT NULL,
    previous_parameters_json LONGTEXT      NOT NULL,
    parameters_json          LONGTEXT      NOT NULL,
    reason                   VARCHAR(1024) NOT NULL,
    requested_by             VARCHAR(128)  NULL,
    detail                   VARCHAR(2048) NULL,
    created_at               DATETIME(6)   NOT NULL,
    updated_at               DATETIME(6)   NOT NULL,
    finished_at              DATETIME(6)   NULL,
    version                  BIGINT        NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_redeploy_cluster ON redeploy (cluster_name, id);
CREATE INDEX ix_redeploy_operation ON redeploy (operation_id);
CREATE INDEX ix_redeploy_rollback ON redeploy (rollback_operation_id);
