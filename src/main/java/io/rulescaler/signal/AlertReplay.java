package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.capacity.SignalReplay;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.fact.Alert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Puts the alerts of a cluster that fired and have not resolved (from {@code alert_event}) into a
 * fresh session, so a restart or a new session owner sees the same alerts as the old one.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): replay reads as plain rows, no entity; bench/session-handoff.sh
@ApplicationScoped
@Transactional
public class AlertReplay implements SignalReplay {

    /** Logged under the intake's category, as before the intake was split by job. */
    private static final Logger LOG = Logger.getLogger(AlertIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntityManager em;

    public AlertReplay(EntityManager em) {
        this.em = em;
    }

    /** Puts the alerts of a cluster that fired and have not resolved into a fresh session. */
    @Override
    @SuppressWarnings("unchecked")
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

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
