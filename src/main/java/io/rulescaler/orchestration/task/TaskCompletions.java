package io.rulescaler.orchestration.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.db.LostRace;
import io.rulescaler.boot.BulkWritten;
import io.rulescaler.boot.MultiRowInsert;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Records the outcomes of many attempts at once, so a busy runner does not pay a transaction (and
 * a commit) per task: all successes in one transaction that locks only their task rows, failures
 * and retries one by one through {@link TaskStore#finish} (they lock the operation and may move
 * the chain), then one step check per step the batch touched, after commit.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NEVER)
public class TaskCompletions {

    private static final Logger LOG = Logger.getLogger(TaskCompletions.class);
    private static final int TRIES = 10;
    /** How long recording keeps trying while it loses races (less than a task lease, which is renewed meanwhile). */
    static final Duration LOST_RACE_WITHIN = Duration.ofSeconds(15);
    private final OperationRepository operations;
    private final TaskRepository taskRows;
    private final NodeRepository nodeRows;
    private final TaskStore store;
    private final OperationProgress progress;
    private final NodeService nodes;
    private final Clock clock;

    public TaskCompletions(OperationRepository operations, TaskRepository taskRows, NodeRepository nodeRows, TaskStore store,
                           OperationProgress progress, NodeService nodes, Clock clock) {
        this.operations = operations;
        this.taskRows = taskRows;
        this.nodeRows = nodeRows;
        this.store = store;
        this.progress = progress;
        this.nodes = nodes;
        this.clock = clock;
    }

    /** One finished attempt: which task, which attempt of it, and how it ended. */
    public record Done(long taskId, int attempt, TaskStore.Outcome outcome) {
    }

    private record StepKey(long operationId, int seq) {
    }

    /**
     * What a runner knows of its own claimed tasks whose outcomes are not recorded yet. A step check after a batch
     * is left out while the runner still holds another task of that step: the check after that task's outcome
     * (or the chain move of its failure) comes later and sees this batch's. Each runner marks its tasks recorded
     * before it asks, so of two batches recorded at once at least one sees the other's marked and checks.
     */
    public interface InFlight {
        /** Marks the tasks whose outcomes were just recorded (or given up on). */
        void recorded(List<Long> taskIds);

        /** Whether the runner still holds an unrecorded task of this step of the operation. */
        boolean holdsStep(long operationId, int seq);
    }

    private static final InFlight NONE = new InFlight() {
        @Override
        public void recorded(List<Long> taskIds) {
        }

        @Override
        public boolean holdsStep(long operationId, int seq) {
            return false;
        }
    };

    /**
     * Records every outcome (each at most once; an outcome whose lease is gone is dropped) and moves
     * the chains on; returns the operations that ended. Throws only when an outcome could not be
     * recorded after retries; its lease then expires and the janitor queues the task again.
     */
    public List<Long> finishAll(String owner, List<Done> done) {
        return finishAll(owner, done, NONE);
    }

    /** The same, leaving out the step checks that a later outcome of one of the runner's own tasks makes anyway. */
    public List<Long> finishAll(String owner, List<Done> done, InFlight inFlight) {
        Set<StepKey> check = new LinkedHashSet<>();
        Set<Long> ended = new LinkedHashSet<>();
        List<Done> successes = done.stream().filter(d -> d.outcome().success()).sorted(Comparator.comparingLong(Done::taskId)).toList();
        RuntimeException problem = null;
        if (!successes.isEmpty()) {
            try {
                check.addAll(retry("record " + successes.size() + " successes", 3,
                        () -> QuarkusTransaction.requiringNew().call(() -> recordSuccesses(owner, successes))));
            } catch (RuntimeException e) {
                LOG.warnf("batch of %d outcomes not recorded together (%s); recording them one by one", successes.size(), e.toString());
                for (Done d : successes) {
                    try {
                        TaskStore.Finished f = retry("record task " + d.taskId(), TRIES, () -> store.finish(d.taskId(), owner, d.attempt(), d.outcome()));
                        if (f.checkStep()) {
                            check.add(new StepKey(f.operationId(), f.seq()));
                        }
                    } catch (RuntimeException one) {
                        problem = one;
                    }
                }
            }
        }
        for (Done d : done) {
            if (d.outcome().success()) {
                continue;
            }
            try {
                TaskStore.Finished f = retry("record task " + d.taskId(), TRIES, () -> store.finish(d.taskId(), owner, d.attempt(), d.outcome()));
                if (f.ended() != null) {
                    ended.add(f.operationId());
                }
            } catch (RuntimeException e) {
                problem = e;
            }
        }
        inFlight.recorded(done.stream().map(Done::taskId).toList());
        for (StepKey k : check) {
            if (inFlight.holdsStep(k.operationId(), k.seq())) {
                continue;
            }
            try {
                if (retry("check step " + k, TRIES, () -> progress.advanceIfStepDone(k.operationId(), k.seq())) != null) {
                    ended.add(k.operationId());
                }
            } catch (RuntimeException e) {
                problem = e; // the janitor's sweep moves a stuck operation on
            }
        }
        if (problem != null) {
            throw problem;
        }
        return List.copyOf(ended);
    }

