package io.rulescaler.signal;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * What the Alertmanager webhook received, in the log without a line per delivery: each delivery at
 * DEBUG, and one INFO line a minute that sums up the deliveries of that minute (none when there were
 * none). Alertmanager in a busy installation posts many times a second; the counts per alert are
 * the {@code rulescaler_alerts_*} metrics.
 */
@ApplicationScoped
public class WebhookLog {

    private static final Logger LOG = Logger.getLogger(WebhookLog.class);

    private final LongAdder deliveries = new LongAdder();
    private final LongAdder alerts = new LongAdder();
    private final LongAdder fresh = new LongAdder();
    private final LongAdder unmatched = new LongAdder();

    /** One stored delivery: its alerts, how many were new and how many of those matched no cluster. */
    public void delivery(AlertmanagerPayload payload, int newAlerts, int newUnmatched) {
        deliveries.increment();
        alerts.add(payload.alerts().size());
        fresh.add(newAlerts);
        unmatched.add(newUnmatched);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("alertmanager webhook receiver=%s status=%s alerts=%d new=%d duplicates=%d unmatched=%d",
                    payload.receiver(), payload.status(), payload.alerts().size(), newAlerts,
                    payload.alerts().size() - newAlerts, newUnmatched);
        }
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void logSummary() {
        String line = takeSummary();
        if (line != null) {
            LOG.info(line);
        }
    }

    /** The summary of the deliveries since the last call (null when there were none), counting afresh. */
    String takeSummary() {
        long n = deliveries.sumThenReset();
        long a = alerts.sumThenReset();
        long f = fresh.sumThenReset();
        long u = unmatched.sumThenReset();
        return n == 0 ? null : String.format("alertmanager webhook in the last minute: deliveries=%d alerts=%d new=%d duplicates=%d unmatched=%d",
                n, a, f, a - f, u);
    }
}
