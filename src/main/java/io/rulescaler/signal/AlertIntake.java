package io.rulescaler.signal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.boot.DatabaseConfig;
import io.rulescaler.boot.PathStage;
import io.rulescaler.capacity.fact.Alert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/**
 * Stores the validated Alertmanager alerts of a group of deliveries ({@link AlertWriter} groups
 * them) before the webhook answers, then hands the new ones to their clusters' sessions: one row
 * per (fingerprint, startsAt, status), so duplicates from HA peers and retries count once; alerts
 * for unknown clusters are kept and counted as unmatched. The steps, in order: which clusters
 * exist ({@link KnownClusters}), the group as rows ({@link AlertRows}), the insert
 * ({@link AlertTable}), the counts ({@link AlertCounts}), the sessions ({@link SignalRouter}).
 */
@ApplicationScoped
public class AlertIntake {

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final SignalConfig config;
    private final KnownClusters clusters;
    private final AlertCounts counts;
    private final SignalRouter router;
    private final DatabaseConfig database;

    public AlertIntake(EntityManager em, AgroalDataSource dataSource, SignalConfig config, KnownClusters clusters,
                       AlertCounts counts, SignalRouter router, DatabaseConfig database) {
        this.database = database;
        this.em = em;
        this.dataSource = dataSource;
        this.config = config;
        this.clusters = clusters;
        this.counts = counts;
        this.router = router;
    }

    /** An alert that was new (not a duplicate), with the cluster it matched (null when none). */
    public record Received(Alert alert, boolean matched) {
    }

    /** A payload waiting to be stored, with the time the webhook received it. */
    public record Delivery(AlertmanagerPayload payload, Instant receivedAt) {
    }

    /** What a group's store returned, and the alerts to hand to sessions here once it committed. */
    private record Stored(List<List<Received>> received, List<Alert> here) {
    }

    /**
     * Stores the alerts of several deliveries, all or nothing, and returns each delivery's new
     * alerts (same order). An alert that is already stored, or that an earlier delivery of the same
     * group carries, is a duplicate of the later one: it counts once. Once committed, the new
     * matched alerts go to their sessions here; those whose session runs on another instance got a
     * pending inbox row in the same transaction.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<List<Received>> store(List<Delivery> group) {
        Stored stored = atOnce(group);
        if (stored == null) {
            stored = QuarkusTransaction.requiringNew().call(() -> inTransaction(group));
        }
        if (!stored.here().isEmpty()) {
            PathStage.mark("alert-committed", stored.here().get(0).getCluster());
        }
        router.alerts(stored.here());
        return stored.received();
    }

    /**
     * For deliveries whose store failed (and was answered 503) in a way that may have committed all
     * the same: the connection died during the commit, which the dead node had replicated. Their rows
     * that are stored with their own receive time are theirs: those alerts go to their sessions (an
     * inbox row for a session elsewhere, in this transaction), as the store would have done; a session
     * that gets an alert twice decides once. Returns how many went to sessions here; nothing is counted.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public int confirm(List<Delivery> group) {
        List<Alert> here = QuarkusTransaction.requiringNew().call(() -> {
            Session session = em.unwrap(Session.class);
            Set<String> known = session.doReturningWork(conn -> clusters.known(conn, AlertRows.clusterNames(group, config.alertClusterLabel())));
            AlertRows rows = AlertRows.of(group, known, config.alertClusterLabel());
            Set<String> ours = session.doReturningWork(conn -> AlertTable.withOwnRows(conn, rows.all(), Set.of()));
            List<Alert> found = new ArrayList<>();
            for (AlertRows.Row r : rows.all()) {
                if (r.matched() && ours.contains(r.key())) {
                    AlertmanagerPayload.Item a = r.item();
                    found.add(new Alert(a.labels().get("alertname"), r.cluster(), a.status(), a.fingerprint(), r.startsAt(),
                            a.labels(), a.annotations()));
                }
            }
            return found.isEmpty() ? found : router.inboxOrHere(found);
        });
        router.alerts(here);
        return here.size();
    }

    /**
     * The group in a single autocommitted {@code INSERT IGNORE}: one round trip instead
     * of four (begin, insert, commit, reset), still all or nothing because one statement is. Null,
     * having written nothing, when the group needs a transaction: more alerts than one statement
     * takes, or an alert for a cluster whose session does not run here, whose inbox row has to
     * commit with it. Justified by bench/capacity-webhook.sh, docs/bench-capacity.md
     * "Webhook throughput round (2026-11-25, 04:05–06:05 UTC)".
     */
    private Stored atOnce(List<Delivery> group) {
        // decided before any alert is parsed: a group that needs the transaction is not parsed twice
        if (group.stream().mapToInt(d -> d.payload().alerts().size()).sum() > AlertTable.ROWS_PER_STATEMENT) {
            return null;
        }
        try (Connection conn = dataSource.getConnection()) {
            if (!conn.getAutoCommit()) {
                return null;
            }
            int before = bound(conn);
            try {
                Set<String> known = clusters.known(conn, AlertRows.clusterNames(group, config.alertClusterLabel()));
                if (!known.stream().allMatch(router::sessionHere)) {
                    return null;
                }
                AlertRows rows = AlertRows.of(group, known, config.alertClusterLabel());
                // the rows inserted, and those these deliveries had stored before (a store run again): see AlertTable
                Set<String> ours = rows.all().isEmpty() ? Set.of() : AlertTable.insertIgnore(conn, rows.all());
                List<List<Received>> received = received(group, rows, ours);
                return new Stored(received, matched(received));
            } finally {
                restore(conn, before);
            }
        } catch (SQLException e) {
            throw new PersistenceException("alerts not stored: " + e.getMessage(), e);
        }
    }

