-- Several instances: each instance announces itself at every session lease renewal (seen_at by
-- the database's clock, NOW(6)). An instance counts as live while seen_at is within the session
-- lease; live instances share the clusters' sessions (a fair share each). A graceful stop deletes
-- the row; rows of instances gone for several leases are deleted by the others' renewals.
CREATE TABLE session_instance (
    instance_id VARCHAR(128) NOT NULL PRIMARY KEY,
    seen_at     DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
