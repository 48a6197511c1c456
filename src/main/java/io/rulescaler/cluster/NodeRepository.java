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

    /**
     * Every node of a cluster (terminated ones too), in id order, as detached copies holding only name, index, state,
     * zone and profile: what placing new nodes reads, without loading (and then dirty-checking at each flush) whole
     * entities, whose number only grows with the cluster's history.
     */
    public List<NodeEntity> sitesOfCluster(long clusterId) {
        List<NodeEntity> out = new java.util.ArrayList<>();
        for (Object[] r : getEntityManager().createQuery("select n.name, n.index, n.state, n.zone, n.profile from NodeEntity n"
                + " where n.clusterId = ?1 order by n.id", Object[].class).setParameter(1, clusterId).getResultList()) {
            NodeEntity n = new NodeEntity();
            n.clusterId = clusterId;
            n.name = (String) r[0];
            n.index = (Integer) r[1];
            n.state = (NodeState) r[2];
            n.zone = (String) r[3];
            n.profile = (String) r[4];
            out.add(n);
        }
        return out;
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
