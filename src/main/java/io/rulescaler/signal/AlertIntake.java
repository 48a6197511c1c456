package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.SignalReplay;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.web.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Validates and stores Alertmanager alerts before the webhook answers: one row per
 * (fingerprint, startsAt, status), so duplicates from HA peers and retries count once; alerts for
 * unknown clusters are kept and counted as unmatched. Also replays still-firing alerts into a
 * fresh session after a restart.
 */
@ApplicationScoped
@Transactional
public class AlertIntake implements SignalReplay {

    private static final Logger LOG = Logger.getLogger(AlertIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntityManager em;
    private final ClusterRepository clusters;
    private final SignalConfig config;
    private final CapacityMetrics metrics;
    private final Clock clock;

    public AlertIntake(EntityManager em, ClusterRepository clusters, SignalConfig config, CapacityMetrics metrics, Clock clock) {
        this.em = em;
        this.clusters = clusters;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An alert that was new (not a duplicate), with the cluster it matched (null when none). */
    public record Received(Alert alert, boolean matched) {
    }

    /** Checks the payload shape and names the first bad field; throws a 400 problem. */
    public static void validate(AlertmanagerPayload p) {
        if (p == null) {
            throw ProblemException.badRequest("the body must be an Alertmanager webhook payload (version 4)", null);
        }
        if (!"4".equals(p.version())) {
            throw ProblemException.badRequest("only webhook payload version \"4\" is understood, got " + p.version(), "version");
        }
        if (p.alerts() == null) {
            throw ProblemException.badRequest("alerts is missing", "alerts");
        }
        for (int i = 0; i < p.alerts().size(); i++) {
            AlertmanagerPayload.Item a = p.alerts().get(i);
            String at = "alerts[" + i + "].";
            if (a == null) {
                throw ProblemException.badRequest("alert is null", "alerts[" + i + "]");
            }
            if (!"firing".equals(a.status()) && !"resolved".equals(a.status())) {
                throw ProblemException.badRequest("status must be firing or resolved", at + "status");
            }
            if (a.fingerprint() == null || a.fingerprint().isBlank() || a.fingerprint().length() > 128) {
                throw ProblemException.badRequest("fingerprint is missing", at + "fingerprint");
            }
            if (a.labels() == null) {
                throw ProblemException.badRequest("labels are missing", at + "labels");
            }
            parse(a.startsAt(), at + "startsAt");
            if (a.endsAt() != null) {
                parse(a.endsAt(), at + "endsAt");
            }
        }
    }

    /** Stores the new alerts of a payload and returns them; duplicates are skipped. */
    public List<Received> store(AlertmanagerPayload p) {
        List<Received> out = new ArrayList<>();
        Instant now = clock.instant();
        for (AlertmanagerPayload.Item a : p.alerts()) {
            String cluster = a.labels().get(config.alertClusterLabel());
            boolean matched = cluster != null && clusters.findByName(cluster).isPresent();
            Instant startsAt = parse(a.startsAt(), "startsAt").truncatedTo(ChronoUnit.MICROS);
            Instant endsAt = a.endsAt() == null ? null : parse(a.endsAt(), "endsAt").truncatedTo(ChronoUnit.MICROS);
            int inserted = em.createNativeQuery("INSERT IGNORE INTO alert_event (fingerprint, starts_at, status, alert_name,"
                            + " cluster_name, matched, labels_json, annotations_json, ends_at, generator_url, receiver, group_key, received_at)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
                    .setParameter(1, a.fingerprint())
                    .setParameter(2, Timestamp.from(startsAt))
                    .setParameter(3, a.status())
                    .setParameter(4, cut(a.labels().get("alertname"), 255))
                    .setParameter(5, cluster == null ? null : cut(cluster, 63))
                    .setParameter(6, matched)
                    .setParameter(7, json(a.labels()))
                    .setParameter(8, json(a.annotations() == null ? Map.of() : a.annotations()))
                    .setParameter(9, endsAt == null || endsAt.getEpochSecond() < 0 ? null : Timestamp.from(endsAt))
                    .setParameter(10, cut(a.generatorURL(), 2048))
                    .setParameter(11, cut(p.receiver(), 255))
                    .setParameter(12, cut(p.groupKey(), 1024))
                    .setParameter(13, Timestamp.from(now))
                    .executeUpdate();
            if (inserted == 0) {
                metrics.duplicateAlert();
                continue;
            }
            metrics.alert(a.status(), matched);
            if (!matched) {
                LOG.warnf("alert unmatched alertname=%s fingerprint=%s label=%s value=%s: kept, not evaluated",
                        a.labels().get("alertname"), a.fingerprint(), config.alertClusterLabel(), cluster);
            }
            out.add(new Received(new Alert(a.labels().get("alertname"), cluster, a.status(), a.fingerprint(), startsAt,
                    a.labels(), a.annotations()), matched));
        }
        return out;
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
            throw ProblemException.badRequest(field + " is missing", field);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw ProblemException.badRequest(field + " must be an RFC 3339 time, got '" + s + "'", field);
            }
        }
    }

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
