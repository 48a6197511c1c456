package io.rulescaler.handoff;

import io.rulescaler.handoff.ChainRunEntity.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The hand-off for chain runs: every write and claim of the {@code chain_run} table.
 *
 * <pre>
 *  writers (capacity)                                        reader (orchestration, every instance)
 *  ──────────────────                                        ──────────────────────────────────────
 *  ChainRunService  rule's RunChain ─┐ chain guard ─ refused ──> REFUSED / DRY_RUN (kept for "why")
 *                   POST .../runs   ─┘             └ accepted ─> PENDING ─ claimPending ─> RUNNING (accept)
 *                                                                        │                  └─ finish ─> SUCCEEDED |
 *                                                                        │                               FAILED | CANCELLED
 *                                                                        └─ cluster or chain gone ────> REJECTED (reject)
 * </pre>
 *
 * A run is written in the same transaction as its verdict, under the cluster's decision lock;
 * {@link ChainRunWritten} is observed after the commit. While a run is PENDING or RUNNING its row
 * holds the unique {@code active_key} "cluster/chain/node", so two runs of a chain for one node
 * never overlap, on any instance.
 */
@ApplicationScoped
public class ChainRuns {

    private static final Logger LOG = Logger.getLogger(ChainRuns.class);
    private static final List<Status> STARTED = List.of(Status.PENDING, Status.RUNNING, Status.SUCCEEDED, Status.FAILED,
            Status.CANCELLED);
    private final ChainRunRepository runs;
    private final Event<ChainRunWritten> written;

    public ChainRuns(ChainRunRepository runs, Event<ChainRunWritten> written) {
        this.runs = runs;
        this.written = written;
    }

    /** Stores a judged run in the caller's transaction; a PENDING one is announced for after the commit. Returns its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(ChainRunEntity run) {
        run.activeKey = run.status == Status.PENDING ? ChainRunEntity.activeKey(run.clusterName, run.chainName, run.node()) : null;
        runs.persist(run);
        runs.flush();
        if (run.status == Status.PENDING) {
            written.fire(new ChainRunWritten(run.clusterName));
        }
        return run.id;
    }

    /** The pending or running run of a chain for a node (null node: the whole cluster). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ChainRunEntity> active(String cluster, String chain, String node) {
        return runs.find("activeKey", ChainRunEntity.activeKey(cluster, chain, node)).firstResultOptional();
    }

    /** When the chain last started (or was handed over) for this node; empty when never. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Instant> lastStarted(String cluster, String chain, String node) {
        return Optional.ofNullable(runs.find("select max(createdAt) from ChainRunEntity where clusterName = ?1 "
                        + "and chainName = ?2 and nodeName = ?3 and status in ?4", cluster, chain, node == null ? "" : node, STARTED)
                .project(Instant.class).singleResult());
    }

    /** Runs of a cluster (optionally of one chain), newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChainRunEntity> list(String cluster, String chain, int limit) {
        var q = chain == null ? runs.find("clusterName = ?1 order by id desc", cluster)
                : runs.find("clusterName = ?1 and chainName = ?2 order by id desc", cluster, chain);
        return q.range(0, Math.max(1, Math.min(limit, 500)) - 1).list();
    }

    /** One run, or null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ChainRunEntity find(long id) {
        return runs.findById(id);
    }

    /** The clusters with pending runs. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> clustersWithPending() {
        return runs.find("select distinct clusterName from ChainRunEntity where status = ?1", Status.PENDING).project(String.class).list();
    }

    /** Locks the cluster's pending runs (skipping those another instance holds), oldest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<ChainRunEntity> claimPending(String cluster) {
        // native: JPQL has no SKIP LOCKED; the same claim as the task queue (docs/architecture.md, "Persistence: one rule")
        return runs.getEntityManager().createNativeQuery("SELECT * FROM chain_run WHERE status = 'PENDING' AND cluster_name = ?1 "
                + "ORDER BY id FOR UPDATE SKIP LOCKED", ChainRunEntity.class).setParameter(1, cluster).getResultList();
    }

    /** An operation runs the claimed run. */
    public void accept(ChainRunEntity r, long operationId, Instant now) {
        r.status = Status.RUNNING;
        r.operationId = operationId;
        r.statusDetail = "operation " + operationId + " runs chain " + r.chainName;
        r.updatedAt = now;
    }

    /** The claimed run will not run; {@code why} says so. */
    public void reject(ChainRunEntity r, String why, Instant now) {
        r.status = Status.REJECTED;
        r.activeKey = null;
        r.statusDetail = why == null || why.length() <= 1000 ? why : why.substring(0, 999) + "...";
        r.updatedAt = now;
        LOG.infof("chain run rejected run=%d cluster=%s chain=%s why=%s", r.id, r.clusterName, r.chainName, why);
    }

    /** Operations that run chain runs, as the runs know them (to find runs whose end was missed). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Long> runningOperations() {
        return runs.find("select operationId from ChainRunEntity where status = ?1", Status.RUNNING).project(Long.class).list();
    }

    /** The operation of a run ended: succeeded, failed or cancelled; the chain may be asked for again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(long operationId, Status outcome, String detail, Instant now) {
        for (ChainRunEntity r : runs.list("operationId = ?1 and status = ?2", operationId, Status.RUNNING)) {
            r.status = outcome;
            r.activeKey = null;
            r.statusDetail = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 999) + "...";
            r.updatedAt = now;
        }
    }
}
