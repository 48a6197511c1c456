package io.rulescaler.capacity.rules;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.StoppedRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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
    private static final Sort ORDER = Sort.by("ruleSet").and("clusterName").and("ruleName");

    private final DisabledRuleRepository rows;
    private final RuleCatalog catalog;
    private final CapacityMetrics metrics;
    private final Clock clock;
    private final Event<RuleStopped> stoppedEvents;
    private final Event<RulesEnabled> enabledEvents;

    public DisabledRules(DisabledRuleRepository rows, RuleCatalog catalog, CapacityMetrics metrics, Clock clock,
                         Event<RuleStopped> stoppedEvents, Event<RulesEnabled> enabledEvents) {
        this.rows = rows;
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
        // native: INSERT IGNORE, so that only the first instance to stop the rule logs, counts and mails it
        // (docs/architecture.md, "Persistence: one rule")
        int fresh = QuarkusTransaction.requiringNew().call(() -> rows.getEntityManager().createNativeQuery("INSERT IGNORE INTO disabled_rule"
                        + " (cluster_name, rule_set, rule_name, rule_file, file_digest, cause, disabled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, cluster).setParameter(2, ruleSet).setParameter(3, cut(r.rule(), 255))
                .setParameter(4, cut(r.file(), 255)).setParameter(5, r.file() == null ? null : catalog.fileDigest(ruleSet, r.file()).orElse(null))
                .setParameter(6, cut(r.cause(), 1024)).setParameter(7, clock.instant()).executeUpdate());
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
        List<DisabledRuleEntity> stored = QuarkusTransaction.requiringNew().call(() -> rows.list("clusterName", ORDER, cluster));
        List<Row> out = new ArrayList<>();
        for (DisabledRuleEntity e : stored) {
            Row row = row(e);
            String digest = row.file() == null ? null : catalog.fileDigest(rules.ruleSet(), row.file()).orElse(null);
            boolean changed = !row.ruleSet().equals(rules.ruleSet()) || !rules.hasRule(row.rule())
                    || (row.file() != null && !Objects.equals(digest, e.fileDigest));
            if (changed) {
                QuarkusTransaction.requiringNew().run(() -> rows.delete("clusterName = ?1 and ruleName = ?2", cluster, row.rule()));
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
        return QuarkusTransaction.requiringNew().call(() -> rows.listAll(ORDER).stream().map(DisabledRules::row).toList());
    }

    /** Enables {@code rule} (all rules when null) of a set again on every cluster; returns what was enabled. */
    public List<Row> enable(String ruleSet, String rule) {
        List<Row> enabled = QuarkusTransaction.requiringNew().call(() -> {
            List<Row> found = rows.list("ruleSet", ORDER, ruleSet).stream().map(DisabledRules::row)
                    .filter(r -> rule == null || r.rule().equals(rule)).toList();
            for (Row r : found) {
                rows.delete("clusterName = ?1 and ruleName = ?2", r.cluster(), r.rule());
            }
            return found;
        });
        if (!enabled.isEmpty()) {
            LOG.infof("rules enabled again by an admin rule_set=%s rules=%s", ruleSet, enabled.stream().map(Row::rule).distinct().toList());
            enabledEvents.fire(new RulesEnabled(ruleSet));
        }
        return enabled;
    }

    private static Row row(DisabledRuleEntity e) {
        return new Row(e.clusterName, e.ruleSet, e.ruleName, e.ruleFile, e.cause, e.disabledAt);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
