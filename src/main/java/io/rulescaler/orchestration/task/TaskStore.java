package io.rulescaler.orchestration.task;

import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.orchestration.operation.OperationState;
import io.rulescaler.orchestration.operation.PlannerText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The durable task queue: claiming READY tasks with {@code FOR UPDATE SKIP LOCKED} and a lease,
 * renewing and expiring leases, and recording outcomes. A retry or failure is written under a lock
 * on the operation row, where {@link OperationProgress} also moves the chain on (next step,
 * rollback, end of the operation), so two workers finishing the last two tasks of a step never
 * both (or neither) move it on.
 */
@ApplicationScoped
@Transactional
public class TaskStore {

    private static final Logger LOG = Logger.getLogger(TaskStore.class);
    private final OperationRepository operations;
    private final TaskRepository tasks;
    private final TaskLogRepository logs;
    private final TaskNodeUpdates nodeUpdates;
    private final OperationProgress progress;
    private final Clock clock;

    public TaskStore(OperationRepository operations, TaskRepository tasks, TaskLogRepository logs, TaskNodeUpdates nodeUpdates,
                     OperationProgress progress, Clock clock) {
        this.operations = operations;
        this.tasks = tasks;
        this.logs = logs;
        this.nodeUpdates = nodeUpdates;
        this.progress = progress;
        this.clock = clock;
    }

    /** How an attempt ended. */
    public record Outcome(boolean success, boolean retryable, String message, Map<String, String> outputs, String log) {
    }

