-- Every DRL file written through the API (PUT /api/v1/rules/{set}/{file}): who (the token's name),
-- which file, the SHA-256 of its content, when. Listed at GET /api/v1/rules/history. Uploads that
-- did not compile wrote nothing and are not listed (the log names who tried).
CREATE TABLE rule_upload (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    uploaded_at DATETIME(6)  NOT NULL,
    uploaded_by VARCHAR(128) NOT NULL,
    rule_set    VARCHAR(64)  NOT NULL,
    file        VARCHAR(200) NOT NULL,
    digest      CHAR(64)     NOT NULL,
    size_bytes  INT          NOT NULL,
    INDEX rule_upload_at (uploaded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
