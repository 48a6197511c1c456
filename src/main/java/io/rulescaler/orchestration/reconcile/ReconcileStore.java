package io.rulescaler.orchestration.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.error.DomainException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationPlanner;
import io.rulescaler.orchestration.operation.OperationProgress;
import io.rulescaler.orchestration.operation.OperationRepository;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The database side of reconciliation, each step in its own short transaction: reading a cluster's
 * nodes before the provider is asked, then, under the cluster row lock and only while no operation
 * is in flight, failing nodes whose machine vanished, adopting tagged machines and starting the
 * replace operation; and keeping each cluster's last report.
 */
@ApplicationScoped
public class ReconcileStore {

    /** History reason prefix of nodes failed here; such nodes are replaced one operation at a time. */
    static final String VANISHED = "reconcile: machine vanished";
    private static final Logger LOG = Logger.getLogger(ReconcileStore.class);
    private final EntityManager em;
    private final ClusterRepository clusterRows;
    private final TaskRepository tasks;
    private final ClusterService clusters;
    private final NodeRepository nodes;
    private final NodeService nodeService;
    private final OperationRepository operations;
    private final OperationPlanner planner;
    private final OperationProgress progress;
    private final ObjectMapper json;
    private final Clock clock;

    public ReconcileStore(EntityManager em, ClusterRepository clusterRows, TaskRepository tasks, ClusterService clusters, NodeRepository nodes, NodeService nodeService,
                          OperationRepository operations, OperationPlanner planner, OperationProgress progress, ObjectMapper json,
                          Clock clock) {
        this.em = em;
        this.clusterRows = clusterRows;
        this.tasks = tasks;
        this.clusters = clusters;
        this.nodes = nodes;
        this.nodeService = nodeService;
        this.operations = operations;
        this.planner = planner;
        this.progress = progress;
        this.json = json;
        this.clock = clock;
    }

    /** A cluster to reconcile and its provider profile. */
    record ClusterRef(long id, String name, String profile) {
    }

    /** A cluster's nodes and operations as they were before the provider was asked. */
    record Snapshot(List<Reconciliation.NodeRow> rows, long maxOperationId) {
    }

    /** What was changed in the database. */
    record Applied(String outcome, String detail, List<Reconciliation.Vanished> failed,
                   List<Reconciliation.Adoptable> adopted, List<Reconciliation.Unknown> unknown, Long replaceOperationId) {
    }

