package io.rulescaler.signal;

import java.time.Instant;
import java.time.ZoneId;
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

    /**
     * One alert row of a group, with its times as the {@code DATETIME(6)} text stored ({@link AlertText#dateTime}):
     * {@code endsText} null when the alert has no end (Alertmanager's zero time), {@code key} as {@link #key} spells it.
     */
    record Row(AlertIntake.Delivery delivery, AlertmanagerPayload.Item item, String cluster, boolean matched, Instant startsAt,
               String startsText, String endsText, String receivedText, String key) {
    }

    /** The key of a row: its unique key's values, the time as stored text, so that it matches what the table gives back. */
    static String key(String fingerprint, String startsText, String status) {
        return fingerprint + '\u0000' + startsText + '\u0000' + status;
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
        // the zone the driver would write a Timestamp in (its default: the JVM's, read for each statement)
        ZoneId zone = ZoneId.systemDefault();
        List<Row> rows = new ArrayList<>();
        Map<String, Row> byKey = new HashMap<>();
        List<List<Row>> owned = new ArrayList<>();
        for (AlertIntake.Delivery d : group) {
            List<Row> mine = new ArrayList<>();
            owned.add(mine);
            String received = AlertText.dateTime(d.receivedAt().truncatedTo(ChronoUnit.MICROS), zone);
            for (AlertmanagerPayload.Item a : d.payload().alerts()) {
                String cluster = a.labels().get(label);
                Instant startsAt = AlertValidation.parse(a.startsAt(), "startsAt").truncatedTo(ChronoUnit.MICROS);
                Instant endsAt = a.endsAt() == null ? null : AlertValidation.parse(a.endsAt(), "endsAt").truncatedTo(ChronoUnit.MICROS);
                String startsText = AlertText.dateTime(startsAt, zone);
                Row r = new Row(d, a, cluster, cluster != null && known.contains(cluster), startsAt, startsText,
                        endsAt == null || endsAt.getEpochSecond() < 0 ? null : AlertText.dateTime(endsAt, zone), received,
                        key(a.fingerprint(), startsText, a.status()));
                if (byKey.putIfAbsent(r.key(), r) == null) {
                    rows.add(r);
                    mine.add(r);
                }
            }
        }
        return new AlertRows(rows, owned);
    }
}
