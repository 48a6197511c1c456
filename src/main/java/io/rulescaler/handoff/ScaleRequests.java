package io.rulescaler.handoff;

import io.rulescaler.handoff.ScaleRequestEntity.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The hand-off between deciding and acting: every write and claim of the {@code scale_request}
 * table, so that its contract sits in one place.
 *
 * <pre>
 *  writers (capacity and manual calls)                       reader (orchestration, every instance)
 *  ─────────────────────────────────────                     ──────────────────────────────────────
 *  DecisionService  rule / manual decision ─┐                ┌─ intake: woken after the commit on this
 *  BoundsKeeper     source HEALTH          ─┼─ submit ──> PENDING   instance, polled for the others
 *  OperationService POST /operations scale ─┘                │
 *                                                            ├─ claimNewest: newest pending wins ─────> ACCEPTED (accept: an
 *                                                            │                                           operation runs it)
 *                                                            ├─ older pending, or older than one taken ─> SUPERSEDED
 *                                                            └─ cluster gone, already at size, dry run,
 *                                                               the planner refused ──────────────────> REJECTED (reject)
 * </pre>
 *
 * A request is written in the same transaction as what caused it (the decision, the bounds check);
 * {@link ScaleRequestWritten} is fired with it and observed after that transaction commits, so an
 * observer never sees a request that was rolled back. A request stays PENDING while its cluster has
 * an operation in flight. Besides the orchestrator, the capacity evaluation reads the table for
 * the newest live target and the last scale times (its named queries), and the retention purge
 * keeps the decisions of pending requests.
 */
@ApplicationScoped
public class ScaleRequests {

    private static final Logger LOG = Logger.getLogger(ScaleRequests.class);
    private final ScaleRequestRepository requests;
    private final Event<ScaleRequestWritten> written;

    public ScaleRequests(ScaleRequestRepository requests, Event<ScaleRequestWritten> written) {
        this.requests = requests;
        this.written = written;
    }

    /** Writes a new PENDING request in the caller's transaction and announces it for after the commit; returns its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long submit(ScaleRequestEntity request) {
        if (request.status != Status.PENDING) {
            throw new IllegalArgumentException("only a PENDING request is handed over, not " + request.status);
        }
        requests.persist(request);
        requests.flush();
        written.fire(new ScaleRequestWritten(request.clusterName));
        return request.id;
    }

    /** Whether the cluster has a request no orchestrator has taken yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hasPending(String cluster) {
        return requests.count("clusterName = ?1 and status = ?2", cluster, Status.PENDING) > 0;
    }

    /** Whether a request was ever written for the cluster (a new cluster has none). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean everRequested(String cluster) {
        return requests.count("clusterName", cluster) > 0;
    }

    /** The clusters with pending requests. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> clustersWithPending() {
        return requests.find("select distinct clusterName from ScaleRequestEntity where status = ?1", Status.PENDING)
                .project(String.class).list();
    }

    /** One request, or null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ScaleRequestEntity find(long id) {
        return requests.findById(id);
    }

    /**
     * Locks the cluster's pending requests (skipping those another instance holds) and returns the
     * newest, still PENDING for the caller to {@link #accept} or {@link #reject} in the same
     * transaction, or to leave pending; the others are SUPERSEDED, as is every pending request older
     * than one already taken (committed late). Null when nothing is left to take.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public ScaleRequestEntity claimNewest(String cluster, Instant now) {
        // native: JPQL has no SKIP LOCKED (docs/architecture.md, "Persistence: one rule"); one statement (bench/handoff-latency.sh):
        // the newest id already taken comes with the locked rows; the subquery's rows are read, not locked (a locked
        // one is neither waited for nor skipped), as the separate read it replaces did
        List<Object[]> rows = requests.getEntityManager().unwrap(org.hibernate.Session.class).createNativeQuery(
                        "SELECT {s.*}, (SELECT MAX(t.id) FROM scale_request t WHERE t.cluster_name = ?1 AND t.status IN"
                        + " ('ACCEPTED', 'REJECTED')) AS taken FROM scale_request s WHERE s.status = 'PENDING' AND s.cluster_name = ?1"
                        + " ORDER BY s.id DESC FOR UPDATE SKIP LOCKED", Object[].class)
                .addEntity("s", ScaleRequestEntity.class).addScalar("taken", Long.class)
                .setParameter(1, cluster).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        List<ScaleRequestEntity> pending = rows.stream().map(r -> (ScaleRequestEntity) r[0]).toList();
        // a request committed late (a lower id than one already taken) is older news: superseded
        Long taken = (Long) rows.get(0)[1];
        if (taken != null) {
            for (ScaleRequestEntity stale : pending.stream().filter(r -> r.id < taken.longValue()).toList()) {
                supersede(stale, "superseded by newer request " + taken + " which was already taken in", now);
            }
            pending = pending.stream().filter(r -> r.id > taken.longValue()).toList();
            if (pending.isEmpty()) {
                return null;
            }
        }
        ScaleRequestEntity newest = pending.get(0);
        for (ScaleRequestEntity older : pending.subList(1, pending.size())) {
            supersede(older, "superseded by newer request " + newest.id + " (target " + newest.targetSize + ")", now);
        }
        return newest;
    }

    /** An operation runs the claimed request. */
    public void accept(ScaleRequestEntity r, long operationId, String detail, Instant now) {
        r.status = Status.ACCEPTED;
        r.operationId = operationId;
        r.statusDetail = detail;
        r.updatedAt = now;
    }

    /** The claimed request will not run; {@code why} says so to whoever reads it. */
    public void reject(ScaleRequestEntity r, String why, Instant now) {
        r.status = Status.REJECTED;
        r.statusDetail = why == null || why.length() <= 1000 ? why : why.substring(0, 999) + "...";
        r.updatedAt = now;
        LOG.infof("scale request rejected request=%d cluster=%s target=%d why=%s", r.id, r.clusterName, r.targetSize, why);
    }

    private static void supersede(ScaleRequestEntity r, String detail, Instant now) {
        r.status = Status.SUPERSEDED;
        r.statusDetail = detail;
        r.updatedAt = now;
    }
}
