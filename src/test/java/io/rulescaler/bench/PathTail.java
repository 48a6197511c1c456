package io.rulescaler.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * For {@link PathStages}: why the slowest alerts of a phase were slow. Records, in this JVM (the service runs in it),
 * GC pauses, JIT compilations and deoptimizations, VM operations at a safepoint, the machine's and the JVM's CPU load,
 * and the service's background rounds ({@code io.rulescaler.Round}: scheduled rounds, the janitor, the intake poll,
 * the inbox poll, the task dispatcher's claim, the lease heartbeat); then prints, for the slowest alerts of a phase,
 * each stage's time and what of these fell into which stage ({@code BENCH-TAIL} lines), and the same counts for all
 * the phase's alerts, to compare with.
 */
final class PathTail implements AutoCloseable {

    /** Something that took time in this JVM: when it began and ended, what it was, on which thread. */
    record Happening(String kind, Instant from, Instant to, String what, String thread) {
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final int slowest;
    private final RecordingStream stream = new RecordingStream();
    private final Queue<Happening> seen = new ConcurrentLinkedQueue<>();

    PathTail(int slowest) {
        this.slowest = slowest;
        stream.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
        stream.onEvent("jdk.GCPhasePause", e -> add("gc-pause", e, "gc " + e.getInt("gcId") + " " + e.getString("name")));
        stream.enable("jdk.GarbageCollection").withThreshold(Duration.ZERO);
        stream.onEvent("jdk.GarbageCollection", e -> add("gc", e, "gc " + e.getInt("gcId") + " " + e.getString("name") + " ("
                + e.getString("cause") + ", pauses " + ms(e.getDuration("sumOfPauses")) + ")"));
        stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        stream.onEvent("jdk.Compilation", e -> add("jit", e, "C" + (e.getShort("compileLevel") == 4 ? "2" : "1:" + e.getShort("compileLevel"))
                + " " + method(e.getValue("method"))));
        stream.enable("jdk.Deoptimization");
        stream.onEvent("jdk.Deoptimization", e -> add("deopt", e, e.getString("reason") + "/" + e.getString("action") + " "
                + method(e.getValue("method"))));
        stream.enable("jdk.ExecuteVMOperation").withThreshold(Duration.ofNanos(200_000));
        stream.onEvent("jdk.ExecuteVMOperation", e -> {
            if (e.getBoolean("safepoint")) {
                add("safepoint", e, e.getString("operation"));
            }
        });
        stream.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
        stream.onEvent("jdk.CPULoad", e -> seen.add(new Happening("cpu", e.getStartTime(), e.getStartTime(),
                String.format("machine %.0f%% jvm %.0f%%", 100 * e.getFloat("machineTotal"),
                        100 * (e.getFloat("jvmUser") + e.getFloat("jvmSystem"))), "")));
        stream.enable("io.rulescaler.Round").withThreshold(Duration.ZERO);
        stream.onEvent("io.rulescaler.Round", e -> add("round", e, e.getString("job")));
        stream.startAsync();
    }

    private void add(String kind, RecordedEvent e, String what) {
        RecordedThread t = e.getThread();
        seen.add(new Happening(kind, e.getStartTime(), e.getEndTime(), what, t == null ? "" : t.getJavaName()));
    }

    private static String method(RecordedMethod m) {
        if (m == null) {
            return "?";
        }
        String type = m.getType().getName();
        return type.substring(type.lastIndexOf('.', type.lastIndexOf('.') - 1) + 1) + "." + m.getName();
    }

