package io.rulescaler.cluster;

import io.rulescaler.web.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** Owns node records: reading them and moving them through their lifecycle with a history. */
@ApplicationScoped
@Transactional
public class NodeService {

    private static final Logger LOG = Logger.getLogger(NodeService.class);
    private final ClusterRepository clusters;
    private final NodeRepository nodes;
    private final Clock clock;

    public NodeService(ClusterRepository clusters, NodeRepository nodes, Clock clock) {
        this.clusters = clusters;
        this.nodes = nodes;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NodeView> list(String cluster) {
        ClusterEntity c = clusterOrThrow(cluster);
        return nodes.ofCluster(c.id).stream().map(n -> view(c.name, n, false)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public NodeView get(String cluster, String node) {
        ClusterEntity c = clusterOrThrow(cluster);
        NodeEntity n = nodes.byName(c.id, node).orElseThrow(() -> ProblemException.notFound("node", cluster + "/" + node));
        return view(c.name, n, true);
    }

    /** Records a new node of a cluster in state REQUESTED. */
    public NodeEntity request(long clusterId, String name, String zone, Integer index, String reason) {
        Instant now = clock.instant();
        NodeEntity n = new NodeEntity();
        n.clusterId = clusterId;
        n.name = name;
        n.zone = zone;
        n.index = index;
        n.state = NodeState.REQUESTED;
        n.createdAt = now;
        n.updatedAt = now;
        nodes.persist(n);
        record(n.id, null, NodeState.REQUESTED, reason, now);
        return n;
    }

    /** Moves a node to {@code to}, refusing transitions the lifecycle does not allow. */
    public NodeEntity transition(long nodeId, NodeState to, String reason) {
        NodeEntity n = nodes.findById(nodeId);
        if (n == null) {
            throw ProblemException.notFound("node", String.valueOf(nodeId));
        }
        if (n.state == to) {
            return n;
        }
        if (!n.state.canMoveTo(to)) {
            throw ProblemException.conflict("node " + n.name + " cannot move from " + n.state.label() + " to " + to.label());
        }
        Instant now = clock.instant();
        record(n.id, n.state, to, reason, now);
        LOG.infof("node state cluster_id=%d node=%s from=%s to=%s reason=%s", n.clusterId, n.name, n.state, to, reason);
        n.state = to;
        n.updatedAt = now;
        return n;
    }

    /**
     * Records a machine that was found for a node with none recorded (reconciliation adopts it by its
     * tags); the state stays, the history gets a line saying so.
     */
    public NodeEntity recordMachine(long nodeId, String providerId, String address, String reason) {
        NodeEntity n = nodes.findById(nodeId);
        if (n == null) {
            throw ProblemException.notFound("node", String.valueOf(nodeId));
        }
        Instant now = clock.instant();
        n.providerId = providerId;
        n.address = address == null ? n.address : address;
        if (n.launchedAt == null) {
            n.launchedAt = now;
        }
        n.updatedAt = now;
        record(n.id, n.state, n.state, reason, now);
        LOG.infof("node machine recorded cluster_id=%d node=%s provider_id=%s reason=%s", n.clusterId, n.name, providerId, reason);
        return n;
    }

    private void record(long nodeId, NodeState from, NodeState to, String reason, Instant at) {
        NodeStateChangeEntity h = new NodeStateChangeEntity();
        h.nodeId = nodeId;
        h.fromState = from;
        h.toState = to;
        h.reason = reason == null ? null : reason.substring(0, Math.min(reason.length(), 1000));
        h.changedAt = at;
        nodes.getEntityManager().persist(h);
    }

    private ClusterEntity clusterOrThrow(String name) {
        return clusters.findByName(name).orElseThrow(() -> ProblemException.notFound("cluster", name));
    }

    private NodeView view(String cluster, NodeEntity n, boolean withHistory) {
        List<NodeView.Change> history = withHistory
                ? nodes.history(n.id).stream()
                        .map(h -> new NodeView.Change(h.fromState == null ? null : h.fromState.label(), h.toState.label(), h.reason, h.changedAt))
                        .toList()
                : null;
        return new NodeView(n.id, cluster, n.name, n.state.label(), n.zone, n.index, n.address, n.providerId,
                n.protectedNode, n.launchedAt, n.lastHeartbeatAt, history);
    }
}
