-- SSH host keys recorded on first contact with a node and checked on every later contact, shared by all
-- instances (remote configuration). One key per host name ("host" or "[host]:port"); a rebuilt host is
-- trusted again after an operator deletes its row.
CREATE TABLE ssh_host_key (
    host_name    VARCHAR(255)  NOT NULL PRIMARY KEY,
    key_type     VARCHAR(64)   NOT NULL,
    public_key   VARCHAR(4096) NOT NULL,
    fingerprint  VARCHAR(128)  NOT NULL,
    recorded_at  DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
