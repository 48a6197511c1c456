package io.rulescaler.capacity.rules;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.StoppedRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The rules a cluster's session stopped for reaching a cap, kept in {@code disabled_rule} so they stay stopped on
 * every instance and across restarts, until their file changes or an admin enables them again:
 *
 * <pre>
 *  session stops a rule ─> stopped(): row written (first time only: log, metric, one mail through RuleStopped)
 *  session (re)built, reloaded, or every tick while it has stopped rules ─> current(): rows whose rule left the
 *      set or whose file changed since are deleted (the rule is back); the rest stay stopped
 *  POST /api/v1/rules/{set}/enable ─> enable(): rows deleted, RulesEnabled tells this instance's sessions
 * </pre>
 */
@ApplicationScoped
public class DisabledRules {

    private static final Logger LOG = Logger.getLogger(DisabledRules.class);

    private final EntityManager em;
    private final RuleCatalog catalog;
    private final CapacityMetrics metrics;
    private final Clock clock;
    private final Event<RuleStopped> stoppedEvents;
    private final Event<RulesEnabled> enabledEvents;

    public DisabledRules(EntityManager em, RuleCatalog catalog, CapacityMetrics metrics, Clock clock,
                         Event<RuleStopped> stoppedEvents, Event<RulesEnabled> enabledEvents) {
        this.em = em;
        this.catalog = catalog;
        this.metrics = metrics;
        this.clock = clock;
        this.stoppedEvents = stoppedEvents;
        this.enabledEvents = enabledEvents;
    }

    /** One stopped rule of one cluster. */
    public record Row(String cluster, String ruleSet, String rule, String file, String cause, Instant disabledAt) {
    }

    /** Records that a cluster's session stopped a rule; the first time, logs, counts and mails it. */
    public void stopped(String cluster, String ruleSet, StoppedRule r) {
        int fresh = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("INSERT IGNORE INTO disabled_rule"
                        + " (cluster_name, rule_set, rule_name, rule_file, file_digest, cause, disabled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, cluster).setParameter(2, ruleSet).setParameter(3, cut(r.rule(), 255))
                .setParameter(4, cut(r.file(), 255)).setParameter(5, r.file() == null ? null : catalog.fileDigest(ruleSet, r.file()).orElse(null))
                .setParameter(6, cut(r.cause(), 1024)).setParameter(7, Timestamp.from(clock.instant())).executeUpdate());
        if (fresh == 0) {
            return;
        }
        metrics.ruleStopped(cluster, r.rule(), r.cap().name().toLowerCase(java.util.Locale.ROOT));
        LOG.warnf("rule stopped cluster=%s rule_set=%s rule=\"%s\" file=%s cap=%s cause=\"%s\"; the cluster's other rules keep deciding",
                cluster, ruleSet, r.rule(), r.file(), r.cap(), r.cause());
        stoppedEvents.fireAsync(new RuleStopped(cluster, ruleSet, r.rule(), r.file(), r.cause()));
    }

    /**
     * The rules still stopped for a cluster on {@code rules}: rows whose rule is gone from the set or whose file
     * changed since it was stopped are deleted here, and their rules are back.
     */
    public List<Row> current(String cluster, CompiledRules rules) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> raw("WHERE cluster_name = ?1", cluster));
        List<Row> out = new ArrayList<>();
        for (Object[] raw : rows) {
            Row row = row(raw);
            String digest = row.file() == null ? null : catalog.fileDigest(rules.ruleSet(), row.file()).orElse(null);
            boolean changed = !row.ruleSet().equals(rules.ruleSet()) || !rules.hasRule(row.rule())
                    || (row.file() != null && !Objects.equals(digest, raw[6]));
            if (changed) {
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "DELETE FROM disabled_rule WHERE cluster_name = ?1 AND rule_name = ?2")
                        .setParameter(1, cluster).setParameter(2, row.rule()).executeUpdate());
                LOG.infof("rule enabled again cluster=%s rule_set=%s rule=\"%s\": its file changed or it left the set",
                        cluster, row.ruleSet(), row.rule());
            } else {
                out.add(row);
            }
        }
        return out;
    }

    /** Every stopped rule, by rule set and cluster. */
    public List<Row> all() {
        return QuarkusTransaction.requiringNew().call(() -> raw("").stream().map(DisabledRules::row).toList());
    }

    /** Enables {@code rule} (all rules when null) of a set again on every cluster; returns what was enabled. */
    public List<Row> enable(String ruleSet, String rule) {
        List<Row> enabled = QuarkusTransaction.requiringNew().call(() -> {
            List<Row> rows = raw("WHERE rule_set = ?1", ruleSet).stream().map(DisabledRules::row).filter(r -> rule == null || r.rule().equals(rule)).toList();
            for (Row r : rows) {
                em.createNativeQuery("DELETE FROM disabled_rule WHERE cluster_name = ?1 AND rule_name = ?2")
                        .setParameter(1, r.cluster()).setParameter(2, r.rule()).executeUpdate();
            }
            return rows;
        });
        if (!enabled.isEmpty()) {
            LOG.infof("rules enabled again by an admin rule_set=%s rules=%s", ruleSet, enabled.stream().map(Row::rule).distinct().toList());
            enabledEvents.fire(new RulesEnabled(ruleSet));
        }
        return enabled;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> raw(String where, Object... params) {
        var q = em.createNativeQuery("SELECT cluster_name, rule_set, rule_name, rule_file, cause, disabled_at, file_digest"
                + " FROM disabled_rule " + where + " ORDER BY rule_set, cluster_name, rule_name");
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return q.getResultList();
    }

    private static Row row(Object[] r) {
        Instant at = r[5] instanceof Timestamp t ? t.toInstant() : r[5] instanceof java.time.LocalDateTime l
                ? l.atZone(java.time.ZoneId.systemDefault()).toInstant() : r[5] instanceof Instant i ? i : null;
        return new Row((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], at);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
