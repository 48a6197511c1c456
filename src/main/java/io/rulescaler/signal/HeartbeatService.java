package io.rulescaler.signal;

import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/** Records a node's last heartbeat time on its row, so NodeView facts and restarts know it. */
@ApplicationScoped
@Transactional
public class HeartbeatService {

    private final NodeRepository nodes;
    private final ClusterRepository clusters;
    private final Clock clock;

    public HeartbeatService(NodeRepository nodes, ClusterRepository clusters, Clock clock) {
        this.nodes = nodes;
        this.clusters = clusters;
        this.clock = clock;
    }

    /** Where a heartbeat belongs and when it counts. */
    public record Beat(String cluster, String node, Instant at) {
    }

    public Beat record(String id, String cluster, Instant at) {
        NodeEntity n;
        ClusterEntity c;
        if (cluster == null) {
            if (!id.matches("[0-9]{1,18}")) {
                throw new InvalidInputException("give the node's numeric id, or its name with \"cluster\" in the body", "cluster");
            }
            n = nodes.findById(Long.parseLong(id));
            if (n == null) {
                throw NotFoundException.of("node", id);
            }
            c = clusters.findById(n.clusterId);
        } else {
            c = clusters.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
            n = nodes.byName(c.id, id).orElseThrow(() -> NotFoundException.of("node", cluster + "/" + id));
        }
        Instant when = at == null ? clock.instant() : at;
        if (n.lastHeartbeatAt == null || when.isAfter(n.lastHeartbeatAt)) {
            n.lastHeartbeatAt = when;
        }
        return new Beat(c.name, n.name, when);
    }
}
