package io.rulescaler.orchestration;

import io.rulescaler.boot.StopGated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.orchestration.operation.OperationState;
import io.rulescaler.orchestration.task.TaskRepository;
import io.rulescaler.orchestration.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
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
    private final OperationRepository operations;
    private final TaskRepository tasks;
    private final ActionRegistry actions;
    private final Map<OperationState, AtomicInteger> active = new EnumMap<>(OperationState.class);

    public OperationMetrics(MeterRegistry registry, OperationRepository operations, TaskRepository tasks, ActionRegistry actions) {
        this.registry = registry;
        this.operations = operations;
        this.tasks = tasks;
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

    @StopGated
    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void countActive() {
        if (active.isEmpty()) {
            return;
        }
        List<InState> rows = QuarkusTransaction.requiringNew().call(() -> operations.find(
                "select state, count(*) from OperationEntity where activeCluster is not null group by state").project(InState.class).list());
        active.values().forEach(v -> v.set(0));
        for (InState r : rows) {
            AtomicInteger v = active.get(r.state());
            if (v != null) {
                v.set(r.count().intValue());
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
        Ended o = operations.find("select kind, state, createdAt, finishedAt from OperationEntity where id = ?1", id)
                .project(Ended.class).firstResult();
        if (o == null) {
            return;
        }
        if (o.createdAt() != null && o.finishedAt() != null) {
            Timer.builder("rulescaler.operation.duration").description("Operations from start to end, by kind and final state")
                    .tag("kind", o.kind().name().toLowerCase()).tag("state", o.state().name().toLowerCase())
                    .register(registry).record(Duration.between(o.createdAt(), o.finishedAt()));
        }
        for (Failed f : tasks.find("select actionType, count(*) from TaskEntity where operationId = ?1 and state = ?2 group by actionType",
                id, TaskState.FAILED).project(Failed.class).list()) {
            taskFailures(f.actionType()).increment(f.count().doubleValue());
        }
    }

    /** Operations in one state. */
    record InState(OperationState state, Long count) {
    }

    /** What the duration metric needs of an ended operation. */
    record Ended(OperationEntity.Kind kind, OperationState state, Instant createdAt, Instant finishedAt) {
    }

    /** Failed tasks of one action. */
    record Failed(String actionType, Long count) {
    }


    private Counter taskFailures(String action) {
        return Counter.builder("rulescaler.task.failures").description("Tasks that ended failed, by action")
                .tag("action", action).register(registry);
    }
}
