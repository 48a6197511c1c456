package io.rulescaler.capacity;

import io.rulescaler.boot.StopGated;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.db.LostRace;
import io.rulescaler.capacity.decision.ClusterStateReader;
import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.DecisionService;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.lease.SessionLeases;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.engine.StoppedRule;
import io.rulescaler.capacity.rules.DisabledRules;
import io.rulescaler.capacity.rules.RuleCatalog;
import io.rulescaler.capacity.rules.RulesEnabled;
import io.rulescaler.capacity.rules.RulesReloaded;
import io.rulescaler.cluster.ClusterChanged;
import io.rulescaler.cluster.ClusterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Owns one rule session per cluster, each on its own single thread, so facts never race. Every
 * piece of work for a cluster (signals, ticks, reloads, spec changes) is a task on that thread:
 *
 * <pre>
 *  task ─> read the cluster's state (ClusterStateReader: a recent read reused, or read)
 *       ─> ensure session on the cluster's rule set (carry facts on change)
 *       ─> refresh ClusterView/NodeViews ─> advance clock to now ─> insert signals ─> fire (capped)
 *       ─> Evaluation (what fired, the decisions and the facts they matched)
 *       ─> DecisionService#judge: [one transaction: decision lock, state read again, guard, stored]
 *       ─> remember for "why"
 * </pre>
 */
@ApplicationScoped
public class ClusterSessions {

    private static final Logger LOG = Logger.getLogger(ClusterSessions.class);
    /** How many of a cluster's newest chain runs "why" lists. */
    static final int WHY_CHAIN_RUNS = 5;

    private final DecisionService decisions;
    private final RuleCatalog catalog;
    private final CapacityConfig config;
    private final CapacityMetrics metrics;
    private final ClusterRepository clusters;
    private final Instance<SignalReplay> replays;
    private final Clock clock;
    private final SessionLeases leases;
    private final ClusterStateReader states;
    private final ChainRunService chainRuns;
    private final DisabledRules disabledRules;
    private final Map<String, SessionOwner> owners = new ConcurrentHashMap<>();
    /** How long an evaluation's decisions are judged again while they lose races (a failover takes seconds). */
    private static final Duration JUDGE_WITHIN = Duration.ofSeconds(10);

    public ClusterSessions(DecisionService decisions, RuleCatalog catalog, CapacityConfig config, CapacityMetrics metrics,
                           ClusterRepository clusters, Instance<SignalReplay> replays, Clock clock,
                           SessionLeases leases, ClusterStateReader states, ChainRunService chainRuns, DisabledRules disabledRules) {
        this.disabledRules = disabledRules;
        this.decisions = decisions;
        this.chainRuns = chainRuns;
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
        this.clusters = clusters;
        this.replays = replays;
        this.clock = clock;
        this.leases = leases;
        this.states = states;
    }

    /**
     * Runs {@code signals} against the cluster's session on its thread, then evaluates. Work that
     * queues up while an evaluation runs is taken together: one evaluation for all of it, so a
     * burst of signals costs one evaluation, not one each.
     */
    public CompletableFuture<Void> submit(String cluster, Consumer<RuleSession> signals) {
        SessionOwner o = owners.computeIfAbsent(cluster, SessionOwner::new);
        CompletableFuture<Void> done = new CompletableFuture<>();
        o.queue.add(new Task(signals, done));
        if (o.scheduled.compareAndSet(false, true)) {
            o.exec.execute(() -> drain(o));
        }
        return done;
    }

