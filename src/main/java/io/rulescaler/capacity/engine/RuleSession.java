package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.Alert;
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
import java.util.List;
import java.util.Map;
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
 */
public final class RuleSession implements AutoCloseable {

    private final String cluster;
    private final CompiledRules rules;
    private final SessionLimits limits;
    private final KieSession session;
    private final SessionPseudoClock clock;
    private FactHandle clusterHandle;
    private final Map<String, FactHandle> nodes = new HashMap<>();
    private final Map<String, FactHandle> alerts = new HashMap<>();
    private final Map<String, FactHandle> stale = new HashMap<>();
    private final List<FiredDecision> fired = new ArrayList<>();
    private final List<FactHandle> decisionHandles = new ArrayList<>();
    private final Map<String, FiredChain> chainRuns = new LinkedHashMap<>();
    private final Map<String, Integer> rulesFired = new LinkedHashMap<>();
    private final DefaultRuleRuntimeEventListener decisionCapture;
    private Match current;
    private long dropped;

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
                if (event.getObject() instanceof ScaleDecision d) {
                    Match m = current;
                    String rule = event.getRule() != null ? event.getRule().getName() : m != null ? m.getRule().getName() : "?";
                    fired.add(new FiredDecision(d, rule, m == null ? List.of() : matched(m), m == null ? Map.of() : bindings(m)));
                    decisionHandles.add(event.getFactHandle());
                } else if (event.getObject() instanceof RunChain r) {
                    // the same run asked again in this evaluation counts, it does not queue another
                    FiredChain first = chainRuns.get(r.key());
                    if (first != null) {
                        chainRuns.put(r.key(), first.again());
                    } else {
                        Match m = current;
                        String rule = event.getRule() != null ? event.getRule().getName() : m != null ? m.getRule().getName() : "?";
                        chainRuns.put(r.key(), new FiredChain(r, rule, m == null ? List.of() : matched(m), m == null ? Map.of() : bindings(m), 1));
                    }
                    decisionHandles.add(event.getFactHandle());
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
     * Fires rules up to the cap and takes the decisions out of the session. A run that hits the
     * cap is a runaway: its decisions are not trusted and are returned empty.
     */
    public Evaluation evaluate() {
        fired.clear();
        chainRuns.clear();
        decisionHandles.clear();
        rulesFired.clear();
        session.addEventListener(decisionCapture);
        int firings;
        try {
            firings = session.fireAllRules(limits.maxFirings());
        } finally {
            session.removeEventListener(decisionCapture);
        }
        boolean runaway = firings >= limits.maxFirings();
        for (FactHandle h : decisionHandles) {
            if (session.getObject(h) != null) {
                session.delete(h);
            }
        }
        List<FiredDecision> decisions = runaway ? List.of() : List.copyOf(fired);
        // chain requests survive a runaway, one per chain and node: their guard allows one run at a time
        return new Evaluation(cluster, now(), firings, limits.maxFirings(), runaway, Map.copyOf(rulesFired),
                decisions, session.getFactCount(), dropped, List.copyOf(chainRuns.values()));
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

    private static List<Object> matched(Match m) {
        List<Object> out = new ArrayList<>();
        for (Object o : m.getObjects()) {
            if (o != null && !(o instanceof ScaleDecision) && !(o instanceof RunChain)) {
                out.add(o);
            }
        }
        return out;
    }

    private static Map<String, Object> bindings(Match m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String id : m.getDeclarationIds()) {
            Object v;
            try {
                v = m.getDeclarationValue(id);
            } catch (RuntimeException e) {
                continue;
            }
            if (v instanceof Number || v instanceof String || v instanceof Boolean || v == null) {
                out.put(id, v);
            }
        }
        return out;
    }
}
