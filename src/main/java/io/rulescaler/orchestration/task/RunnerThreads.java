package io.rulescaler.orchestration.task;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The task runner's thread plumbing: named daemon threads, and a sleep that keeps the interrupt. */
final class RunnerThreads {

    private RunnerThreads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, prefix + "-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    /** Sleeps; an interrupt ends the sleep early and stays set. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
