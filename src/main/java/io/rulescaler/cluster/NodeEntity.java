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

    /** The provider profile the node's machine lives on; null on nodes from before layouts across providers (the cluster's provider). */
    public String profile;

    /** Digest of the node recipe (deployable variant, template, chains, parameters) the node was deployed from. */
    @Column(name = "recipe_digest")
    public String recipeDigest;

    @Column(name = "node_index")
    public Integer index;

    public String address;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeState state;

    @Column(name = "protected", nullable = false)
    public boolean protectedNode;

    @Column(name = "protection_reason")
    public String protectionReason;

    /** Latest vitals from the node's agent (percent; load average); null until it reports. */
    public Double cpu;

    public Double memory;

    public Double disk;

    @Column(name = "load_avg")
    public Double loadAvg;

    /** Restarts of the watched units the agent last reported, summed. */
    @Column(name = "unit_restarts")
    public Integer unitRestarts;

    @Column(name = "vitals_at")
    public Instant vitalsAt;

    /** Since when the node's CPU stays below the cluster's idle threshold; null while busy or unknown. */
    @Column(name = "idle_since")
    public Instant idleSince;

    /** Consecutive failed / passed HTTP health probes. */
    @Column(name = "probe_failures", nullable = false)
    public int probeFailures;

    @Column(name = "probe_successes", nullable = false)
    public int probeSuccesses;

    /** When the node first looked unhealthy (probe or heartbeat), for the grace period; null while healthy. */
    @Column(name = "unhealthy_since")
    public Instant unhealthySince;

    @Column(name = "health_reason")
    public String healthReason;

    /** The cluster spec version the node was configured with (see ClusterEntity#specVersion). */
    @Column(name = "spec_version", nullable = false)
    public int specVersion = 1;

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
