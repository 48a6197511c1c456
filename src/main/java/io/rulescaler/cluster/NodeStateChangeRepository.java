package io.rulescaler.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** The state history of nodes, one row per move. */
@ApplicationScoped
public class NodeStateChangeRepository implements PanacheRepository<NodeStateChangeEntity> {
}
