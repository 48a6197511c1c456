package io.rulescaler.capacity.lease;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Which instance runs how many rule sessions, for the dashboard's ownership panel:
 * {@code rulescaler_sessions_owned{instance_id}} and {@code rulescaler_sessions_live_instances{instance_id}} (not "instance": Prometheus sets that label itself).
 */
@ApplicationScoped
public class SessionMetrics {

    private final SessionLeases leases;
    private final MeterRegistry registry;

    public SessionMetrics(SessionLeases leases, MeterRegistry registry) {
        this.leases = leases;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent ev) {
        String me = leases.instanceId();
        Gauge.builder("rulescaler.sessions.owned", leases, l -> l.held().size())
                .description("Rule sessions this instance holds the lease of").tag("instance_id", me).register(registry);
        Gauge.builder("rulescaler.sessions.live.instances", leases, l -> l.balance() == null ? 0 : l.balance().liveInstances())
                .description("Instances sharing the sessions, as this instance's last renewal saw them").tag("instance_id", me)
                .register(registry);
    }
}
