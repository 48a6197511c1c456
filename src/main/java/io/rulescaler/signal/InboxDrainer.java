package io.rulescaler.signal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rulescaler.boot.Round;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.lease.SessionConfig;
import io.rulescaler.capacity.lease.SessionLeases;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * On the owner, takes in what other instances stored for its clusters: every
 * {@code rulescaler.sessions.inbox-poll-interval} one indexed query finds the clusters with
 * pending signals, and each one this instance owns gets one drain task on its session's thread
 * (so a drain never races a rebuild). A cluster newly owned here is evaluated at once, which
 * rebuilds its session from storage. Runs on its own thread: the Quarkus scheduler's floor is 1 s.
 */
@ApplicationScoped
public class InboxDrainer {

    private static final Logger LOG = Logger.getLogger(InboxDrainer.class);

    private final SignalInbox inbox;
    private final SessionLeases leases;
    private final ClusterSessions sessions;
    private final SessionConfig config;
    private volatile ScheduledExecutorService timer;
    private final Map<String, Long> seenEpochs = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> queued = new ConcurrentHashMap<>();

    public InboxDrainer(SignalInbox inbox, SessionLeases leases, ClusterSessions sessions, SessionConfig config) {
        this.inbox = inbox;
        this.leases = leases;
        this.sessions = sessions;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-inbox");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.inboxPollInterval().toMillis());
        timer.scheduleWithFixedDelay(this::poll, 1000, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void poll() {
        Round round = Round.begin("InboxDrainer.poll");
        try {
            drainOnce();
        } catch (RuntimeException e) {
            LOG.warnf("inbox poll failed problem=%s", e.toString());
        } finally {
            round.done();
        }
    }

    /** One round: rebuild newly owned sessions, queue a drain for each owned cluster with pending signals; returns how many were queued. */
    public int drainOnce() {
        Map<String, Long> held = leases.held();
        seenEpochs.keySet().retainAll(held.keySet());
        for (Map.Entry<String, Long> e : held.entrySet()) {
            Long before = seenEpochs.put(e.getKey(), e.getValue());
            if (before == null || !before.equals(e.getValue())) {
                sessions.submit(e.getKey(), null); // builds the session now, from stored signals
            }
        }
        if (held.isEmpty()) {
            return 0;
        }
        Set<String> pending = inbox.pendingClusters();
        int n = 0;
        for (String cluster : pending) {
            if (!held.containsKey(cluster)) {
                continue;
            }
            AtomicBoolean q = queued.computeIfAbsent(cluster, k -> new AtomicBoolean());
            if (!q.compareAndSet(false, true)) {
                continue; // a drain of this cluster is queued already
            }
            n++;
            sessions.submit(cluster, s -> {
                q.set(false);
                inbox.drainInto(cluster, s);
            }).whenComplete((ok, err) -> q.set(false));
        }
        return n;
    }
}
