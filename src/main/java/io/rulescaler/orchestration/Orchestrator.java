package io.rulescaler.orchestration;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.boot.InstanceId;
import io.rulescaler.orchestration.chain.ChainCatalog;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationService;
import io.rulescaler.orchestration.task.TaskCompletions;
import io.rulescaler.orchestration.task.TaskContexts;
import io.rulescaler.orchestration.task.TaskRunner;
import io.rulescaler.orchestration.task.TaskStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Wires this instance's part of the orchestrator: loads chains at start, runs the task runner,
 * and on a timer takes in scale requests, re-queues expired leases and reloads changed chains.
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);
    private final OrchestrationConfig config;
    private final ChainCatalog catalog;
    private final TaskStore store;
    private final OperationProgress progress;
    private final TaskCompletions completions;
    private final TaskContexts contexts;
    private final ActionRegistry actions;
    private final OperationService operations;
    private final Event<OperationEvent> events;
    private final Clock clock;
    private final InstanceId instanceId;
    private volatile TaskRunner runner;

    public Orchestrator(OrchestrationConfig config, ChainCatalog catalog, TaskStore store, OperationProgress progress,
                        TaskCompletions completions, TaskContexts contexts, ActionRegistry actions, OperationService operations,
                        Event<OperationEvent> events, Clock clock, InstanceId instanceId) {
        this.config = config;
        this.catalog = catalog;
        this.store = store;
        this.progress = progress;
        this.completions = completions;
        this.contexts = contexts;
        this.actions = actions;
        this.operations = operations;
        this.events = events;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    void onStart(@Observes StartupEvent e) {
        catalog.reload();
        if (config.enabled()) {
            runner = newRunner(instanceId.value(), config.workers());
        } else {
            LOG.info("orchestration disabled on this instance (rulescaler.orchestration.enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        if (runner != null) {
            runner.close();
        }
    }

    /** A runner sharing this instance's beans; tests use it to run a second "instance" in one JVM. */
    public TaskRunner newRunner(String owner, int workers) {
        return new TaskRunner(new TaskRunner.Settings(owner, workers, config.lease(), config.pollInterval(), config.logLimit()),
                store, completions, contexts, actions, clock, id -> events.fire(new OperationEvent(id, OperationEvent.Type.ENDED)));
    }

    /** This instance's runner (null when orchestration is disabled here). */
    public TaskRunner runner() {
        return runner;
    }

    void wakeOnStart(@Observes(during = TransactionPhase.AFTER_COMPLETION) OperationEvent e) {
        if (e.type() == OperationEvent.Type.STARTED && runner != null) {
            runner.wake();
        }
    }

    /** Identity of the scale-request intake job (tests pause it to keep a request pending). */
    public static final String INTAKE_JOB = "orchestration-intake";

    @Scheduled(identity = INTAKE_JOB, every = "${rulescaler.orchestration.intake-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void intake() {
        if (config.enabled()) {
            operations.intakeAll();
        }
    }

    @Scheduled(every = "${rulescaler.orchestration.janitor-interval}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void janitor() {
        if (!config.enabled()) {
            return;
        }
        try {
            int requeued = store.requeueExpired();
            for (Long id : progress.sweep()) {
                events.fire(new OperationEvent(id, OperationEvent.Type.ENDED));
            }
            if (requeued > 0 && runner != null) {
                runner.wake();
            }
        } catch (RuntimeException ex) {
            LOG.warnf("janitor round failed problem=%s", ex.toString());
        }
    }

    @Scheduled(every = "${rulescaler.orchestration.chain-reload-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadChains() {
        catalog.reloadIfChanged();
    }
}