    /** Prints the BENCH-TAIL lines of {@code phase}: {@code alerts} are its alerts' stages, each with when it was reached. */
    void report(String phase, List<Map<String, Instant>> alerts) {
        List<Happening> all = new ArrayList<>(seen);
        List<Map<String, Instant>> done = alerts.stream().filter(a -> a.containsKey("worker-began")).toList();
        if (done.isEmpty()) {
            return;
        }
        String tag = "BENCH-TAIL [" + phase + "] ";
        List<Map<String, Instant>> bySpan = new ArrayList<>(done);
        bySpan.sort(Comparator.comparing(PathTail::span).reversed());
        // to compare with: how often each kind fell into an alert's way, over all the phase's alerts
        System.out.println(tag + "all " + done.size() + " alerts, per alert median/max:" + counts(all, done, "gc-pause")
                + counts(all, done, "safepoint") + counts(all, done, "jit") + counts(all, done, "deopt") + counts(all, done, "round"));
        for (int k = 0; k < Math.min(slowest, bySpan.size()); k++) {
            Map<String, Instant> a = bySpan.get(k);
            Instant received = a.get("received");
            Instant began = a.get("worker-began");
            StringBuilder stages = new StringBuilder();
            Instant previous = null;
            for (Map.Entry<String, Instant> s : a.entrySet()) {
                if (previous != null) {
                    stages.append(String.format(" %s=%.2f", s.getKey(), micros(previous, s.getValue()) / 1000.0));
                }
                previous = s.getValue();
            }
            String cpu = all.stream().filter(h -> "cpu".equals(h.kind()) && !h.from().isBefore(received.minusSeconds(1)))
                    .min(Comparator.comparing(Happening::from)).map(Happening::what).orElse("?");
            System.out.printf("%s#%d received %s UTC, worker began after %.2f ms (cpu then: %s); stage ms:%s%n", tag, k + 1,
                    CLOCK.format(received), micros(received, began) / 1000.0, cpu, stages);
            List<Happening> during = all.stream().filter(h -> !"cpu".equals(h.kind()) && overlaps(h, received, began))
                    .sorted(Comparator.comparing(Happening::from)).toList();
            for (String kind : List.of("gc-pause", "gc", "safepoint", "deopt", "round")) {
                for (Happening h : during.stream().filter(h -> kind.equals(h.kind())).toList()) {
                    System.out.printf("%s#%d   %-9s %+8.2f ms for %6.2f ms in %-22s %s [%s]%n", tag, k + 1, kind,
                            micros(received, h.from()) / 1000.0, micros(h.from(), h.to()) / 1000.0, stageAt(a, h.from()),
                            h.what(), h.thread());
                }
            }
            List<Happening> jit = during.stream().filter(h -> "jit".equals(h.kind())).toList();
            System.out.printf("%s#%d   jit       %d compilations (%d C2) in the window, %.1f ms of compiler time; longest: %s%n", tag,
                    k + 1, jit.size(), jit.stream().filter(h -> h.what().startsWith("C2")).count(),
                    jit.stream().mapToDouble(h -> micros(h.from(), h.to()) / 1000.0).sum(),
                    jit.stream().sorted(Comparator.comparing((Happening h) -> micros(h.from(), h.to())).reversed()).limit(3)
                            .map(h -> String.format("%s %.1f ms", h.what(), micros(h.from(), h.to()) / 1000.0)).toList());
        }
    }

    /** Median and max per alert of the happenings of {@code kind} overlapping its way, and the share of alerts with any. */
    private static String counts(List<Happening> all, List<Map<String, Instant>> alerts, String kind) {
        List<Double> n = new ArrayList<>();
        Predicate<Happening> ofKind = h -> kind.equals(h.kind());
        for (Map<String, Instant> a : alerts) {
            n.add((double) all.stream().filter(ofKind.and(h -> overlaps(h, a.get("received"), a.get("worker-began")))).count());
        }
        long with = n.stream().filter(x -> x > 0).count();
        return String.format(" %s %.0f/%.0f (%d of %d alerts)", kind, PathStages.pct(n, 0.5), PathStages.pct(n, 1.0), with, alerts.size());
    }

    private static boolean overlaps(Happening h, Instant from, Instant to) {
        return h.from().isBefore(to) && !h.to().isBefore(from);
    }

    /** The stage an instant fell into: the first stage reached at or after it (before received: "before"). */
    private static String stageAt(Map<String, Instant> a, Instant at) {
        for (Map.Entry<String, Instant> s : a.entrySet()) {
            if (!s.getValue().isBefore(at)) {
                return "received".equals(s.getKey()) ? "(before received)" : s.getKey();
            }
        }
        return "(after)";
    }

    private static Duration span(Map<String, Instant> a) {
        return Duration.between(a.get("received"), a.get("worker-began"));
    }

    private static String ms(Duration d) {
        return String.format("%.2f ms", d.toNanos() / 1e6);
    }

    private static long micros(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1000;
    }

    @Override
    public void close() {
        stream.close();
    }
}
