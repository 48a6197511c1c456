package io.rulescaler.capacity.decision;

import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a cluster's spec, {@link ClusterView} and {@link NodeView}s from the database in the
 * caller's transaction, in two round trips at most; the one place both {@link ClusterStateReader}
 * (before the rules) and {@link DecisionService} (under the decision lock) read state from.
 */
@ApplicationScoped
class ClusterStateQuery {

    private static final List<ScaleRequestEntity.Status> LIVE_REQUESTS =
            List.of(ScaleRequestEntity.Status.PENDING, ScaleRequestEntity.Status.ACCEPTED);
    /** The query binds the pending states one by one (no list parameter, see {@link EvaluationQueries#CLUSTER_STATE}). */
    private static final List<NodeState> PENDING_STATES = List.copyOf(NodeState.PENDING);

    static {
        if (PENDING_STATES.size() != 3) {
            throw new IllegalStateException("EvaluationQueries.CLUSTER_STATE binds 3 pending node states, NodeState.PENDING has "
                    + PENDING_STATES);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper SPEC_READER = new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final EntityManager em;
    private final io.rulescaler.cluster.deployable.DeployableCatalog deployables;

    ClusterStateQuery(EntityManager em, io.rulescaler.cluster.deployable.DeployableCatalog deployables) {
        this.em = em;
        this.deployables = deployables;
    }

    /** A cluster row with what its {@link ClusterView} needs besides the nodes, read by one query. */
    record ClusterRow(ClusterEntity entity, Integer latestLiveTarget, Instant lastScaleOut, Instant lastScaleIn,
                      int active, int pending, int draining) {
    }

    /**
     * The cluster's state as stored now; empty when it does not exist. {@code nodes}: the node
     * views to use instead of reading them (a recent read; an empty list where only the sizes
     * matter), null reads them.
     */
    Optional<ClusterFacts> read(String cluster, List<NodeView> nodes) {
        return load(cluster).map(row -> factsOf(row, nodes));
    }

    /** The cluster and its sizes and counts ({@link EvaluationQueries#CLUSTER_STATE}); empty when it does not exist. */
    Optional<ClusterRow> load(String cluster) {
        List<Object[]> rows = em.createNamedQuery(EvaluationQueries.CLUSTER_STATE, Object[].class)
                .setParameter(1, cluster).setParameter(2, LIVE_REQUESTS.get(0)).setParameter(3, LIVE_REQUESTS.get(1))
                .setParameter(4, ScaleRequestEntity.Status.REJECTED).setParameter(5, NodeState.ACTIVE)
                .setParameter(6, PENDING_STATES.get(0)).setParameter(7, PENDING_STATES.get(1)).setParameter(8, PENDING_STATES.get(2))
                .setParameter(9, NodeState.DRAINING).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new ClusterRow((ClusterEntity) r[0], (Integer) r[1], (Instant) r[2], (Instant) r[3],
                count(r[4]), count(r[5]), count(r[6])));
    }

    private static int count(Object o) {
        return o == null ? 0 : ((Number) o).intValue();
    }

    /**
     * The cluster's spec, its {@link ClusterView} and a {@link NodeView} of each node not
     * terminated: read now when {@code nodes} is null, else the given ones (a recent read; an empty
     * list where only the sizes matter). Node views are read as plain values, not entities: a
     * cluster of a thousand nodes is read on every evaluation; terminated nodes, which only ever
     * accumulate, are not read.
     */
    ClusterFacts factsOf(ClusterRow row, List<NodeView> nodes) {
        ClusterEntity c = row.entity();
        ClusterSpec spec = withDeployable(spec(c));
        List<NodeView> nodeViews = nodes;
        if (nodeViews == null) {
            nodeViews = new ArrayList<>();
            for (Object[] n : em.createNamedQuery(EvaluationQueries.NODE_VIEWS, Object[].class)
                    .setParameter(1, c.id).setParameter(2, NodeState.TERMINATED).getResultList()) {
                NodeState state = (NodeState) n[1];
                Instant idleSince = (Instant) n[9];
                Integer idleMinutes = idleSince == null ? null
                        : (int) Math.max(0, java.time.Duration.between(idleSince, java.time.Instant.now()).toMinutes());
                nodeViews.add(new NodeView((String) n[0], c.name, state.label(), (String) n[2], (Instant) n[3], (Instant) n[4],
                        (Double) n[5], (Double) n[6], (Double) n[7], (Integer) n[8], idleMinutes));
            }
        }
        int capacity = row.active() + row.pending() + row.draining();
        int desired = row.latestLiveTarget() != null ? row.latestLiveTarget()
                : capacity > 0 ? capacity
                : spec.size().desired() != null ? spec.size().desired() : spec.size().min();
        ClusterView view = new ClusterView(c.name, desired, row.active(), row.pending(), row.draining(), spec.size().min(),
                spec.size().max(), spec.isPaused(), spec.isDryRun(), row.lastScaleOut(), row.lastScaleIn(), spec.size().maxIdle() == null ? -1 : spec.size().maxIdle(),
                spec.size().idleOrDefault().forMinutes(), spec.health() != null);
        return new ClusterFacts(spec, view, nodeViews);
    }

    /**
     * The spec laid over its deployable type when it names one in force (the chain guard reads the
     * deployable's default parameters); as stored otherwise. Sizes and flags are the cluster's own.
     */
    private ClusterSpec withDeployable(ClusterSpec spec) {
        if (spec.deployable() == null) {
            return spec;
        }
        return deployables.find(spec.deployable())
                .map(e -> io.rulescaler.cluster.deployable.EffectiveSpec.merge(spec, e.deployable())).orElse(spec);
    }

    /** The stored spec, read without a second query (the row is already loaded). */
    private static ClusterSpec spec(ClusterEntity c) {
        try {
            return SPEC_READER.readValue(c.specJson, ClusterSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored spec of cluster " + c.name + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
