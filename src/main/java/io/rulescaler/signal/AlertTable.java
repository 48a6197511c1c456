package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of the alert intake, in plain JDBC on a connection the caller holds (autocommitted or in
 * its transaction): which clusters exist, and a multi-row {@code INSERT IGNORE … RETURNING} into
 * {@code alert_event}. JDBC, not Hibernate, because the webhook's store is its hot path:
 * bench/capacity-webhook.sh, docs/bench-capacity.md "Webhook throughput round (2026-11-25, 04:05–06:05 UTC)".
 */
final class AlertTable {

    /** MariaDB takes at most 65 535 placeholders a statement: bigger groups take several. */
    static final int ROWS_PER_STATEMENT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertTable() {
    }

    /** Which of {@code names} are clusters. */
    static List<String> clusters(Connection conn, Set<String> names) {
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

    /** The keys of the rows actually inserted (MariaDB's RETURNING leaves out the ignored ones); at most {@link #ROWS_PER_STATEMENT}. */
    static Set<String> insertIgnore(Connection conn, List<AlertRows.Row> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO alert_event (fingerprint, starts_at, status, alert_name,"
                + " cluster_name, matched, labels_json, annotations_json, ends_at, generator_url, receiver, group_key, received_at) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        sql.append(" RETURNING fingerprint, starts_at, status");
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            int p = 1;
            for (AlertRows.Row r : rows) {
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
                    keys.add(AlertRows.key(rs.getString(1), rs.getTimestamp(2), rs.getString(3)));
                }
            }
            return keys;
        }
    }

    /**
     * {@code inserted} plus the rows that are not in it but were stored by these very deliveries (the stored row's
     * {@code received_at} is the delivery's own, to the microsecond). On a failover URL the driver runs an
     * autocommitted statement whose connection died once more on the next node, and a transaction is run again
     * when its commit's outcome was lost: when the first run had committed (and the dead node replicated it),
     * the second finds the delivery's own rows and would take them for duplicates, so that no session ever got
     * those alerts. A duplicate from another delivery (an HA peer, Alertmanager's retry) has another time and
     * stays a duplicate. One indexed query, only when the group had duplicates.
     */
    static Set<String> withOwnRows(Connection conn, List<AlertRows.Row> rows, Set<String> inserted) throws SQLException {
        List<AlertRows.Row> rest = rows.stream().filter(r -> !inserted.contains(r.key())).toList();
        if (rest.isEmpty()) {
            return inserted;
        }
        Set<String> out = new HashSet<>(inserted);
        for (int from = 0; from < rest.size(); from += ROWS_PER_STATEMENT) {
            List<AlertRows.Row> part = rest.subList(from, Math.min(rest.size(), from + ROWS_PER_STATEMENT));
            java.util.Map<String, Timestamp> ownTime = new java.util.HashMap<>();
            part.forEach(r -> ownTime.put(r.key(), Timestamp.from(r.delivery().receivedAt().truncatedTo(ChronoUnit.MICROS))));
            try (PreparedStatement ps = conn.prepareStatement("SELECT fingerprint, starts_at, status, received_at FROM alert_event"
                    + " WHERE fingerprint IN (" + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")")) {
                int p = 1;
                for (AlertRows.Row r : part) {
                    ps.setString(p++, r.item().fingerprint());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = AlertRows.key(rs.getString(1), rs.getTimestamp(2), rs.getString(3));
                        if (rs.getTimestamp(4).equals(ownTime.get(key))) {
                            out.add(key);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