    /** The group in the current transaction, in statements of up to 1 000 rows, with inbox rows for sessions elsewhere. */
    private Stored inTransaction(List<Delivery> group) {
        Session session = em.unwrap(Session.class);
        int before = session.doReturningWork(this::bound);
        try {
            return inTransaction(group, session);
        } finally {
            session.doWork(conn -> restore(conn, before));
        }
    }

    private Stored inTransaction(List<Delivery> group, Session session) {
        Set<String> known = session.doReturningWork(conn -> clusters.known(conn, AlertRows.clusterNames(group, config.alertClusterLabel())));
        AlertRows rows = AlertRows.of(group, known, config.alertClusterLabel());
        Set<String> ours = new HashSet<>();
        for (int from = 0; from < rows.all().size(); from += AlertTable.ROWS_PER_STATEMENT) {
            List<AlertRows.Row> part = rows.all().subList(from, Math.min(rows.all().size(), from + AlertTable.ROWS_PER_STATEMENT));
            ours.addAll(session.doReturningWork(conn -> AlertTable.insertIgnore(conn, part)));
        }
        List<List<Received>> received = received(group, rows, ours);
        return new Stored(received, router.inboxOrHere(matched(received)));
    }

    /**
     * A server that stops answering (frozen, or its host gone) fails this connection's statements after
     * {@code rulescaler.database.connection-wait} instead of holding the webhook until the socket timeout; the pool
     * puts the connection's own timeout back when it is returned.
     */
    private int bound(Connection conn) throws SQLException {
        int before = conn.getNetworkTimeout();
        conn.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, database.connectionWait().toMillis()));
        return before;
    }

    /** Puts the connection's own timeout back; on a connection that broke meanwhile there is nothing to put back. */
    private static void restore(Connection conn, int before) {
        try {
            conn.setNetworkTimeout(Runnable::run, before);
        } catch (SQLException broken) {
            // the pool drops a broken connection
        }
    }

    /** Each delivery's alerts that were inserted, counted. */
    private List<List<Received>> received(List<Delivery> group, AlertRows rows, Set<String> inserted) {
        List<List<Received>> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            List<Received> fresh = new ArrayList<>();
            for (AlertRows.Row r : rows.owned().get(i)) {
                if (!inserted.contains(r.key())) {
                    continue;
                }
                AlertmanagerPayload.Item a = r.item();
                fresh.add(new Received(new Alert(a.labels().get("alertname"), r.cluster(), a.status(), a.fingerprint(),
                        r.startsAt(), a.labels(), a.annotations()), r.matched()));
            }
            counts.delivered(group.get(i).payload().alerts().size(), fresh);
            out.add(fresh);
        }
        return out;
    }

    private static List<Alert> matched(List<List<Received>> received) {
        List<Alert> out = new ArrayList<>();
        for (List<Received> delivery : received) {
            for (Received r : delivery) {
                if (r.matched()) {
                    out.add(r.alert());
                }
            }
        }
        return out;
    }
}
