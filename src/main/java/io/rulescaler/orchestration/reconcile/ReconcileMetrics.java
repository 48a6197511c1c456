package io.rulescaler.orchestration.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reconciliation's metrics: {@code rulescaler_reconcile_unknown_machines{cluster}} (machines of ours
 * no node accounts for, as of the last round), {@code rulescaler_reconcile_runs_total{profile,outcome}},
 * {@code rulescaler_reconcile_provider_errors_total{profile}}, {@code rulescaler_reconcile_failed_nodes_total{cluster}}
 * and {@code rulescaler_reconcile_adopted_machines_total{cluster}}.
 */
@ApplicationScoped
public class ReconcileMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> unknown = new ConcurrentHashMap<>();

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void unknownMachines(String cluster, int count) {
        unknown.computeIfAbsent(cluster, c -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("rulescaler.reconcile.unknown.machines", v, AtomicInteger::get)
                    .description("Machines of this installation that no node row accounts for (last reconciliation)")
                    .tag("cluster", c).register(registry);
            return v;
        }).set(count);
    }

    void run(String profile, String outcome) {
        counter("rulescaler.reconcile.runs", "Reconciliations of a provider profile's clusters", "profile", profile,
                "outcome", outcome).increment();
    }

    void providerError(String profile) {
        counter("rulescaler.reconcile.provider.errors", "Reconciliations skipped because the provider did not answer",
                "profile", profile).increment();
    }

    void failed(String cluster, int n) {
        counter("rulescaler.reconcile.failed.nodes", "Nodes marked failed because their machine vanished", "cluster", cluster)
                .increment(n);
    }

    void adopted(String cluster, int n) {
        counter("rulescaler.reconcile.adopted.machines", "Machines adopted by the node they are tagged for", "cluster", cluster)
                .increment(n);
    }

    private Counter counter(String name, String help, String... tags) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }
}
