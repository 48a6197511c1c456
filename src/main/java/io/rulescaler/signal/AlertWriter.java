package io.rulescaler.signal;

import io.rulescaler.boot.DatabaseAway;
import io.rulescaler.boot.DatabaseConfig;
import io.rulescaler.boot.PathStage;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * 503 and Alertmanager retries it. While the database is away, no delivery waits much past
 * {@code rulescaler.database.connection-wait}: one still queued then is taken out and answered 503, one
 * being written waits for its writer (whose statements are bounded by the same wait, see
 * {@link AlertIntake}) once more, then answers 503 too; a group that failed because the database is away
 * is not tried again delivery by delivery.
 */
@ApplicationScoped
public class AlertWriter {

    private static final Logger LOG = Logger.getLogger(AlertWriter.class);

    private final AlertIntake intake;
    private final UnconfirmedAlerts unconfirmed;
    private final SignalConfig config;
    private final DatabaseConfig database;
    private final Clock clock;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Held by the thread writing a group (a semaphore, so that the test hook can hold it from another thread). */
    private final Semaphore writing = new Semaphore(1);
    /** Deliveries in the last group and when it was written (System.nanoTime), read by the next writer. */
    private volatile int lastGroupSize;
    private volatile long lastWrittenNanos;
    /** Set by the test hook {@link #hold()}: deliveries wait without a bound meanwhile. */
    private volatile boolean held;
    /** The writer while it lingers, and how many queued deliveries end its wait: the delivery that makes them wakes it. */
    private volatile Thread lingering;
    private volatile int lingerFor;

    public AlertWriter(AlertIntake intake, SignalConfig config, DatabaseConfig database, Clock clock, UnconfirmedAlerts unconfirmed) {
        this.intake = intake;
        this.unconfirmed = unconfirmed;
        this.config = config;
        this.database = database;
        this.clock = clock;
    }

    /**
     * Stores a validated payload, together with whatever other deliveries queued meanwhile, and
     * returns its new alerts once they are committed. Blocks the calling (worker) thread.
     *
     * @throws UnavailableException when the alerts could not be stored
     */
    public List<AlertIntake.Received> store(AlertmanagerPayload payload) {
        PathStage.mark("received", null);
        Pending p = new Pending(new AlertIntake.Delivery(payload, clock.instant()), new CompletableFuture<>());
        queue.add(p);
        Thread writer = lingering;
        if (writer != null && queue.size() >= lingerFor) {
            LockSupport.unpark(writer);
        }
        long bound = database.connectionWait().toNanos();
        long deadline = System.nanoTime() + bound;
        while (!p.done().isDone()) {
            if (!acquire(deadline)) {
                return notWrittenInTime(p, bound);
            }
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

    /** Takes the writer's turn before the deadline; false when the time is up first. */
    private boolean acquire(long deadline) {
        if (held) {
            writing.acquireUninterruptibly(); // the test hook holds the writer on purpose: no bound
            return true;
        }
        try {
            return writing.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The writer did not get to this delivery in time (the database is slow or away): still queued, it is taken out
     * and answered 503; already in a group being written, it waits for that write once more, bounded by the same wait.
     */
    private List<AlertIntake.Received> notWrittenInTime(Pending p, long bound) {
        if (queue.remove(p)) {
            throw unavailable(p, "the database did not take the alerts within " + database.connectionWait().toMillis()
                    + " ms; nothing of this delivery was kept, retry");
        }
        try {
            return p.done().get(bound, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw unavailable(p, "the database did not confirm the alerts within " + 2 * database.connectionWait().toMillis()
                    + " ms; retry (alerts stored meanwhile count once)");
        }
    }

    private UnavailableException unavailable(Pending p, String detail) {
        LOG.warnf("alerts not stored in time receiver=%s alerts=%d: answering 503, Alertmanager retries",
                p.delivery().payload().receiver(), p.delivery().payload().alerts().size());
        return new UnavailableException("Alerts not stored", detail, null, database.retryAfter());
    }

    /**
     * Under load, waits up to the configured linger for as many deliveries as the last group had
     * (they are usually on their way: Alertmanager's next posts, parsed meanwhile). Never when the
     * last group was a single delivery or was written longer than the linger ago. The delivery that
     * completes the number wakes the writer (was: a look at the queue every 50 µs, a wake-up each).
     */
    private void linger() {
        long linger = config.alertGroupLinger().toNanos();
        int want = lastGroupSize;
        long now = System.nanoTime();
        if (linger <= 0 || want < 2 || now - lastWrittenNanos > linger) {
            return;
        }
        long until = now + linger;
        lingerFor = want;
        lingering = Thread.currentThread(); // before the queue is looked at: a delivery queued after the look sees it
        try {
            for (long left = linger; queue.size() < want && left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            lingering = null;
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
            // a lost race (Galera certification, a deadlock, a failover) stored nothing, or everything if the connection
            // died during the commit (the delivery's own rows still count as new): store again, for as long as a
            // delivery may wait, before answering 503
            List<List<AlertIntake.Received>> out = LostRace.retryFor("store alerts", database.connectionWait(),
                    () -> intake.store(deliveries));
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(out.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() == 1 || DatabaseAway.causeOf(e) != null) {
                group.forEach(p -> fail(p, e));
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

    private void fail(Pending p, RuntimeException e) {
        unconfirmed.add(p.delivery()); // its store may have committed before the connection died: checked again
        if (DatabaseAway.causeOf(e) != null) {
            LOG.warnf("alerts not stored receiver=%s alerts=%d, the database is away (%s): answering 503, Alertmanager retries",
                    p.delivery().payload().receiver(), p.delivery().payload().alerts().size(), DatabaseAway.causeOf(e).getMessage());
        } else {
            LOG.errorf(e, "alerts not stored receiver=%s alerts=%d: answering 503, Alertmanager retries",
                    p.delivery().payload().receiver(), p.delivery().payload().alerts().size());
        }
        p.done().completeExceptionally(new UnavailableException("Alerts not stored",
                "the alerts could not be stored (" + e.getClass().getSimpleName() + "); nothing of this delivery was kept, retry",
                null, database.retryAfter()));
    }

    /** Test hook: nothing is written until {@link #release()}, so deliveries pile up into one group. */
    void hold() {
        writing.acquireUninterruptibly();
        held = true;
    }

    /** Test hook: ends {@link #hold()}; the first waiting delivery writes what queued meanwhile. */
    void release() {
        held = false;
        writing.release();
    }

    /** Deliveries waiting to be written. */
    int queued() {
        return queue.size();
    }

    /** A delivery and who waits for it; equal only to itself, so taking one out of the queue never takes another. */
    private static final class Pending {

        private final AlertIntake.Delivery delivery;
        private final CompletableFuture<List<AlertIntake.Received>> done;

        Pending(AlertIntake.Delivery delivery, CompletableFuture<List<AlertIntake.Received>> done) {
            this.delivery = delivery;
            this.done = done;
        }

        AlertIntake.Delivery delivery() {
            return delivery;
        }

        CompletableFuture<List<AlertIntake.Received>> done() {
            return done;
        }
    }
}
