package io.rulescaler.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A cluster row: its spec as JSON plus the columns that queries and optimistic locking need. */
@Entity
@Table(name = "cluster")
public class ClusterEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 63)
    public String name;

    @Column(name = "spec_json", nullable = false, columnDefinition = "LONGTEXT")
    public String specJson;

    @Column(nullable = false)
    public boolean paused;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    /** Bumped when what nodes run changes (parameters, deployable); each node records the one it runs. */
    @Column(name = "spec_version", nullable = false)
    public int specVersion = 1;

    @Version
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
