package io.rulescaler.boot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a bean's scheduled rounds finish while the database is still there when the service stops: a round
 * enters the gate (refused once the stop began), the bean's {@code ShutdownEvent} observer closes it and waits,
 * bounded, for the rounds inside to leave. Quarkus's scheduler stops starting rounds, but does not wait for one
 * in progress, which would otherwise run on a closing pool or a stopped embedded database.
 */
public final class StopGate {

    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean closed;

    /** Counts a round in; false (nothing counted) once the stop began. Pair a true with {@link #leave()}. */
    public boolean enter() {
        inside.incrementAndGet();
        if (closed) {
            leave();
            return false;
        }
        return true;
    }

    /** Counts a round out. */
    public void leave() {
        synchronized (inside) {
            inside.decrementAndGet();
            inside.notifyAll();
        }
    }

    /** Whether the stop began (a failure now is the stop's doing, not a problem to report). */
    public boolean closed() {
        return closed;
    }

    /** Refuses new rounds and waits at most {@code bound} for those inside to leave. */
    public void closeAndAwait(Duration bound) {
        closed = true;
        long until = System.nanoTime() + bound.toNanos();
        synchronized (inside) {
            while (inside.get() > 0 && until - System.nanoTime() > 0) {
                try {
                    inside.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
