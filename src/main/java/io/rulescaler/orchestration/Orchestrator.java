package io.rulescaler.orchestration;

import io.rulescaler.boot.StopGated;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.boot.InstanceId;
import io.rulescaler.boot.PathStage;
import io.rulescaler.boot.Round;
import io.rulescaler.handoff.ChainRunWritten;
import io.rulescaler.handoff.ScaleRequestWritten;
import io.rulescaler.orchestration.chain.ChainCatalog;
import io.rulescaler.orchestration.operation.ChainRunIntake;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Wires this instance's part of the orchestrator: loads chains at start, runs the task runner,
 * takes in a scale request as soon as it commits on this instance (and, on a timer, those written
 * by other instances), re-queues expired leases and reloads changed chains.
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
    /** Clusters with a request committed here that the intake thread has not taken in yet. */
    private final Set<String> woken = ConcurrentHashMap.newKeySet();
    /** Clusters with a chain run committed here that the intake thread has not taken in yet. */
    private final Set<String> wokenRuns = ConcurrentHashMap.newKeySet();
    private final ChainRunIntake runIntake;
    private final io.rulescaler.orchestration.task.TaskHandOver handOver;
    private final AtomicBoolean intakeQueued = new AtomicBoolean();
    private final ExecutorService intakeThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scale-request-intake");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean started;
    /** The scheduled intake and janitor rounds, which the stop lets finish. */
    private final io.rulescaler.boot.StopGate rounds = new io.rulescaler.boot.StopGate();

    public Orchestrator(OrchestrationConfig config, ChainCatalog catalog, TaskStore store, OperationProgress progress,
                        TaskCompletions completions, TaskContexts contexts, ActionRegistry actions, OperationService operations,
                        Event<OperationEvent> events, Clock clock, InstanceId instanceId, ChainRunIntake runIntake,
                        io.rulescaler.orchestration.task.TaskHandOver handOver) {
        this.handOver = handOver;
        this.runIntake = runIntake;
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
            handOver.attach(runner); // the intake hands the first tasks of what it plans straight to these workers
        } else {
            LOG.info("orchestration disabled on this instance (rulescaler.orchestration.enabled=false)");
        }
        started = true;
        if (!woken.isEmpty() || !wokenRuns.isEmpty()) {
            queueIntake();
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        rounds.closeAndAwait(java.time.Duration.ofSeconds(10)); // rounds in progress finish while the database is there
        intakeThread.shutdownNow();
        handOver.attach(null);
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
        if (e.type() == OperationEvent.Type.STARTED && !e.handedOver() && runner != null) {
            runner.wake();
        }
    }

    /**
     * A scale request committed on this instance: its cluster's intake runs now on the intake thread
     * instead of at the next poll. Observed after the writing transaction succeeded, so a request
     * that rolls back wakes nothing and the intake never runs before the request is visible; a
     * burst of requests while the thread is busy coalesces into one more round per cluster.
     */
    void wakeIntake(@Observes(during = TransactionPhase.AFTER_SUCCESS) ScaleRequestWritten written) {
        PathStage.mark("decision-committed", written.cluster()); // with its scale request, in one transaction
        if (config.enabled()) {
            woken.add(written.cluster());
            if (started) {
                queueIntake();
            }
        }
    }

    /** A chain run committed on this instance: taken in on the intake thread at once, like a scale request. */
    void wakeRunIntake(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChainRunWritten written) {
        if (config.enabled()) {
            wokenRuns.add(written.cluster());
            if (started) {
                queueIntake();
            }
        }
    }

    private void queueIntake() {
        if (intakeQueued.compareAndSet(false, true)) {
            try {
                intakeThread.execute(this::intakeWoken);
            } catch (RejectedExecutionException e) {
                intakeQueued.set(false); // shutting down: the other instances' polls take the request
            }
        }
    }

    private void intakeWoken() {
        intakeQueued.set(false); // a request committed from here on queues another round
        for (String cluster : List.copyOf(woken)) {
            woken.remove(cluster);
            PathStage.mark("intake-woken", cluster);
            try {
                operations.intake(cluster);
            } catch (RuntimeException e) {
                LOG.warnf("woken intake failed cluster=%s problem=%s (the poll retries)", cluster, e.toString());
            }
        }
        for (String cluster : List.copyOf(wokenRuns)) {
            wokenRuns.remove(cluster);
            runIntake.intake(cluster);
        }
    }

    /** Identity of the scale-request poll, the fallback for requests written by other instances (tests pause it to keep a request pending). */
    public static final String INTAKE_JOB = "orchestration-intake";

    @Scheduled(identity = INTAKE_JOB, every = "${rulescaler.orchestration.intake-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void intake() {
        if (config.enabled() && rounds.enter()) {
            Round round = Round.begin("Orchestrator.intake");
            try {
                operations.intakeAll();
                runIntake.intakeAll();
            } finally {
                round.done();
                rounds.leave();
            }
        }
    }

    @Scheduled(every = "${rulescaler.orchestration.janitor-interval}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void janitor() {
        if (!config.enabled() || !rounds.enter()) {
            return;
        }
        Round round = Round.begin("Orchestrator.janitor");
        try {
            int requeued = store.requeueExpired();
            for (Long id : progress.sweep()) {
                events.fire(new OperationEvent(id, OperationEvent.Type.ENDED));
            }
            if (requeued > 0 && runner != null) {
                runner.wake();
            }
        } catch (RuntimeException ex) {
            if (rounds.closed()) {
                LOG.debugf("janitor round cut short by the stop problem=%s", ex.toString());
                return;
            }
            LOG.warnf("janitor round failed problem=%s", ex.toString());
        } finally {
            round.done();
            rounds.leave();
        }
    }

    @StopGated
    @Scheduled(every = "${rulescaler.orchestration.chain-reload-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void reloadChains() {
        catalog.reloadIfChanged();
    }
}
