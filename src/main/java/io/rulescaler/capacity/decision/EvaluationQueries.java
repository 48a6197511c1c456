package io.rulescaler.capacity.decision;

/**
 * The queries every evaluation and decision runs, declared as named queries on
 * {@link DecisionEntity} so Hibernate compiles them when it starts, not while the first alerts of
 * a fresh process wait for their decisions.
 */
final class EvaluationQueries {

    static final String NODE_VIEWS = "Evaluation.nodeViews";
    static final String NODE_VIEWS_HQL = "select n.name, n.state, n.zone, n.launchedAt, n.lastHeartbeatAt, n.loadAvg, n.cpu, n.memory,"
            + " n.unitRestarts, n.idleSince from NodeEntity n"
            + " where n.clusterId = ?1 and n.state <> ?2 order by n.id";

    /**
     * The cluster row with everything its {@code ClusterView} needs besides its nodes, in one round
     * trip: the newest live scale request's target, the last scale-out and scale-in times, and the
     * node counts by state. Parameters: name, the two live request statuses, the rejected status,
     * the active state, the three pending states, the draining state.
     */
    static final String CLUSTER_STATE = "Evaluation.clusterState";
    static final String CLUSTER_STATE_HQL = "select c,"
            // single-valued parameters, not lists: Hibernate re-translates a query with a list parameter on every call
            + " (select r.targetSize from ScaleRequestEntity r where r.clusterName = c.name and r.status in (?2, ?3)"
            + " order by r.id desc limit 1),"
            + " (select max(r.createdAt) from ScaleRequestEntity r where r.clusterName = c.name and r.status <> ?4"
            + " and r.targetSize > r.previousSize),"
            + " (select max(r.createdAt) from ScaleRequestEntity r where r.clusterName = c.name and r.status <> ?4"
            + " and r.targetSize < r.previousSize),"
            + " (select count(n) from NodeEntity n where n.clusterId = c.id and n.state = ?5),"
            + " (select count(n) from NodeEntity n where n.clusterId = c.id and n.state in (?6, ?7, ?8)),"
            + " (select count(n) from NodeEntity n where n.clusterId = c.id and n.state = ?9)"
            + " from ClusterEntity c where c.name = ?1";

    static final String RECENT_RECOMMENDATIONS = "Evaluation.recentRecommendations";
    static final String RECENT_RECOMMENDATIONS_HQL = "select d.decidedAt, d.recommendedSize from DecisionEntity d"
            + " where d.clusterName = ?1 and d.source = 'RULE' and d.decidedAt >= ?2";

    private EvaluationQueries() {
    }
}
