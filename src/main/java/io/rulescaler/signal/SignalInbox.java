package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.boot.InstanceId;
import io.rulescaler.boot.MultiRowInsert;
import io.rulescaler.capacity.SignalReplay;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.lease.SessionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Signals stored in {@code session_signal}: what reached an instance that does not own the
 * cluster's session (pending, for the owner to take in) and, when configured, the samples and
 * heartbeats the owner took in itself. A rebuilt session (new owner, restart) is given the rows of
 * the replay window plus everything still pending; the alerts still firing come from
 * {@code alert_event} ({@link AlertReplay}).
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): inbox rows read in bulk as plain rows, no entity; bench/session-handoff.sh
@ApplicationScoped
public class SignalInbox implements SignalReplay {

    private static final Logger LOG = Logger.getLogger(SignalInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SAMPLES = "samples";
    static final String HEARTBEAT = "heartbeat";
    static final String ALERT = "alert";
    /** Most pending rows taken into a session in one go. */
    static final int DRAIN_BATCH = 500;

    private final EntityManager em;
    private final SessionConfig config;
    private final Clock clock;
    private final String me;

    @Inject
    public SignalInbox(EntityManager em, SessionConfig config, Clock clock, InstanceId instanceId) {
        this(em, config, clock, instanceId.value());
    }

    /** An inbox writing under another instance name (a second "instance" in one JVM, tests). */
    public SignalInbox(EntityManager em, SessionConfig config, Clock clock, String instanceId) {
        this.em = em;
        this.config = config;
        this.clock = clock;
        this.me = instanceId;
    }

    /** One sample as stored (time as RFC 3339). */
    record SampleRow(String metric, Map<String, String> labels, double value, String at) {
    }

    /** One heartbeat as stored. */
    record HeartbeatRow(String node, String at, Double cpu, Double memory, Double load) {
    }

    /** One alert as stored. */
    record AlertRow(String name, String status, String fingerprint, String startsAt, Map<String, String> labels,
                    Map<String, String> annotations) {
    }

    /** Stores a batch of one cluster's samples as one row; {@code pending} when the owner still has to take them in. */
    public void samples(String cluster, List<Sample> samples, boolean pending) {
        if (samples.isEmpty()) {
            return;
        }
        List<SampleRow> rows = samples.stream()
                .map(s -> new SampleRow(s.getMetric(), s.getLabels(), s.getValue(), s.getTime().toString())).toList();
        Instant latest = samples.stream().map(Sample::getTime).max(Comparator.naturalOrder()).orElseThrow();
        store(cluster, SAMPLES, json(rows), latest, pending);
    }

    /**
     * Stores several clusters' batches of samples, one row per cluster as {@link #samples(String, List, boolean)}
     * does, with multi-row inserts in the caller's transaction; {@code pending}: the clusters whose owner is elsewhere.
     */
    public void samples(Map<String, List<Sample>> byCluster, Set<String> pending) {
        Timestamp received = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>();
        byCluster.forEach((cluster, samples) -> {
            if (!samples.isEmpty()) {
                Instant latest = samples.stream().map(Sample::getTime).max(Comparator.naturalOrder()).orElseThrow();
                rows.add(new Object[] {cluster, SAMPLES, json(samples.stream().map(s -> new SampleRow(s.getMetric(), s.getLabels(),
                        s.getValue(), s.getTime().toString())).toList()), Timestamp.from(latest), received, me, pending.contains(cluster)});
            }
        });
        QuarkusTransaction.joiningExisting().run(() -> MultiRowInsert.insert(em, "session_signal",
                List.of("cluster_name", "kind", "payload_json", "occurred_at", "received_at", "received_by", "pending"), rows));
    }

    /** Stores a heartbeat. */
    public void heartbeat(Heartbeat hb, boolean pending) {
        store(hb.getCluster(), HEARTBEAT, json(new HeartbeatRow(hb.getNode(), hb.getTime().toString(), hb.getCpu(),
                hb.getMemory(), hb.getLoad())), hb.getTime(), pending);
    }

    /** Stores an alert for the owner to take in (the alert itself is in alert_event already). */
    public void alert(Alert a) {
        store(a.getCluster(), ALERT, json(new AlertRow(a.getName(), a.getStatus(), a.getFingerprint(), a.getStartsAt().toString(),
                a.getLabels(), a.getAnnotations())), a.getStartsAt(), true);
    }

    private void store(String cluster, String kind, String payload, Instant occurredAt, boolean pending) {
        QuarkusTransaction.joiningExisting().run(() -> em.createNativeQuery("INSERT INTO session_signal"
                        + " (cluster_name, kind, payload_json, occurred_at, received_at, received_by, pending)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, cluster).setParameter(2, kind).setParameter(3, payload)
                .setParameter(4, Timestamp.from(occurredAt)).setParameter(5, Timestamp.from(clock.instant()))
                .setParameter(6, me).setParameter(7, pending).executeUpdate());
    }

    /** Clusters with signals that their owner has not taken in yet. */
    @SuppressWarnings("unchecked")
    public Set<String> pendingClusters() {
        return QuarkusTransaction.requiringNew().call(() -> new TreeSet<String>(
                em.createNativeQuery("SELECT DISTINCT cluster_name FROM session_signal WHERE pending = TRUE").getResultList()));
    }

    /** Takes the cluster's pending signals into its session (on the session's thread) and marks them taken; returns how many rows. */
    @SuppressWarnings("unchecked")
    public int drainInto(String cluster, RuleSession session) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = em.createNativeQuery("SELECT id, kind, payload_json FROM session_signal"
                            + " WHERE pending = TRUE AND cluster_name = ?1 ORDER BY id LIMIT ?2 FOR UPDATE")
                    .setParameter(1, cluster).setParameter(2, DRAIN_BATCH).getResultList();
            apply(cluster, rows, session);
            taken(rows);
            if (!rows.isEmpty()) {
                LOG.debugf("inbox drained cluster=%s rows=%d", cluster, rows.size());
            }
            return rows.size();
        });
    }

    /** Puts the samples and heartbeats of the replay window, and everything still pending, into a fresh session. */
    @Override
    @SuppressWarnings("unchecked")
    public void replay(String cluster, RuleSession session) {
        Instant from = clock.instant().minus(config.replayWindow());
        int n = QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = em.createNativeQuery("SELECT id, kind, payload_json, pending FROM session_signal"
                            + " WHERE cluster_name = ?1 AND occurred_at >= ?2 AND kind <> 'alert'"
                            + " UNION SELECT id, kind, payload_json, pending FROM session_signal"
                            + " WHERE pending = TRUE AND cluster_name = ?1 ORDER BY id")
                    .setParameter(1, cluster).setParameter(2, Timestamp.from(from)).getResultList();
            apply(cluster, rows, session);
            taken(rows.stream().filter(r -> truthy(r[3])).toList());
            return rows.size();
        });
        if (n > 0) {
            LOG.infof("signals replayed cluster=%s rows=%d window=%s", cluster, n, config.replayWindow());
        }
    }

    private void taken(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        for (Object[] r : rows) {
            ids.add(((Number) r[0]).longValue());
        }
        em.createNativeQuery("UPDATE session_signal SET pending = FALSE WHERE id IN (?1)").setParameter(1, ids).executeUpdate();
    }

    private void apply(String cluster, List<Object[]> rows, RuleSession session) {
        for (Object[] r : rows) {
            String kind = (String) r[1];
            String payload = (String) r[2];
            try {
                switch (kind) {
                    case SAMPLES -> {
                        for (SampleRow s : JSON.readValue(payload, new TypeReference<List<SampleRow>>() { })) {
                            session.event(new Sample(cluster, s.metric(), s.labels(), s.value(), Instant.parse(s.at())));
                        }
                    }
                    case HEARTBEAT -> {
                        HeartbeatRow h = JSON.readValue(payload, HeartbeatRow.class);
                        session.event(new Heartbeat(h.node(), cluster, Instant.parse(h.at()), h.cpu(), h.memory(), h.load()));
                    }
                    case ALERT -> {
                        AlertRow a = JSON.readValue(payload, AlertRow.class);
                        session.alert(new Alert(a.name(), cluster, a.status(), a.fingerprint(), Instant.parse(a.startsAt()),
                                a.labels(), a.annotations()));
                    }
                    default -> LOG.warnf("stored signal of unknown kind skipped id=%s kind=%s", r[0], kind);
                }
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warnf("stored signal unreadable, skipped id=%s kind=%s problem=%s", r[0], kind, e.toString());
            }
        }
    }

    private static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : o instanceof Number n && n.intValue() != 0;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
