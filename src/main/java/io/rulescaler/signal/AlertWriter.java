package io.rulescaler.signal;

import io.rulescaler.web.problem.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Group commit for the Alertmanager webhook: concurrent deliveries queue here, one writer thread
 * stores everything queued in one transaction ({@link AlertIntake#store(List)}, with the inbox rows
 * {@link SignalRouter} adds for sessions owned elsewhere) and only then
 * completes each delivery, so every 2xx still means "stored" while the commits are shared. When
 * a group fails, each of its deliveries is tried alone, so one bad delivery cannot fail the
 * others; a delivery that still fails completes with a 503 and Alertmanager retries it.
 */
@ApplicationScoped
public class AlertWriter {

    private static final Logger LOG = Logger.getLogger(AlertWriter.class);

    private final AlertIntake intake;
    private final SignalRouter router;
    private final SignalConfig config;
    private final Clock clock;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean held;

    public AlertWriter(AlertIntake intake, SignalRouter router, SignalConfig config, Clock clock) {
        this.intake = intake;
        this.router = router;
        this.config = config;
        this.clock = clock;
    }

    /** Queues a validated payload; completes with its new alerts once they are committed. */
    public CompletionStage<List<AlertIntake.Received>> store(AlertmanagerPayload payload) {
        Pending p = new Pending(new AlertIntake.Delivery(payload, clock.instant()), new CompletableFuture<>());
        queue.add(p);
        schedule();
        return p.done();
    }

    private void schedule() {
        if (!held && scheduled.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        while (!held) {
            List<Pending> group = take();
            if (group.isEmpty()) {
                return;
            }
            write(group);
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
            List<List<AlertIntake.Received>> out = router.alertGroups(() -> intake.store(deliveries));
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
                    p.done().complete(router.alertGroups(() -> intake.store(List.of(p.delivery()))).get(0));
                } catch (RuntimeException alone) {
                    fail(p, alone);
                }
            }
        }
    }

    private static void fail(Pending p, RuntimeException e) {
        LOG.errorf(e, "alerts not stored receiver=%s alerts=%d: answering 503, Alertmanager retries",
                p.delivery().payload().receiver(), p.delivery().payload().alerts().size());
        p.done().completeExceptionally(new ProblemException(503, "Alerts not stored",
                "the alerts could not be stored (" + e.getClass().getSimpleName() + "); nothing of this delivery was kept, retry"));
    }

    /** Test hook: the writer takes nothing until {@link #release()}, so deliveries pile up into one group. */
    void hold() {
        held = true;
    }

    /** Test hook: ends {@link #hold()} and writes what queued meanwhile. */
    void release() {
        held = false;
        schedule();
    }

    /** Deliveries waiting for the writer. */
    int queued() {
        return queue.size();
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }

    /** A delivery and who waits for it. */
    private record Pending(AlertIntake.Delivery delivery, CompletableFuture<List<AlertIntake.Received>> done) {
    }
}
