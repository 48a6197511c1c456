package io.rulescaler.capacity;

import io.rulescaler.boot.PathStage;
import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.capacity.decision.ClusterStateReader;
import io.rulescaler.capacity.decision.DecisionService;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.engine.StoppedRule;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.lease.SessionLeases;
import io.rulescaler.capacity.rules.DisabledRules;
import io.rulescaler.capacity.rules.RuleCatalog;
import io.rulescaler.db.LostRace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One evaluation of a cluster, on its rules thread: read its state, bring its session up to date, fire,
 * have the decision stage judge what the rules concluded, and keep both on the {@link SessionOwner} for "why".
 */
@ApplicationScoped
class SessionEvaluator {

    private static final Logger LOG = Logger.getLogger(SessionEvaluator.class);
    /** How long an evaluation's decisions are judged again while they lose races (a failover takes seconds). */
    private static final Duration JUDGE_WITHIN = Duration.ofSeconds(10);

    private final DecisionService decisions;
    private final RuleCatalog catalog;
    private final CapacityConfig config;
    private final CapacityMetrics metrics;
    private final Instance<SignalReplay> replays;
    private final Clock clock;
    private final SessionLeases leases;
    private final ClusterStateReader states;
    private final ChainRunService chainRuns;
    private final DisabledRules disabledRules;

    SessionEvaluator(DecisionService decisions, RuleCatalog catalog, CapacityConfig config, CapacityMetrics metrics,
                     Instance<SignalReplay> replays, Clock clock, SessionLeases leases, ClusterStateReader states,
                     ChainRunService chainRuns, DisabledRules disabledRules) {
        this.decisions = decisions;
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
        this.replays = replays;
        this.clock = clock;
        this.leases = leases;
        this.states = states;
        this.chainRuns = chainRuns;
        this.disabledRules = disabledRules;
    }

