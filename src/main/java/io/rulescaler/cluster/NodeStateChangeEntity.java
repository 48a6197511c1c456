package io.rulescaler.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One step of a node's history, kept so operators can see how it got where it is. */
@Entity
@Table(name = "node_state_change")
public class NodeStateChangeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "node_id", nullable = false)
    public Long nodeId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public NodeState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state", nullable = false)
    public NodeState toState;

    public String reason;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
