-- The hand-off for chain runs: a rule's RunChain or an operator's POST .../chains/{chain}/runs,
-- judged by the chain guard and stored with its verdict (refusals too, so "why" has them); the
-- orchestrator takes a PENDING row into an operation of kind RUN_CHAIN and records how it ended.
CREATE TABLE chain_run (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    cluster_name   VARCHAR(63)   NOT NULL,
    chain_name     VARCHAR(64)   NOT NULL,
    -- the node the run is for, '' for the whole cluster (so it can take part in the unique key)
    node_name      VARCHAR(128)  NOT NULL DEFAULT '',
    parameters_json LONGTEXT     NULL,
    reason         VARCHAR(1024) NOT NULL,
    source         VARCHAR(16)   NOT NULL,
    rule_name      VARCHAR(255)  NULL,
    rule_set       VARCHAR(64)   NULL,
    requested_by   VARCHAR(128)  NULL,
    requests       INT           NOT NULL DEFAULT 1,
    facts_json     LONGTEXT      NULL,
    verdict        VARCHAR(16)   NOT NULL,
    verdict_reason VARCHAR(2048) NOT NULL,
    dry_run        BOOLEAN       NOT NULL DEFAULT FALSE,
    status         VARCHAR(16)   NOT NULL,
    -- "cluster/chain/node" while the run is pending or its operation runs, NULL otherwise: the
    -- unique index makes "at most one run per chain and node" a database fact, across instances.
    active_key     VARCHAR(260)  NULL,
    operation_id   BIGINT        NULL,
    status_detail  VARCHAR(1024) NULL,
    created_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL,
    CONSTRAINT uq_chain_run_active UNIQUE (active_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_chain_run_cluster ON chain_run (cluster_name, chain_name, node_name, id);
CREATE INDEX ix_chain_run_pending ON chain_run (status, cluster_name, id);
CREATE INDEX ix_chain_run_operation ON chain_run (operation_id);

-- the parameters a chain run was started with (cluster parameters are read when a task runs)
ALTER TABLE operation ADD COLUMN parameters_json LONGTEXT NULL;
