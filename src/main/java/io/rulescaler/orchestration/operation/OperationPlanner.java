package io.rulescaler.orchestration.operation;

import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.boot.MultiRowInsert;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.DomainException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.task.TaskEntity.Role;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainCatalog;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskState;
import io.rulescaler.placement.ScaleInSelector;
import io.rulescaler.placement.LayoutPlacement;
import io.rulescaler.cluster.deployable.NodeRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns "bring cluster X to N" or "replace node Y" into an operation: picks the nodes (placement),
 * records new nodes as REQUESTED, and writes every task of the chain in one transaction. It refuses
 * (DomainException) only before writing anything, so the caller's transaction may record the refusal.
 */
@ApplicationScoped
@Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = DomainException.class)
public class OperationPlanner {

    private static final Logger LOG = Logger.getLogger(OperationPlanner.class);
    private final OperationRepository operations;
    private final ClusterRepository clusters;
    private final NodeRepository nodes;
    private final NodeService nodeService;
    private final ChainCatalog catalog;
    private final io.rulescaler.cluster.ClusterService clusterService;
    private final Clock clock;

    public OperationPlanner(OperationRepository operations, ClusterRepository clusters, NodeRepository nodes,
                            NodeService nodeService, ChainCatalog catalog,
                            io.rulescaler.cluster.ClusterService clusterService, Clock clock) {
        this.clusterService = clusterService;
        this.operations = operations;
        this.clusters = clusters;
        this.nodes = nodes;
        this.nodeService = nodeService;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * What to start and why; {@code alsoReplace}: further nodes a replace operation replaces besides
     * {@code node} (the health prober's batch, up to maxReplacing), each by a new node in its zone.
     */
    public record Request(String cluster, Kind kind, Integer targetSize, String node, String reason, String source,
                          String requestedBy, Long scaleRequestId, Long decisionId, List<String> alsoReplace) {

        public Request(String cluster, Kind kind, Integer targetSize, String node, String reason, String source,
                       String requestedBy, Long scaleRequestId, Long decisionId) {
            this(cluster, kind, targetSize, node, reason, source, requestedBy, scaleRequestId, decisionId, List.of());
        }
    }

    /** Live nodes of a cluster now. */
    public long liveCount(long clusterId) {
        return nodes.count("clusterId = ?1 and state in ?2", clusterId, NodeState.LIVE);
    }

    /** Plans and persists the operation; 409 when the cluster already has one in flight. */
    public OperationEntity start(Request r) {
        ClusterEntity c = clusters.findByName(r.cluster()).orElseThrow(() -> NotFoundException.of("cluster", r.cluster()));
        ClusterService.RunningSpec view = clusterService.runningSpec(c);
        refuseMissingDeployable(r, c, view);
        operations.activeFor(c.name).ifPresent(op -> {
            throw new ConflictException("cluster '" + c.name + "' already has operation " + op.id + " ("
                    + op.kind.label() + ", " + op.state.label() + ") in flight; wait for it or cancel it");
        });
        return start(r, c, view, liveCount(c.id));
    }

    /**
     * The same for a caller that read the cluster, its running spec and its live count in this transaction and
     * found no operation in flight (the intake): nothing is read twice; a second operation started meanwhile by
     * another instance is still refused, by the unique index on active_cluster at the flush.
     */
    public OperationEntity start(Request r, ClusterEntity c, ClusterService.RunningSpec view, long live) {
        refuseMissingDeployable(r, c, view);
        ClusterSpec spec = view.spec();
        Chain chain = catalog.forCluster(spec, r.kind());
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        List<NodeEntity> added = new ArrayList<>();
        List<NodeEntity> removed = new ArrayList<>();
        String note = null;
        switch (r.kind()) {
            case SCALE_OUT -> added.addAll(newNodes(c, spec, (int) (r.targetSize() - live), null, r.reason()));
            case SCALE_IN -> {
                String policy = spec.scaling() == null ? null : spec.scaling().scaleInPolicy();
                int leaving = (int) (live - r.targetSize());
                List<NodeEntity> all = nodes.ofCluster(c.id);
                ScaleInSelector.Choice choice = ScaleInVitals.choose(all, spec, leaving, policy, now);
                List<NodeEntity> ordered = ScaleInVitals.choose(all, spec, Integer.MAX_VALUE, policy, now).nodes();
                removed.addAll(LayoutSites.leaving(spec, all, ordered, leaving));
                note = choice.note();
            }
            case REPLACE -> {
                List<String> names = new ArrayList<>(List.of(r.node()));
                names.addAll(r.alsoReplace() == null ? List.of() : r.alsoReplace());
                for (String name : names) {
                    NodeEntity old = nodes.byName(c.id, name)
                            .orElseThrow(() -> new NotFoundException("node '" + name + "' of cluster '"
                                    + c.name + "' does not exist", "node"));
                    if (old.state == NodeState.TERMINATED || old.state == NodeState.TERMINATING) {
                        throw new ConflictException("node '" + old.name + "' is " + old.state.label()
                                + "; only live or failed nodes can be replaced", "node");
                    }
                    // where the old node was (a node without a zone: wherever the layout wants it)
                    added.addAll(newNodes(c, spec, 1, old.zone == null ? null : LayoutSites.siteOf(spec, old), r.reason()));
                    removed.add(old);
                }
            }
            case TEARDOWN -> removed.addAll(nodes.ofCluster(c.id).stream()
                    .filter(n -> n.state != NodeState.TERMINATED).toList());
        }
        OperationEntity op = new OperationEntity();
        op.clusterName = c.name;
        op.kind = r.kind();
        op.chainName = chain.name();
        op.chainJson = ChainJson.write(chain);
        op.state = OperationState.RUNNING;
        op.activeCluster = c.name;
        op.targetSize = r.targetSize();
        op.previousSize = (int) live;
        op.reason = cut((r.reason() == null ? r.kind().label() : r.reason()) + (note == null ? "" : " (" + note + ")"), 1000);
        op.source = r.source();
        op.requestedBy = r.requestedBy();
        op.scaleRequestId = r.scaleRequestId();
        op.decisionId = r.decisionId();
        op.createdAt = now;
        op.updatedAt = now;
        operations.persist(op);
        operations.flush(); // the unique index on active_cluster refuses a second operation here
        List<TaskEntity> planned = new ArrayList<>();
        for (int i = 0; i < chain.steps().size(); i++) {
            Chain.Step s = chain.steps().get(i);
            List<TaskEntity> stepTasks = new ArrayList<>();
            if (s.scope() == Chain.Scope.CLUSTER) {
                stepTasks.add(task(op, i, s, null, null, now));
            } else {
                if (s.nodes() != Chain.NodeFilter.REMOVED) {
                    for (NodeEntity n : added) {
                        stepTasks.add(task(op, i, s, n, Role.ADDED, now));
                    }
                }
                if (s.nodes() != Chain.NodeFilter.ADDED) {
                    for (NodeEntity n : removed) {
                        stepTasks.add(task(op, i, s, n, Role.REMOVED, now));
                    }
                }
            }
            planned.addAll(stepTasks);
        }
        op.firstStepReady = firstStepReady(chain, planned, now);
        int created = insertTasks(planned);
        LOG.infof("operation planned operation=%d cluster=%s kind=%s chain=%s from=%d target=%s tasks=%d ms=%d added=%s removed=%s",
                op.id, c.name, op.kind.label(), chain.name(), live, r.targetSize(), created, (System.nanoTime() - t0) / 1_000_000,
                added.stream().map(n -> n.name).collect(Collectors.joining(",")),
                removed.stream().map(n -> n.name).collect(Collectors.joining(",")));
        return op;
    }

    /**
     * Writes the first step's tasks READY at once, as {@link OperationProgress#kickOff} would in the same transaction:
     * the lowest step that has tasks, all of them, or its first {@code parallelism} in id order (the tasks are inserted
     * in this order, so their ids ascend in it, and none is busy yet); false when there is no task (the kick-off ends it).
     */
    private static boolean firstStepReady(Chain chain, List<TaskEntity> planned, Instant now) {
        int first = planned.stream().mapToInt(t -> t.seq).min().orElse(-1);
        if (first < 0) {
            return false;
        }
        int parallelism = chain.steps().get(first).parallelism();
        int free = parallelism <= 0 ? Integer.MAX_VALUE : parallelism;
        for (TaskEntity t : planned) {
            if (t.seq == first && free > 0) {
                t.state = TaskState.READY;
                t.nextRunAt = now;
                free--;
            }
        }
        return true;
    }

    private static void refuseMissingDeployable(Request r, ClusterEntity c, ClusterService.RunningSpec view) {
        if (view.deployableProblem() != null && r.kind() != Kind.SCALE_IN && r.kind() != Kind.TEARDOWN) {
            throw new io.rulescaler.error.RefusedException("Deployable not available", "cluster '" + c.name
                    + "' cannot add nodes: " + view.deployableProblem(), "deployable");
        }
    }

    /** What chain to run by name, for which node (null: every active node), with which parameters, and why. */
    public record RunRequest(String cluster, String chain, String node, String parametersJson, String reason, String source,
                             String requestedBy, Long decisionId) {
    }

    /**
     * Plans a chain run: cluster-scoped steps once, node-scoped steps (nodes: all) for the named node
     * or for every active node; it adds and removes no node and does not hold the cluster's
     * one-operation-in-flight slot, so scaling goes on beside it.
     */
    public OperationEntity startRun(RunRequest r) {
        ClusterEntity c = clusters.findByName(r.cluster()).orElseThrow(() -> NotFoundException.of("cluster", r.cluster()));
        Chain chain = catalog.named(r.chain());
        List<NodeEntity> targets;
        if (r.node() != null) {
            NodeEntity n = nodes.byName(c.id, r.node()).orElseThrow(() -> new NotFoundException("node '" + r.node()
                    + "' of cluster '" + c.name + "' does not exist", "node"));
            if (n.state != NodeState.ACTIVE) {
                throw new ConflictException("node '" + n.name + "' is " + n.state.label() + ", not active", "node");
            }
            targets = List.of(n);
        } else {
            targets = nodes.ofCluster(c.id).stream().filter(n -> n.state == NodeState.ACTIVE).toList();
        }
        Instant now = clock.instant();
        OperationEntity op = new OperationEntity();
        op.clusterName = c.name;
        op.kind = Kind.RUN_CHAIN;
        op.chainName = chain.name();
        op.chainJson = ChainJson.write(chain);
        op.state = OperationState.RUNNING;
        op.previousSize = (int) liveCount(c.id);
        op.parametersJson = r.parametersJson();
        op.reason = cut(r.reason() == null || r.reason().isBlank() ? "run chain " + chain.name() : r.reason(), 1000);
        op.source = r.source();
        op.requestedBy = r.requestedBy();
        op.decisionId = r.decisionId();
        op.createdAt = now;
        op.updatedAt = now;
        operations.persist(op);
        operations.flush();
        List<TaskEntity> planned = new ArrayList<>();
        for (int i = 0; i < chain.steps().size(); i++) {
            Chain.Step s = chain.steps().get(i);
            if (s.scope() == Chain.Scope.CLUSTER) {
                planned.add(task(op, i, s, null, null, now));
            } else if (s.nodes() == Chain.NodeFilter.ALL) {
                for (NodeEntity n : targets) {
                    planned.add(task(op, i, s, n, Role.TARGET, now));
                }
            }
        }
        int created = insertTasks(planned);
        LOG.infof("operation planned operation=%d cluster=%s kind=run-chain chain=%s node=%s tasks=%d", op.id, c.name,
                chain.name(), r.node(), created);
        return op;
    }

    /**
     * Records a new node of the cluster as REQUESTED, named and indexed as a scale-out would, on the
     * site (profile and zone) of the node it replaces; a redeploy's replace strategy uses it.
     */
    public List<NodeEntity> requestReplacement(String cluster, NodeEntity old, String reason) {
        ClusterEntity c = clusters.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
        ClusterSpec spec = clusterService.runningSpec(c).spec();
        return newNodes(c, spec, 1, old.zone == null ? null : LayoutSites.siteOf(spec, old), reason);
    }

    /** Writes planned tasks of an operation (multi-row inserts); returns how many. */
    public int writeTasks(List<TaskEntity> planned) {
        return insertTasks(planned);
    }

    private List<NodeEntity> newNodes(ClusterEntity c, ClusterSpec spec, int count, LayoutPlacement.Site site, String reason) {
        if (count <= 0) {
            return List.of();
        }
        List<NodeEntity> all = nodes.sitesOfCluster(c.id); // name, index, state, zone, profile: no entity is loaded
        // The index (DNS "#.zone.base") is the lowest one no unterminated node holds; the name stays
        // unique forever (history keeps terminated nodes), so it takes the next sequence number.
        java.util.Set<Integer> held = all.stream().filter(n -> n.state != NodeState.TERMINATED && n.index != null)
                .map(n -> n.index).collect(Collectors.toSet());
        int seq = all.stream().mapToInt(n -> Math.max(n.index == null ? 0 : n.index, suffix(c.name, n.name))).max().orElse(0) + 1;
        // each new node on its profile and zone by the layout's weights (a replacement where the old node was),
        // with the digest of the recipe it is deployed from, so a later change of the recipe shows
        List<LayoutPlacement.Site> sites = site != null ? java.util.Collections.nCopies(count, site)
                : LayoutSites.forNew(spec, all, count);
        Map<String, String> digests = new LinkedHashMap<>();
        List<NodeService.NewNode> wanted = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < count; i++) {
            do {
                index++;
            } while (held.contains(index));
            LayoutPlacement.Site s = sites.get(i);
            String digest = digests.computeIfAbsent(s.profile(), p -> NodeRecipe.digest(spec, p));
            wanted.add(new NodeService.NewNode(c.name + "-" + (seq + i), s.zone(), index, s.profile(), digest));
        }
        return nodeService.requestAll(c.id, wanted, cut(reason, 900));
    }

    /** Writes the planned tasks with multi-row inserts (their ids are not needed here; workers read them back). */
    private int insertTasks(List<TaskEntity> planned) {
        return MultiRowInsert.insert(operations.getEntityManager(), "task", List.of("operation_id", "seq", "step_index",
                "step_name", "action_type", "is_undo", "node_id", "node_name", "node_role", "state", "attempt", "max_attempts",
                "next_run_at", "created_at", "version"), planned.stream().map(t -> new Object[] {t.operationId, t.seq,
                t.stepIndex, t.stepName, t.actionType, t.undo, t.nodeId, t.nodeName, t.nodeRole, t.state, t.attempt,
                t.maxAttempts, t.nextRunAt, t.createdAt, 0L}).toList());
    }

    /** The number at the end of a node name "<cluster>-<n>", or 0. */
    static int suffix(String cluster, String name) {
        if (name == null || !name.startsWith(cluster + "-")) {
            return 0;
        }
        try {
            return Integer.parseInt(name.substring(cluster.length() + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static TaskEntity task(OperationEntity op, int stepIndex, Chain.Step s, NodeEntity n, Role role, Instant now) {
        TaskEntity t = new TaskEntity();
        t.operationId = op.id;
        t.seq = stepIndex;
        t.stepIndex = stepIndex;
        t.stepName = s.name();
        t.actionType = s.action();
        t.undo = false;
        t.nodeId = n == null ? null : n.id;
        t.nodeName = n == null ? null : n.name;
        t.nodeRole = role;
        t.state = TaskState.WAITING;
        t.maxAttempts = s.retry().attempts();
        t.nextRunAt = now;
        t.createdAt = now;
        return t;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
