package io.rulescaler.orchestration.task;

import io.rulescaler.boot.PathStage;
import io.rulescaler.boot.Round;
import io.rulescaler.db.LostRace;
import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionRegistry;
import io.rulescaler.action.ActionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * One instance's workers: a dispatcher claims READY tasks (as many as there are free workers, in
 * one round trip), a bounded pool runs their actions off the event loop with a timeout, finished
 * attempts are recorded in batches (whichever workers are finishing record everything queued, a
 * few at a time), and a heartbeat renews the leases of running and not yet recorded tasks and
 * notices cancelled operations. A worker's slot is free again once its outcome is recorded.
 * Several runners (instances) share one database safely; a plain class so a test can run two in one JVM.
 */
public final class TaskRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private final String owner;
    private final int workers;
    private final Duration lease;
    private final Duration poll;
    private final int logLimit;
    private final TaskStore store;
    private final TaskCompletions completions;
    private final TaskContexts contexts;
    private final ActionRegistry actions;
    private final Clock clock;
    private final Consumer<Long> onOperationEnded;
    private final ExecutorService pool;
    private final ExecutorService actionThreads;
    private final ScheduledExecutorService heartbeat;
    private final Semaphore free;
    private final Object wake = new Object();
    /** Set by {@link #wake()}, cleared by the dispatcher before it claims: a wake during a claim is not lost. */
    private boolean woken;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<Long> cancelledOperations = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final UnrecordedSteps steps = new UnrecordedSteps();
    private final AtomicInteger executed = new AtomicInteger();
    private final Thread dispatcher;
    private final TaskClaims claims;
    private volatile boolean starved; // the dispatcher found no free slot: a hand-off giving slots back wakes it
    private final java.util.Queue<TaskCompletions.Done> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Batches being recorded at once: more than one so a slow commit does not hold up every worker. */
    private final Semaphore recorders;
    private final int recorderCount;
    /** Most outcomes recorded in one transaction. */
    static final int COMPLETION_BATCH = 64;

    /** What a runner needs; one object so the constructor stays readable. */
    public record Settings(String owner, int workers, Duration lease, Duration poll, int logLimit) {
    }

    public TaskRunner(Settings s, TaskStore store, TaskCompletions completions, TaskContexts contexts, ActionRegistry actions,
                      Clock clock, Consumer<Long> onOperationEnded) {
        this.owner = s.owner();
        this.workers = s.workers();
        this.lease = s.lease();
        this.poll = s.poll();
        this.logLimit = s.logLimit();
        this.store = store;
        this.completions = completions;
        this.contexts = contexts;
        this.actions = actions;
        this.clock = clock;
        this.onOperationEnded = onOperationEnded;
        this.free = new Semaphore(workers);
        this.claims = new TaskClaims(owner, lease, store, contexts, clock);
        this.recorderCount = Math.max(1, Math.min(4, workers / 8));
        this.recorders = new Semaphore(recorderCount);
        this.pool = Executors.newFixedThreadPool(workers, RunnerThreads.named("task-worker-" + owner));
        this.actionThreads = Executors.newCachedThreadPool(RunnerThreads.named("task-action-" + owner));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(RunnerThreads.named("task-heartbeat-" + owner));
        long every = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        this.dispatcher = RunnerThreads.named("task-dispatcher-" + owner).newThread(this::dispatch);
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
            woken = true;
            wake.notifyAll();
        }
    }

    private void dispatch() {
        while (running.get()) {
            try {
                synchronized (wake) {
                    woken = false; // a wake from here on comes after this claim's snapshot: claim once more
                }
                starved = true; // until it has slots: a hand-off giving slots back from here on wakes it
                int slots = free.availablePermits();
                starved = slots == 0;
                Round round = Round.begin("TaskRunner.claim");
                List<TaskClaims.Claimed> claimed = slots == 0 ? List.of() : claims.claim(slots, running::get);
                round.done();
                for (TaskClaims.Claimed c : claimed) {
                    inFlight.put(c.task().id, c.task().operationId); // renewed while it waits for a slot a hand-off took meanwhile
                    free.acquire(); // given back when the outcome is recorded
                    submit(c.task(), c.inputs());
                }
                if (claimed.isEmpty() || free.availablePermits() == 0) {
                    synchronized (wake) {
                        if (!woken) {
                            wake.wait(poll.toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                if (LostRace.is(e)) { // another instance claimed the same rows first (Galera certifies at commit): claim again
                    LOG.debugf("task claim lost a race owner=%s problem=%s", owner, e);
                    continue;
                }
                LOG.warnf("task dispatcher problem owner=%s problem=%s", owner, e.toString());
                RunnerThreads.sleep(poll.toMillis() * 4);
            }
        }
    }

    /** Runs a claimed task on a worker; its slot is taken already (by the claim or the hand-off) and given back when its outcome is recorded. */
    void submit(TaskEntity t) {
        submit(t, null);
    }

    private void submit(TaskEntity t, TaskContexts.Inputs inputs) {
        inFlight.put(t.id, t.operationId); // renewed from now until its outcome is recorded
        steps.claimed(t, inputs);
        try {
            pool.execute(() -> {
                boolean queued = false;
                try {
                    queued = execute(t, inputs);
                } finally {
                    if (!queued) { // nothing to record: the worker is free now
                        free.release();
                        wake();
                    }
                }
                recordQueued();
            });
        } catch (RuntimeException rejected) { // stopping: let the lease expire
            inFlight.remove(t.id);
            steps.forget(t.id); // (nothing recorded it)
            free.release();
            throw rejected;
        }
    }

    /** The free worker slots; a hand-off takes some before its transaction ({@link TaskHandOver}). */
    Semaphore slots() {
        return free;
    }

    /** Gives back slots a hand-off did not use; wakes the dispatcher if it found none meanwhile. */
    void giveBack(int n) {
        free.release(n);
        if (n > 0 && starved) {
            wake();
        }
    }

    /** A lease end for the next claim (the dispatcher's or a hand-off's), later than any before. */
    Instant nextLeaseUntil() {
        return claims.nextLeaseUntil();
    }

    /** Runs one claimed attempt and queues its outcome; false when there is none (the lease was gone). */
    private boolean execute(TaskEntity t, TaskContexts.Inputs inputs) {
        PathStage.mark("worker-began", null);
        int attempt = t.attempt;
        long operationId = t.operationId;
        BoundedLog log = new BoundedLog(logLimit, clock);
        long t0 = System.nanoTime();
        log.line("attempt " + attempt + " of " + t.maxAttempts + " on " + owner + ": " + t.actionType
                + (t.nodeName == null ? "" : " for " + t.nodeName));
        boolean queued = false;
        try {
            TaskStore.Outcome outcome;
            try {
                outcome = run(t, log, operationId, inputs);
            } catch (RuntimeException e) {
                outcome = new TaskStore.Outcome(false, true, "unexpected error in the runner: " + e, Map.of(), null);
            }
            if (outcome == null) {
                return false; // the lease was gone before the action started: someone else runs it
            }
            executed.incrementAndGet();
            log.line((outcome.success() ? "ok" : "failed") + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    + (outcome.message() == null ? "" : ": " + outcome.message()));
            finished.add(new TaskCompletions.Done(t.id, attempt, new TaskStore.Outcome(outcome.success(), outcome.retryable(),
                    outcome.message(), outcome.outputs(), log.toString())));
            queued = true;
            return true;
        } finally {
            if (!queued) {
                inFlight.remove(t.id); // never renew a lease nobody will complete
                steps.forget(t.id);
            }
        }
    }

    /**
     * Records queued outcomes in batches while a recorder is free; a worker that finds every
     * recorder busy leaves its outcome to them (each looks at the queue again when it is done).
     * A second recorder starts only for a quarter batch or more: while one commits, the others' outcomes
     * gather into its next batch (a batch of a few outcomes cost as many statements as one of 64).
     */
    private void recordQueued() {
        while (!finished.isEmpty() && (recorders.availablePermits() == recorderCount || finished.size() >= COMPLETION_BATCH / 4)
                && recorders.tryAcquire()) {
            List<TaskCompletions.Done> batch = new java.util.ArrayList<>();
            try {
                for (TaskCompletions.Done d; batch.size() < COMPLETION_BATCH && (d = finished.poll()) != null; ) {
                    batch.add(d);
                }
                if (!batch.isEmpty()) {
                    recordBatch(batch);
                }
            } finally {
                recorders.release();
            }
        }
    }

    private void recordBatch(List<TaskCompletions.Done> batch) {
        try {
            for (Long operationId : completions.finishAll(owner, List.copyOf(batch), steps)) {
                cancelledOperations.remove(operationId);
                onOperationEnded.accept(operationId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("outcomes of tasks=%s not all recorded (problem=%s); their leases will expire and the janitor re-queues them",
                    batch.stream().map(d -> d.taskId()).toList(), e.toString());
        } finally {
            batch.forEach(d -> inFlight.remove(d.taskId()));
            batch.forEach(d -> steps.forget(d.taskId()));
            free.release(batch.size());
            wake();
        }
    }

    /** The action's outcome; null when the lease was lost before the action started. */
    private TaskStore.Outcome run(TaskEntity t, BoundedLog log, long operationId, TaskContexts.Inputs inputs) {
        Action action = actions.find(t.actionType).orElse(null);
        if (action == null) {
            return new TaskStore.Outcome(false, false, "action " + t.actionType + " is not available in this build", Map.of(), null);
        }
        TaskContexts.Context prepared;
        try {
            if (inputs != null) { // started by the claim: the context is made of what it read, no transaction here
                prepared = contexts.assemble(inputs, log, () -> cancelledOperations.contains(operationId));
            } else {
                // one transaction for the lease check, the node's state on start and the action's context
                // a lost race (certification failure on Galera, a deadlock) is run again, not counted as a failed attempt
                // for up to half the lease (renewed meanwhile): a failover fails the pool's connections one after the other
                prepared = LostRace.retryFor("start task " + t.id, lease.dividedBy(2), () -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
                    TaskEntity live = store.start(t.id, owner, t.attempt);
                    return live == null ? null : contexts.build(live, log, () -> cancelledOperations.contains(operationId));
                }));
            }
        } catch (RuntimeException e) {
            return new TaskStore.Outcome(false, true, "cannot prepare the task: " + e.getMessage(), Map.of(), null);
        }
        TaskContexts.Context ctx = prepared;
        if (ctx == null) {
            LOG.infof("claimed task=%d attempt=%d not started: the lease is no longer ours", t.id, t.attempt);
            return null;
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

    /**
     * Renews the leases of this runner's tasks, trying again at once up to three times; a lost race (a deadlock
     * with a batch completion, a failover failing the pool's connections one after the other) also until the next
     * heartbeat is due, so a failover of a few seconds costs no renewal.
     */
    private void renew() {
        Round round = Round.begin("TaskRunner.renew");
        try {
            renewTries();
        } finally {
            round.done();
        }
    }

    private void renewTries() {
        long deadline = System.nanoTime() + lease.dividedBy(3).toNanos();
        for (int i = 1; !inFlight.isEmpty(); i++) {
            try {
                store.renew(owner, Set.copyOf(inFlight.keySet()), lease);
                cancelledOperations.addAll(store.cancelRequested(Set.copyOf(inFlight.values())));
                return;
            } catch (RuntimeException e) {
                boolean again = i < 3 || (LostRace.is(e) && System.nanoTime() - deadline < 0);
                if (i == 1 || !again) {
                    LOG.warnf("lease renewal failed owner=%s try=%d problem=%s%s", owner, i, e.toString(), again ? "" : "; next heartbeat");
                }
                if (!again) {
                    return;
                }
                RunnerThreads.sleep(Math.min(500, 20L * i));
            }
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
        recordQueued(); // what finished in the grace period; anything left simply has its lease expire
        actionThreads.shutdownNow();
        heartbeat.shutdownNow();
        LOG.infof("task runner stopped owner=%s executed=%d", owner, executed.get());
    }
}
