package io.rulescaler.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Vitals samples the node agents report, newest last. */
@ApplicationScoped
public class NodeVitalsRepository implements PanacheRepository<NodeVitalsEntity> {

    /** The node's newest {@code max} samples, newest first. */
    public List<NodeVitalsEntity> recent(long nodeId, int max) {
        return find("nodeId = ?1 order by at desc, id desc", nodeId).range(0, max - 1).list();
    }
}
