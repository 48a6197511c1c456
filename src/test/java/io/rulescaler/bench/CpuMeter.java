package io.rulescaler.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time, for the webhook benchmark's CPU per delivery: of this JVM (the service and the benchmark's
 * senders), of the senders alone (their threads and the HTTP client's), and of the database server, read
 * from {@code /proc/<pid>/stat}. Independent of how busy the machine is, unlike deliveries per second.
 */
final class CpuMeter {

    /** A reading: nanoseconds of CPU used so far; db is -1 when the server's process was not found. */
    record Reading(long jvm, long senders, long db) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Kernel clock ticks per second ({@code getconf CLK_TCK}; 100 on Linux). */
    private static final long TICKS = 100;

    /** CPU of the sender threads, added by each sender when it ends. */
    final AtomicLong senderNanos = new AtomicLong();
    private final long dbPid;

    CpuMeter(Optional<Long> dbPid) {
        this.dbPid = dbPid.orElse(-1L);
    }

    /** The database server's process: from its pid file, else a child process of this JVM named mariadbd or mysqld. */
    static Optional<Long> dbPid(String pidFile) {
        try {
            if (pidFile != null && Files.isReadable(Path.of(pidFile))) {
                return Optional.of(Long.parseLong(Files.readString(Path.of(pidFile)).trim()));
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the child processes
        }
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    boolean seesDb() {
        return dbPid > 0;
    }

    Reading read() {
        return new Reading(procCpu(ProcessHandle.current().pid()), senderNanos.get() + httpClientThreads(),
                dbPid > 0 ? procCpu(dbPid) : -1);
    }

    /** To be called by a sender thread once it is done: its CPU time goes to the senders' share. */
    void senderDone() {
        senderNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
    }

    /** The JDK HTTP client's own threads (its selector loop does the senders' socket work). */
    private static long httpClientThreads() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("HttpClient-")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** utime + stime of a process, in nanoseconds. */
    static long procCpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may hold spaces: the fields counted from after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / TICKS);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Per delivery, in ms: the service (JVM less senders), the database, and both. */
    record PerDelivery(double service, double db) {
        double total() {
            return service + Math.max(0, db);
        }

        @Override
        public String toString() {
            return String.format("service=%.3f db=%s total=%.3f", service, db < 0 ? "n/a" : String.format("%.3f", db), total());
        }
    }

    static PerDelivery perDelivery(Reading from, Reading to, int deliveries) {
        double service = ((to.jvm() - from.jvm()) - (to.senders() - from.senders())) / 1e6 / deliveries;
        double db = from.db() < 0 ? -1 : (to.db() - from.db()) / 1e6 / deliveries;
        return new PerDelivery(service, db);
    }
}
