package io.rulescaler.capacity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every counter the capacity planner and signal intake export, named in one place so that
 * dashboards and docs/rules.md agree: {@code rulescaler_rule_evaluations_total},
 * {@code rulescaler_decisions_total{verdict}}, {@code rulescaler_rule_reload_failures_total},
 * {@code rulescaler_runaway_evaluations_total}, {@code rulescaler_alerts_unmatched_total}, …
 */
@ApplicationScoped
public class CapacityMetrics {

    private final MeterRegistry registry;
    // looked up on every delivery and evaluation: a builder and a registry lookup each time cost more than a map get
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> evaluationTimers = new ConcurrentHashMap<>();

    public CapacityMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void evaluation(String cluster, Duration took) {
        evaluationTimers.computeIfAbsent(cluster, c -> Timer.builder("rulescaler.rule.evaluations")
                .description("Evaluations of a cluster's rule session").tag("cluster", c).register(registry)).record(took);
    }

    public void decision(String cluster, String verdict, String rule) {
        counter("rulescaler.decisions", "Decisions by guard verdict and rule", "cluster", cluster, "verdict", verdict,
                "rule", rule).increment();
    }

    /** Where an evaluation's cluster state came from. */
    public enum StateSource {
        /** Everything read from the database. */
        DATABASE,
        /** Spec, sizes and counts read; the node views of a recent read reused. */
        VIEW,
        /** A recent read reused whole. */
        REUSED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An evaluation read the cluster's state from the database, in part or whole, or reused what a recent one read. */
    public void stateRead(String cluster, StateSource source) {
        counter("rulescaler.session.state.reads", "Cluster state given to a rule evaluation: read from the database (database),"
                + " spec and sizes read with recent node views (view), or a recent read reused (reused)",
                "cluster", cluster, "source", source.label()).increment();
    }

    public void runaway(String cluster) {
        counter("rulescaler.runaway.evaluations", "Evaluations cut short by the firing cap", "cluster", cluster).increment();
    }

    /** A cluster's session stopped a rule that reached the firing or fact cap ({@code cap}: firings, facts). */
    public void ruleStopped(String cluster, String rule, String cap) {
        counter("rulescaler.rules.stopped", "Rules a cluster's session stopped for reaching the firing or fact cap",
                "cluster", cluster, "rule", rule, "cap", cap).increment();
    }

    public void droppedFacts(String cluster, long n) {
        counter("rulescaler.session.dropped.facts", "Signals dropped because a session held its fact cap", "cluster", cluster).increment(n);
    }

    public void reloadFailure(String ruleSet) {
        counter("rulescaler.rule.reload.failures", "Rule set compilations that failed (old rules kept)", "rule_set", ruleSet).increment();
    }

    public void reload(String ruleSet) {
        counter("rulescaler.rule.reloads", "Rule set compilations that replaced the running rules", "rule_set", ruleSet).increment();
    }

    public void alert(String status, boolean matched) {
        alerts(status, matched, 1);
    }

    /** {@code n} new alerts of one status, all matched or all not (a delivery's alerts counted at once). */
    public void alerts(String status, boolean matched, long n) {
        if (n <= 0) {
            return;
        }
        counter("rulescaler.alerts.received", "Alerts received from Alertmanager (after dedupe)", "status", status,
                "matched", String.valueOf(matched)).increment(n);
        if (!matched) {
            counter("rulescaler.alerts.unmatched", "Alerts for no known cluster (kept, not evaluated)").increment(n);
        }
    }

    public void duplicateAlert() {
        duplicateAlerts(1);
    }

    /** {@code n} alerts received again, counted once. */
    public void duplicateAlerts(long n) {
        if (n > 0) {
            counter("rulescaler.alerts.duplicates", "Alerts received again (HA peers, retries) and counted once").increment(n);
        }
    }

    public void samples(long n) {
        counter("rulescaler.samples.received", "Samples received (push and poll)").increment(n);
    }

    public void heartbeat() {
        counter("rulescaler.heartbeats.received", "Node heartbeats received").increment();
    }

    public void poll(String cluster, String query, boolean ok) {
        counter("rulescaler.poller.queries", "PromQL queries run by the poller", "cluster", cluster, "query", query,
                "outcome", ok ? "ok" : "stale").increment();
    }

    private Counter counter(String name, String help, String... tags) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(Arrays.asList(tags));
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(help).tags(tags).register(registry));
    }

    public MeterRegistry registry() {
        return registry;
    }
}
