package io.rulescaler.signal;

import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterSpecParser;
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
        return record(id, cluster, at, null);
    }

    /** Records the beat and, when it carries vitals, the node's latest vitals, its idle time and a history row. */
    public Beat record(String id, String cluster, Instant at, HeartbeatResource.Vitals vitals) {
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
        boolean newest = n.lastHeartbeatAt == null || !when.isBefore(n.lastHeartbeatAt);
        if (newest) {
            n.lastHeartbeatAt = when;
        }
        if (vitals != null) {
            NodeVitals.store(nodes.getEntityManager(), n, ClusterSpecParser.fromJson(c.specJson), when, vitals, newest);
        }
        return new Beat(c.name, n.name, when);
    }
}
