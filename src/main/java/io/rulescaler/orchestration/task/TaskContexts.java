package io.rulescaler.orchestration.task;

import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskLog;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterSpecParser;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.chain.ChainParameters;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.error.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.regex.Matcher;

/** Builds what an action sees for a claimed task: cluster, node, peers, templated params, earlier outputs. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class TaskContexts {

    private final OperationRepository operations;
    private final NodeRepository nodes;
    private final TaskRepository tasks;
    private final ClusterRepository clusterRows;
    private final ClusterService clusters;
    private final Map<String, CachedSpec> specs = new java.util.concurrent.ConcurrentHashMap<>();

    public TaskContexts(OperationRepository operations, NodeRepository nodes, TaskRepository tasks, ClusterRepository clusterRows,
                        ClusterService clusters) {
        this.operations = operations;
        this.nodes = nodes;
        this.tasks = tasks;
        this.clusterRows = clusterRows;
        this.clusters = clusters;
    }

    /** Reads everything the action needs in one short transaction. */
    public Context build(TaskEntity t, TaskLog log, BooleanSupplier cancelled) {
        OperationEntity op = operations.findById(t.operationId);
        Target where = targetOf(t, () -> clusterIdOf(op.clusterName));
        Optional<TaskContext.TargetNode> node = where.node();
        long clusterId = where.clusterId();
        Map<String, String> outputs = new LinkedHashMap<>();
        List<TaskEntity> earlierWithOutputs = tasks.list("operationId = ?1 and state = ?2 and outputsJson is not null "
                + "and (nodeId is null or nodeId = ?3) order by seq, id", op.id, TaskState.SUCCEEDED, t.nodeId == null ? -1L : t.nodeId);
        for (TaskEntity earlier : earlierWithOutputs) {
            outputs.putAll(ChainJson.outputs(earlier.outputsJson));
        }
        return assemble(new Inputs(t, op, node, clusterId, outputs), log, cancelled);
    }

    /** What {@link #build} reads from the database for one task; {@link #assemble} makes the context of it. */
    public record Inputs(TaskEntity task, OperationEntity op, Optional<TaskContext.TargetNode> node, long clusterId,
                         Map<String, String> outputs) {
    }

    /**
     * The database part of {@link #build} for all tasks of one claim at once, in the claim's transaction: their
     * operations and nodes (already in the session after {@link TaskStore#claimAndStart}) and the earlier steps'
     * outputs of every claimed task in one query, instead of a transaction with four reads per task. By task id;
     * a task left out (its node is gone) is started the old way, in a transaction of its own.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Long, Inputs> inputsOf(List<TaskEntity> claimed) {
        if (claimed.isEmpty()) {
            return Map.of();
        }
        List<Long> opIds = claimed.stream().map(t -> t.operationId).distinct().toList();
        List<Long> nodeIds = claimed.stream().map(t -> t.nodeId).filter(java.util.Objects::nonNull).distinct().toList();
        // (operation, node) -> outputs in (seq, id) order; node null: the operation's cluster-wide tasks
        List<Object[]> rows = nodeIds.isEmpty()
                ? tasks.find("select t.operationId, t.nodeId, t.outputsJson from TaskEntity t where t.operationId in ?1 and t.state = ?2"
                        + " and t.outputsJson is not null and t.nodeId is null order by t.seq, t.id", opIds, TaskState.SUCCEEDED)
                        .project(Object[].class).list()
                : tasks.find("select t.operationId, t.nodeId, t.outputsJson from TaskEntity t where t.operationId in ?1 and t.state = ?2"
                        + " and t.outputsJson is not null and (t.nodeId is null or t.nodeId in ?3) order by t.seq, t.id",
                        opIds, TaskState.SUCCEEDED, nodeIds).project(Object[].class).list();
        Map<Long, Long> clusterOfOp = new HashMap<>();
        Map<Long, Inputs> out = new HashMap<>();
        for (TaskEntity t : claimed) {
            OperationEntity op = operations.findById(t.operationId);
            if (t.nodeId != null && nodes.findById(t.nodeId) == null) {
                continue; // its node is gone: the worker's own start transaction says so, as it did before claims prepared tasks
            }
            Target where = targetOf(t, () -> clusterOfOp.computeIfAbsent(op.id, id -> clusterIdOf(op.clusterName)));
            Optional<TaskContext.TargetNode> node = where.node();
            long clusterId = where.clusterId();
            Map<String, String> outputs = new LinkedHashMap<>();
            for (Object[] r : rows) {
                if (((Number) r[0]).longValue() == op.id && (r[1] == null || ((Number) r[1]).longValue() == (t.nodeId == null ? -1L : t.nodeId))) {
                    outputs.putAll(ChainJson.outputs((String) r[2]));
                }
            }
            out.put(t.id, new Inputs(t, op, node, clusterId, outputs));
        }
        return out;
    }

    /** The node a task works on (none for a cluster-wide step) and its cluster's id. */
    private record Target(Optional<TaskContext.TargetNode> node, long clusterId) {
    }

    /** The task's node and cluster: the node's own cluster, else the operation's ({@code clusterOfOperation}). */
    private Target targetOf(TaskEntity t, java.util.function.LongSupplier clusterOfOperation) {
        if (t.nodeId != null) {
            NodeEntity n = nodes.findById(t.nodeId);
            return new Target(Optional.of(target(n)), n.clusterId);
        }
        return new Target(Optional.empty(), clusterOfOperation.getAsLong());
    }

    private long clusterIdOf(String clusterName) {
        return clusterRows.find("select id from ClusterEntity where name = ?1", clusterName).project(Long.class).singleResult();
    }

    /** Makes the action's context of what was read (the cluster's spec is cached); needs no transaction of its own. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Context assemble(Inputs in, TaskLog log, BooleanSupplier cancelled) {
        TaskEntity t = in.task();
        OperationEntity op = in.op();
        Chain.Step step = ChainJson.chainOf(op).steps().get(t.stepIndex);
        // a redeploy (or its rollback) configures with the parameters it rolls out, whatever the spec says now
        ClusterSpec spec = op.kind == OperationEntity.Kind.REDEPLOY && op.parametersJson != null
                ? ClusterSpecParser.withFields(spec(op.clusterName), Map.of("parameters", ChainJson.parameters(op.parametersJson)))
                : spec(op.clusterName);
        Optional<TaskContext.TargetNode> node = in.node();
        Map<String, String> outputs = in.outputs();
        Long self = t.nodeId;
        long cid = in.clusterId();
        Supplier<List<TaskContext.TargetNode>> peers = memoize(() -> QuarkusTransaction.requiringNew().call(() ->
                // active nodes, plus nodes being configured whose machine exists (the nodes a scale-out is
                // adding), so "update the rest of the cluster" already lists the newcomers
                nodes.ofClusterInStates(cid, List.of(NodeState.ACTIVE, NodeState.CONFIGURING)).stream()
                        .filter(n -> n.state == NodeState.ACTIVE || n.address != null)
                        .filter(n -> !n.id.equals(self)).map(TaskContexts::target).toList()));
        Map<String, String> vars = new HashMap<>();
        vars.put("cluster.name", spec.name());
        vars.put("cluster.provider", spec.provider());
        vars.put("cluster.dnsBaseName", spec.dnsBaseName() == null ? "" : spec.dnsBaseName());
        vars.put("cluster.targetSize", op.targetSize == null ? "" : op.targetSize.toString());
        vars.put("cluster.previousSize", op.previousSize == null ? "" : op.previousSize.toString());
        vars.put("operation.id", op.id.toString());
        vars.put("operation.kind", op.kind.label());
        vars.put("operation.reason", op.reason);
        vars.put("task.id", t.id.toString());
        vars.put("step.name", t.stepName);
        node.ifPresent(n -> {
            vars.put("node.id", Long.toString(n.id()));
            vars.put("node.name", n.name());
            vars.put("node.zone", n.zone() == null ? "" : n.zone());
            vars.put("node.profile", spec.profileOr(n.profile()));
            vars.put("node.index", Integer.toString(n.index()));
            vars.put("node.address", n.address() == null ? "" : n.address());
            vars.put("node.providerId", n.providerId() == null ? "" : n.providerId());
        });
        outputs.forEach((k, v) -> vars.put("outputs." + k, v));
        Map<String, String> raw = t.undo ? step.undo().params() : step.params();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> runParams = ChainJson.parameters(op.parametersJson);
        Map<String, String> clusterParams = spec.parametersOrEmpty();
        raw.forEach((k, v) -> params.put(k, template(v, vars, runParams, clusterParams)));
        long timeout = t.undo ? step.undo().timeoutSeconds() : step.timeoutSeconds();
        return new Context(op.id, t.id, t.stepName, spec, node, peers, Map.copyOf(params), Map.copyOf(outputs), log,
                Duration.ofSeconds(timeout), cancelled, op.kind.label());
    }

    /**
     * The cluster's running spec, cached for a second: thousands of tasks of one operation need not re-read it
     * each. Only the spec (one row): the full cluster view added three node counts over the whole cluster, and
     * every worker that found the entry stale re-read it at the same moment.
     */
    private ClusterSpec spec(String cluster) {
        CachedSpec c = specs.get(cluster);
        if (c != null && System.nanoTime() - c.readAt() <= 1_000_000_000L) {
            return c.spec();
        }
        synchronized (specs) { // one reader; the others wait for its answer
            c = specs.get(cluster);
            long now = System.nanoTime();
            if (c == null || now - c.readAt() > 1_000_000_000L) {
                ClusterSpec read = QuarkusTransaction.joiningExisting().call(() -> clusters.runningSpec(
                        clusterRows.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster))).spec());
                c = new CachedSpec(read, now);
                specs.put(cluster, c);
            }
            return c.spec();
        }
    }

    private record CachedSpec(ClusterSpec spec, long readAt) {
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    static String template(String value, Map<String, String> vars) {
        return template(value, vars, Map.of(), Map.of());
    }

    /** Fills in variables; {@code ${params.x}} reads the run's parameters, then the cluster's, then its default. */
    static String template(String value, Map<String, String> vars, Map<String, String> runParams, Map<String, String> clusterParams) {
        Matcher m = io.rulescaler.orchestration.chain.ChainParser.VARIABLE_PATTERN.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            ChainParameters.Reference p = ChainParameters.parse(m.group(1));
            String v = p != null ? ChainParameters.resolve(p, runParams, clusterParams) : vars.getOrDefault(m.group(1), "");
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static TaskContext.TargetNode target(NodeEntity n) {
        return new TaskContext.TargetNode(n.id, n.name, n.index == null ? 0 : n.index, n.zone, n.address, n.providerId,
                n.profile);
    }

    /** The immutable context handed to an action. */
    public record Context(long operationId, long taskId, String step, ClusterSpec cluster,
                          Optional<TaskContext.TargetNode> node, Supplier<List<TaskContext.TargetNode>> peerList,
                          Map<String, String> params,
                          Map<String, String> outputs, TaskLog log, Duration timeout, BooleanSupplier cancelFlag,
                          String operationKind) implements TaskContext {
        @Override
        public List<TaskContext.TargetNode> peers() {
            return peerList.get();
        }

        @Override
        public boolean cancelled() {
            return cancelFlag.getAsBoolean();
        }
    }
}
