-- Clusters: the spec is kept whole as JSON (validated by the application); the columns beside it
-- are what queries and locking need.
CREATE TABLE cluster (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(63)  NOT NULL,
    spec_json   LONGTEXT     NOT NULL,
    paused      BOOLEAN      NOT NULL DEFAULT FALSE,
    dry_run     BOOLEAN      NOT NULL DEFAULT FALSE,
    version     BIGINT       NOT NULL DEFAULT 0,
    created_at  DATETIME(6)  NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    CONSTRAINT uq_cluster_name UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE node (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_id   BIGINT       NOT NULL,
    name         VARCHAR(255) NOT NULL,
    provider_id  VARCHAR(255) NULL,
    zone         VARCHAR(128) NULL,
    node_index   INT          NULL,
    address      VARCHAR(255) NULL,
    state        VARCHAR(32)  NOT NULL,
    protected    BOOLEAN      NOT NULL DEFAULT FALSE,
    launched_at  DATETIME(6)  NULL,
    last_heartbeat_at DATETIME(6) NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    version      BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT fk_node_cluster FOREIGN KEY (cluster_id) REFERENCES cluster (id) ON DELETE CASCADE,
    CONSTRAINT uq_node_name UNIQUE (cluster_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_node_cluster_state ON node (cluster_id, state);

CREATE TABLE node_state_change (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    node_id     BIGINT       NOT NULL,
    from_state  VARCHAR(32)  NULL,
    to_state    VARCHAR(32)  NOT NULL,
    reason      VARCHAR(1024) NULL,
    changed_at  DATETIME(6)  NOT NULL,
    CONSTRAINT fk_nsc_node FOREIGN KEY (node_id) REFERENCES node (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_nsc_node ON node_state_change (node_id, changed_at);

CREATE TABLE api_token (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    role        VARCHAR(32)  NOT NULL,
    token_hash  CHAR(64)     NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    last_used_at DATETIME(6) NULL,
    CONSTRAINT uq_token_hash UNIQUE (token_hash),
    CONSTRAINT uq_token_name UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
