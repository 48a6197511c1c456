package io.rulescaler.capacity.decision;

/**
 * The queries every evaluation and decision runs, declared as named queries on
 * {@link DecisionEntity} so Hibernate compiles them when it starts, not while the first alerts of
 * a fresh process wait for their decisions.
 */
final class EvaluationQueries {

    static final String CLUSTER_BY_NAME = "Evaluation.clusterByName";
    static final String CLUSTER_BY_NAME_HQL = "from ClusterEntity c where c.name = ?1";

    static final String NODE_VIEWS = "Evaluation.nodeViews";
    static final String NODE_VIEWS_HQL = "select n.name, n.state, n.zone, n.launchedAt, n.lastHeartbeatAt from NodeEntity n"
            + " where n.clusterId = ?1 and n.state <> ?2 order by n.id";

    static final String NODE_COUNTS = "Evaluation.nodeCounts";
    static final String NODE_COUNTS_HQL = "select n.state, count(n) from NodeEntity n where n.clusterId = ?1 and n.state <> ?2"
            + " group by n.state";

    // two single-valued parameters, not a list: Hibernate re-translates a query with a list parameter on every call
    static final String LATEST_LIVE_TARGET = "Evaluation.latestLiveTarget";
    static final String LATEST_LIVE_TARGET_HQL = "select r.targetSize from ScaleRequestEntity r where r.clusterName = ?1"
            + " and r.status in (?2, ?3) order by r.id desc";

    static final String LAST_SCALE_TIMES = "Evaluation.lastScaleTimes";
    static final String LAST_SCALE_TIMES_HQL = "select max(case when r.targetSize > r.previousSize then r.createdAt end),"
            + " max(case when r.targetSize < r.previousSize then r.createdAt end) from ScaleRequestEntity r"
            + " where r.clusterName = ?1 and r.status <> ?2";

    static final String RECENT_RECOMMENDATIONS = "Evaluation.recentRecommendations";
    static final String RECENT_RECOMMENDATIONS_HQL = "select d.decidedAt, d.recommendedSize from DecisionEntity d"
            + " where d.clusterName = ?1 and d.source = 'RULE' and d.decidedAt >= ?2";

    private EvaluationQueries() {
    }
}
