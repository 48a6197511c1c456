package io.rulescaler.signal;

import io.rulescaler.db.LostRace;
import io.rulescaler.error.UnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Group commit for the Alertmanager webhook: concurrent deliveries queue here and the request
 * thread that gets to write first stores everything queued at once ({@link AlertIntake#store(List)},
 * with the inbox rows {@link SignalRouter} adds for sessions owned elsewhere), completing the others'
 * deliveries with it; a delivery whose group was written by
 * another thread just returns. Every 2xx still means "stored" while the commits are shared, and no
 * delivery waits for a hop to a writer thread and back. When a group fails, each of its deliveries
 * is tried alone, so one bad delivery cannot fail the others; a delivery that still fails gets a
 * 503 and Alertmanager retries it.
 */
@ApplicationScoped
public class AlertWriter {

    private static final Logger LOG = Logger.getLogger(AlertWriter.class);

    private final AlertIntake intake;
    private final SignalConfig config;
    private final Clock clock;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Held by the thread writing a group (a semaphore, so that the test hook can hold it from another thread). */
    private final Semaphore writing = new Semaphore(1);
    /** Deliveries in the last group and when it was written (System.nanoTime), read by the next writer. */
    private volatile int lastGroupSize;
    private volatile long lastWrittenNanos;

    public AlertWriter(AlertIntake intake, SignalConfig config, Clock clock) {
        this.intake = intake;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Stores a validated payload, together with whatever other deliveries queued meanwhile, and
     * returns its new alerts once they are committed. Blocks the calling (worker) thread.
     *
     * @throws UnavailableException when the alerts could not be stored
     */
    public List<AlertIntake.Received> store(AlertmanagerPayload payload) {
        Pending p = new Pending(new AlertIntake.Delivery(payload, clock.instant()), new CompletableFuture<>());
        queue.add(p);
        while (!p.done().isDone()) {
            writing.acquireUninterruptibly();
            try {
                if (!p.done().isDone()) {
                    linger();
                    // the queue is in arrival order, so this group holds p or deliveries older than it
                    List<Pending> group = take();
                    write(group);
                    lastGroupSize = group.size();
                    lastWrittenNanos = System.nanoTime();
                }
            } finally {
                writing.release();
            }
        }
        try {
            return p.done().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /**
     * Under load, waits up to the configured linger for as many deliveries as the last group had
     * (they are usually on their way: Alertmanager's next posts, parsed meanwhile). Never when the
     * last group was a single delivery or was written longer than the linger ago.
     */
    private void linger() {
        long linger = config.alertGroupLinger().toNanos();
        int want = lastGroupSize;
        long now = System.nanoTime();
        if (linger <= 0 || want < 2 || now - lastWrittenNanos > linger) {
            return;
        }
        long until = now + linger;
        while (queue.size() < want && until - System.nanoTime() > 0) {
            LockSupport.parkNanos(50_000);
        }
    }

    /** Everything queued, up to the group's alert limit (a bigger delivery goes alone). */
    private List<Pending> take() {
        List<Pending> group = new ArrayList<>();
        int alerts = 0;
        for (Pending p = queue.peek(); p != null; p = queue.peek()) {
            int n = p.delivery().payload().alerts().size();
            if (!group.isEmpty() && alerts + n > config.alertGroupMaxAlerts()) {
                break;
            }
            group.add(queue.poll());
            alerts += n;
        }
        return group;
    }

    private void write(List<Pending> group) {
        try {
            List<AlertIntake.Delivery> deliveries = group.stream().map(Pending::delivery).toList();
            // a lost race (Galera certification, a deadlock) stored nothing: store again before answering 503
            List<List<AlertIntake.Received>> out = LostRace.retry("store alerts", 3, () -> intake.store(deliveries));
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(out.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                fail(group.get(0), e);
                return;
            }
            LOG.warnf("alert group of %d deliveries failed (%s); storing each alone", group.size(), e.toString());
            for (Pending p : group) {
                try {
                    p.done().complete(intake.store(List.of(p.delivery())).get(0));
                } catch (RuntimeException alone) {
                    fail(p, alone);
                }
            }
        }
    }

    private static void fail(Pending p, RuntimeException e) {
        LOG.errorf(e, "alerts not stored receiver=%s alerts=%d: answering 503, Alertmanager retries",
                p.delivery().payload().receiver(), p.delivery().payload().alerts().size());
        p.done().completeExceptionally(new UnavailableException("Alerts not stored",
                "the alerts could not be stored (" + e.getClass().getSimpleName() + "); nothing of this delivery was kept, retry"));
    }

    /** Test hook: nothing is written until {@link #release()}, so deliveries pile up into one group. */
    void hold() {
        writing.acquireUninterruptibly();
    }

    /** Test hook: ends {@link #hold()}; the first waiting delivery writes what queued meanwhile. */
    void release() {
        writing.release();
    }

    /** Deliveries waiting to be written. */
    int queued() {
        return queue.size();
    }

    /** A delivery and who waits for it. */
    private record Pending(AlertIntake.Delivery delivery, CompletableFuture<List<AlertIntake.Received>> done) {
    }
}