    /** In one transaction: locks the tasks (in id order), stores each log and success; returns the steps to check. */
    private Set<StepKey> recordSuccesses(String owner, List<Done> successes) {
        EntityManager em = operations.getEntityManager();
        Map<Long, TaskEntity> tasks = taskRows.find("id in ?1 order by id", successes.stream().map(Done::taskId).toList())
                .withLock(LockModeType.PESSIMISTIC_WRITE).list().stream().collect(Collectors.toMap(t -> t.id, Function.identity()));
        List<Long> nodeIds = tasks.values().stream().map(t -> t.nodeId).filter(java.util.Objects::nonNull).distinct().toList();
        if (!nodeIds.isEmpty()) { // one read instead of one per node; later finds hit the session
            nodeRows.list("id in ?1", nodeIds);
        }
        Instant now = clock.instant();
        Set<StepKey> check = new LinkedHashSet<>();
        List<Object[]> logs = new java.util.ArrayList<>();
        List<NodeService.Move> moves = new java.util.ArrayList<>();
        // each success's outcome key once: how many of the batch end alike, and the group a bulk update writes
        List<List<String>> keys = successes.stream().map(d -> outcomeKey(d.outcome())).toList();
        Map<List<String>, Integer> alike = new java.util.HashMap<>();
        keys.forEach(k -> alike.merge(k, 1, Integer::sum));
        Map<List<String>, List<TaskEntity>> bulk = new java.util.LinkedHashMap<>();
        Set<Long> recorded = store.recordedBefore(owner, successes.stream()
                .filter(d -> tasks.containsKey(d.taskId()) && !TaskStore.holds(tasks.get(d.taskId()), owner, d.attempt()))
                .map(d -> new TaskStore.Attempt(d.taskId(), d.attempt())).toList());
        for (int i = 0; i < successes.size(); i++) {
            Done d = successes.get(i);
            List<String> key = keys.get(i);
            TaskEntity t = tasks.get(d.taskId());
            if (t == null) {
                LOG.warnf("outcome dropped task=%d: the task no longer exists", d.taskId());
                continue;
            }
            if (recorded.contains(t.id)) { // this batch's earlier try committed, though its connection died
                check.add(new StepKey(t.operationId, t.seq));
                continue;
            }
            String log = d.outcome().log();
            if (log != null && !log.isEmpty()) {
                logs.add(new Object[] {t.id, d.attempt(), owner, log, now}); // kept even when the outcome is dropped
            }
            if (!TaskStore.holdsLease(t, owner, d.attempt())) {
                continue;
            }
            Chain.Step step = ChainJson.chainOf(t.operationId, () -> operations.findById(t.operationId)).steps().get(t.stepIndex);
            if (alike.get(key) > 1) { // written below with the batch's other successes alike
                BulkWritten.hold(em, t);
                bulk.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(t);
            } // else a whole-row update at flush: cheaper in the service than a bulk update's translation per execution
            store.succeed(t, step, d.outcome(), now, moves);
            check.add(new StepKey(t.operationId, t.seq));
        }
        MultiRowInsert.insert(em, "task_log", List.of("task_id", "attempt", "owner", "text", "created_at"), logs);
        nodes.transitionAll(moves);
        writeSuccesses(em, owner, bulk, now);
        return check;
    }

    /** What {@link TaskStore#succeed} writes of an outcome besides the state: its message and outputs. */
    private static List<String> outcomeKey(TaskStore.Outcome o) {
        return java.util.Arrays.asList(io.rulescaler.orchestration.operation.PlannerText.cut(o.message(), 2000),
                o.outputs() == null || o.outputs().isEmpty() ? null : ChainJson.write(o.outputs()));
    }

    /**
     * Writes the successes {@link TaskStore#succeed} set on the (locked, held) tasks, grouped by their
     * {@link #outcomeKey} (the message and outputs it wrote): one update per distinct (message, outputs) instead of
     * a whole-row update per task — a step's no-op tasks all end alike.
     */
    private void writeSuccesses(EntityManager em, String owner, Map<List<String>, List<TaskEntity>> alike, Instant now) {
        for (Map.Entry<List<String>, List<TaskEntity>> g : alike.entrySet()) {
            List<Long> ids = g.getValue().stream().map(t -> t.id).toList();
            int written = taskRows.update("state = ?1, leaseOwner = null, leaseExpiresAt = null, message = ?2, finishedAt = ?3, "
                    + "outputsJson = ?4, version = version + 1 where id in ?5 and state = ?6 and leaseOwner = ?7",
                    TaskState.SUCCEEDED, g.getKey().get(0), now, g.getKey().get(1), ids, TaskState.RUNNING, owner);
            if (written != ids.size()) { // cannot be: the rows are locked and their leases checked in this transaction
                throw new IllegalStateException("successes of tasks " + ids + " written to " + written + " rows");
            }
            g.getValue().forEach(t -> BulkWritten.as(em, t, t.version + 1));
        }
    }

    /**
     * Runs {@code work} again up to {@code tries} times; a lost race ({@link LostRace}) also for as long as
     * {@link #LOST_RACE_WITHIN}: a failover fails the pool's connections one after the other for a few
     * seconds, and an outcome given up on is a task whose lease expires and that runs a second time.
     */
    private static <T> T retry(String what, int tries, Supplier<T> work) {
        long deadline = System.nanoTime() + LOST_RACE_WITHIN.toNanos();
        for (int i = 1; ; i++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (i >= tries && !(LostRace.is(e) && System.nanoTime() - deadline < 0)) {
                    throw e;
                }
                LOG.infof("cannot %s yet try=%d problem=%s", what, i, e.toString());
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 50L * Math.min(i, 10)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
