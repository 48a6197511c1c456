-- Day-2 operations: protection with a reason, the node's latest vitals and health on its row,
-- a bounded history of heartbeats with vitals, and node tokens bound to one node.
ALTER TABLE node
    ADD COLUMN protection_reason VARCHAR(1024) NULL,
    ADD COLUMN cpu DOUBLE NULL,
    ADD COLUMN memory DOUBLE NULL,
    ADD COLUMN disk DOUBLE NULL,
    ADD COLUMN load_avg DOUBLE NULL,
    ADD COLUMN unit_restarts INT NULL,
    ADD COLUMN vitals_at DATETIME(6) NULL,
    ADD COLUMN idle_since DATETIME(6) NULL,
    ADD COLUMN probe_failures INT NOT NULL DEFAULT 0,
    ADD COLUMN probe_successes INT NOT NULL DEFAULT 0,
    ADD COLUMN unhealthy_since DATETIME(6) NULL,
    ADD COLUMN health_reason VARCHAR(1024) NULL;

CREATE TABLE node_vitals (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    node_id     BIGINT       NOT NULL,
    at          DATETIME(6)  NOT NULL,
    cpu         DOUBLE       NULL,
    memory      DOUBLE       NULL,
    disk        DOUBLE       NULL,
    load_avg    DOUBLE       NULL,
    units_json  TEXT         NULL,
    CONSTRAINT fk_vitals_node FOREIGN KEY (node_id) REFERENCES node (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_vitals_node_at ON node_vitals (node_id, at);
CREATE INDEX ix_vitals_at ON node_vitals (at);

ALTER TABLE api_token ADD COLUMN node_id BIGINT NULL;
CREATE INDEX ix_token_node ON api_token (node_id);
