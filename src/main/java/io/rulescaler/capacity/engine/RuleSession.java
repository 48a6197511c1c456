package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterParameters;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.fact.RunChain;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.fact.ScaleDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.runtime.rule.Match;
import org.kie.api.time.SessionPseudoClock;

/**
 * One cluster's Drools session in STREAM mode on a pseudo clock that the owner moves forward to
 * the wall clock (or to scenario time), so windows, expiries and cron timers behave the same in
 * the service, in tests and in the offline tools. Not thread-safe: exactly one thread owns it.
 * The rule that inserted each {@link ScaleDecision} or {@link RunChain} and the facts it matched are
 * captured by listeners, so rule authors never record them by hand.
 *
 * <p>Bounded: signals and the facts rules insert share one fact cap, and firings per evaluation are capped. A rule
 * that reaches a cap is stopped for this session (an agenda filter) and the facts it inserted are dropped, so the
 * other rules keep deciding ({@link #evaluate()}).
 */
public final class RuleSession implements AutoCloseable {

    private final String cluster;
    private final CompiledRules rules;
    private final SessionLimits limits;
    private final KieSession session;
    private final SessionPseudoClock clock;
    private FactHandle clusterHandle;
    private FactHandle parametersHandle;
    private final Map<String, FactHandle> nodes = new HashMap<>();
    private final Map<String, FactHandle> alerts = new HashMap<>();
    private final Map<String, FactHandle> stale = new HashMap<>();
    private final List<FiredDecision> fired = new ArrayList<>();
    private final List<FactHandle> decisionHandles = new ArrayList<>();
    private final Map<String, FiredChain> chainRuns = new LinkedHashMap<>();
    private final Map<String, Integer> rulesFired = new LinkedHashMap<>();
    private final DefaultRuleRuntimeEventListener decisionCapture;
    private final List<List<FactHandle>> firedHandles = new ArrayList<>();
    private final RuleInsertions insertions = new RuleInsertions();
    private final Set<String> disabled = new LinkedHashSet<>();
    private final AgendaFilter enabledOnly = m -> !disabled.contains(m.getRule().getName());
    private Match current;
    private long dropped;
    private boolean overFacts;

