-- Capacity planner. Every decision a rule or an operator makes, with the guard's verdict and the
-- facts that matched (JSON values), and the scale request it produced (if any).
CREATE TABLE decision (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name      VARCHAR(63)   NOT NULL,
    rule_name         VARCHAR(255)  NOT NULL,
    rule_set          VARCHAR(64)   NULL,
    source            VARCHAR(16)   NOT NULL,
    requested_by      VARCHAR(128)  NULL,
    requested_target  INT           NULL,
    requested_delta   INT           NULL,
    baseline_size     INT           NOT NULL,
    recommended_size  INT           NOT NULL,
    target_size       INT           NOT NULL,
    verdict           VARCHAR(16)   NOT NULL,
    verdict_reason    VARCHAR(2048) NOT NULL,
    reason            VARCHAR(1024) NOT NULL,
    dry_run           BOOLEAN       NOT NULL DEFAULT FALSE,
    force_request     BOOLEAN       NOT NULL DEFAULT FALSE,
    facts_json        LONGTEXT      NOT NULL,
    scale_request_id  BIGINT        NULL,
    decided_at        DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_decision_cluster_time ON decision (cluster_name, decided_at, id);
CREATE INDEX ix_decision_recommend ON decision (cluster_name, source, decided_at);

-- Alerts received from Alertmanager, stored before the webhook answers 2xx. HA peers and retries
-- deliver the same alert again: (fingerprint, starts_at, status) is unique, so it counts once.
CREATE TABLE alert_event (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    fingerprint      VARCHAR(128)  NOT NULL,
    starts_at        DATETIME(6)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    alert_name       VARCHAR(255)  NULL,
    cluster_name     VARCHAR(63)   NULL,
    matched          BOOLEAN       NOT NULL,
    labels_json      TEXT          NOT NULL,
    annotations_json TEXT          NOT NULL,
    ends_at          DATETIME(6)   NULL,
    generator_url    VARCHAR(2048) NULL,
    receiver         VARCHAR(255)  NULL,
    group_key        VARCHAR(1024) NULL,
    received_at      DATETIME(6)   NOT NULL,
    CONSTRAINT uq_alert_event UNIQUE (fingerprint, starts_at, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_alert_event_cluster ON alert_event (cluster_name, status, received_at);
