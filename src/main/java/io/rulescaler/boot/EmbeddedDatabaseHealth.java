package io.rulescaler.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness and metrics of the embedded database's supervision, so an operator (and a load balancer) sees the
 * service stop taking work while mariadbd is being started again, and sees when it has given up. On an external
 * database the check is always UP (the datasource's own check reports that server).
 */
@Readiness
@ApplicationScoped
public class EmbeddedDatabaseHealth implements HealthCheck {

    static final String NAME = "embedded database";

    private final DatabaseConfig config;
    private final MeterRegistry registry;

    public EmbeddedDatabaseHealth(DatabaseConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** Hands the configured restart limits to the supervisor and registers its metrics. */
    void start(@Observes StartupEvent ev) {
        Optional<EmbeddedSupervisor> s = EmbeddedDatabase.supervisor();
        if (s.isEmpty()) {
            return;
        }
        EmbeddedSupervisor sup = s.get();
        sup.limits(config.restart().maxFailures(), config.restart().window());
        FunctionCounter.builder("rulescaler.embedded.database.restarts", sup, EmbeddedSupervisor::restarts)
                .description("times the embedded mariadbd was started again after it exited").register(registry);
        FunctionCounter.builder("rulescaler.embedded.database.exits", sup, EmbeddedSupervisor::exits)
                .description("times the embedded mariadbd exited without being asked to").register(registry);
        Gauge.builder("rulescaler.embedded.database.up", sup, x -> x.state() == EmbeddedSupervisor.State.RUNNING ? 1 : 0)
                .description("1 while the embedded mariadbd runs, 0 while it is restarting or given up").register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        Optional<EmbeddedSupervisor> s = EmbeddedDatabase.supervisor();
        if (s.isEmpty()) {
            return HealthCheckResponse.named(NAME).up().withData("mode", "external").build();
        }
        EmbeddedSupervisor sup = s.get();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME)
                .status(sup.state() == EmbeddedSupervisor.State.RUNNING)
                .withData("state", sup.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .withData("pid", sup.pid())
                .withData("port", sup.port())
                .withData("restarts", sup.restarts())
                .withData("exits", sup.exits())
                .withData("last", sup.lastEvent());
        if (sup.state() == EmbeddedSupervisor.State.GAVE_UP) {
            b.withData("action", "the embedded database failed " + sup.maxFailures() + " times within " + sup.window()
                    + " and is not started again; see the log, then restart the service");
        }
        return b.build();
    }
}