    public RuleSession(String cluster, CompiledRules rules, SessionLimits limits, Instant start) {
        if (!rules.ok()) {
            throw new IllegalArgumentException("rule set " + rules.ruleSet() + " did not compile: " + rules.errors());
        }
        this.cluster = cluster;
        this.rules = rules;
        this.limits = limits;
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        KieBase base = rules.kieBase();
        this.session = base.newKieSession(conf, null);
        this.clock = session.getSessionClock();
        clock.advanceTime(start.toEpochMilli(), TimeUnit.MILLISECONDS);
        // always there, so rules may join it whether or not the spec defines parameters
        this.parametersHandle = session.insert(new ClusterParameters(cluster, Map.of()));
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                current = event.getMatch();
                rulesFired.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                current = null;
            }
        });
        // attached only while rules fire (evaluate()): decisions are inserted by rules, and samples
        // pushed between evaluations then cost no listener call each
        this.decisionCapture = new DefaultRuleRuntimeEventListener() {
            @Override
            public void objectInserted(ObjectInsertedEvent event) {
                Match m = current;
                String rule = event.getRule() != null ? event.getRule().getName() : m != null ? m.getRule().getName() : null;
                if (event.getObject() instanceof ScaleDecision d) {
                    fired.add(new FiredDecision(d, rule == null ? "?" : rule, m == null ? List.of() : MatchValues.matched(m),
                            m == null ? Map.of() : MatchValues.bindings(m)));
                    firedHandles.add(m == null ? List.of() : List.copyOf(m.getFactHandles()));
                    decisionHandles.add(event.getFactHandle());
                } else if (event.getObject() instanceof RunChain r) {
                    // the same run asked again in this evaluation counts, it does not queue another
                    FiredChain first = chainRuns.get(r.key());
                    if (first != null) {
                        chainRuns.put(r.key(), first.again());
                    } else {
                        chainRuns.put(r.key(), new FiredChain(r, rule == null ? "?" : rule, m == null ? List.of() : MatchValues.matched(m),
                                m == null ? Map.of() : MatchValues.bindings(m), 1));
                    }
                    decisionHandles.add(event.getFactHandle());
                } else if (rule != null) {
                    insertions.inserted(rule, event.getFactHandle());
                    // the facts rules insert count against the cap: past it, the firing stops after this match
                    if (!overFacts && session.getFactCount() > limits.maxFacts() && insertions.tracked(rule) >= RuleCaps.factShare(limits)) {
                        overFacts = true;
                        session.halt();
                    }
                }
            }
        };
    }

    public String cluster() {
        return cluster;
    }

    public CompiledRules rules() {
        return rules;
    }

    /** Session time. */
    public Instant now() {
        return Instant.ofEpochMilli(clock.getCurrentTime());
    }

    /** Moves session time forward to {@code t}; never backwards. Timers due on the way fire. */
    public void advanceTo(Instant t) {
        long delta = t.toEpochMilli() - clock.getCurrentTime();
        if (delta > 0) {
            clock.advanceTime(delta, TimeUnit.MILLISECONDS);
        }
    }

    /** Replaces the cluster's anchor fact. */
    public void setCluster(ClusterView view) {
        if (clusterHandle == null) {
            clusterHandle = session.insert(view);
            return;
        }
        String[] changed = Changes.of((ClusterView) session.getObject(clusterHandle), view);
        if (changed.length > 0) {
            // only the changed properties: a rule joining ClusterView() without constraints on
            // them (e.g. the alert rule) must not fire again because the desired size moved
            session.update(clusterHandle, view, changed);
        }
    }

    /**
     * Replaces the cluster's {@link ClusterParameters} when they differ: deleted and inserted again (not
     * updated), so every rule joining them is evaluated anew and what it inserted logically is taken back.
     */
    public void setParameters(Map<String, String> values) {
        ClusterParameters next = new ClusterParameters(cluster, values);
        if (!next.equals(session.getObject(parametersHandle))) {
            session.delete(parametersHandle);
            parametersHandle = session.insert(next);
        }
    }

    public ClusterParameters parameters() {
        return (ClusterParameters) session.getObject(parametersHandle);
    }

    public ClusterView clusterView() {
        return clusterHandle == null ? null : (ClusterView) session.getObject(clusterHandle);
    }

    /** Inserts or replaces a node fact. */
    public void putNode(NodeView node) {
        FactHandle h = nodes.get(node.getId());
        if (h == null) {
            nodes.put(node.getId(), session.insert(node));
        } else {
            String[] changed = Changes.of((NodeView) session.getObject(h), node);
            if (changed.length > 0) {
                session.update(h, node, changed);
            }
        }
    }

    /** Removes a node fact that is no longer part of the cluster. */
    public void removeNode(String id) {
        FactHandle h = nodes.remove(id);
        if (h != null) {
            session.delete(h);
        }
    }

    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** A firing alert enters the session (once per fingerprint); a resolved one retracts it. */
    public boolean alert(Alert alert) {
        if ("resolved".equals(alert.getStatus())) {
            FactHandle h = alerts.remove(alert.getFingerprint());
            if (h != null) {
                session.delete(h);
                return true;
            }
            return false;
        }
        FactHandle h = alerts.get(alert.getFingerprint());
        if (h == null) {
            alerts.put(alert.getFingerprint(), session.insert(alert));
        } else {
            session.update(h, alert);
        }
        return true;
    }

    public int alertCount() {
        return alerts.size();
    }

    /** Sets or clears the stale marker of a polled query. */
    public void stale(String query, MetricsStale marker) {
        FactHandle h = stale.get(query);
        if (marker == null) {
            if (h != null) {
                session.delete(h);
                stale.remove(query);
            }
        } else if (h == null) {
            stale.put(query, session.insert(marker));
        }
    }

    /** Inserts a sample or heartbeat unless the session holds its cap of facts already. */
    public boolean event(Object event) {
        if (session.getFactCount() >= limits.maxFacts()) {
            dropped++;
            return false;
        }
        session.insert(event);
        return true;
    }

    public long factCount() {
        return session.getFactCount();
    }

    public long droppedFacts() {
        return dropped;
    }

    /**
     * Fires the enabled rules up to the firing cap and takes the decisions out of the session. A rule that reaches
     * a cap is stopped for this session and what it inserted is dropped:
     *
     * <pre>
     *  firing cap reached ─> the rule that fired most, and every rule that fired a tenth of the cap or more (a loop
     *                        of several rules), are stopped
     *  fact cap passed    ─> the rule holding the most facts it inserted (at least 1 % of the cap) is stopped; the
     *                        firing halts at once
     * </pre>
     *
     * Decisions of stopped rules are discarded; decisions of the other rules in the same evaluation are kept unless
     * their match holds a fact a stopped rule inserted. Rules not reached because the firing stopped fire in the
     * next evaluation.
     */
    public Evaluation evaluate() {
        fired.clear();
        chainRuns.clear();
        firedHandles.clear();
        decisionHandles.clear();
        rulesFired.clear();
        overFacts = false;
        session.addEventListener(decisionCapture);
        int firings;
        try {
            firings = session.fireAllRules(enabledOnly, limits.maxFirings());
        } finally {
            session.removeEventListener(decisionCapture);
        }
        insertions.prune(session);
        List<StoppedRule> stopped = new ArrayList<>();
        if (firings >= limits.maxFirings()) {
            stopped.addAll(RuleCaps.loopers(rulesFired, firings, limits, rules));
        }
        if (session.getFactCount() - decisionHandles.size() > limits.maxFacts()) {
            Set<String> already = RuleCaps.names(stopped);
            String r = insertions.largest(already);
            if (r != null && insertions.tracked(r) >= RuleCaps.factShare(limits)) {
                stopped.add(new StoppedRule(r, rules.fileOf(r), StoppedRule.Cap.FACTS, insertions.tracked(r),
                        "held " + insertions.tracked(r) + " facts it inserted when the session passed its cap of "
                                + limits.maxFacts() + " facts"));
            }
        }
        Set<String> stoppedNames = RuleCaps.names(stopped);
        Set<FactHandle> tainted = insertions.handlesOf(stoppedNames);
        List<FiredDecision> decisions = new ArrayList<>();
        for (int i = 0; i < fired.size(); i++) {
            if (!stoppedNames.contains(fired.get(i).rule()) && firedHandles.get(i).stream().noneMatch(tainted::contains)) {
                decisions.add(fired.get(i));
            }
        }
        for (FactHandle h : decisionHandles) {
            if (session.getObject(h) != null) {
                session.delete(h);
            }
        }
        for (String r : stoppedNames) {
            disable(r);
        }
        boolean runaway = !stopped.isEmpty() || firings >= limits.maxFirings();
        // chain requests survive a runaway, one per chain and node, even the stopped rule's: their guard allows one run
        // at a time, so a rule asking 10 000 times yields one operation
        List<FiredChain> chains = List.copyOf(chainRuns.values());
        return new Evaluation(cluster, now(), firings, limits.maxFirings(), runaway, Map.copyOf(rulesFired),
                List.copyOf(decisions), session.getFactCount(), dropped, List.copyOf(stopped), List.copyOf(disabled), chains);
    }

    /** Stops {@code rule} in this session (its matches are filtered out) and drops the facts it inserted. */
    public int disable(String rule) {
        disabled.add(rule);
        return insertions.drop(rule, session);
    }

    /**
     * Lets a stopped rule fire again; true when it was stopped. Matches filtered out while it was stopped are gone:
     * carry the session over ({@link #carryTo}) for the rule to see the facts already there.
     */
    public boolean enable(String rule) {
        return disabled.remove(rule);
    }

    /** The rules stopped in this session. */
    public Set<String> disabledRules() {
        return Set.copyOf(disabled);
    }

    /**
     * A new session on other rules holding this session's facts and time, for a hot reload; this
     * session stays usable until the caller closes it.
     */
    public RuleSession carryTo(CompiledRules newRules) {
        RuleSession next = new RuleSession(cluster, newRules, limits, now());
        ClusterView view = clusterView();
        if (view != null) {
            next.setCluster(view);
        }
        next.setParameters(parameters().getValues());
        for (FactHandle h : nodes.values()) {
            next.putNode((NodeView) session.getObject(h));
        }
        for (FactHandle h : alerts.values()) {
            next.alert((Alert) session.getObject(h));
        }
        for (Map.Entry<String, FactHandle> e : stale.entrySet()) {
            next.stale(e.getKey(), (MetricsStale) session.getObject(e.getValue()));
        }
        // in event-time order, as they first arrived: windows and expiry queues stay append-only
        List<Object> events = new ArrayList<>(session.getObjects(o -> o instanceof Sample || o instanceof Heartbeat));
        events.sort(java.util.Comparator.comparingLong(RuleSession::eventTime));
        for (Object o : events) {
            next.event(o);
        }
        next.dropped = dropped;
        next.disabled.addAll(disabled);
        return next;
    }

    /** All facts of the session (for status pages and tests). */
    public List<Object> facts() {
        return new ArrayList<>(session.getObjects());
    }

    @Override
    public void close() {
        session.dispose();
    }

    private static long eventTime(Object event) {
        return event instanceof Sample s ? s.getTimestamp() : ((Heartbeat) event).getTimestamp();
    }
}
