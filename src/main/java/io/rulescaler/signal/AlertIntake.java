package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.SignalReplay;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.error.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import io.agroal.api.AgroalDataSource;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Validates and stores Alertmanager alerts before the webhook answers: one row per
 * (fingerprint, startsAt, status), so duplicates from HA peers and retries count once; alerts for
 * unknown clusters are kept and counted as unmatched. Stores the deliveries {@link AlertWriter}
 * groups in one transaction. Also replays still-firing alerts into a
 * fresh session after a restart.
 */
@ApplicationScoped
@Transactional
public class AlertIntake implements SignalReplay {

    private static final Logger LOG = Logger.getLogger(AlertIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS_PER_STATEMENT = 1000;
    /** How long a cluster seen to exist is believed to (a deletion on another instance shows after this). */
    private static final long KNOWN_FOR_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final Map<String, Long> knownUntil = new java.util.concurrent.ConcurrentHashMap<>();

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final SignalConfig config;
    private final CapacityMetrics metrics;

    public AlertIntake(EntityManager em, AgroalDataSource dataSource, SignalConfig config, CapacityMetrics metrics) {
        this.em = em;
        this.dataSource = dataSource;
        this.config = config;
        this.metrics = metrics;
    }

    /** An alert that was new (not a duplicate), with the cluster it matched (null when none). */
    public record Received(Alert alert, boolean matched) {
    }

    /** Checks the payload shape and names the first bad field; throws a 400 problem. */
    public static void validate(AlertmanagerPayload p) {
        if (p == null) {
            throw new InvalidInputException("the body must be an Alertmanager webhook payload (version 4)", null);
        }
        if (!"4".equals(p.version())) {
            throw new InvalidInputException("only webhook payload version \"4\" is understood, got " + p.version(), "version");
        }
        if (p.alerts() == null) {
            throw new InvalidInputException("alerts is missing", "alerts");
        }
        for (int i = 0; i < p.alerts().size(); i++) {
            AlertmanagerPayload.Item a = p.alerts().get(i);
            String at = "alerts[" + i + "].";
            if (a == null) {
                throw new InvalidInputException("alert is null", "alerts[" + i + "]");
            }
            if (!"firing".equals(a.status()) && !"resolved".equals(a.status())) {
                throw new InvalidInputException("status must be firing or resolved", at + "status");
            }
            if (a.fingerprint() == null || a.fingerprint().isBlank() || a.fingerprint().length() > 128) {
                throw new InvalidInputException("fingerprint is missing", at + "fingerprint");
            }
            if (a.labels() == null) {
                throw new InvalidInputException("labels are missing", at + "labels");
            }
            parse(a.startsAt(), at + "startsAt");
            if (a.endsAt() != null) {
                parse(a.endsAt(), at + "endsAt");
            }
        }
    }

    /** A payload waiting to be stored, with the time the webhook received it. */
    public record Delivery(AlertmanagerPayload payload, Instant receivedAt) {
    }

    /**
     * Stores the alerts of several deliveries in one multi-row {@code INSERT IGNORE} and one
     * commit (the caller's transaction), and returns each delivery's new alerts (same order). An
     * alert that is already stored, or that an earlier delivery of the same group carries, is a
     * duplicate of the later one: it counts once. Any failure rolls the whole group back.
     */
    public List<List<Received>> store(List<Delivery> group) {
        Set<String> known = known(clusterNames(group), ask -> em.createNativeQuery(
                "SELECT name FROM cluster WHERE name IN (?1)", String.class).setParameter(1, ask).getResultList());
        Rows rows = rows(group, known);
        Set<String> inserted = new HashSet<>();
        Session session = em.unwrap(Session.class);
        for (int from = 0; from < rows.all().size(); from += ROWS_PER_STATEMENT) {
            // MariaDB takes at most 65 535 placeholders a statement: big deliveries take several, same transaction
            List<Row> part = rows.all().subList(from, Math.min(rows.all().size(), from + ROWS_PER_STATEMENT));
            inserted.addAll(session.doReturningWork(conn -> insertIgnore(conn, part)));
        }
        return received(group, rows, inserted);
    }

    /**
     * Like {@link #store}, in a single autocommitted statement: one round trip to the database
     * instead of four (begin, insert, commit, reset), still all or nothing because one statement is.
     * Returns null, having written nothing, when the group needs {@link #store} in a transaction:
     * when it has more alerts than one statement takes, or an alert for a cluster whose session
     * does not run here ({@code sessionHere}), whose inbox row has to commit with it.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<List<Received>> storeAtOnce(List<Delivery> group, Predicate<String> sessionHere) {
        try (Connection conn = dataSource.getConnection()) {
            // decided before any alert is parsed: a group that goes to store() is not parsed twice
            if (group.stream().mapToInt(d -> d.payload().alerts().size()).sum() > ROWS_PER_STATEMENT || !conn.getAutoCommit()) {
                return null;
            }
            Set<String> known = known(clusterNames(group), ask -> select(conn, ask));
            if (!known.stream().allMatch(sessionHere)) {
                return null;
            }
            Rows rows = rows(group, known);
            return received(group, rows, rows.all().isEmpty() ? Set.of() : insertIgnore(conn, rows.all()));
        } catch (SQLException e) {
            throw new PersistenceException("alerts not stored: " + e.getMessage(), e);
        }
    }

    private Set<String> clusterNames(List<Delivery> group) {
        Set<String> names = new HashSet<>();
        for (Delivery d : group) {
            for (AlertmanagerPayload.Item a : d.payload().alerts()) {
                String cluster = a.labels().get(config.alertClusterLabel());
                if (cluster != null) {
                    names.add(cluster);
                }
            }
        }
        return names;
    }

    /** The group's alerts as rows, each alert once (the first delivery carrying it owns it). */
    private Rows rows(List<Delivery> group, Set<String> known) {
        List<Row> rows = new ArrayList<>();
        Map<String, Row> byKey = new HashMap<>();
        List<List<Row>> owned = new ArrayList<>();
        for (Delivery d : group) {
            List<Row> mine = new ArrayList<>();
            owned.add(mine);
            for (AlertmanagerPayload.Item a : d.payload().alerts()) {
                String cluster = a.labels().get(config.alertClusterLabel());
                Row r = new Row(d, a, cluster, cluster != null && known.contains(cluster),
                        parse(a.startsAt(), "startsAt").truncatedTo(ChronoUnit.MICROS),
                        a.endsAt() == null ? null : parse(a.endsAt(), "endsAt").truncatedTo(ChronoUnit.MICROS));
                if (byKey.putIfAbsent(r.key(), r) == null) {
                    rows.add(r);
                    mine.add(r);
                }
            }
        }
        return new Rows(rows, owned);
    }

    /** Each delivery's alerts that were inserted, counted in the metrics. */
    private List<List<Received>> received(List<Delivery> group, Rows rows, Set<String> inserted) {
        List<List<Received>> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            List<Received> fresh = new ArrayList<>();
            for (Row r : rows.owned().get(i)) {
                if (!inserted.contains(r.key())) {
                    continue;
                }
                AlertmanagerPayload.Item a = r.item();
                fresh.add(new Received(new Alert(a.labels().get("alertname"), r.cluster(), a.status(), a.fingerprint(),
                        r.startsAt(), a.labels(), a.annotations()), r.matched()));
            }
            int duplicates = group.get(i).payload().alerts().size() - fresh.size();
            for (int k = 0; k < duplicates; k++) {
                metrics.duplicateAlert();
            }
            for (Received r : fresh) {
                metrics.alert(r.alert().getStatus(), r.matched());
                if (!r.matched()) {
                    LOG.warnf("alert unmatched alertname=%s fingerprint=%s label=%s value=%s: kept, not evaluated",
                            r.alert().getName(), r.alert().getFingerprint(), config.alertClusterLabel(), r.alert().getCluster());
                }
            }
            out.add(fresh);
        }
        return out;
    }

