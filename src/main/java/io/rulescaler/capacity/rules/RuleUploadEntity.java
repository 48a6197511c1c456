package io.rulescaler.capacity.rules;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One DRL file written through the API, kept so that an admin can see who put which code into the service. */
@Entity
@Table(name = "rule_upload")
public class RuleUploadEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    @Column(name = "uploaded_by", nullable = false)
    public String uploadedBy;

    @Column(name = "rule_set", nullable = false)
    public String ruleSet;

    @Column(nullable = false)
    public String file;

    @Column(nullable = false)
    public String digest;

    @Column(name = "size_bytes", nullable = false)
    public int sizeBytes;
}
