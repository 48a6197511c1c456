package io.rulescaler.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Node rows of clusters and their state history. */
@ApplicationScoped
public class NodeRepository implements PanacheRepository<NodeEntity> {

    private final NodeStateChangeRepository changes;

    NodeRepository(NodeStateChangeRepository changes) {
        this.changes = changes;
    }

    public List<NodeEntity> ofCluster(long clusterId) {
        return list("clusterId = ?1 order by id", clusterId);
    }

    public List<NodeEntity> ofClusterInStates(long clusterId, Collection<NodeState> states) {
        return list("clusterId = ?1 and state in ?2 order by id", clusterId, states);
    }

    public Optional<NodeEntity> byName(long clusterId, String name) {
        return find("clusterId = ?1 and name = ?2", clusterId, name).firstResultOptional();
    }

    public List<NodeStateChangeEntity> history(long nodeId) {
        return changes.list("nodeId = ?1 order by changedAt, id", nodeId);
    }
}
