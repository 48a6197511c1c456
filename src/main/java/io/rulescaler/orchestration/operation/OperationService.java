package io.rulescaler.orchestration.operation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.boot.PathStage;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.DomainException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.error.RefusedException;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequests;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskHandOver;
import io.rulescaler.orchestration.task.TaskLogRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The orchestrator's front door: turns pending scale requests into operations (newest wins, one
 * operation in flight per cluster), starts replace and teardown operations, cancels, and shows
 * operations, their progress and task logs.
 */
@ApplicationScoped
@Transactional
public class OperationService {

    private static final Logger LOG = Logger.getLogger(OperationService.class);
    private final OperationRepository operations;
    private final OperationPlanner planner;
    private final OperationProgress operationProgress;
    private final OperationViews views;
    private final TaskLogRepository logs;
    private final ClusterRepository clusters;
    private final ClusterService clusterService;
    private final Event<OperationEvent> events;
    private final ScaleRequests requests;
    private final Clock clock;
    private final TaskHandOver handOver;
    private final Map<String, ReentrantLock> intakeLocks = new ConcurrentHashMap<>();

    public OperationService(OperationRepository operations, OperationPlanner planner, OperationProgress operationProgress,
                            ClusterRepository clusters, ClusterService clusterService, Event<OperationEvent> events,
                            ScaleRequests requests, OperationViews views, TaskLogRepository logs, Clock clock, TaskHandOver handOver) {
        this.handOver = handOver;
        this.operations = operations;
        this.logs = logs;
        this.planner = planner;
        this.operationProgress = operationProgress;
        this.views = views;
        this.clusters = clusters;
        this.clusterService = clusterService;
        this.events = events;
        this.requests = requests;
        this.clock = clock;
    }

    /** What happened to a scale request. */
    public record ScaleOutcome(long requestId, String status, Long operationId, String detail) {
    }

