package io.rulescaler.retention;

import io.rulescaler.boot.StopGated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.lease.SessionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Deletes old history in bounded batches (one short transaction each), never a row still needed:
 * <ul>
 *   <li>decisions older than {@code rulescaler.retention.decisions}, except each cluster's newest
 *       decision (what "why" and the page show) and decisions whose scale request is pending or
 *       whose operation is still running;</li>
 *   <li>alerts older than {@code alert-events}: a firing row with its resolved row (both old), a
 *       resolved row alone, a firing row of no existing cluster; a still-firing alert stays, and
 *       so does the record that a rule decided on it;</li>
 *   <li>stored session signals older than {@code signals} (at least the replay window).</li>
 * </ul>
 * Every instance may run it; the deletes are idempotent.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): bounded DELETE … WHERE id IN batches without loading entities
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private static final String STILL_FIRING = "SELECT 1 FROM alert_event f WHERE f.fingerprint = %1$s.fingerprint"
            + " AND f.starts_at = %1$s.starts_at AND f.status = 'firing' AND NOT EXISTS (SELECT 1 FROM alert_event r"
            + " WHERE r.fingerprint = f.fingerprint AND r.starts_at = f.starts_at AND r.status = 'resolved')";

    private final EntityManager em;
    private final RetentionConfig config;
    private final SessionConfig sessions;
    private final Clock clock;

    public RetentionPurge(EntityManager em, RetentionConfig config, SessionConfig sessions, Clock clock) {
        this.em = em;
        this.config = config;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Rows deleted by one purge, by table. */
    public record Purged(int decisions, int alertEvents, int decidedAlerts, int signals) {

        int total() {
            return decisions + alertEvents + decidedAlerts + signals;
        }
    }

    @StopGated
    @Scheduled(every = "${rulescaler.retention.interval:10m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warnf("retention purge failed problem=%s", e.toString());
        }
    }

    /** Runs one purge now with the configured ages. */
    public Purged purge() {
        Instant now = clock.instant();
        Duration signalAge = config.signals().compareTo(sessions.replayWindow()) < 0 ? sessions.replayWindow() : config.signals();
        Timestamp decisionsBefore = Timestamp.from(now.minus(config.decisions()));
        Timestamp alertsBefore = Timestamp.from(now.minus(config.alertEvents()));
        Timestamp signalsBefore = Timestamp.from(now.minus(signalAge));
        int batch = Math.max(1, config.batchSize());

        int decisions = repeat(batch, () -> deleteIds("decision", ids("SELECT d.id FROM decision d WHERE d.decided_at < ?1"
                + " AND d.id < (SELECT MAX(x.id) FROM decision x WHERE x.cluster_name = d.cluster_name)"
                + " AND NOT EXISTS (SELECT 1 FROM scale_request s WHERE s.decision_id = d.id AND s.status = 'PENDING')"
                + " AND NOT EXISTS (SELECT 1 FROM operation o WHERE o.active_cluster = d.cluster_name AND o.decision_id = d.id)"
                + " ORDER BY d.id LIMIT ?2", decisionsBefore, batch)));
        int alerts = repeat(batch, () -> {
            List<Long> ids = new ArrayList<>();
            for (Object[] pair : rows("SELECT f.id, r.id FROM alert_event f JOIN alert_event r ON r.fingerprint = f.fingerprint"
                    + " AND r.starts_at = f.starts_at AND r.status = 'resolved' WHERE f.status = 'firing' AND f.received_at < ?1"
                    + " AND r.received_at < ?1 ORDER BY f.id LIMIT ?2", alertsBefore, batch)) {
                ids.add(((Number) pair[0]).longValue());
                ids.add(((Number) pair[1]).longValue());
            }
            return deleteIds("alert_event", ids);
        }) + repeat(batch, () -> deleteIds("alert_event", ids("SELECT a.id FROM alert_event a WHERE a.received_at < ?1 AND ("
                + "(a.status = 'resolved' AND NOT EXISTS (SELECT 1 FROM alert_event f WHERE f.fingerprint = a.fingerprint"
                + " AND f.starts_at = a.starts_at AND f.status = 'firing'))"
                + " OR (a.status = 'firing' AND (a.cluster_name IS NULL OR NOT EXISTS (SELECT 1 FROM cluster c WHERE c.name = a.cluster_name))))"
                + " ORDER BY a.id LIMIT ?2", alertsBefore, batch)));
        int decided = repeat(batch, () -> update("DELETE FROM session_alert_decided WHERE decided_at < ?1 AND NOT EXISTS ("
                + STILL_FIRING.formatted("session_alert_decided") + ") LIMIT ?2", alertsBefore, batch));
        int signals = repeat(batch, () -> update("DELETE FROM session_signal WHERE received_at < ?1 LIMIT ?2", signalsBefore, batch));
        Timestamp vitalsBefore = Timestamp.from(now.minus(config.vitals()));
        int vitals = repeat(batch, () -> update("DELETE FROM node_vitals WHERE at < ?1 LIMIT ?2", vitalsBefore, batch));
        if (vitals > 0) {
            LOG.infof("retention purge node_vitals=%d", vitals);
        }
        Purged p = new Purged(decisions, alerts, decided, signals);
        if (p.total() > 0) {
            LOG.infof("retention purge decisions=%d alert_events=%d decided_alerts=%d signals=%d", decisions,
                    alerts, decided, signals);
        }
        return p;
    }

    /** Runs {@code step} (one batch, one transaction) until it deletes fewer than a batch; returns the total. */
    private static int repeat(int batch, Supplier<Integer> step) {
        int total = 0;
        for (int n = batch; n >= batch; ) {
            n = QuarkusTransaction.requiringNew().call(step::get);
            total += n;
        }
        return total;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Timestamp before, int limit) {
        return em.createNativeQuery(sql).setParameter(1, before).setParameter(2, limit).getResultList();
    }

    @SuppressWarnings("unchecked")
    private List<Long> ids(String sql, Timestamp before, int limit) {
        List<Long> out = new ArrayList<>();
        for (Object o : (List<Object>) em.createNativeQuery(sql).setParameter(1, before).setParameter(2, limit).getResultList()) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    private int deleteIds(String table, List<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        em.createNativeQuery("DELETE FROM " + table + " WHERE id IN (?1)").setParameter(1, ids).executeUpdate();
        return ids.size();
    }

    private int update(String sql, Timestamp before, int limit) {
        return em.createNativeQuery(sql).setParameter(1, before).setParameter(2, limit).executeUpdate();
    }
}
