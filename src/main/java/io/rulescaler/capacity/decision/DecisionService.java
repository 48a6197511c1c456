package io.rulescaler.capacity.decision;

import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.ScaleRequestEntity;
import io.rulescaler.capacity.ScaleRequestWritten;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.guard.Guard;
import io.rulescaler.capacity.guard.GuardInput;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.web.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Judges decisions and stores them: reads the cluster's state, runs the guard under the cluster's
 * {@link DecisionLock} (so two decisions of one cluster are judged one after the other, on any instance),
 * writes the decision and, when it acts, the PENDING scale request for the orchestrator — all in
 * one transaction; a rule evaluation and all its decisions share one transaction too.
 */
@ApplicationScoped
@Transactional
public class DecisionService {

    private static final Logger LOG = Logger.getLogger(DecisionService.class);
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
    private final Clock clock;
    private final CapacityMetrics metrics;
    private final DecisionLock lock;
    private final jakarta.enterprise.event.Event<ScaleRequestWritten> written;

    public DecisionService(EntityManager em, Clock clock,
                           CapacityMetrics metrics, DecisionLock lock, jakarta.enterprise.event.Event<ScaleRequestWritten> written) {
        this.lock = lock;
        this.written = written;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The cluster's spec and state facts, or empty when the cluster does not exist (a transaction: callable from any thread). */
    public Optional<ClusterFacts> facts(String cluster) {
        return load(cluster).map(row -> factsOf(row, null));
    }

    /** What one evaluation concluded: the rule set and the decisions in the order they are judged. */
    public record Concluded(String ruleSet, List<FiredDecision> decisions) {
    }

    /**
     * One transaction per evaluation. The rules run on the cluster's state as committed now, read
     * without a lock; most evaluations conclude nothing and end there, having written nothing and
     * waited for nobody. Decisions they conclude are judged by {@link #judge}. Empty when the
     * cluster does not exist.
     *
     * @param recentNodes node views a recent evaluation read, given instead of reading them again
     *                    (the spec, sizes and counts are read all the same); null reads them
     */
    public Optional<List<DecisionView>> evaluate(String cluster, List<NodeView> recentNodes, Function<ClusterFacts, Concluded> rules,
                                                 Predicate<FiredDecision> decidesFirst) {
        // nothing loaded here is changed: no snapshots, no dirty checks at each flush
        em.unwrap(org.hibernate.Session.class).setDefaultReadOnly(true);
        lock.ensure(cluster);
        Optional<ClusterRow> found = load(cluster);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Concluded concluded = rules.apply(factsOf(found.get(), recentNodes));
        if (concluded == null || concluded.decisions().isEmpty()) {
            return Optional.of(List.of());
        }
        return Optional.of(judge(cluster, concluded, decidesFirst));
    }

    /**
     * Like {@link #evaluate}, on the state a recent evaluation read: no transaction at all unless
     * the rules conclude decisions, which are then judged in one.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<List<DecisionView>> evaluateOn(String cluster, ClusterFacts recent, Function<ClusterFacts, Concluded> rules,
                                                   Predicate<FiredDecision> decidesFirst) {
        Concluded concluded = rules.apply(recent);
        if (concluded == null || concluded.decisions().isEmpty()) {
            return Optional.of(List.of());
        }
        lock.ensure(cluster);
        return Optional.of(QuarkusTransaction.requiringNew().call(() -> {
            em.unwrap(org.hibernate.Session.class).setDefaultReadOnly(true);
            return judge(cluster, concluded, decidesFirst);
        }));
    }

    /**
     * Judges and stores the decisions of one evaluation in the caller's transaction: drops those
     * {@code decidesFirst} refuses, takes the cluster's {@link DecisionLock} and reads its state
     * again under it (so decisions of one cluster are judged one after another, on any instance,
     * each against the state the previous one left).
     */
    private List<DecisionView> judge(String cluster, Concluded concluded, Predicate<FiredDecision> decidesFirst) {
        List<FiredDecision> fired = concluded.decisions().stream().filter(decidesFirst).toList();
        if (fired.isEmpty()) {
            return List.of();
        }
        lock.acquire(cluster);
        // read committed: after the lock, a fresh read sees every decision judged before this one
        em.clear();
        List<DecisionView> out = new ArrayList<>();
        for (FiredDecision d : fired) {
            // before each decision, read again: the previous one's scale request moved the desired size
            Optional<ClusterRow> found = load(cluster);
            if (found.isEmpty()) {
                return out;
            }
            ClusterEntity c = found.get().entity();
            ClusterFacts now = factsOf(found.get(), List.of());
            int requested = d.decision().resolve(now.view().getDesired());
            out.add(record(c, now, "RULE", d.rule(), concluded.ruleSet(), null, d.decision().getTarget(),
                    d.decision().getDelta(), requested, d.decision().getReason(), false,
                    FactJson.of(d.matched(), d.bindings())));
        }
        return out;
    }

    /** Judges and stores an operator's request; {@code force} skips cooldowns, never the bounds. */
    public DecisionView manual(String cluster, Integer target, Integer delta, String reason, boolean force, String user) {
        lock.ensure(cluster);
        lock.acquire(cluster);
        ClusterRow row = load(cluster).orElseThrow(() -> ProblemException.notFound("cluster", cluster));
        ClusterEntity c = row.entity();
        ClusterFacts f = factsOf(row, List.of());
        int requested = target != null ? target : f.view().getDesired() + delta;
        return record(c, f, "MANUAL", "manual", null, user, target, delta, requested, reason, force,
                FactJson.manual(target, delta, user));
    }

    /** Decisions of a cluster, newest first, optionally within [from, to). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DecisionView> list(String cluster, Instant from, Instant to, int page, int size) {
        StringBuilder q = new StringBuilder("from DecisionEntity where clusterName = :c");
        if (from != null) {
            q.append(" and decidedAt >= :from");
        }
        if (to != null) {
            q.append(" and decidedAt < :to");
        }
        q.append(" order by decidedAt desc, id desc");
        var query = em.createQuery(q.toString(), DecisionEntity.class).setParameter("c", cluster);
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
        return query.setFirstResult(page * size).setMaxResults(size).getResultList().stream().map(DecisionView::of).toList();
    }

    private DecisionView record(ClusterEntity c, ClusterFacts f, String source, String rule, String ruleSet, String user,
                                Integer target, Integer delta, int requested, String reason, boolean force, String factsJson) {
        Instant now = clock.instant();
        GuardPolicy policy = GuardPolicy.of(f.spec());
        ClusterView v = f.view();
        boolean fromRule = "RULE".equals(source);
        // the recent recommendations matter only to a scale-in that stabilisation may hold back
        List<GuardInput.Recommendation> recent = !Guard.stabilises(policy, v.getDesired(), requested, fromRule, force) ? List.of()
                : em.createNamedQuery(EvaluationQueries.RECENT_RECOMMENDATIONS, Object[].class)
                .setParameter(1, c.name).setParameter(2, now.minusSeconds(policy.stabilisationSeconds()))
                .getResultList().stream()
                .map(r -> new GuardInput.Recommendation((Instant) r[0], (Integer) r[1])).toList();
        GuardInput in = new GuardInput(v.getDesired(), f.spec().isPaused(), f.spec().isDryRun(), now,
                v.getLastScaleOut(), v.getLastScaleIn(), recent);
        Verdict verdict = Guard.judge(policy, in, requested, fromRule, force);

        DecisionEntity d = new DecisionEntity();
        d.clusterName = c.name;
        d.ruleName = cut(rule, 255);
        d.ruleSet = ruleSet;
        d.source = source;
        d.requestedBy = user;
        d.requestedTarget = target;
        d.requestedDelta = delta;
        d.baselineSize = v.getDesired();
        d.recommendedSize = verdict.recommended();
        d.targetSize = verdict.target();
        d.verdict = verdict.kind().name().toLowerCase();
        d.verdictReason = cut(verdict.explanation(), 2048);
        d.reason = cut(reason == null ? "" : reason, 1024);
        d.dryRun = verdict.dryRun();
        d.force = force;
        d.factsJson = factsJson;
        d.decidedAt = now;
        em.persist(d);
        em.flush();
        if (verdict.acts()) {
            ScaleRequestEntity r = ScaleRequestEntity.pending(c.name, verdict.target(), v.getDesired(),
                    ("MANUAL".equals(source) ? "manual" : "rule '" + rule + "'") + ": " + d.reason,
                    "MANUAL".equals(source) ? ScaleRequestEntity.Source.MANUAL : ScaleRequestEntity.Source.RULE, user, now);
            r.decisionId = d.id;
            r.force = force;
            em.persist(r);
            em.flush();
            d.scaleRequestId = r.id;
            written.fire(new ScaleRequestWritten(c.name));
        }
        metrics.decision(c.name, d.verdict, d.ruleName);
        LOG.infof("decision cluster=%s id=%d rule=\"%s\" source=%s requested=%d verdict=%s target=%d dry_run=%s scale_request=%s why=\"%s\"",
                c.name, d.id, d.ruleName, source, requested, d.verdict, d.targetSize, d.dryRun, d.scaleRequestId, d.verdictReason);
        return DecisionView.of(d);
    }

    /** A cluster row with what its {@link ClusterView} needs besides the nodes, read by one query. */
    record ClusterRow(ClusterEntity entity, Integer latestLiveTarget, Instant lastScaleOut, Instant lastScaleIn,
                      int active, int pending, int draining) {
    }

    /** The cluster and its sizes and counts ({@link EvaluationQueries#CLUSTER_STATE}); empty when it does not exist. */
    private Optional<ClusterRow> load(String cluster) {
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
        ClusterSpec spec = spec(c);
        List<NodeView> nodeViews = nodes;
        if (nodeViews == null) {
            nodeViews = new ArrayList<>();
            for (Object[] n : em.createNamedQuery(EvaluationQueries.NODE_VIEWS, Object[].class)
                    .setParameter(1, c.id).setParameter(2, NodeState.TERMINATED).getResultList()) {
                NodeState state = (NodeState) n[1];
                nodeViews.add(new NodeView((String) n[0], c.name, state.label(), (String) n[2], (Instant) n[3], (Instant) n[4], null));
            }
        }
        int capacity = row.active() + row.pending() + row.draining();
        int desired = row.latestLiveTarget() != null ? row.latestLiveTarget()
                : capacity > 0 ? capacity
                : spec.size().desired() != null ? spec.size().desired() : spec.size().min();
        ClusterView view = new ClusterView(c.name, desired, row.active(), row.pending(), row.draining(), spec.size().min(),
                spec.size().max(), spec.isPaused(), spec.isDryRun(), row.lastScaleOut(), row.lastScaleIn());
        return new ClusterFacts(spec, view, nodeViews);
    }

    /** The stored spec, read without a second query (the row is already loaded). */
    private static ClusterSpec spec(ClusterEntity c) {
        try {
            return SPEC_READER.readValue(c.specJson, ClusterSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored spec of cluster " + c.name + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