    /** Writes a manual scale request (the same hand-off the capacity planner writes) and takes it in at once. */
    @Transactional(Transactional.TxType.NEVER)
    public ScaleOutcome requestScale(String cluster, int target, String reason, String by) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = clusters.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
            var spec = clusterService.runningSpec(c).spec();
            if (target < spec.size().min() || target > spec.size().max()) {
                throw new RefusedException("Out of bounds", "targetSize " + target + " lies outside the cluster's bounds "
                        + spec.size().min() + ".." + spec.size().max(), "targetSize");
            }
            return requests.submit(ScaleRequestEntity.pending(c.name, target, (int) planner.liveCount(c.id),
                    reason == null || reason.isBlank() ? "manual scale to " + target : reason,
                    ScaleRequestEntity.Source.MANUAL, by, clock.instant()));
        });
        intake(cluster);
        return QuarkusTransaction.requiringNew().call(() -> {
            ScaleRequestEntity r = requests.find(id);
            return new ScaleOutcome(r.id, r.status.name(), r.operationId, r.statusDetail);
        });
    }

    /** Takes in the pending scale requests of every cluster; called by the scheduler on every instance. */
    @Transactional(Transactional.TxType.NEVER)
    public int intakeAll() {
        List<String> names = QuarkusTransaction.requiringNew().call(requests::clustersWithPending);
        int started = 0;
        for (String name : names) {
            if (intake(name) != null) {
                started++;
            }
        }
        return started;
    }

    /**
     * Newest pending request of the cluster wins; older ones are superseded. Waits (stays pending)
     * while the cluster has an operation in flight. Returns the started operation id, if any.
     */
    @Transactional(Transactional.TxType.NEVER)
    public Long intake(String cluster) {
        // one intake of a cluster at a time on this instance: the woken intake, the poll and a manual
        // call's own intake would otherwise skip each other's locked rows, and the call would answer PENDING
        ReentrantLock lock = intakeLocks.computeIfAbsent(cluster, k -> new ReentrantLock());
        lock.lock();
        // this instance's free workers are held for the operation's first tasks, leased in the intake's own transaction
        TaskHandOver.Reservation workers = handOver.reserve();
        try {
            Long id = QuarkusTransaction.requiringNew().call(() -> intakeInTx(cluster, workers));
            if (id != null) {
                PathStage.mark("operation-committed", cluster);
            }
            workers.committed(); // after the commit, never before: the tasks start on this instance's workers
            if (id != null) {
                events.fire(new OperationEvent(id, OperationEvent.Type.STARTED, workers.tookAll()));
            }
            return id;
        } catch (RuntimeException e) {
            workers.failed();
            // another instance started an operation for this cluster at the same moment; next round decides
            LOG.debugf("intake deferred cluster=%s problem=%s", cluster, e.toString());
            return null;
        } finally {
            lock.unlock();
        }
    }

    private Long intakeInTx(String cluster, TaskHandOver.Reservation workers) {
        Instant now = clock.instant();
        PathStage.mark("intake-begun", cluster);
        ScaleRequestEntity newest = requests.claimNewest(cluster, now);
        PathStage.mark("intake-request-claimed", cluster);
        if (newest == null || operations.activeFor(cluster).isPresent()) {
            return null;
        }
        ClusterEntity c = clusters.findByName(cluster).orElse(null);
        if (c == null) {
            return reject(newest, "cluster '" + cluster + "' does not exist", now);
        }
        var view = clusterService.runningSpec(c);
        var spec = view.spec();
        long live = planner.liveCount(c.id);
        PathStage.mark("intake-cluster-read", cluster);
        if (newest.targetSize == live) {
            return reject(newest, "cluster already has " + live + " live nodes", now);
        }
        Kind kind = newest.targetSize > live ? Kind.SCALE_OUT : Kind.SCALE_IN;
        if (spec.isDryRun()) {
            return reject(newest, "dry run: would " + kind.label() + " from " + live + " to " + newest.targetSize, now);
        }
        OperationEntity op;
        try {
            // what was read above is not read again (the cluster, its spec and live count; no operation in flight)
            op = planner.start(new OperationPlanner.Request(cluster, kind, newest.targetSize, null, newest.reason,
                    newest.source.name().toLowerCase(), newest.requestedBy, newest.id, newest.decisionId), c, view, live);
        } catch (ConflictException e) {
            return null; // another instance just started an operation for the cluster: wait for it
        } catch (DomainException e) {
            return reject(newest, e.getMessage(), now);
        }
        PathStage.mark("operation-planned", cluster);
        requests.accept(newest, op.id, kind.label() + " from " + live + " to " + newest.targetSize, now);
        operationProgress.kickOff(op);
        PathStage.mark("first-step-ready", cluster);
        workers.claim(op.id);
        PathStage.mark("first-tasks-leased", cluster);
        return op.id;
    }

    private Long reject(ScaleRequestEntity r, String why, Instant now) {
        requests.reject(r, why, now);
        return null;
    }

    /** Starts a replace (node given) or teardown operation directly; 409 when one is in flight. */
    @Transactional(Transactional.TxType.NEVER)
    public OperationView start(String cluster, Kind kind, String node, String reason, String by) {
        if (kind == Kind.REPLACE && (node == null || node.isBlank())) {
            throw new InvalidInputException("replace needs the node to replace", "node");
        }
        long id;
        try {
            id = QuarkusTransaction.requiringNew().call(() -> {
                OperationEntity op = planner.start(new OperationPlanner.Request(cluster, kind, kind == Kind.TEARDOWN ? 0 : null,
                        node, reason == null ? kind.label() + " requested by " + by : reason, "manual", by, null, null));
                operationProgress.kickOff(op);
                return op.id;
            });
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            if (operations.activeFor(cluster).isPresent()) {
                throw new ConflictException("cluster '" + cluster + "' already has an operation in flight");
            }
            throw e;
        }
        events.fire(new OperationEvent(id, OperationEvent.Type.STARTED));
        return get(id, false);
    }

    /** Cancels: pending tasks stop; undo steps run where the chain has them. */
    public OperationView cancel(long id, String by) {
        OperationEntity op = operations.lock(id);
        if (op == null) {
            throw NotFoundException.of("operation", Long.toString(id));
        }
        if (!op.state.isActive()) {
            throw new ConflictException("operation " + id + " already ended (" + op.state.label() + "); nothing to cancel");
        }
        operationProgress.cancel(id, by);
        return get(id, false);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<OperationView> list(String cluster, String state, int limit) {
        StringBuilder q = new StringBuilder("from OperationEntity where 1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        if (cluster != null && !cluster.isBlank()) {
            q.append(" and clusterName = :cluster");
            p.put("cluster", cluster);
        }
        if (state != null && !state.isBlank()) {
            OperationState s;
            try {
                s = OperationState.valueOf(state.toUpperCase().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("state '" + state + "' is not one of running, rolling-back, cancelling, "
                        + "succeeded, failed, cancelled", "state");
            }
            q.append(" and state = :state");
            p.put("state", s);
        }
        q.append(" order by id desc");
        return operations.find(q.toString(), p).page(0, Math.max(1, Math.min(limit, 500))).list().stream()
                .map(op -> views.view(op, false, 0, OperationViews.DEFAULT_PAGE)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public OperationView get(long id, boolean withTasks) {
        return get(id, withTasks, 0, OperationViews.DEFAULT_PAGE);
    }

    /** The operation with its progress, and one page of its tasks and of its nodes' progress ({@code offset}, {@code limit}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public OperationView get(long id, boolean withTasks, int offset, int limit) {
        if (offset < 0) {
            throw new InvalidInputException("offset must be 0 or more", "offset");
        }
        if (limit < 1 || limit > OperationViews.MAX_PAGE) {
            throw new InvalidInputException("limit must be between 1 and " + OperationViews.MAX_PAGE, "limit");
        }
        OperationEntity op = operations.findById(id);
        if (op == null) {
            throw NotFoundException.of("operation", Long.toString(id));
        }
        return views.view(op, withTasks, offset, limit);
    }

    /** The first failed task of the operation (in chain order), or null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public OperationView.TaskView firstFailed(long operationId) {
        return views.firstFailed(operationId);
    }

    /** The captured output of every attempt of one task. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String log(long operationId, long taskId) {
        TaskEntity t = operations.task(taskId);
        if (t == null || t.operationId != operationId) {
            throw NotFoundException.of("task", operationId + "/" + taskId);
        }
        StringBuilder sb = new StringBuilder();
        logs.list("taskId = ?1 order by id", taskId).forEach(l -> sb.append(l.text));
        return sb.toString();
    }
}
