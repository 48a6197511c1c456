-- Several instances: each cluster's rule session runs on one instance at a time, the holder of
-- the cluster's lease row. Owner and expiry are compared with the database's clock (NOW(6)), so
-- the instances' clocks do not matter. epoch grows each time the lease changes hands; a session
-- built under an older epoch is thrown away and rebuilt from stored signals.
CREATE TABLE session_lease (
    cluster_name VARCHAR(63)  NOT NULL PRIMARY KEY,
    owner_id     VARCHAR(128) NOT NULL,
    epoch        BIGINT       NOT NULL,
    acquired_at  DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_session_lease_owner ON session_lease (owner_id, expires_at);

-- Signals as they reached an instance: pushed or polled samples (one row per batch and cluster),
-- heartbeats, and alerts that reached an instance which does not own the cluster's session.
-- pending = TRUE: the owner has not taken it in yet (it drains these); FALSE: already in the
-- owner's session. Rows within the replay window rebuild a session on a new owner or after a restart.
CREATE TABLE session_signal (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name VARCHAR(63)  NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    payload_json MEDIUMTEXT   NOT NULL,
    occurred_at  DATETIME(6)  NOT NULL,
    received_at  DATETIME(6)  NOT NULL,
    received_by  VARCHAR(128) NOT NULL,
    pending      BOOLEAN      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_session_signal_pending ON session_signal (pending, cluster_name, id);
CREATE INDEX ix_session_signal_window ON session_signal (cluster_name, occurred_at);
CREATE INDEX ix_session_signal_received ON session_signal (received_at);

-- Which rule already decided on which alert (fingerprint + start) together with which other
-- matched facts (match_key: SHA-256 of the samples, heartbeats … of the match; the cluster and
-- node views are left out), so a session rebuilt on another instance or after a restart, where
-- the still-firing alert is inserted again, does not decide on the same match a second time.
CREATE TABLE session_alert_decided (
    cluster_name VARCHAR(63)  NOT NULL,
    rule_name    VARCHAR(255) NOT NULL,
    fingerprint  VARCHAR(128) NOT NULL,
    starts_at    DATETIME(6)  NOT NULL,
    match_key    CHAR(64)     NOT NULL,
    decided_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (cluster_name, rule_name, fingerprint, starts_at, match_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_session_alert_decided_time ON session_alert_decided (decided_at);

-- Retention purges by age across clusters.
CREATE INDEX ix_decision_time ON decision (decided_at, id);
CREATE INDEX ix_alert_event_received ON alert_event (received_at, id);
