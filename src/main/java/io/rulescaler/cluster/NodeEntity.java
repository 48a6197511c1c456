package io.rulescaler.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** One machine of a cluster and where it is in its lifecycle. */
@Entity
@Table(name = "node")
public class NodeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_id", nullable = false)
    public Long clusterId;

    @Column(nullable = false)
    public String name;

    @Column(name = "provider_id")
    public String providerId;

    public String zone;

    @Column(name = "node_index")
    public Integer index;

    public String address;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeState state;

    @Column(name = "protected", nullable = false)
    public boolean protectedNode;

    @Column(name = "launched_at")
    public Instant launchedAt;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
