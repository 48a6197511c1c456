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
        int duplicates = alerts - fresh.size();
        for (int k = 0; k < duplicates; k++) {
            metrics.duplicateAlert();
        }
        for (AlertIntake.Received r : fresh) {
            metrics.alert(r.alert().getStatus(), r.matched());
            if (!r.matched()) {
                LOG.warnf("alert unmatched alertname=%s fingerprint=%s label=%s value=%s: kept, not evaluated",
                        r.alert().getName(), r.alert().getFingerprint(), config.alertClusterLabel(), r.alert().getCluster());
            }
        }
    }
}
