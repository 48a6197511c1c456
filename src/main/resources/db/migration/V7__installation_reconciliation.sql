-- The identity of this installation (one database = one installation): every machine rulescaler
-- creates carries it as tag rulescaler-installation, so machines of another installation that share
-- a cluster name, node name or node id are never taken for ours. Created once, here.
CREATE TABLE installation (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO installation (id, created_at) VALUES (UUID(), NOW(6));

-- The last reconciliation of each cluster's nodes against its provider (any instance writes it):
-- outcome, what was done (nodes failed, machines adopted) and what is only reported (unknown machines).
CREATE TABLE reconciliation (
    cluster_name     VARCHAR(63)   NOT NULL PRIMARY KEY,
    profile          VARCHAR(128)  NOT NULL,
    outcome          VARCHAR(32)   NOT NULL,
    detail           VARCHAR(1024) NULL,
    unknown_machines INT           NOT NULL DEFAULT 0,
    report_json      LONGTEXT      NOT NULL,
    checked_by       VARCHAR(255)  NULL,
    checked_at       DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