    private void drain(SessionOwner o) {
        o.pace(config.evaluationGap()); // a burst of signals: one evaluation per gap, not one each
        o.scheduled.set(false);
        List<Task> batch = new ArrayList<>();
        for (Task t = o.queue.poll(); t != null; t = o.queue.poll()) {
            batch.add(t);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            run(o, s -> {
                for (Task t : batch) {
                    if (t.signals() != null) {
                        try {
                            t.signals().accept(s);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "signal insert failed cluster=%s", o.cluster);
                        }
                    }
                }
            });
        } finally {
            batch.forEach(t -> t.done().complete(null));
        }
    }

    /** One piece of queued work and who waits for it. */
    record Task(Consumer<RuleSession> signals, CompletableFuture<Void> done) { }

    /** Moves every cluster's session clock forward (cron timers, windows closing) even without signals. */
    @StopGated
    @Scheduled(every = "${rulescaler.capacity.tick-interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        Set<String> names = new HashSet<>(clusterNames());
        for (String name : names) {
            SessionOwner o = owners.computeIfAbsent(name, SessionOwner::new);
            if (o.queue.isEmpty()) {
                submit(name, null);
            }
        }
    }

    /** Evaluates every known cluster now (tests, and after a reload). */
    public CompletableFuture<Void> evaluateAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String name : clusterNames()) {
            all.add(submit(name, null));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    void onClusterChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ClusterChanged changed) {
        if (changed.deleted()) {
            states.forget(changed.name());
            SessionOwner o = owners.remove(changed.name());
            if (o != null) {
                o.exec.execute(() -> close(o));
                o.exec.shutdown();
            }
        } else {
            // before the evaluation below: it reads the new spec
            states.outdated(changed.name());
            submit(changed.name(), null);
        }
    }

    void onRulesReloaded(@Observes RulesReloaded reloaded) {
        for (SessionOwner o : owners.values()) {
            // ruleSet is null until a first evaluation ran: one may be finding no rules right now
            if (reloaded.ruleSet().equals(o.ruleSet) || o.ruleSet == null) {
                submit(o.cluster, null);
            }
        }
    }

    void onRulesEnabled(@Observes RulesEnabled enabled) {
        for (SessionOwner o : owners.values()) {
            if (enabled.ruleSet().equals(o.ruleSet)) {
                o.stoppedCheckedAt = 0;
                submit(o.cluster, null);
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        for (SessionOwner o : owners.values()) {
            o.exec.execute(() -> close(o));
            o.exec.shutdown();
        }
    }

    /** The last evaluation of a cluster in words. */
    public Why why(String cluster) {
        ClusterFacts f = states.stored(cluster).orElseThrow(() -> io.rulescaler.error.NotFoundException.of("cluster", cluster));
        SessionOwner o = owners.get(cluster);
        if (leases.epochOrAcquire(cluster) == 0) {
            o = new SessionOwner(cluster); // a stand-in that only says where the session runs
            o.problem = leases.notHere(cluster);
        }
        return WhyText.of(cluster, o, f, chainRuns.list(cluster, null, WHY_CHAIN_RUNS));
    }

    /** A copy of the facts in a cluster's session, read on its thread (status pages, tests). */
    public CompletableFuture<List<Object>> facts(String cluster) {
        SessionOwner o = owners.computeIfAbsent(cluster, SessionOwner::new);
        return CompletableFuture.supplyAsync(() -> o.session == null ? List.of() : o.session.facts(), o.exec);
    }

    /** Queries of a cluster currently held as stale. */
    public Set<String> staleQueries(String cluster) {
        SessionOwner o = owners.get(cluster);
        return o == null ? Set.of() : Set.copyOf(o.stale);
    }

    /** Marks or clears a stale query on the cluster's session (poller, policy hold). */
    public CompletableFuture<Void> stale(String cluster, String query, MetricsStale marker) {
        SessionOwner o = owners.computeIfAbsent(cluster, SessionOwner::new);
        return CompletableFuture.runAsync(() -> {
            if (marker == null) {
                o.stale.remove(query);
            } else {
                o.stale.add(query);
            }
            run(o, s -> s.stale(query, marker));
        }, o.exec);
    }

    /**
     * One evaluation, straight: read the cluster's state, bring the session up to date and fire its
     * rules (a plain {@link Evaluation}), let the decision stage judge and store what they
     * concluded, remember both for "why".
     */
    private void run(SessionOwner o, Consumer<RuleSession> signals) {
        long start = System.nanoTime();
        io.rulescaler.boot.PathStage.mark("evaluation-start", o.cluster);
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
                close(o);
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

    private SessionLimits limits() {
        return new SessionLimits(config.maxFactsPerSession(), config.maxFiringsPerEvaluation());
    }

    private List<String> clusterNames() {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> clusters.listAll().stream().map(c -> c.name).toList()).stream().filter(c -> leases.epochOrAcquire(c) != 0).toList();
    }

    /**
     * Only the holder of the cluster's session lease runs its session: elsewhere the session is
     * dropped; a new lease epoch (the cluster was owned elsewhere meanwhile) rebuilds it from storage.
     */
    private boolean leased(SessionOwner o) {
        long epoch = leases.epochOrAcquire(o.cluster);
        if (epoch == 0) {
            close(o);
            o.problem = leases.notHere(o.cluster);
            return false;
        }
        if (epoch != o.epoch) {
            close(o);
            o.epoch = epoch;
        }
        return true;
    }

    private static void close(SessionOwner o) {
        if (o.session != null) {
            o.session.close();
            o.session = null;
        }
    }
}
