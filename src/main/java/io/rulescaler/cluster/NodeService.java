package io.rulescaler.cluster;

import io.rulescaler.boot.BulkWritten;
import io.rulescaler.boot.MultiRowInsert;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.security.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Owns node records: reading them and moving them through their lifecycle with a history. */
@ApplicationScoped
@Transactional
public class NodeService {

    private static final Logger LOG = Logger.getLogger(NodeService.class);
    private final ClusterRepository clusters;
    private final NodeRepository nodes;
    private final NodeVitalsRepository vitals;
    private final Clock clock;
    private final TokenService tokens;

    public NodeService(ClusterRepository clusters, NodeRepository nodes, NodeVitalsRepository vitals, Clock clock, TokenService tokens) {
        this.vitals = vitals;
        this.clusters = clusters;
        this.nodes = nodes;
        this.clock = clock;
        this.tokens = tokens;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NodeView> list(String cluster) {
        ClusterEntity c = clusterOrThrow(cluster);
        ClusterSpec spec = ClusterSpecParser.fromJson(c.specJson);
        return nodes.ofCluster(c.id).stream().map(n -> view(c, spec, n, false)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public NodeView get(String cluster, String node) {
        ClusterEntity c = clusterOrThrow(cluster);
        NodeEntity n = nodes.byName(c.id, node).orElseThrow(() -> NotFoundException.of("node", cluster + "/" + node));
        return view(c, ClusterSpecParser.fromJson(c.specJson), n, true);
    }

    /**
     * Protects a node from scale-in (or lifts the protection), with the reason in its history.
     * Replacement of an unhealthy protected node still happens.
     */
    public NodeView protect(String cluster, String node, boolean on, String reason) {
        ClusterEntity c = clusterOrThrow(cluster);
        NodeEntity n = nodes.byName(c.id, node).orElseThrow(() -> NotFoundException.of("node", cluster + "/" + node));
        if (n.state == NodeState.TERMINATED) {
            throw new ConflictException("node " + n.name + " is terminated; there is nothing to protect", "node");
        }
        Instant now = clock.instant();
        n.protectedNode = on;
        n.protectionReason = on ? reason : null;
        n.updatedAt = now;
        record(n.id, n.state, n.state, (on ? "protected from scale-in" : "protection lifted") + (reason == null ? "" : ": " + reason), now);
        LOG.infof("node protection cluster=%s node=%s protected=%s reason=%s", c.name, n.name, on, reason);
        return view(c, ClusterSpecParser.fromJson(c.specJson), n, false);
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
        ClusterEntity cluster = clusters.findById(clusterId);
        n.specVersion = cluster == null ? 1 : cluster.specVersion;
        n.createdAt = now;
        n.updatedAt = now;
        nodes.persist(n);
        record(n.id, null, NodeState.REQUESTED, reason, now);
        return n;
    }

    /** A node to record: its name, zone and DNS index. */
    public record NewNode(String name, String zone, Integer index, String profile, String recipeDigest) {

        /** A node on the cluster's own provider profile, without a recipe digest. */
        public NewNode(String name, String zone, Integer index) {
            this(name, zone, index, null, null);
        }
    }

    /**
     * Records many new nodes of a cluster in state REQUESTED with their first history row, in a few
     * multi-row inserts (a 1,000-node scale-out would otherwise take 2,000 round trips); returns them
     * in the given order.
     */
    public List<NodeEntity> requestAll(long clusterId, List<NewNode> wanted, String reason) {
        if (wanted.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        var em = nodes.getEntityManager();
        em.flush();
        ClusterEntity cluster = clusters.findById(clusterId);
        int specVersion = cluster == null ? 1 : cluster.specVersion; // a new node is configured with the spec in force
        MultiRowInsert.insert(em, "node", List.of("cluster_id", "name", "zone", "node_index", "profile", "recipe_digest", "state",
                "protected", "spec_version", "created_at", "updated_at", "version"), wanted.stream().map(w -> new Object[] {clusterId,
                w.name(), w.zone(), w.index(), w.profile(), w.recipeDigest(), NodeState.REQUESTED, false, specVersion, now, now, 0L}).toList());
        Map<String, NodeEntity> byName = new HashMap<>();
        List<String> names = wanted.stream().map(NewNode::name).toList();
        for (int from = 0; from < names.size(); from += 1000) {
            nodes.list("clusterId = ?1 and name in ?2", clusterId, names.subList(from, Math.min(names.size(), from + 1000)))
                    .forEach(n -> byName.put(n.name, n));
        }
        List<NodeEntity> out = names.stream().map(byName::get).toList();
        String why = reason == null ? null : reason.substring(0, Math.min(reason.length(), 1000));
        MultiRowInsert.insert(em, "node_state_change", List.of("node_id", "from_state", "to_state", "reason", "changed_at"),
                out.stream().map(n -> new Object[] {n.id, null, NodeState.REQUESTED, why, now}).toList());
        return out;
    }

    /** One lifecycle move for {@link #transitionAll}. */
    public record Move(long nodeId, NodeState to, String reason) {
    }

    /**
     * Moves many nodes at once: one {@code UPDATE … WHERE id IN (…) AND state = ?} per (from, to) pair instead of a
     * whole-row update per node, their history written with one multi-row insert; a move the lifecycle does not
     * allow is skipped with a warning (as a task's node move is). A node whose state changed since it was read fails
     * the transaction, as its version check did. Returns how many moved.
     */
    public int transitionAll(List<Move> moves) {
        Instant now = clock.instant();
        List<Object[]> history = new java.util.ArrayList<>();
        Map<List<NodeState>, List<NodeEntity>> groups = new java.util.LinkedHashMap<>();
        java.util.Set<Long> grouped = new java.util.HashSet<>();
        List<NodeEntity> moved = new java.util.ArrayList<>();
        for (Move m : moves) {
            NodeEntity n = nodes.findById(m.nodeId());
            if (n != null && grouped.contains(n.id)) { // a second move of a node in one call starts from where the first left it
                bulkMove(groups, now);
                grouped.clear();
            }
            if (n == null || n.state == m.to()) {
                continue;
            }
            if (!n.state.canMoveTo(m.to())) {
                LOG.warnf("node state not changed node=%s from=%s to=%s: the lifecycle does not allow it", n.name, n.state, m.to());
                continue;
            }
            String why = m.reason() == null ? null : m.reason().substring(0, Math.min(m.reason().length(), 1000));
            history.add(new Object[] {n.id, n.state, m.to(), why, now});
            LOG.infof("node state cluster_id=%d node=%s from=%s to=%s reason=%s", n.clusterId, n.name, n.state, m.to(), m.reason());
            groups.computeIfAbsent(List.of(n.state, m.to()), k -> new java.util.ArrayList<>()).add(n);
            grouped.add(n.id);
            moved.add(n);
        }
        bulkMove(groups, now);
        MultiRowInsert.insert(nodes.getEntityManager(), "node_state_change",
                List.of("node_id", "from_state", "to_state", "reason", "changed_at"), history);
        moved.forEach(this::revokeWhenGone);
        return history.size();
    }

    /**
     * Writes the moves of {@link #transitionAll}: by (from, to) pair, one bulk update that also checks each node is
     * still in its from-state (else the transaction fails, as the version check of a whole-row update did); the
     * session then holds the nodes as written. Empties {@code groups}.
     */
    private void bulkMove(Map<List<NodeState>, List<NodeEntity>> groups, Instant now) {
        if (groups.isEmpty()) {
            return;
        }
        jakarta.persistence.EntityManager em = nodes.getEntityManager();
        em.flush(); // the moved nodes' other pending changes first: the session takes the bulk-written rows as clean
        for (Map.Entry<List<NodeState>, List<NodeEntity>> g : groups.entrySet()) {
            NodeState from = g.getKey().get(0);
            NodeState to = g.getKey().get(1);
            List<Long> ids = g.getValue().stream().map(n -> n.id).toList();
            int updated = nodes.update("state = ?1, updatedAt = ?2, version = version + 1 where id in ?3 and state = ?4", to, now, ids, from);
            if (updated != ids.size()) { // another transaction moved one of them since it was read here
                throw new jakarta.persistence.OptimisticLockException("nodes " + ids + " moved from " + from + " meanwhile: "
                        + updated + " of " + ids.size() + " were still " + from);
            }
            for (NodeEntity n : g.getValue()) {
                BulkWritten.hold(em, n);
                n.state = to;
                n.updatedAt = now;
                BulkWritten.as(em, n, n.version + 1);
            }
        }
        groups.clear();
    }

    /** Moves a node to {@code to}, refusing transitions the lifecycle does not allow. */
    public NodeEntity transition(long nodeId, NodeState to, String reason) {
        NodeEntity n = nodes.findById(nodeId);
        if (n == null) {
            throw NotFoundException.of("node", String.valueOf(nodeId));
        }
        if (n.state == to) {
            return n;
        }
        if (!n.state.canMoveTo(to)) {
            throw new ConflictException("node " + n.name + " cannot move from " + n.state.label() + " to " + to.label());
        }
        Instant now = clock.instant();
        record(n.id, n.state, to, reason, now);
        LOG.infof("node state cluster_id=%d node=%s from=%s to=%s reason=%s", n.clusterId, n.name, n.state, to, reason);
        n.state = to;
        n.updatedAt = now;
        revokeWhenGone(n);
        return n;
    }

    /** A node destroyed loses its agent's token in the same transaction. */
    private void revokeWhenGone(NodeEntity n) {
        if (n.state == NodeState.TERMINATED && tokens.revokeForNode(n.id) > 0) {
            LOG.infof("node token revoked cluster_id=%d node=%s", n.clusterId, n.name);
        }
    }

    /**
     * Records a machine that was found for a node with none recorded (reconciliation adopts it by its
     * tags); the state stays, the history gets a line saying so.
     */
    public NodeEntity recordMachine(long nodeId, String providerId, String address, String reason) {
        NodeEntity n = nodes.findById(nodeId);
        if (n == null) {
            throw NotFoundException.of("node", String.valueOf(nodeId));
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

    /** Adds a line to the node's history without changing its state (the health prober's load balancer moves). */
    public void note(long nodeId, String reason) {
        NodeEntity n = nodes.findById(nodeId);
        if (n != null) {
            record(n.id, n.state, n.state, reason, clock.instant());
        }
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
        return clusters.findByName(name).orElseThrow(() -> NotFoundException.of("cluster", name));
    }

    private NodeView view(ClusterEntity c, ClusterSpec spec, NodeEntity n, boolean withHistory) {
        String cluster = c.name;
        List<NodeView.Change> history = withHistory
                ? nodes.history(n.id).stream()
                        .map(h -> new NodeView.Change(h.fromState == null ? null : h.fromState.label(), h.toState.label(), h.reason, h.changedAt))
                        .toList()
                : null;
        List<NodeView.Vitals> recent = withHistory
                ? vitals.recent(n.id, RECENT_VITALS).stream()
                        .map(v -> new NodeView.Vitals(v.at, v.cpu, v.memory, v.disk, v.loadAvg, null, v.unitsJson)).toList()
                : null;
        NodeView.Vitals latest = n.vitalsAt == null ? null
                : new NodeView.Vitals(n.vitalsAt, n.cpu, n.memory, n.disk, n.loadAvg, n.unitRestarts, null);
        boolean bySpec = spec.protects(n.name);
        String protection = n.protectedNode ? n.protectionReason : bySpec ? "protected in the cluster spec" : null;
        return new NodeView(n.id, cluster, n.name, n.state.label(), n.zone, n.index, n.address, n.providerId,
                n.protectedNode || bySpec, protection, n.launchedAt, n.lastHeartbeatAt, latest, n.healthReason, history, recent,
                n.specVersion, RUNNING.contains(n.state) && n.specVersion != c.specVersion, spec.profileOr(n.profile));
    }

    /** States of nodes that run a configuration, so can run an older spec version than the cluster's. */
    public static final java.util.Set<NodeState> RUNNING = java.util.EnumSet.of(NodeState.ACTIVE, NodeState.UNHEALTHY,
            NodeState.DRAINING);

    /** How many heartbeats GET of one node shows. */
    static final int RECENT_VITALS = 20;
}
