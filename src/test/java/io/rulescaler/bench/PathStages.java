package io.rulescaler.bench;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.jfr.consumer.RecordingStream;

/**
 * For {@link HandoffLatencyBench}: records the service's {@code io.rulescaler.PathStage} JFR events (a stage of an
 * alert's way, see io.rulescaler.boot.PathStage) in this JVM and reports each stage's time per alert, and measures
 * the floor: what a bare JDBC {@code INSERT} and commit costs on the same database. Code without the events (the old
 * code) reports the database's timestamps only.
 */
final class PathStages implements AutoCloseable {

    /** The stages in the order an alert passes them. */
    static final List<String> ORDER = List.of("received", "alert-committed", "evaluation-start", "state-read", "fired",
            "decided-once-recorded", "decision-locked", "decision-state-read", "decision-written",
            "decision-committed", "intake-woken", "intake-begun", "intake-request-claimed", "intake-cluster-read", "operation-planned",
            "first-step-ready", "first-tasks-leased", "operation-committed", "worker-began");

    private record Mark(Instant at, String stage, String cluster) {
    }

    /** A JIT compilation in this JVM (the service runs in it): when, at which tier, of which class's method. */
    private record Compiled(Instant at, int level, boolean osr, String type, String method, double ms) {
    }

    /** Packages whose compilations are counted apart: the service's own, and the libraries on the alert's path. */
    static final List<String> PACKAGES = List.of("io.rulescaler.", "org.hibernate.", "org.mariadb.", "org.drools.", "org.kie.",
            "io.agroal.", "com.arjuna.", "io.vertx.", "io.quarkus.", "org.jboss.resteasy.");

    private final RecordingStream stream = new RecordingStream();
    private final Queue<Mark> marks = new ConcurrentLinkedQueue<>();
    private final Queue<Compiled> compiled = new ConcurrentLinkedQueue<>();
    private final List<Instant> posted = new ArrayList<>();
    private final List<String> postedCluster = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private final Map<String, Instant> phases = new LinkedHashMap<>();
    private final PathTail tail;

    /** Records the stages, and with {@code tail} what else happened in the JVM (see {@link PathTail}) for the slowest alerts. */
    PathStages(PathTail tail) {
        this.tail = tail;
        stream.enable("io.rulescaler.PathStage");
        stream.onEvent("io.rulescaler.PathStage", e -> marks.add(new Mark(e.getStartTime(), e.getString("stage"), e.getString("cluster"))));
        stream.enable("jdk.Compilation").withThreshold(java.time.Duration.ZERO);
        stream.onEvent("jdk.Compilation", e -> {
            jdk.jfr.consumer.RecordedMethod m = e.getValue("method");
            compiled.add(new Compiled(e.getStartTime(), e.getShort("compileLevel"), e.getBoolean("isOsr"),
                    m == null ? "?" : m.getType().getName(), m == null ? "?" : m.getName(), e.getDuration().toNanos() / 1e6));
        });
        stream.startAsync();
    }

    /** Marks the start of a phase of the run (cold, warm-up, warm, ...); compilations are counted per phase. */
    void phase(String name) {
        phases.put(name, Instant.now());
    }

    /** Call right before an alert for {@code cluster} is posted. */
    void posting(String cluster) {
        posted.add(Instant.now());
        postedCluster.add(cluster);
    }

    /** The phase in whose statistics the alert posted last counts, null when it does not (not an operation, a phase's first, warm-up). */
    void keep(String phase) {
        kept.add(phase);
    }

    /** Per measured phase and stage, the time from the previous stage and from received (ms); then the JIT compilations per phase. */
    void report() throws InterruptedException {
        Thread.sleep(2500); // the stream delivers about once a second
        List<Mark> all = new ArrayList<>(marks);
        all.sort((a, b) -> a.at().compareTo(b.at()));
        for (String phase : new java.util.LinkedHashSet<>(kept)) {
            if (phase != null) {
                reportStages(all, phase);
            }
        }
        reportCompilations();
    }

