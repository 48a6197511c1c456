package io.rulescaler.capacity.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Remembers, in {@code session_alert_decided}, which rule decided on which alert (fingerprint and
 * start) with which other matched facts, in the same transaction as the decision. A session
 * rebuilt on a new owner or after a restart gets the still-firing alerts (and the stored samples)
 * again and its rules fire on them again; those decisions are dropped here, so an alert never
 * yields two decisions. A rule that matches the alert together with new samples decides again;
 * decisions that matched no alert always pass.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): INSERT IGNORE of (cluster, alert): "decide once" as a unique key
@ApplicationScoped
public class DecidedAlerts {

    private static final Logger LOG = Logger.getLogger(DecidedAlerts.class);

    private final EntityManager em;
    private final Clock clock;

    public DecidedAlerts(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Runs {@code decide} unless the rule already decided on every alert the match holds; null when skipped. */
    public DecisionView decideOnce(String cluster, FiredDecision fired, Supplier<DecisionView> decide) {
        return QuarkusTransaction.joiningExisting().call(() -> decidesFirst(cluster, fired) ? decide.get() : null);
    }

    /**
     * Records, in the caller's transaction, that the rule decided on the alerts the match holds;
     * false when it already had on every one of them (a decision without alerts always passes).
     */
    public boolean decidesFirst(String cluster, FiredDecision fired) {
        List<Alert> alerts = fired.matched().stream().filter(Alert.class::isInstance).map(Alert.class::cast)
                .filter(a -> a.getFingerprint() != null && a.getStartsAt() != null).toList();
        if (alerts.isEmpty()) {
            return true;
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            String key = matchKey(fired.matched());
            int fresh = 0;
            for (Alert a : alerts) {
                fresh += em.createNativeQuery("INSERT IGNORE INTO session_alert_decided"
                                + " (cluster_name, rule_name, fingerprint, starts_at, match_key, decided_at) VALUES (?1, ?2, ?3, ?4, ?6, ?5)")
                        .setParameter(1, cluster)
                        .setParameter(2, cut(fired.rule(), 255))
                        .setParameter(3, cut(a.getFingerprint(), 128))
                        .setParameter(4, Timestamp.from(a.getStartsAt().truncatedTo(ChronoUnit.MICROS)))
                        .setParameter(5, Timestamp.from(clock.instant()))
                        .setParameter(6, key)
                        .executeUpdate();
            }
            if (fresh == 0) {
                LOG.infof("decision skipped cluster=%s rule=\"%s\" alerts=%s: this rule already decided on them"
                        + " (session rebuilt on a new owner or after a restart)", cluster, fired.rule(),
                        alerts.stream().map(Alert::getFingerprint).toList());
                return false;
            }
            return true;
        });
    }

    /** SHA-256 (hex) of the matched facts other than alerts and the cluster/node views, which move on their own. */
    static String matchKey(List<Object> matched) {
        List<Object> rest = matched.stream()
                .filter(o -> !(o instanceof Alert || o instanceof ClusterView || o instanceof NodeView)).toList();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(FactJson.of(rest, Map.of()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
