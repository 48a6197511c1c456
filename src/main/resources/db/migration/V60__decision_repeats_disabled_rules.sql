-- One row per refusal, not per evaluation: while the same rule keeps asking and the guard refuses
-- it for the same kind of reason, the newest row of that rule is updated instead of a new one
-- added. decided_at is the last time (so the stabilisation window and "newest first" see the
-- latest ask), first_decided_at the first, repeats how many evaluations the row stands for.
ALTER TABLE decision ADD COLUMN repeats INT NOT NULL DEFAULT 1;
ALTER TABLE decision ADD COLUMN first_decided_at DATETIME(6) NULL;
UPDATE decision SET first_decided_at = decided_at WHERE first_decided_at IS NULL;

-- A rule a cluster's session stopped because it reached the firing or fact cap. It stays off for
-- that cluster (on every instance, across restarts) until its file changes or an admin enables
-- it again (POST /api/v1/rules/{set}/enable). file_digest: the rule's file when it was stopped.
CREATE TABLE disabled_rule (
    cluster_name VARCHAR(63)   NOT NULL,
    rule_set     VARCHAR(64)   NOT NULL,
    rule_name    VARCHAR(255)  NOT NULL,
    rule_file    VARCHAR(255)  NULL,
    file_digest  VARCHAR(64)   NULL,
    cause        VARCHAR(1024) NOT NULL,
    disabled_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (cluster_name, rule_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_disabled_rule_set ON disabled_rule (rule_set);
