package io.rulescaler.signal;

import io.rulescaler.capacity.CapacityMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Counts what each stored delivery brought ({@code rulescaler_alerts_received_total{status,matched}},
 * {@code rulescaler_alerts_duplicates_total}, {@code rulescaler_alerts_unmatched_total}) and logs
 * each alert for no known cluster, so operators see alerts that no rule will take.
 */
@ApplicationScoped
public class AlertCounts {

    /** Logged under the intake's category, as before the intake was split by job. */
    private static final Logger LOG = Logger.getLogger(AlertIntake.class);

    private final CapacityMetrics metrics;
    private final SignalConfig config;

    public AlertCounts(CapacityMetrics metrics, SignalConfig config) {
        this.metrics = metrics;
        this.config = config;
    }

    /** A delivery of {@code alerts} alerts was stored, {@code fresh} of them new (the others duplicates). */
    void delivered(int alerts, List<AlertIntake.Received> fresh) {
        metrics.duplicateAlerts(alerts - fresh.size());
        // counted by kind, one counter look-up per kind and delivery instead of one per alert
        int firingMatched = 0;
        int resolvedMatched = 0;
        for (AlertIntake.Received r : fresh) {
            if (r.matched() && "firing".equals(r.alert().getStatus())) {
                firingMatched++;
            } else if (r.matched() && "resolved".equals(r.alert().getStatus())) {
                resolvedMatched++;
            } else {
                metrics.alert(r.alert().getStatus(), r.matched());
            }
            if (!r.matched()) {
                LOG.warnf("alert unmatched alertname=%s fingerprint=%s label=%s value=%s: kept, not evaluated",
                        r.alert().getName(), r.alert().getFingerprint(), config.alertClusterLabel(), r.alert().getCluster());
            }
        }
        metrics.alerts("firing", true, firingMatched);
        metrics.alerts("resolved", true, resolvedMatched);
    }
}