    /**
     * One evaluation, straight (on the owner's thread): read the cluster's state, bring the session up to date and
     * fire its rules (a plain {@link Evaluation}), let the decision stage judge and store what they concluded,
     * remember both for "why".
     */
    void run(SessionOwner o, Consumer<RuleSession> signals) {
        long start = System.nanoTime();
        PathStage.mark("evaluation-start", o.cluster);
        try {
            if (!leased(o)) {
                return;
            }
            Optional<ClusterFacts> state = LostRace.retryFor("read the state of " + o.cluster, JUDGE_WITHIN, () -> states.read(o.cluster));
            if (state.isEmpty()) {
                o.problem = "cluster does not exist";
                return;
            }
            Evaluation evaluation = fire(o, state.get(), signals);
            if (evaluation == null) {
                return;
            }
            DecisionService.Concluded concluded = new DecisionService.Concluded(o.ruleSet, state.get().view().getDesired(),
                    evaluation.decisions());
            List<DecisionView> stored = judge(o, concluded, evaluation);
            o.remember(evaluation, stored);
        } catch (RuntimeException | StackOverflowError ex) {
            if (LostRace.is(ex)) {
                // the database failed it (a failover): the signals handed to this evaluation, or what its rules
                // concluded, are gone with it; the next evaluation rebuilds the session from storage
                o.closeSession();
            }
            // a rule that recurses without end overflows the stack: report it like any rule failure
            o.problem = "evaluation failed: " + ex;
            LOG.errorf(ex, "evaluation failed cluster=%s", o.cluster);
        } finally {
            metrics.evaluation(o.cluster, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Judges and stores what an evaluation concluded, again while it loses races (Galera certification, a
     * deadlock, a failover: the same alert decides once, DecidedAlerts). When that still fails, the session
     * is rebuilt at the next evaluation ({@link #run}), so its rules fire again on the alerts still firing.
     */
    private List<DecisionView> judge(SessionOwner o, DecisionService.Concluded concluded, Evaluation evaluation) {
        List<DecisionView> stored = LostRace.retryFor("judge decisions of " + o.cluster, JUDGE_WITHIN,
                () -> decisions.judge(o.cluster, concluded));
        // chain requests are judged after the sizes: a run's guard reads the nodes the decisions left
        LostRace.retryFor("judge chain runs of " + o.cluster, JUDGE_WITHIN, () -> {
            chainRuns.judge(o.cluster, o.ruleSet, evaluation.chainRuns());
            return null;
        });
        return stored;
    }

    /**
     * Brings the session up to date with the facts, runs the signals and fires the rules; returns
     * what fired and the decisions they concluded, or null when no rules are available.
     */
    private Evaluation fire(SessionOwner o, ClusterFacts f, Consumer<RuleSession> signals) {
        String set = f.spec().ruleSet() == null ? config.defaultRuleSet() : f.spec().ruleSet();
        CompiledRules rules = catalog.get(set).orElse(null);
        if (rules == null) {
            o.problem = catalog.unavailable(set);
            o.ruleSet = set;
            return null;
        }
        o.problem = null;
        ensureSession(o, f, rules, set);
        o.ruleSet = set;
        RuleSession s = o.session;
        s.setCluster(f.view());
        s.setParameters(f.spec().parametersOrEmpty());
        Set<String> seen = new HashSet<>();
        for (NodeView n : f.nodes()) {
            s.putNode(n);
            seen.add(n.getId());
        }
        for (String id : s.nodeIds()) {
            if (!seen.contains(id)) {
                s.removeNode(id);
            }
        }
        s.advanceTo(clock.instant());
        long droppedBefore = s.droppedFacts();
        if (signals != null) {
            signals.accept(s);
        }
        if (s.droppedFacts() > droppedBefore) {
            metrics.droppedFacts(o.cluster, s.droppedFacts() - droppedBefore);
            LOG.warnf("session full cluster=%s max_facts=%d dropped=%d", o.cluster, config.maxFactsPerSession(),
                    s.droppedFacts() - droppedBefore);
        }
        Evaluation e = s.evaluate();
        if (e.runaway()) {
            metrics.runaway(o.cluster);
            o.runaways++;
            LOG.warnf("runaway rules cluster=%s rule_set=%s firings=%d cap=%d facts=%d rules=%s; stopped %s, their decisions"
                    + " discarded, %d decision(s) of other rules kept", o.cluster, set, e.firings(), e.maxFirings(), e.factCount(),
                    e.rulesFired(), e.stopped().stream().map(StoppedRule::rule).toList(), e.decisions().size());
        }
        for (StoppedRule r : e.stopped()) {
            o.stopped.put(r.rule(), r.cause());
            disabledRules.stopped(o.cluster, set, r);
        }
        return e;
    }

    /**
     * Gives the owner a session on {@code rules}: a new one (signals replayed from storage, stale queries and stopped
     * rules restored), the current one carried over when its rule set was reloaded, or the current one with its
     * stopped rules compared with what is stored once a tick (an admin may have enabled one on another instance).
     */
    private void ensureSession(SessionOwner o, ClusterFacts f, CompiledRules rules, String set) {
        if (o.session == null) {
            o.session = new RuleSession(o.cluster, rules, limits(), clock.instant());
            o.session.setCluster(f.view());
            for (SignalReplay r : replays) {
                r.replay(o.cluster, o.session);
            }
            for (String q : o.stale) {
                o.session.stale(q, new MetricsStale(o.cluster, q, clock.instant(), "stale before the session started"));
            }
            o.syncStopped(disabledRules, rules);
        } else if (o.session.rules() != rules) {
            RuleSession next = o.session.carryTo(rules);
            o.session.close();
            o.session = next;
            LOG.infof("session rules swapped cluster=%s rule_set=%s facts=%d", o.cluster, set, next.factCount());
            o.syncStopped(disabledRules, rules);
        } else if (!o.session.disabledRules().isEmpty()
                && System.nanoTime() - o.stoppedCheckedAt > config.tickInterval().toNanos()) {
            // enabled by an admin on another instance: seen within a tick
            o.syncStopped(disabledRules, rules);
        }
    }

    private SessionLimits limits() {
        return new SessionLimits(config.maxFactsPerSession(), config.maxFiringsPerEvaluation());
    }

    /**
     * Only the holder of the cluster's session lease runs its session: elsewhere the session is
     * dropped; a new lease epoch (the cluster was owned elsewhere meanwhile) rebuilds it from storage.
     */
    private boolean leased(SessionOwner o) {
        long epoch = leases.epochOrAcquire(o.cluster);
        if (epoch == 0) {
            o.closeSession();
            o.problem = leases.notHere(o.cluster);
            return false;
        }
        if (epoch != o.epoch) {
            o.closeSession();
            o.epoch = epoch;
        }
        return true;
    }
}
