package io.rulescaler.signal;

import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of the alert intake, in plain JDBC on a connection the caller holds (autocommitted or in
 * its transaction): which clusters exist, and a multi-row {@code INSERT IGNORE} into
 * {@code alert_event}. JDBC, not Hibernate, because the webhook's store is its hot path:
 * bench/capacity-webhook.sh, docs/bench-capacity.md "Webhook throughput round (2026-11-25, 04:05–06:05 UTC)".
 */
final class AlertTable {

    /** MariaDB takes at most 65 535 placeholders a statement: bigger groups take several. */
    static final int ROWS_PER_STATEMENT = 1000;

    private AlertTable() {
    }

    /** Which of {@code names} are clusters. */
    static List<String> clusters(Connection conn, Set<String> names) {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM cluster WHERE name IN ("
                + String.join(",", Collections.nCopies(names.size(), "?")) + ")")) {
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

    /**
     * The keys of the rows this statement inserted, or that these very deliveries had stored before (see
     * {@link #withOwnRows}); at most {@link #ROWS_PER_STATEMENT} rows. A plain {@code INSERT IGNORE}: when it
     * inserted every row (the usual case) that is the answer, with no result set to send and read; only when some
     * row was already there is the table asked which rows are the deliveries' own. Was {@code INSERT IGNORE …
     * RETURNING}, which sent every inserted key back: docs/bench-capacity.md "Webhook CPU per delivery (2026-12-07)".
     */
    static Set<String> insertIgnore(Connection conn, List<AlertRows.Row> rows) throws SQLException {
        StringBuilder sql = new StringBuilder(220 + 30 * rows.size()).append("INSERT IGNORE INTO alert_event (fingerprint, starts_at,"
                + " status, alert_name, cluster_name, matched, labels_json, annotations_json, ends_at, generator_url, receiver, group_key,"
                + " received_at) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        int inserted;
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            int p = 1;
            for (AlertRows.Row r : rows) {
                AlertmanagerPayload.Item a = r.item();
                AlertmanagerPayload payload = r.delivery().payload();
                ps.setString(p++, a.fingerprint());
                ps.setString(p++, r.startsText());
                ps.setString(p++, a.status());
                ps.setString(p++, cut(a.labels().get("alertname"), 255));
                ps.setString(p++, r.cluster() == null ? null : cut(r.cluster(), 63));
                ps.setBoolean(p++, r.matched());
                ps.setString(p++, AlertText.json(a.labels()));
                ps.setString(p++, AlertText.json(a.annotations() == null ? Map.of() : a.annotations()));
                ps.setString(p++, r.endsText());
                ps.setString(p++, cut(a.generatorURL(), 2048));
                ps.setString(p++, cut(payload.receiver(), 255));
                ps.setString(p++, cut(payload.groupKey(), 1024));
                ps.setString(p++, r.receivedText());
            }
            inserted = ps.executeUpdate();
        }
        if (inserted == rows.size()) {
            Set<String> keys = new HashSet<>(rows.size() * 2);
            rows.forEach(r -> keys.add(r.key()));
            return keys;
        }
        return withOwnRows(conn, rows, Set.of());
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
            Map<String, String> ownTime = new HashMap<>();
            part.forEach(r -> ownTime.put(r.key(), r.receivedText()));
            try (PreparedStatement ps = conn.prepareStatement("SELECT fingerprint, DATE_FORMAT(starts_at, " + AlertText.SQL_FORMAT
                    + "), status, DATE_FORMAT(received_at, " + AlertText.SQL_FORMAT + ") FROM alert_event WHERE fingerprint IN ("
                    + String.join(",", Collections.nCopies(part.size(), "?")) + ")")) {
                int p = 1;
                for (AlertRows.Row r : part) {
                    ps.setString(p++, r.item().fingerprint());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = AlertRows.key(rs.getString(1), rs.getString(2), rs.getString(3));
                        if (rs.getString(4).equals(ownTime.get(key))) {
                            out.add(key);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
