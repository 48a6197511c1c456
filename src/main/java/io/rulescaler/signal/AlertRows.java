package io.rulescaler.signal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group of deliveries as {@code alert_event} rows, each alert once (the first delivery carrying
 * it owns it), keyed like the table's unique key (fingerprint, startsAt, status), with each
 * delivery's share of them.
 */
record AlertRows(List<Row> all, List<List<Row>> owned) {

    /** One alert row of a group. */
    record Row(AlertIntake.Delivery delivery, AlertmanagerPayload.Item item, String cluster, boolean matched, Instant startsAt,
               Instant endsAt) {
        String key() {
            // the local date-time text the driver writes and reads back, so the key matches RETURNING in any zone
            return AlertRows.key(item.fingerprint(), Timestamp.from(startsAt), item.status());
        }
    }

    /** The key of a row as {@link Row#key()} and {@link AlertTable#insertIgnore} spell it. */
    static String key(String fingerprint, Timestamp startsAt, String status) {
        return fingerprint + '\u0000' + startsAt + '\u0000' + status;
    }

    /** The cluster names the group's alerts carry in {@code label}. */
    static Set<String> clusterNames(List<AlertIntake.Delivery> group, String label) {
        Set<String> names = new HashSet<>();
        for (AlertIntake.Delivery d : group) {
            for (AlertmanagerPayload.Item a : d.payload().alerts()) {
                String cluster = a.labels().get(label);
                if (cluster != null) {
                    names.add(cluster);
                }
            }
        }
        return names;
    }

    /** The group's alerts as rows; {@code known}: the clusters that exist, named in {@code label}. */
    static AlertRows of(List<AlertIntake.Delivery> group, Set<String> known, String label) {
        List<Row> rows = new ArrayList<>();
        Map<String, Row> byKey = new HashMap<>();
        List<List<Row>> owned = new ArrayList<>();
        for (AlertIntake.Delivery d : group) {
            List<Row> mine = new ArrayList<>();
            owned.add(mine);
            for (AlertmanagerPayload.Item a : d.payload().alerts()) {
                String cluster = a.labels().get(label);
                Row r = new Row(d, a, cluster, cluster != null && known.contains(cluster),
                        AlertValidation.parse(a.startsAt(), "startsAt").truncatedTo(ChronoUnit.MICROS),
                        a.endsAt() == null ? null : AlertValidation.parse(a.endsAt(), "endsAt").truncatedTo(ChronoUnit.MICROS));
                if (byKey.putIfAbsent(r.key(), r) == null) {
                    rows.add(r);
                    mine.add(r);
                }
            }
        }
        return new AlertRows(rows, owned);
    }
}
