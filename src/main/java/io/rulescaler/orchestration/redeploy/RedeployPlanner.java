package io.rulescaler.orchestration.redeploy;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.error.ConflictException;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainCatalog;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.operation.OperationPlanner;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.orchestration.operation.OperationState;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskEntity.Role;
import io.rulescaler.orchestration.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a redeploy operation (or its rollback) with every task of every batch in the caller's
 * transaction: in place, each batch's nodes as targets of its steps; replacing, a new node per old
 * one (same zone), recorded now, and the old ones as the nodes that leave.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RedeployPlanner {

    private static final Logger LOG = Logger.getLogger(RedeployPlanner.class);
    private final OperationRepository operations;
    private final OperationPlanner planner;
    private final OperationProgress progress;
    private final Clock clock;
    private final ChainCatalog catalog;

    public RedeployPlanner(OperationRepository operations, OperationPlanner planner, OperationProgress progress, Clock clock,
                           ChainCatalog catalog) {
        this.catalog = catalog;
        this.operations = operations;
        this.planner = planner;
        this.progress = progress;
        this.clock = clock;
    }

    /** The nodes of one batch: reconfigured in place ({@code targets}) or replaced ({@code leaving}, with a successor each unless retired). */
    record Batch(List<NodeEntity> targets, List<NodeEntity> leaving, boolean retireOnly) {
        static Batch inPlace(List<NodeEntity> nodes) {
            return new Batch(nodes, List.of(), false);
        }

        static Batch replacing(List<NodeEntity> nodes) {
            return new Batch(List.of(), nodes, false);
        }

        static Batch retiring(List<NodeEntity> nodes) {
            return new Batch(List.of(), nodes, true);
        }
    }

    /** What to write: the chain built per batch, the batches, the parameters rolled out, and why. */
    record Plan(String cluster, Chain chain, List<Batch> batches, Map<String, String> parameters, String reason, String source,
                String requestedBy) {
    }

    /**
     * The chain for {@code batches} batches of the strategy, built from the cluster's chains as loaded
     * now; refused (before anything is written) when a chain is missing or has nothing to run.
     */
    Chain chainFor(ClusterSpec spec, String strategy, int batches, int nodes, int gateSeconds, int specVersion) {
        Chain chain;
        if (RedeployInput.REPLACE.equals(strategy)) {
            chain = RedeployChains.replaceChain(catalog.forCluster(spec, Kind.REPLACE), batches, gateSeconds, specVersion);
        } else {
            Chain scaleOut = catalog.forCluster(spec, Kind.SCALE_OUT);
            RedeployChains.InPlace parts = RedeployChains.inPlace(scaleOut, catalog.forCluster(spec, Kind.SCALE_IN));
            RedeployChains.requireConfiguration(parts, scaleOut.name());
            chain = RedeployChains.inPlaceChain(parts, batches, gateSeconds, specVersion);
        }
        RedeployChains.checkLength(chain.steps().size() / batches, batches, nodes);
        return chain;
    }

    /** Every parameter the cluster's chains read (with or without a default), for checking a request's keys. */
    java.util.Set<String> parametersRead(ClusterSpec spec) {
        List<Chain> used = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind.scales()) {
                catalog.find(ChainCatalog.chainName(spec, kind)).ifPresent(used::add);
            }
        }
        return RedeployChains.parametersRead(used);
    }

    /** Writes the operation and its tasks and makes the first step ready; 409 when the cluster has an operation in flight. */
    OperationEntity start(Plan p) {
        operations.activeFor(p.cluster()).ifPresent(op -> {
            throw new ConflictException("cluster '" + p.cluster() + "' already has operation " + op.id + " ("
                    + op.kind.label() + ", " + op.state.label() + ") in flight; wait for it or cancel it");
        });
        Instant now = clock.instant();
        OperationEntity op = new OperationEntity();
        op.clusterName = p.cluster();
        op.kind = Kind.REDEPLOY;
        op.chainName = p.chain().name();
        op.chainJson = ChainJson.write(p.chain());
        op.state = OperationState.RUNNING;
        op.activeCluster = p.cluster();
        op.previousSize = (int) p.batches().stream().mapToLong(b -> b.targets().size() + b.leaving().size()).sum();
        op.parametersJson = ChainJson.write(p.parameters());
        op.reason = p.reason().length() > 1000 ? p.reason().substring(0, 1000) : p.reason();
        op.source = p.source();
        op.requestedBy = p.requestedBy();
        op.createdAt = now;
        op.updatedAt = now;
        operations.persist(op);
        operations.flush(); // the unique index on active_cluster refuses a second operation here
        int perBatch = p.chain().steps().size() / p.batches().size();
        List<TaskEntity> planned = new ArrayList<>();
        for (int b = 0; b < p.batches().size(); b++) {
            Batch batch = p.batches().get(b);
            List<NodeEntity> added = new ArrayList<>();
            if (!batch.retireOnly()) {
                for (NodeEntity old : batch.leaving()) {
                    added.addAll(planner.requestReplacement(p.cluster(), old, "replaces " + old.name + " (redeploy, operation "
                            + op.id + ")"));
                }
            }
            for (int i = b * perBatch; i < (b + 1) * perBatch; i++) {
                Chain.Step s = p.chain().steps().get(i);
                if (s.scope() == Chain.Scope.CLUSTER) {
                    planned.add(task(op, i, s, null, null, now));
                    continue;
                }
                for (NodeEntity n : batch.targets()) {
                    planned.add(task(op, i, s, n, Role.TARGET, now));
                }
                if (s.nodes() != Chain.NodeFilter.REMOVED) {
                    for (NodeEntity n : added) {
                        planned.add(task(op, i, s, n, Role.ADDED, now));
                    }
                }
                if (s.nodes() != Chain.NodeFilter.ADDED) {
                    for (NodeEntity n : batch.leaving()) {
                        planned.add(task(op, i, s, n, Role.REMOVED, now));
                    }
                }
            }
        }
        int created = planner.writeTasks(planned);
        progress.kickOff(op);
        LOG.infof("redeploy planned operation=%d cluster=%s batches=%d steps=%d tasks=%d", op.id, p.cluster(),
                p.batches().size(), p.chain().steps().size(), created);
        return op;
    }

    private static TaskEntity task(OperationEntity op, int stepIndex, Chain.Step s, NodeEntity n, Role role, Instant now) {
        TaskEntity t = new TaskEntity();
        t.operationId = op.id;
        t.seq = stepIndex;
        t.stepIndex = stepIndex;
        t.stepName = s.name();
        t.actionType = s.action();
        t.nodeId = n == null ? null : n.id;
        t.nodeName = n == null ? null : n.name;
        t.nodeRole = role;
        t.state = TaskState.WAITING;
        t.maxAttempts = s.retry().attempts();
        t.nextRunAt = now;
        t.createdAt = now;
        return t;
    }
}
