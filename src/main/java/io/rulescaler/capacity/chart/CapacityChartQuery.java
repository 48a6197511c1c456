package io.rulescaler.capacity.chart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.capacity.chart.CapacityChart.Band;
import io.rulescaler.capacity.chart.CapacityChart.Marker;
import io.rulescaler.capacity.chart.CapacityChart.Point;
import io.rulescaler.capacity.chart.CapacityChart.Series;
import io.rulescaler.capacity.chart.CapacityChart.Step;
import io.rulescaler.capacity.chart.CapacityChart.Vitals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a cluster's capacity history straight from the tables (node state changes, scale requests,
 * decisions, alert events, stored signals): read-only, bounded per window, no session needed.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): read-only time series in a few statements; capacity must not import orchestration's entities
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CapacityChartQuery {

    /** At most this many markers, bands or samples per series reach the page. */
    static final int LIMIT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntityManager em;

    public CapacityChartQuery(EntityManager em) {
        this.em = em;
    }

    /** The chart of {@code cluster} from {@code to - window} to {@code to}; {@code min}/{@code max} from its spec. */
    public CapacityChart chart(String cluster, ChartWindow window, Instant to, int min, int max) {
        Instant from = to.minus(window.length());
        List<Step> actual = actual(cluster, from, to);
        int activeAtStart = actual.isEmpty() ? 0 : actual.get(0).value();
        return new CapacityChart(cluster, window.label(), from, to, min, max, desired(cluster, from, to, activeAtStart), actual,
                decisions(cluster, from, to), alerts(cluster, from, to), metrics(cluster, from, to), vitals(cluster, from, to),
                chainRuns(cluster, from, to));
    }

    /** Active nodes over time, replayed from every state change of the cluster's nodes. */
    private List<Step> actual(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT c.node_id, c.to_state, c.changed_at FROM node_state_change c"
                        + " JOIN node n ON n.id = c.node_id JOIN cluster k ON k.id = n.cluster_id"
                        + " WHERE k.name = ?1 AND c.changed_at <= ?2 ORDER BY c.changed_at, c.id")
                .setParameter(1, cluster).setParameter(2, Timestamp.from(to)).getResultList();
        Map<Long, Boolean> active = new HashMap<>();
        int count = 0;
        List<Step> steps = new ArrayList<>();
        boolean started = false;
        for (Object[] r : rows) {
            Instant at = instant(r[2]);
            if (!started && at.isAfter(from)) {
                steps.add(new Step(from, count));
                started = true;
            }
            boolean now = "ACTIVE".equalsIgnoreCase((String) r[1]);
            Boolean before = active.put(((Number) r[0]).longValue(), now);
            int next = count + (now ? 1 : 0) - (Boolean.TRUE.equals(before) ? 1 : 0);
            if (next != count && started) {
                steps.add(new Step(at, next));
            }
            count = next;
        }
        if (!started) {
            steps.add(new Step(from, count));
        }
        return steps;
    }

    /** The size the cluster was heading for: each scale request's target from when it was written. */
    private List<Step> desired(String cluster, Instant from, Instant to, int activeAtStart) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT target_size, created_at FROM scale_request"
                        + " WHERE cluster_name = ?1 AND created_at <= ?2 ORDER BY created_at, id")
                .setParameter(1, cluster).setParameter(2, Timestamp.from(to)).getResultList();
        Integer atStart = null;
        List<Step> steps = new ArrayList<>();
        for (Object[] r : rows) {
            int target = ((Number) r[0]).intValue();
            Instant at = instant(r[1]);
            if (!at.isAfter(from)) {
                atStart = target;
            } else if (steps.isEmpty() ? !Integer.valueOf(target).equals(atStart) : steps.get(steps.size() - 1).value() != target) {
                steps.add(new Step(at, target));
            }
        }
        steps.add(0, new Step(from, atStart != null ? atStart : activeAtStart));
        return steps;
    }

    private List<Marker> decisions(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, decided_at, verdict, rule_name, target_size, dry_run, verdict_reason, reason"
                        + " FROM decision WHERE cluster_name = ?1 AND decided_at > ?2 AND decided_at <= ?3"
                        + " ORDER BY decided_at DESC, id DESC LIMIT " + LIMIT)
                .setParameter(1, cluster).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        List<Marker> out = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Object[] r = rows.get(i);
            out.add(new Marker(((Number) r[0]).longValue(), instant(r[1]), (String) r[2], (String) r[3], ((Number) r[4]).intValue(),
                    Boolean.TRUE.equals(r[5]) || (r[5] instanceof Number n && n.intValue() != 0), (String) r[6], (String) r[7]));
        }
        return out;
    }

    private List<CapacityChart.ChainMarker> chainRuns(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, created_at, chain_name, node_name, verdict, status, rule_name,"
                        + " verdict_reason, reason FROM chain_run WHERE cluster_name = ?1 AND created_at > ?2 AND created_at <= ?3"
                        + " ORDER BY created_at DESC, id DESC LIMIT " + LIMIT)
                .setParameter(1, cluster).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        List<CapacityChart.ChainMarker> out = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Object[] r = rows.get(i);
            String node = (String) r[3];
            out.add(new CapacityChart.ChainMarker(((Number) r[0]).longValue(), instant(r[1]), (String) r[2],
                    node == null || node.isEmpty() ? null : node, (String) r[4], ((String) r[5]).toLowerCase().replace('_', '-'),
                    (String) r[6], (String) r[7], (String) r[8]));
        }
        return out;
    }

    /** Each alert (fingerprint and start) from its firing to its resolution, where both fall near the window. */
    private List<Band> alerts(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT fingerprint, starts_at, status, alert_name, ends_at FROM alert_event"
                        + " WHERE cluster_name = ?1 AND starts_at <= ?2 AND received_at >= ?3 ORDER BY starts_at, id LIMIT " + LIMIT)
                .setParameter(1, cluster).setParameter(2, Timestamp.from(to)).setParameter(3, Timestamp.from(from.minus(window(from, to))))
                .getResultList();
        Map<String, Band> bands = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String key = r[0] + "@" + r[1];
            Instant start = instant(r[1]);
            Band b = bands.getOrDefault(key, new Band((String) r[3], start, null));
            if ("resolved".equals(r[2])) {
                b = new Band(b.name(), b.from(), r[4] == null ? start : instant(r[4]));
            }
            bands.put(key, b);
        }
        return bands.values().stream().filter(b -> b.to() == null || b.to().isAfter(from)).toList();
    }

    /** Samples pushed or polled for the cluster (kept as long as the signal retention allows). */
    private List<Series> metrics(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT payload_json FROM session_signal WHERE cluster_name = ?1 AND kind = 'sample'"
                        + " AND occurred_at > ?2 AND occurred_at <= ?3 ORDER BY occurred_at, id LIMIT " + LIMIT)
                .setParameter(1, cluster).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        Map<String, List<Point>> series = new TreeMap<>();
        for (Object row : rows) {
            List<StoredSample> batch = read(String.valueOf(row), new TypeReference<List<StoredSample>>() { });
            for (StoredSample s : batch == null ? List.<StoredSample>of() : batch) {
                if (s.metric() == null || s.at() == null) {
                    continue;
                }
                List<Point> points = series.computeIfAbsent(s.metric() + labels(s.labels()), k -> new ArrayList<>());
                if (points.size() < LIMIT) {
                    points.add(new Point(Instant.parse(s.at()), s.value()));
                }
            }
        }
        return series.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue())).toList();
    }

    private Map<String, Vitals> vitals(String cluster, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT payload_json FROM session_signal WHERE cluster_name = ?1 AND kind = 'heartbeat'"
                        + " AND occurred_at > ?2 AND occurred_at <= ?3 ORDER BY occurred_at DESC, id DESC LIMIT " + LIMIT)
                .setParameter(1, cluster).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        Map<String, Vitals> out = new TreeMap<>();
        for (Object row : rows) {
            StoredHeartbeat h = read(String.valueOf(row), new TypeReference<StoredHeartbeat>() { });
            if (h != null && h.node() != null && h.at() != null && !out.containsKey(h.node())
                    && (h.cpu() != null || h.memory() != null || h.load() != null)) {
                out.put(h.node(), new Vitals(Instant.parse(h.at()), h.cpu(), h.memory(), h.load()));
            }
        }
        return out;
    }

    /** A sample as the signal inbox stores it. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record StoredSample(String metric, Map<String, String> labels, double value, String at) {
    }

    /** A heartbeat as the signal inbox stores it. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record StoredHeartbeat(String node, String at, Double cpu, Double memory, Double load) {
    }

    private static java.time.Duration window(Instant from, Instant to) {
        return java.time.Duration.between(from, to);
    }

    private static String labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        new TreeMap<>(labels).forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (Exception e) {
            return null;
        }
    }

    private static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime l) {
            return l.atZone(ZoneId.systemDefault()).toInstant();
        }
        return (Instant) o;
    }
}