    /** Each kept alert of {@code phase}: its stages in order, with the time each was reached (an alert's marks up to the first missing stage). */
    private List<Map<String, Instant>> alerts(List<Mark> all, String phase) {
        List<Map<String, Instant>> out = new ArrayList<>();
        for (int i = 0; i < posted.size(); i++) {
            if (!phase.equals(kept.get(i))) {
                continue;
            }
            String cluster = postedCluster.get(i);
            Instant previous = posted.get(i).minusMillis(5);
            Instant to = i + 1 < posted.size() ? posted.get(i + 1) : Instant.MAX;
            Map<String, Instant> marked = new LinkedHashMap<>();
            for (String stage : ORDER) {
                Instant after = previous;
                Mark m = all.stream().filter(x -> x.stage().equals(stage) && !x.at().isBefore(after) && x.at().isBefore(to)
                        && (x.cluster() == null || x.cluster().equals(cluster))).findFirst().orElse(null);
                if (m == null) {
                    break; // this code does not mark the stage (old code), or the alert took another way
                }
                marked.put(stage, m.at());
                previous = m.at();
            }
            out.add(marked);
        }
        return out;
    }

    private void reportStages(List<Mark> all, String phase) {
        Map<String, List<Double>> step = new LinkedHashMap<>();
        Map<String, List<Double>> total = new LinkedHashMap<>();
        List<Map<String, Instant>> alerts = alerts(all, phase);
        for (Map<String, Instant> marked : alerts) {
            Instant previous = null;
            Instant received = null;
            for (Map.Entry<String, Instant> m : marked.entrySet()) {
                if (received == null) {
                    received = m.getValue();
                } else {
                    step.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(micros(previous, m.getValue()) / 1000.0);
                    total.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(micros(received, m.getValue()) / 1000.0);
                }
                previous = m.getValue();
            }
        }
        if (tail != null) {
            tail.report(phase, alerts);
        }
        if (step.isEmpty()) {
            System.out.println("BENCH-STAGE none: this code marks no stages (io.rulescaler.PathStage)");
        }
        step.forEach((stage, ms) -> System.out.printf("BENCH-STAGE [" + phase + "] %-24s n=%d from previous p50_ms=%.2f p90_ms=%.2f | from received"
                + " p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f%n", stage, ms.size(), pct(ms, 0.5), pct(ms, 0.9),
                pct(total.get(stage), 0.5), pct(total.get(stage), 0.9), pct(total.get(stage), 0.99)));
    }

    /**
     * JIT compilations per phase (from the JVM's jdk.Compilation events): all, the C2 ones (tier 4), and per package of
     * the path; then the service's own methods C2-compiled in each measured phase. Compilations in a measured phase
     * mean the path ran partly interpreted or at a lower tier there.
     */
    private void reportCompilations() {
        List<Compiled> all = new ArrayList<>(compiled);
        List<String> names = new ArrayList<>(phases.keySet());
        for (int p = 0; p < names.size(); p++) {
            Instant from = phases.get(names.get(p));
            Instant to = p + 1 < names.size() ? phases.get(names.get(p + 1)) : Instant.MAX;
            List<Compiled> in = all.stream().filter(x -> !x.at().isBefore(from) && x.at().isBefore(to)).toList();
            StringBuilder b = new StringBuilder();
            for (String pkg : PACKAGES) {
                List<Compiled> of = in.stream().filter(x -> x.type().startsWith(pkg)).toList();
                b.append(String.format(" %s%d/%d", pkg, of.size(), of.stream().filter(x -> x.level() == 4).count()));
            }
            System.out.printf("BENCH-JIT [%s] compilations=%d (C2 tier 4: %d, OSR %d, %.0f ms of compiler threads' time);"
                    + " per package all/C2:%s%n", names.get(p), in.size(), in.stream().filter(x -> x.level() == 4).count(),
                    in.stream().filter(Compiled::osr).count(), in.stream().mapToDouble(Compiled::ms).sum(), b);
            if (!"warm-up".equals(names.get(p))) {
                List<String> own = in.stream().filter(x -> x.level() == 4 && x.type().startsWith("io.rulescaler."))
                        .map(x -> x.type().substring("io.rulescaler.".length()) + "." + x.method()).distinct().limit(12).toList();
                System.out.printf("BENCH-JIT [%s] io.rulescaler methods C2-compiled in the phase (up to 12): %s%n", names.get(p), own);
            }
        }
    }

