package io.rulescaler.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One heartbeat with its vitals, kept (for a bounded time) so operators can see how a node got where it is. */
@Entity
@Table(name = "node_vitals")
public class NodeVitalsEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "node_id", nullable = false)
    public Long nodeId;

    @Column(nullable = false)
    public Instant at;

    public Double cpu;

    public Double memory;

    public Double disk;

    @Column(name = "load_avg")
    public Double loadAvg;

    /** The watched units as the agent reported them (JSON array), or null. */
    @Column(name = "units_json")
    public String unitsJson;
}