    /**
     * Which of {@code names} are clusters. A name seen to exist is believed for
     * {@link #KNOWN_FOR_NANOS} (a deletion here forgets it at once), so a stream of alerts for the
     * same clusters does not ask the database every time; an unknown name is always asked.
     */
    private Set<String> known(Set<String> names, Function<Set<String>, List<String>> ask) {
        long now = System.nanoTime();
        Set<String> known = new HashSet<>();
        Set<String> unsure = new HashSet<>();
        for (String n : names) {
            Long until = knownUntil.get(n);
            if (until != null && until - now > 0) {
                known.add(n);
            } else {
                unsure.add(n);
            }
        }
        if (!unsure.isEmpty()) {
            for (String n : ask.apply(unsure)) {
                known.add(n);
                knownUntil.put(n, now + KNOWN_FOR_NANOS);
            }
        }
        return known;
    }

    void onClusterChanged(@jakarta.enterprise.event.Observes io.rulescaler.cluster.ClusterChanged changed) {
        if (changed.deleted()) {
            knownUntil.remove(changed.name());
        }
    }

    /** One alert row of a group, keyed like the table's unique key. */
    private record Row(Delivery delivery, AlertmanagerPayload.Item item, String cluster, boolean matched, Instant startsAt,
            Instant endsAt) {
        String key() {
            // the local date-time text the driver writes and reads back, so the key matches RETURNING in any zone
            return item.fingerprint() + '\u0000' + Timestamp.from(startsAt) + '\u0000' + item.status();
        }
    }