    /**
     * The floor: {@code n} single-row INSERTs each committed (autocommit off, as a transaction does; and autocommit
     * on, as the webhook's store does) on the service's own database, p50/p99, with its flush settings.
     */
    static void floor(AgroalDataSource ds, int n) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT @@innodb_flush_log_at_trx_commit, @@sync_binlog, @@log_bin, @@version,"
                    + " @@system_time_zone, @@time_zone")) {
                r.next();
                System.out.printf("BENCH-FLOOR database: innodb_flush_log_at_trx_commit=%s sync_binlog=%s log_bin=%s version=%s"
                        + " time_zone=%s/%s%n", r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6));
            }
            s.execute("CREATE TABLE IF NOT EXISTS bench_floor (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
            boolean auto = c.getAutoCommit();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO bench_floor (v) VALUES (?)")) {
                for (boolean autocommit : new boolean[] {false, true}) {
                    c.setAutoCommit(autocommit);
                    List<Double> ms = new ArrayList<>();
                    for (int i = 0; i < n + 20; i++) {
                        long t0 = System.nanoTime();
                        p.setString(1, "floor " + i);
                        p.executeUpdate();
                        if (!autocommit) {
                            c.commit();
                        }
                        if (i >= 20) { // the first ones warm the statement up
                            ms.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                    System.out.printf("BENCH-FLOOR one-row INSERT + commit (%s) n=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f%n",
                            autocommit ? "autocommit" : "transaction", n, pct(ms, 0.5), pct(ms, 0.9), pct(ms, 0.99));
                }
            } finally {
                c.setAutoCommit(true);
                s.execute("DROP TABLE bench_floor");
                c.setAutoCommit(auto);
            }
        }
    }

    /** Turns the database's general log (as a table) on or off; statements are counted from it, see {@link #statements}. */
    static void generalLog(AgroalDataSource ds, boolean on) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            if (on) {
                s.execute("SET GLOBAL log_output = 'TABLE'");
                s.execute("TRUNCATE TABLE mysql.general_log");
            }
            s.execute("SET GLOBAL general_log = " + (on ? 1 : 0));
        }
    }

    /**
     * Statements the server ran between webhook received and worker began (µs since the epoch, UTC; the server's time
     * zone is UTC here), by kind (first word), the bench's own connections left out. A few may be background rounds
     * (the dispatcher's 100 ms poll, heartbeats) that fell into the window.
     */
    static Map<String, Integer> statements(AgroalDataSource ds, long fromMicros, long toMicros, long skip)
            throws Exception {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("SELECT thread_id, command_type,"
                + " CONVERT(argument USING utf8mb4) FROM mysql.general_log WHERE event_time BETWEEN ? AND ?")) {
            p.setObject(1, java.time.LocalDateTime.ofEpochSecond(fromMicros / 1_000_000, (int) (fromMicros % 1_000_000) * 1000,
                    java.time.ZoneOffset.UTC));
            p.setObject(2, java.time.LocalDateTime.ofEpochSecond(toMicros / 1_000_000, (int) (toMicros % 1_000_000) * 1000,
                    java.time.ZoneOffset.UTC).plusNanos(1_000_000)); // worker began is to the millisecond
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (r.getLong(1) == skip || !"Query".equals(r.getString(2)) && !"Execute".equals(r.getString(2))) {
                        continue;
                    }
                    String text = r.getString(3).trim();
                    String word = text.split("\\s+", 2)[0].toUpperCase();
                    if (text.toLowerCase().startsWith("set autocommit=1") || text.toLowerCase().startsWith("set autocommit = 1")) {
                        word = "AUTOCOMMIT-ON";
                    }
                    kinds.merge(word, 1, Integer::sum);
                }
            }
        }
        return kinds;
    }

    /** The server's id of a connection (its thread_id in the general log). */
    static long connectionId(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Medians per kind of the counted alerts' statements. */
    static void reportStatements(List<Map<String, Integer>> counts) {
        if (counts.isEmpty()) {
            System.out.println("BENCH-STATEMENTS none counted");
            return;
        }
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        counts.forEach(m -> kinds.addAll(m.keySet()));
        StringBuilder b = new StringBuilder();
        List<Double> totals = new ArrayList<>();
        counts.forEach(m -> totals.add((double) m.values().stream().mapToInt(Integer::intValue).sum()));
        for (String k : kinds) {
            List<Double> v = new ArrayList<>();
            counts.forEach(m -> v.add((double) m.getOrDefault(k, 0)));
            b.append(' ').append(k).append('=').append(String.format("%.0f", pct(v, 0.5)));
        }
        System.out.printf("BENCH-STATEMENTS webhook received -> worker began, per alert (median of %d, general log on):"
                + " total=%.0f (min %.0f, max %.0f);%s%n", counts.size(), pct(totals, 0.5), pct(totals, 0.0), pct(totals, 1.0), b);
    }

    private static long micros(Instant a, Instant b) {
        return java.time.Duration.between(a, b).toNanos() / 1000;
    }

    static double pct(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public void close() {
        stream.close();
        if (tail != null) {
            tail.close();
        }
    }
}
