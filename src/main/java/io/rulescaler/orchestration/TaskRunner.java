package io.rulescaler.orchestration;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.action.ActionResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One instance's workers: a dispatcher claims READY tasks (as many as there are free workers),
 * a bounded pool runs their actions off the event loop with a timeout, and a heartbeat renews the
 * leases of running tasks and notices cancelled operations. Several runners (instances) share one
 * database safely; a plain class so a test can run two in one JVM.
 */
public final class TaskRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private final String owner;
    private final int workers;
    private final Duration lease;
    private final Duration poll;
    private final int logLimit;
    private final TaskStore store;
    private final TaskContexts contexts;
    private final ActionRegistry actions;
    private final Clock clock;
    private final Consumer<Long> onOperationEnded;
    private final ExecutorService pool;
    private final ExecutorService actionThreads;
    private final ScheduledExecutorService heartbeat;
    private final Semaphore free;
    private final Object wake = new Object();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<Long> cancelledOperations = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger executed = new AtomicInteger();
    private final Thread dispatcher;

    /** What a runner needs; one object so the constructor stays readable. */
    public record Settings(String owner, int workers, Duration lease, Duration poll, int logLimit) {
    }

    public TaskRunner(Settings s, TaskStore store, TaskContexts contexts, ActionRegistry actions, Clock clock,
                      Consumer<Long> onOperationEnded) {
        this.owner = s.owner();
        this.workers = s.workers();
        this.lease = s.lease();
        this.poll = s.poll();
        this.logLimit = s.logLimit();
        this.store = store;
        this.contexts = contexts;
        this.actions = actions;
        this.clock = clock;
        this.onOperationEnded = onOperationEnded;
        this.free = new Semaphore(workers);
        this.pool = Executors.newFixedThreadPool(workers, named("task-worker-" + owner));
        this.actionThreads = Executors.newCachedThreadPool(named("task-action-" + owner));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(named("task-heartbeat-" + owner));
        long every = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        this.dispatcher = named("task-dispatcher-" + owner).newThread(this::dispatch);
        dispatcher.start();
        LOG.infof("task runner started owner=%s workers=%d lease=%s", owner, workers, lease);
    }

    public String owner() {
        return owner;
    }

    /** How many attempts this runner has executed (for tests and metrics). */
    public int executed() {
        return executed.get();
    }

    /** Looks for work now instead of at the next poll (after a new operation was planned here). */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void dispatch() {
        while (running.get()) {
            try {
                int slots = free.availablePermits();
                List<Long> claimed = slots == 0 ? List.of() : store.claim(owner, slots, lease);
                for (Long id : claimed) {
                    free.acquireUninterruptibly();
                    pool.execute(() -> {
                        try {
                            execute(id);
                        } finally {
                            free.release();
                            wake();
                        }
                    });
                }
                if (claimed.isEmpty() || free.availablePermits() == 0) {
                    synchronized (wake) {
                        wake.wait(poll.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warnf("task dispatcher problem owner=%s problem=%s", owner, e.toString());
                sleep(poll.toMillis() * 4);
            }
        }
    }

    private void execute(long taskId) {
        TaskEntity t;
        try {
            t = store.leased(taskId, owner);
        } catch (RuntimeException e) {
            LOG.warnf("cannot read claimed task=%d problem=%s", taskId, e.toString());
            return;
        }
        if (t == null) {
            return;
        }
        int attempt = t.attempt;
        long operationId = t.operationId;
        inFlight.put(taskId, operationId);
        BoundedLog log = new BoundedLog(logLimit, clock);
        TaskStore.Outcome outcome;
        long t0 = System.nanoTime();
        try {
            log.line("attempt " + attempt + " of " + t.maxAttempts + " on " + owner + ": " + t.actionType
                    + (t.nodeName == null ? "" : " for " + t.nodeName));
            outcome = run(t, log, operationId);
        } finally {
            inFlight.remove(taskId);
        }
        executed.incrementAndGet();
        log.line((outcome.success() ? "ok" : "failed") + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                + (outcome.message() == null ? "" : ": " + outcome.message()));
        TaskStore.Outcome logged = new TaskStore.Outcome(outcome.success(), outcome.retryable(), outcome.message(),
                outcome.outputs(), log.toString());
        TaskStore.Finished f = null;
        for (int i = 0; i < 10; i++) {
            try {
                if (f == null) {
                    f = store.finish(taskId, owner, attempt, logged); // recorded once; only moving on is retried
                }
                OperationState ended = f.checkStep() ? store.advanceIfStepDone(f.operationId(), f.seq()) : f.ended();
                if (ended != null) {
                    cancelledOperations.remove(operationId);
                    onOperationEnded.accept(operationId);
                }
                return;
            } catch (RuntimeException e) {
                LOG.infof("cannot record outcome yet task=%d try=%d problem=%s", taskId, i + 1, e.toString());
                sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 50L * (i + 1)));
            }
        }
        LOG.warnf("outcome of task=%d not recorded after 10 tries; its lease will expire and the janitor re-queues it", taskId);
    }

    private TaskStore.Outcome run(TaskEntity t, BoundedLog log, long operationId) {
        Action action = actions.find(t.actionType).orElse(null);
        if (action == null) {
            return new TaskStore.Outcome(false, false, "action " + t.actionType + " is not available in this build", Map.of(), null);
        }
        TaskContexts.Context ctx;
        try {
            ctx = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
                store.nodeStateOnStart(t.id); // one transaction for the node state and the context
                return contexts.build(t, log, () -> cancelledOperations.contains(operationId));
            });
        } catch (RuntimeException e) {
            return new TaskStore.Outcome(false, true, "cannot prepare the task: " + e.getMessage(), Map.of(), null);
        }
        Future<ActionResult> f = actionThreads.submit(() -> action.run(ctx));
        try {
            ActionResult r = f.get(ctx.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new TaskStore.Outcome(true, false, r == null ? null : r.message(), r == null ? Map.of() : r.outputs(), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            log.line("timed out after " + ctx.timeout().toSeconds() + " s; interrupted");
            return new TaskStore.Outcome(false, true, t.actionType + " timed out after " + ctx.timeout().toSeconds()
                    + " s (raise the step's timeout if the provider is slow)", Map.of(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ActionException ae) {
                log.line("error: " + ae.getMessage());
                return new TaskStore.Outcome(false, ae.retryable(), ae.getMessage(), Map.of(), null);
            }
            log.line("unexpected error: " + cause);
            return new TaskStore.Outcome(false, true, "unexpected error in " + t.actionType + ": " + cause, Map.of(), null);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return new TaskStore.Outcome(false, true, "interrupted: the instance is stopping", Map.of(), null);
        }
    }

    private void renew() {
        try {
            if (!inFlight.isEmpty()) {
                store.renew(owner, Set.copyOf(inFlight.keySet()), lease);
                cancelledOperations.addAll(store.cancelRequested(Set.copyOf(inFlight.values())));
            }
        } catch (RuntimeException e) {
            LOG.warnf("lease renewal failed owner=%s problem=%s", owner, e.toString());
        }
    }

    /** Stops claiming; running tasks get a short grace period, then their leases simply expire. */
    @Override
    public void close() {
        running.set(false);
        dispatcher.interrupt();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        actionThreads.shutdownNow();
        heartbeat.shutdownNow();
        LOG.infof("task runner stopped owner=%s executed=%d", owner, executed.get());
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, prefix + "-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