    /** The group's rows, and each delivery's share of them. */
    private record Rows(List<Row> all, List<List<Row>> owned) {
    }

    private static List<String> select(Connection conn, Set<String> names) {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM cluster WHERE name IN ("
                + String.join(",", java.util.Collections.nCopies(names.size(), "?")) + ")")) {
            int i = 1;
            for (String n : names) {
                ps.setString(i++, n);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new PersistenceException("clusters not read: " + e.getMessage(), e);
        }
    }

    /** The keys of the rows actually inserted (MariaDB's RETURNING leaves out the ignored ones). */
    private static Set<String> insertIgnore(Connection conn, List<Row> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO alert_event (fingerprint, starts_at, status, alert_name,"
                + " cluster_name, matched, labels_json, annotations_json, ends_at, generator_url, receiver, group_key, received_at) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        sql.append(" RETURNING fingerprint, starts_at, status");
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            int p = 1;
            for (Row r : rows) {
                AlertmanagerPayload.Item a = r.item();
                AlertmanagerPayload payload = r.delivery().payload();
                Instant endsAt = r.endsAt();
                ps.setString(p++, a.fingerprint());
                ps.setTimestamp(p++, Timestamp.from(r.startsAt()));
                ps.setString(p++, a.status());
                ps.setString(p++, cut(a.labels().get("alertname"), 255));
                ps.setString(p++, r.cluster() == null ? null : cut(r.cluster(), 63));
                ps.setBoolean(p++, r.matched());
                ps.setString(p++, json(a.labels()));
                ps.setString(p++, json(a.annotations() == null ? Map.of() : a.annotations()));
                ps.setTimestamp(p++, endsAt == null || endsAt.getEpochSecond() < 0 ? null : Timestamp.from(endsAt));
                ps.setString(p++, cut(a.generatorURL(), 2048));
                ps.setString(p++, cut(payload.receiver(), 255));
                ps.setString(p++, cut(payload.groupKey(), 1024));
                ps.setTimestamp(p++, Timestamp.from(r.delivery().receivedAt().truncatedTo(ChronoUnit.MICROS)));
            }
            Set<String> keys = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1) + '\u0000' + rs.getTimestamp(2) + '\u0000' + rs.getString(3));
                }
            }
            return keys;
        }
    }

    /** Puts the alerts of a cluster that fired and have not resolved into a fresh session. */
    @Override
    public void replay(String cluster, RuleSession session) {
        List<Object[]> rows = em.createNativeQuery("SELECT f.alert_name, f.fingerprint, f.starts_at, f.labels_json, f.annotations_json"
                        + " FROM alert_event f WHERE f.cluster_name = ?1 AND f.status = 'firing' AND NOT EXISTS ("
                        + " SELECT 1 FROM alert_event r WHERE r.fingerprint = f.fingerprint AND r.starts_at = f.starts_at"
                        + " AND r.status = 'resolved') ORDER BY f.id")
                .setParameter(1, cluster).getResultList();
        for (Object[] r : rows) {
            Instant startsAt = r[2] instanceof Timestamp t ? t.toInstant() : ((java.time.LocalDateTime) r[2]).toInstant(java.time.ZoneOffset.UTC);
            session.alert(new Alert((String) r[0], cluster, "firing", (String) r[1], startsAt, map((String) r[3]), map((String) r[4])));
        }
        if (!rows.isEmpty()) {
            LOG.infof("alerts replayed cluster=%s firing=%d", cluster, rows.size());
        }
    }

    static Instant parse(String s, String field) {
        if (s == null || s.isBlank()) {
            throw new InvalidInputException(field + " is missing", field);
        }
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                t = java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(field + " must be an RFC 3339 time, got '" + s + "'", field);
            }
        }
        if (t.isAfter(LAST_STORABLE)) {
            throw new InvalidInputException(field + " " + s + " is past the year 9999", field);
        }
        return t;
    }

    /** The last instant a DATETIME column holds. */
    private static final Instant LAST_STORABLE = Instant.parse("9999-12-31T23:59:59Z");

    private static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