    /**
     * Claims up to {@code limit} READY tasks whose time has come in one round trip; other instances
     * skip the locked rows. Returns the claimed rows as they are after the claim (RUNNING, leased to
     * {@code owner}, attempt counted), so a worker needs no second read to start its attempt.
     */
    public List<TaskEntity> claim(String owner, int limit, Duration lease) {
        return claim(owner, limit, clock.instant().plus(lease).truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The same with the lease's end given: a runner gives each claim its own end (to the microsecond, as
     * stored), so that the claim is known by it when its commit's outcome is not ({@link #claimedUntil}).
     */
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claim(String owner, int limit, Instant leaseUntil) {
        if (limit <= 0) {
            return List.of();
        }
        EntityManager em = operations.getEntityManager();
        Instant now = clock.instant();
        // in the order of ix_task_ready (state, next_run_at, id): the scan stops after `limit` rows; ORDER BY id
        // alone read and sorted every READY row of the table on each claim (filesort, thousands of row locks)
        // native: JPQL has no SKIP LOCKED (docs/architecture.md, "Persistence: one rule"; bench/orchestration-scale-out.sh)
        List<Number> ids = em.createNativeQuery("SELECT id FROM task WHERE state = 'READY' AND next_run_at <= ?1 "
                        + "ORDER BY next_run_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED")
                .setParameter(1, now).setParameter(2, limit).getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> claimed = ids.stream().map(Number::longValue).toList();
        tasks.update("state = ?1, leaseOwner = ?2, leaseExpiresAt = ?3, attempt = attempt + 1, "
                + "startedAt = coalesce(startedAt, ?4), version = version + 1 where id in ?5", TaskState.RUNNING, owner, leaseUntil, now, claimed);
        em.clear(); // nothing stale may survive the bulk update
        return tasks.list("id in ?1 order by id", claimed);
    }

    /**
     * Claims like {@link #claim(String, int, Instant)} and starts every claimed attempt in the same transaction:
     * each node moved into the state its step declares on start (one read of the nodes, one history insert), the
     * nodes and operations left in the session for {@link TaskContexts#inputsOf}. The lease check of
     * {@link #start} is the claim itself here, so a worker needs no transaction of its own before its action runs.
     */
    public List<TaskEntity> claimAndStart(String owner, int limit, Instant leaseUntil) {
        List<TaskEntity> claimed = claim(owner, limit, leaseUntil);
        if (claimed.isEmpty()) {
            return claimed;
        }
        Map<Long, OperationEntity> ops = new java.util.HashMap<>();
        operations.list("id in ?1", claimed.stream().map(t -> t.operationId).distinct().toList()).forEach(op -> ops.put(op.id, op));
        List<NodeService.Move> moves = new java.util.ArrayList<>();
        for (TaskEntity t : claimed) {
            Chain.Step step = ChainJson.chainOf(ops.get(t.operationId)).steps().get(t.stepIndex);
            String to = t.undo ? step.undo().nodeStateOnStart() : step.nodeStateOnStart();
            if (t.nodeId != null && to != null) {
                moves.add(new NodeService.Move(t.nodeId, NodeState.valueOf(to), "task " + t.id + " " + t.stepName + " started"));
            }
        }
        nodeUpdates.moveAll(claimed.stream().map(t -> t.nodeId).filter(java.util.Objects::nonNull).distinct().toList(), moves);
        return claimed;
    }

    /**
     * Leases up to {@code limit} READY tasks of an operation planned in the caller's transaction to {@code owner},
     * as {@link #claim} does: the caller's transaction made them READY and holds their rows, so no other instance
     * can take them before it commits, and the rows come back as claimed (the intake's hand-off, no second read).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TaskEntity> claimPlanned(String owner, long operationId, int limit, Instant leaseUntil) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<TaskEntity> ready = tasks.find("operationId = ?1 and state = ?2 and nextRunAt <= ?3 order by nextRunAt, id",
                operationId, TaskState.READY, now).range(0, limit - 1).list();
        for (TaskEntity t : ready) {
            t.state = TaskState.RUNNING;
            t.leaseOwner = owner;
            t.leaseExpiresAt = leaseUntil;
            t.attempt++;
            t.startedAt = t.startedAt == null ? now : t.startedAt;
        }
        tasks.flush();
        return ready;
    }

    /**
     * The tasks a claim with this lease end leased to {@code owner} and nobody renewed since: after a claim
     * that failed with a lost connection, what it claimed if its commit went through all the same (on Galera
     * the dead node may have replicated it first). Its owner runs them instead of leaving them to expire.
     */
    public List<TaskEntity> claimedUntil(String owner, Instant leaseUntil) {
        return tasks.list("state = ?1 and leaseOwner = ?2 and leaseExpiresAt = ?3 order by id", TaskState.RUNNING, owner, leaseUntil);
    }

    /** Extends the leases of the given tasks while this owner still holds them; returns how many. */
    public int renew(String owner, Set<Long> taskIds, Duration lease) {
        if (taskIds.isEmpty()) {
            return 0;
        }
        return tasks.update("leaseExpiresAt = ?1 where id in ?4 and leaseOwner = ?2 and state = ?3",
                clock.instant().plus(lease), owner, TaskState.RUNNING, taskIds);
    }

    /** Which of these operations have a cancel request (workers pass it to running actions). */
    public List<Long> cancelRequested(Set<Long> operationIds) {
        if (operationIds.isEmpty()) {
            return List.of();
        }
        return operations.find("select id from OperationEntity where cancelRequested = true and id in ?1", operationIds)
                .project(Long.class).list();
    }

    /**
     * Gives tasks whose owner stopped renewing back to the queue (the janitor). The expired rows are read with
     * a lock: a renewal that commits while the janitor waits for its row leaves it out (a locking read sees the
     * renewed lease end), where an unlocked read would overwrite it (a renewal does not change the version).
     */
    public int requeueExpired() {
        Instant now = clock.instant();
        List<TaskEntity> expired = tasks.find("state = ?1 and leaseExpiresAt < ?2", TaskState.RUNNING, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).range(0, 499).list();
        for (TaskEntity t : expired) {
            LOG.warnf("lease expired task=%d operation=%d step=%s owner=%s attempt=%d: re-queued",
                    t.id, t.operationId, t.stepName, t.leaseOwner, t.attempt);
            nodeUpdates.log(t.id, t.attempt, "janitor", "lease of " + t.leaseOwner + " expired at " + t.leaseExpiresAt
                    + " (the instance stopped or hung); the task is queued again\n");
            t.message = "re-queued after lease of " + t.leaseOwner + " expired";
            t.state = TaskState.READY;
            t.leaseOwner = null;
            t.leaseExpiresAt = null;
            t.nextRunAt = now;
            if (t.attempt >= t.maxAttempts) {
                t.maxAttempts = t.attempt + 1; // a lost lease is not the action's failure
            }
        }
        return expired.size();
    }

    /**
     * Starts a claimed attempt in the caller's transaction: the task as it is now if this owner still
     * holds that attempt (else null: the lease expired and someone else may run it), with its node
     * moved into the state the step declares on start.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity start(long taskId, String owner, int attempt) {
        TaskEntity t = operations.task(taskId);
        if (t == null || t.state != TaskState.RUNNING || !owner.equals(t.leaseOwner) || t.attempt != attempt) {
            return null;
        }
        Chain.Step step = ChainJson.chainOf(operations.findById(t.operationId)).steps().get(t.stepIndex);
        nodeUpdates.moveNode(t, t.undo ? step.undo().nodeStateOnStart() : step.nodeStateOnStart(), "task " + t.id + " " + t.stepName + " started");
        return t;
    }

    /** What recording an outcome did: the operation's final state if it ended, else whether its step may be done. */
    public record Finished(OperationState ended, boolean checkStep, long operationId, int seq) {
    }

    /**
     * Records the outcome of an attempt. A success only locks its own task row (so completions of
     * one operation do not queue on the operation row); the caller then calls
     * {@link OperationProgress#advanceIfStepDone} after commit, when every other completion of the step is visible.
     * Retries and failures lock the operation row and move the chain on here. Outcomes from a
     * worker that lost its lease are dropped.
     */
    public Finished finish(long taskId, String owner, int attempt, Outcome o) {
        EntityManager em = operations.getEntityManager();
        TaskEntity t = em.find(TaskEntity.class, taskId);
        OperationEntity op;
        if (o.success()) {
            em.refresh(t, LockModeType.PESSIMISTIC_WRITE);
            op = operations.findById(t.operationId);
        } else {
            op = operations.lock(t.operationId);
            em.refresh(t, LockModeType.PESSIMISTIC_WRITE);
        }
        if (!logAndCheckLease(t, owner, attempt, o)) {
            return new Finished(null, false, t.operationId, t.seq);
        }
        Instant now = clock.instant();
        Chain chain = ChainJson.chainOf(op);
        Chain.Step step = chain.steps().get(t.stepIndex);
        if (o.success()) {
            succeed(t, step, o, now, null);
            return new Finished(null, true, op.id, t.seq);
        }
        t.leaseOwner = null;
        t.leaseExpiresAt = null;
        t.message = PlannerText.cut(o.message(), 2000);
        if (o.retryable() && t.attempt < t.maxAttempts && !(op.cancelRequested && !t.undo)) {
            long backoff = step.retry().backoffMillis() << Math.min(20, t.attempt - 1);
            t.state = TaskState.READY;
            t.nextRunAt = now.plusMillis(Math.min(backoff, 600_000));
            LOG.infof("task retry task=%d operation=%d step=%s attempt=%d of=%d in_ms=%d problem=%s",
                    t.id, op.id, t.stepName, t.attempt, t.maxAttempts, backoff, o.message());
        } else {
            t.state = TaskState.FAILED;
            t.finishedAt = now;
            LOG.warnf("task failed task=%d operation=%d cluster=%s step=%s node=%s attempt=%d problem=%s",
                    t.id, op.id, op.clusterName, t.stepName, t.nodeName, t.attempt, o.message());
            progress.onFailure(op, chain, step, t, now);
        }
        return new Finished(progress.advance(op, now), false, op.id, t.seq);
    }

    /**
     * Stores the attempt's log; false (and a warning) when this owner no longer holds that attempt. Caller
     * locked the row. An outcome this owner recorded already (an earlier try committed, though its connection
     * died) is not logged twice.
     */
    boolean logAndCheckLease(TaskEntity t, String owner, int attempt, Outcome o) {
        if (!holds(t, owner, attempt) && !recordedBefore(owner, List.of(new Attempt(t.id, attempt))).isEmpty()) {
            LOG.infof("outcome of task=%d attempt=%d recorded already by owner=%s (a try whose connection died had committed)",
                    t.id, attempt, owner);
            return false;
        }
        nodeUpdates.log(t.id, attempt, owner, o.log());
        return holdsLease(t, owner, attempt);
    }

    /** One attempt of a task. */
    public record Attempt(long taskId, int attempt) {
    }

    /**
     * Which of these attempts (none of them held any more) {@code owner} has logged already: their outcomes were
     * recorded by an earlier try whose commit went through although the connection died before it was confirmed.
     */
    Set<Long> recordedBefore(String owner, List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        Set<String> wanted = new java.util.HashSet<>();
        attempts.forEach(a -> wanted.add(a.taskId() + "/" + a.attempt()));
        Set<Long> out = new java.util.HashSet<>();
        for (Object[] r : logs.find("select taskId, attempt from TaskLogEntity where owner = ?1 and taskId in ?2",
                owner, attempts.stream().map(Attempt::taskId).toList()).project(Object[].class).list()) {
            if (wanted.contains(((Number) r[0]).longValue() + "/" + ((Number) r[1]).intValue())) {
                out.add(((Number) r[0]).longValue());
            }
        }
        return out;
    }

    /** Whether {@code owner} still holds this attempt of the task. */
    static boolean holds(TaskEntity t, String owner, int attempt) {
        return t.state == TaskState.RUNNING && owner.equals(t.leaseOwner) && t.attempt == attempt;
    }

    /** Whether {@code owner} still holds this attempt of the (locked) task; a warning when not. */
    static boolean holdsLease(TaskEntity t, String owner, int attempt) {
        if (!holds(t, owner, attempt)) {
            LOG.warnf("outcome dropped task=%d owner=%s attempt=%d: the lease is gone (state=%s owner=%s attempt=%d)",
                    t.id, owner, attempt, t.state, t.leaseOwner, t.attempt);
            return false;
        }
        return true;
    }

    /**
     * Marks a leased, locked task SUCCEEDED with its outputs and moves its node on (or adds the move
     * to {@code nodeMoves} when given, for the caller to write with others); the step check follows after commit.
     */
    void succeed(TaskEntity t, Chain.Step step, Outcome o, Instant now, List<NodeService.Move> nodeMoves) {
        t.leaseOwner = null;
        t.leaseExpiresAt = null;
        t.message = PlannerText.cut(o.message(), 2000);
        t.state = TaskState.SUCCEEDED;
        t.finishedAt = now;
        t.outputsJson = o.outputs() == null || o.outputs().isEmpty() ? null : ChainJson.write(o.outputs());
        nodeUpdates.recordMachine(t, o.outputs(), now);
        String to = t.undo ? step.undo().nodeStateOnSuccess() : step.nodeStateOnSuccess();
        if (nodeMoves == null) {
            nodeUpdates.moveNode(t, to, t.stepName + " succeeded");
        } else if (t.nodeId != null && to != null) {
            nodeMoves.add(new NodeService.Move(t.nodeId, NodeState.valueOf(to), t.stepName + " succeeded"));
        }
    }
}
