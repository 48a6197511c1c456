package io.rulescaler.capacity.decision;

import io.rulescaler.boot.PathStage;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequestWritten;
import io.rulescaler.capacity.decision.ClusterStateQuery.ClusterRow;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.guard.Guard;
import io.rulescaler.capacity.guard.GuardInput;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequests;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.panache.common.Parameters;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * The decision stage: takes what an evaluation concluded (a plain {@link Concluded} value) or an
 * operator's request, reads the cluster's state under the cluster's {@link DecisionLock} (so two
 * decisions of one cluster are judged one after the other, on any instance), judges it with the
 * {@link Guard}, writes the decision and, when it acts, the PENDING scale request for the
 * orchestrator — all in one transaction; all decisions of one evaluation share one transaction.
 */
@ApplicationScoped
@Transactional
public class DecisionService {

    private static final Logger LOG = Logger.getLogger(DecisionService.class);

    private final EntityManager em;
    private final DecisionRepository decisions;
    private final Clock clock;
    private final CapacityMetrics metrics;
    private final DecisionLock lock;
    private final ScaleRequests requests;
    private final ClusterStateQuery state;
    private final DecidedAlerts decidedAlerts;
    private final RefusalRows refusals;

    public DecisionService(EntityManager em, DecisionRepository decisions, Clock clock, CapacityMetrics metrics, DecisionLock lock,
                           ScaleRequests requests, ClusterStateQuery state, DecidedAlerts decidedAlerts, RefusalRows refusals) {
        this.state = state;
        this.refusals = refusals;
        this.decidedAlerts = decidedAlerts;
        this.lock = lock;
        this.requests = requests;
        this.em = em;
        this.decisions = decisions;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * What one evaluation concluded, as the decision stage takes it: the rule set, the desired
     * size the rules saw and the decisions in the order they fired.
     */
    public record Concluded(String ruleSet, int desiredSeen, List<FiredDecision> decisions) {

        /** The order they are judged in: the largest change (against the size the rules saw) first. */
        List<FiredDecision> inJudgingOrder() {
            List<FiredDecision> ordered = new ArrayList<>(decisions);
            ordered.sort(Comparator.comparingInt((FiredDecision d) -> Math.abs(d.decision().resolve(desiredSeen) - desiredSeen))
                    .reversed());
            return ordered;
        }
    }

    /**
     * Judges and stores the decisions of one evaluation, in one transaction of their own (none at
     * all when there are none): drops those a rule already took on the same alerts
     * ({@link DecidedAlerts}), takes the cluster's {@link DecisionLock} and reads its state again
     * under it, before each decision (so decisions of one cluster are judged one after another, on
     * any instance, each against the state the previous one left). Returns what was stored.
     * Rules run unlocked, only decisions lock: bench/capacity-webhook.sh, docs/bench-capacity.md webhook round of 2026-11-25 02:00.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<DecisionView> judge(String cluster, Concluded concluded) {
        if (concluded.decisions().isEmpty()) {
            return List.of();
        }
        PathStage.mark("fired", cluster); // the rules concluded something: judging begins
        lock.ensure(cluster);
        List<DecisionView> stored = QuarkusTransaction.requiringNew().call(() -> {
            em.unwrap(org.hibernate.Session.class).setDefaultReadOnly(true);
            // a rule decides once on an alert, even when a rebuilt session sees it again
            List<FiredDecision> fired = concluded.inJudgingOrder().stream().filter(d -> decidedAlerts.decidesFirst(cluster, d)).toList();
            if (fired.isEmpty()) {
                return List.of();
            }
            PathStage.mark("decided-once-recorded", cluster);
            lock.acquire(cluster);
            PathStage.mark("decision-locked", cluster);
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
                ClusterFacts now = state.factsOf(found.get(), List.of());
                PathStage.mark("decision-state-read", cluster);
                int requested = d.decision().resolve(now.view().getDesired());
                out.add(record(c, now, "RULE", d.rule(), concluded.ruleSet(), null, d.decision().getTarget(),
                        d.decision().getDelta(), requested, d.decision().getReason(), false,
                        FactJson.of(d.matched(), d.bindings())));
            }
            PathStage.mark("decision-written", cluster);
            return out;
        });
        return stored;
    }

    /** Judges and stores an operator's request; {@code force} skips cooldowns, never the bounds. */
    public DecisionView manual(String cluster, Integer target, Integer delta, String reason, boolean force, String user) {
        lock.ensure(cluster);
        lock.acquire(cluster);
        ClusterRow row = load(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
        ClusterEntity c = row.entity();
        ClusterFacts f = state.factsOf(row, List.of());
        int requested = target != null ? target : f.view().getDesired() + delta;
        return record(c, f, "MANUAL", "manual", null, user, target, delta, requested, reason, force,
                FactJson.manual(target, delta, user));
    }

    /** Decisions of a cluster, newest first, optionally within [from, to). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DecisionView> list(String cluster, Instant from, Instant to, int page, int size) {
        StringBuilder q = new StringBuilder("clusterName = :c");
        Parameters p = Parameters.with("c", cluster);
        if (from != null) {
            q.append(" and decidedAt >= :from");
            p.and("from", from);
        }
        if (to != null) {
            q.append(" and decidedAt < :to");
            p.and("to", to);
        }
        q.append(" order by decidedAt desc, id desc");
        return decisions.find(q.toString(), p).page(page, size).list().stream().map(DecisionView::of).toList();
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
        d.firstDecidedAt = now;
        // a rule refused again for the same kind of reason updates its row: the history grows with outcomes, not evaluations
        java.util.Optional<DecisionEntity> repeated = fromRule ? refusals.fold(d) : java.util.Optional.empty();
        if (repeated.isPresent()) {
            metrics.decision(c.name, d.verdict, d.ruleName);
            DecisionEntity row = repeated.get();
            LOG.debugf("decision repeated cluster=%s id=%d rule=\"%s\" verdict=%s repeats=%d why=\"%s\"",
                    c.name, row.id, row.ruleName, row.verdict, row.repeats, row.verdictReason);
            return DecisionView.of(row);
        }
        em.persist(d);
        em.flush();
        if (verdict.acts()) {
            ScaleRequestEntity r = ScaleRequestEntity.pending(c.name, verdict.target(), v.getDesired(),
                    ("MANUAL".equals(source) ? "manual" : "rule '" + rule + "'") + ": " + d.reason,
                    "MANUAL".equals(source) ? ScaleRequestEntity.Source.MANUAL : ScaleRequestEntity.Source.RULE, user, now);
            r.decisionId = d.id;
            r.force = force;
            d.scaleRequestId = requests.submit(r);
        }
        metrics.decision(c.name, d.verdict, d.ruleName);
        LOG.infof("decision cluster=%s id=%d rule=\"%s\" source=%s requested=%d verdict=%s target=%d dry_run=%s scale_request=%s why=\"%s\"",
                c.name, d.id, d.ruleName, source, requested, d.verdict, d.targetSize, d.dryRun, d.scaleRequestId, d.verdictReason);
        return DecisionView.of(d);
    }

    /** The cluster and its sizes and counts; empty when it does not exist. */
    private Optional<ClusterRow> load(String cluster) {
        return state.load(cluster);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
