package io.rulescaler.signal;

import io.rulescaler.boot.StopGated;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Deliveries answered 503 whose store may have committed all the same (on a failover the
 * connection can die during the commit, after the node replicated it): the alerts would then be
 * stored, and Alertmanager's next copy a duplicate, so no session would ever get them. Once a second
 * the database is asked again ({@link AlertIntake#confirm}): what it holds of these deliveries goes to
 * the sessions; the rest was not stored, and Alertmanager sends it again. Kept in memory, at most
 * {@link #MAX} deliveries for {@link #KEEP}; if this instance dies meanwhile, the session's next
 * owner rebuilds it from every stored alert anyway.
 */
@ApplicationScoped
public class UnconfirmedAlerts {

    private static final Logger LOG = Logger.getLogger(UnconfirmedAlerts.class);
    static final int MAX = 10_000;
    static final Duration KEEP = Duration.ofMinutes(10);
    private static final int BATCH = 200;

    private final AlertIntake intake;
    private final Queue<Entry> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    public UnconfirmedAlerts(AlertIntake intake) {
        this.intake = intake;
    }

    private record Entry(AlertIntake.Delivery delivery, long untilNanos) {
    }

    /** Remembers a delivery whose store failed; dropped when too many are waiting already. */
    public void add(AlertIntake.Delivery d) {
        if (size.incrementAndGet() > MAX) {
            size.decrementAndGet();
            LOG.warnf("delivery not kept for a later check: %d already wait", MAX);
            return;
        }
        pending.add(new Entry(d, System.nanoTime() + KEEP.toNanos()));
    }

    /** Deliveries waiting for a check. */
    int waiting() {
        return size.get();
    }

    /** Asks the database about the waiting deliveries; those it could not answer for wait for the next round. */
    @StopGated
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void check() {
        while (!pending.isEmpty()) {
            List<Entry> batch = new ArrayList<>();
            for (Entry e; batch.size() < BATCH && (e = pending.poll()) != null; ) {
                size.decrementAndGet();
                if (e.untilNanos() - System.nanoTime() > 0) {
                    batch.add(e);
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                int handed = intake.confirm(batch.stream().map(Entry::delivery).toList());
                if (handed > 0) {
                    LOG.infof("alerts of deliveries answered 503 were stored after all: %d handed to their sessions", handed);
                }
            } catch (RuntimeException stillAway) {
                batch.forEach(e -> {
                    size.incrementAndGet();
                    pending.add(e);
                });
                LOG.debugf("deliveries answered 503 not checked yet: %s", stillAway.toString());
                return;
            }
        }
    }
}
