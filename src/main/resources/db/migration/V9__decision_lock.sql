-- One row per cluster that decisions, manual requests and the bounds keeper lock (FOR UPDATE) to
-- judge one after another, on any instance. Not the cluster row itself: every node insert holds
-- a shared lock on its cluster row (foreign key) until it commits, so locking the cluster row
-- made evaluations wait for the orchestrator's node writes.
CREATE TABLE decision_lock (
    cluster_name VARCHAR(63) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO decision_lock (cluster_name) SELECT name FROM cluster;