    List<ClusterRef> clusters(String only) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ClusterEntity> all = only == null
                    ? clusterRows.listAll(io.quarkus.panache.common.Sort.by("name"))
                    : clusterRows.list("name", only);
            if (only != null && all.isEmpty()) {
                throw NotFoundException.of("cluster", only);
            }
            return all.stream().map(c -> new ClusterRef(c.id, c.name, clusters.get(c.name).spec().provider())).toList();
        });
    }

    Snapshot snapshot(ClusterRef c) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // only the nodes on the profile being listed: a node another profile holds (a layout across
            // providers) is not missing from this one
            List<Reconciliation.NodeRow> rows = nodes.ofCluster(c.id()).stream()
                    .filter(n -> n.profile == null || n.profile.equals(c.profile()))
                    .map(n -> new Reconciliation.NodeRow(n.id, n.name, n.state, n.providerId,
                            n.launchedAt != null && n.providerId != null ? n.launchedAt : n.updatedAt))
                    .toList();
            return new Snapshot(rows, maxOperationId(c.name()));
        });
    }

    /** Acts on the findings when nothing moved since the snapshot; returns what it did. */
    Applied apply(ClusterRef ref, Snapshot snap, Reconciliation.Findings f, boolean replace) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = em.find(ClusterEntity.class, ref.id(), LockModeType.PESSIMISTIC_WRITE);
            if (c == null) {
                return new Applied("busy", "cluster was deleted meanwhile", List.of(), List.of(), List.of(), null);
            }
            long maxOp = maxOperationId(c.name);
            if (maxOp != snap.maxOperationId()) {
                return new Applied("busy", "operation " + maxOp + " started while the provider was asked; checked next round",
                        List.of(), List.of(), List.of(), null);
            }
            Optional<OperationEntity> active = operations.activeFor(c.name);
            if (active.isPresent()) {
                return new Applied("busy", "operation " + active.get().id + " (" + active.get().kind.label()
                        + ") is in flight; its nodes are left to it", List.of(), List.of(), f.unknown(), null);
            }
            List<Reconciliation.Adoptable> adopted = new ArrayList<>();
            for (Reconciliation.Adoptable a : f.adoptable()) {
                NodeEntity n = nodes.findById(a.nodeId());
                if (n != null && n.providerId == null && n.state != NodeState.TERMINATED) {
                    nodeService.recordMachine(n.id, a.providerId(), a.address(), "reconcile: adopted machine " + a.providerId()
                            + " tagged for this node");
                    adopted.add(a);
                }
            }
            List<Reconciliation.Vanished> failed = new ArrayList<>();
            for (Reconciliation.Vanished v : f.vanished()) {
                NodeEntity n = nodes.findById(v.nodeId());
                if (n != null && n.state.label().equals(v.state()) && Objects.equals(n.providerId, v.providerId())
                        && n.state.canMoveTo(NodeState.FAILED)) {
                    nodeService.transition(n.id, NodeState.FAILED, VANISHED + ": " + (v.providerId() == null
                            ? "none was ever recorded and the provider reports none tagged for this node"
                            : v.providerId() + " is no longer reported by provider profile " + ref.profile()));
                    failed.add(v);
                }
            }
            String detail = null;
            Long replaceId = null;
            if (replace && !c.paused && !c.dryRun) {
                try {
                    replaceId = startNextReplace(c);
                } catch (DomainException e) {
                    detail = "replace not started: " + e.getMessage();
                }
            } else if (!pendingReplacements(c).isEmpty()) {
                detail = "failed nodes wait for replacement: " + (c.paused ? "cluster is paused" : c.dryRun ? "cluster is in dry-run"
                        : "rulescaler.reconcile.replace=false");
            }
            return new Applied("ok", detail, failed, adopted, f.unknown(), replaceId);
        });
    }

    /** Starts the next replacement of a vanished node when the cluster is idle; the operation id, if any. */
    Long replaceNext(String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = clusterRows.findByName(cluster).orElse(null);
            if (c == null || c.paused || c.dryRun || nodes.count("clusterId = ?1 and state = ?2", c.id, NodeState.FAILED) == 0) {
                return null;
            }
            em.lock(c, LockModeType.PESSIMISTIC_WRITE);
            if (operations.activeFor(c.name).isPresent()) {
                return null;
            }
            try {
                return startNextReplace(c);
            } catch (DomainException e) {
                LOG.warnf("reconcile replace not started cluster=%s problem=%s", c.name, e.getMessage());
                return null;
            }
        });
    }

    private Long startNextReplace(ClusterEntity c) {
        List<NodeEntity> pending = pendingReplacements(c);
        if (pending.isEmpty()) {
            return null;
        }
        NodeEntity n = pending.get(0);
        OperationEntity op = planner.start(new OperationPlanner.Request(c.name, OperationEntity.Kind.REPLACE, null, n.name,
                "reconcile: node " + n.name + " lost its machine", "reconcile", "reconciler", null, null));
        progress.kickOff(op);
        LOG.infof("reconcile replace started cluster=%s node=%s operation=%d", c.name, n.name, op.id);
        return op.id;
    }

    /** Nodes failed here whose replacement no operation has tried yet (a failed replace is not retried blindly). */
    private List<NodeEntity> pendingReplacements(ClusterEntity c) {
        List<NodeEntity> out = new ArrayList<>();
        for (NodeEntity n : nodes.ofClusterInStates(c.id, List.of(NodeState.FAILED))) {
            var history = nodes.history(n.id);
            boolean ours = !history.isEmpty() && history.get(history.size() - 1).reason != null
                    && history.get(history.size() - 1).reason.startsWith(VANISHED);
            if (ours && tasks.count("nodeId = ?1 and nodeRole = ?2", n.id, TaskEntity.Role.REMOVED) == 0) {
                out.add(n);
            }
        }
        return out;
    }

    private long maxOperationId(String cluster) {
        Long max = operations.find("select max(o.id) from OperationEntity o where o.clusterName = ?1", cluster)
                .project(Long.class).singleResult();
        return max == null ? 0 : max;
    }

    /** Keeps the cluster's last report (one row per cluster, any instance may write it). */
    void record(ReconciliationView v) {
        String report;
        try {
            report = json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO reconciliation (cluster_name, profile, "
                        + "outcome, detail, unknown_machines, report_json, checked_by, checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                        + "ON DUPLICATE KEY UPDATE profile = VALUES(profile), outcome = VALUES(outcome), detail = VALUES(detail), "
                        + "unknown_machines = VALUES(unknown_machines), report_json = VALUES(report_json), "
                        + "checked_by = VALUES(checked_by), checked_at = VALUES(checked_at)")
                .setParameter(1, v.cluster()).setParameter(2, v.profile()).setParameter(3, v.outcome())
                .setParameter(4, v.detail() == null ? null : v.detail().substring(0, Math.min(1000, v.detail().length())))
                .setParameter(5, v.unknownMachines().size()).setParameter(6, report).setParameter(7, v.checkedBy())
                .setParameter(8, Timestamp.from(v.checkedAt())).executeUpdate());
    }

    /** The cluster's last report; outcome {@code never} when no instance reconciled it yet. */
    ReconciliationView last(String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClusterEntity c = clusterRows.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
            List<?> rows = em.createNativeQuery("SELECT report_json FROM reconciliation WHERE cluster_name = ?1")
                    .setParameter(1, c.name).getResultList();
            ReconciliationView last = null;
            if (!rows.isEmpty()) {
                try {
                    last = json.readValue(rows.get(0).toString(), ReconciliationView.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("stored reconciliation report of " + cluster + " is unreadable", e);
                }
            }
            // a report older than the cluster belongs to a deleted cluster of the same name
            if (last == null || last.checkedAt() == null || last.checkedAt().isBefore(c.createdAt)) {
                return new ReconciliationView(c.name, clusters.get(c.name).spec().provider(), "never",
                        "not reconciled since this cluster was created", null, null, 0, List.of(), List.of(), List.of(), 0, null);
            }
            return last;
        });
    }

    Instant now() {
        return clock.instant();
    }
}
