package io.rulescaler.orchestration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Operations and tasks as Prometheus sees them, for the dashboard: operations in flight by state
 * ({@code rulescaler_operations_active{state}}, read from the database, so every instance reports
 * the same), each ended operation's duration by kind and final state
 * ({@code rulescaler_operation_duration_seconds}) and its failed tasks by action
 * ({@code rulescaler_task_failures_total{action}}). Observes {@link OperationEvent}; changes nothing.
 */
@ApplicationScoped
public class OperationMetrics {

    private static final Logger LOG = Logger.getLogger(OperationMetrics.class);
    private static final List<OperationState> IN_FLIGHT = List.of(OperationState.RUNNING, OperationState.ROLLING_BACK,
            OperationState.CANCELLING);

    private final MeterRegistry registry;
    private final EntityManager em;
    private final ActionRegistry actions;
    private final Map<OperationState, AtomicInteger> active = new EnumMap<>(OperationState.class);

    public OperationMetrics(MeterRegistry registry, EntityManager em, ActionRegistry actions) {
        this.registry = registry;
        this.em = em;
        this.actions = actions;
    }

    void onStart(@Observes StartupEvent ev) {
        for (OperationState s : IN_FLIGHT) {
            AtomicInteger v = new AtomicInteger();
            active.put(s, v);
            Gauge.builder("rulescaler.operations.active", v, AtomicInteger::get)
                    .description("Operations in flight, by state (all instances)").tag("state", s.label()).register(registry);
        }
        // every action's failure series exists from the start, so a dashboard shows 0 rather than nothing
        actions.available().forEach(this::taskFailures);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void countActive() {
        if (active.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT state, COUNT(*) FROM operation WHERE active_cluster IS NOT NULL GROUP BY state").getResultList());
        active.values().forEach(v -> v.set(0));
        for (Object[] r : rows) {
            AtomicInteger v = active.get(OperationState.valueOf((String) r[0]));
            if (v != null) {
                v.set(((Number) r[1]).intValue());
            }
        }
    }

    void onOperation(@Observes(during = TransactionPhase.AFTER_SUCCESS) OperationEvent e) {
        if (e.type() != OperationEvent.Type.ENDED) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> record(e.operationId()));
        } catch (RuntimeException ex) {
            LOG.warnf("operation metrics not recorded operation=%d problem=%s", e.operationId(), ex.toString());
        }
    }

    private void record(long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> op = em.createNativeQuery("SELECT kind, state, created_at, finished_at FROM operation WHERE id = ?1")
                .setParameter(1, id).getResultList();
        if (op.isEmpty()) {
            return;
        }
        Object[] o = op.get(0);
        Instant created = instant(o[2]);
        Instant finished = instant(o[3]);
        if (created != null && finished != null) {
            Timer.builder("rulescaler.operation.duration").description("Operations from start to end, by kind and final state")
                    .tag("kind", String.valueOf(o[0]).toLowerCase()).tag("state", String.valueOf(o[1]).toLowerCase())
                    .register(registry).record(Duration.between(created, finished));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> failed = em.createNativeQuery("SELECT action_type, COUNT(*) FROM task WHERE operation_id = ?1"
                + " AND state = 'FAILED' GROUP BY action_type").setParameter(1, id).getResultList();
        for (Object[] f : failed) {
            taskFailures((String) f[0]).increment(((Number) f[1]).doubleValue());
        }
    }

    private static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime l) {
            return l.atZone(ZoneId.systemDefault()).toInstant();
        }
        return o instanceof Instant i ? i : null;
    }

    private Counter taskFailures(String action) {
        return Counter.builder("rulescaler.task.failures").description("Tasks that ended failed, by action")
                .tag("action", action).register(registry);
    }
}
