package io.rulescaler.cli;

import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: replays a demand trace through rules and guard against a simulated cluster
 * whose new nodes become active after a provisioning delay; prints a table and writes an SVG of
 * demand against capacity.
 *
 * <p>At each trace row the simulated cluster emits the samples the rules see: {@code cpu} =
 * demand / (active nodes × node capacity) × 100 (capped at 100), {@code demand}, and every other
 * column of the trace as a metric of that name.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay a metric trace through rules and guard against a simulated cluster; table + SVG chart.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--rules", required = true, paramLabel = "DIR", description = "rules folder")
    Path rules;

    @Option(names = "--rule-set", paramLabel = "NAME", description = "rule set in the folder (default: the only one, or 'default')")
    String ruleSet;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "CSV (time,demand[,metric...]) or JSON trace")
    Path trace;

    @Option(names = "--min", defaultValue = "1") int min;
    @Option(names = "--max", defaultValue = "20") int max;
    @Option(names = "--desired", defaultValue = "2", description = "nodes at the start") int desired;
    @Option(names = "--node-capacity", defaultValue = "1.0", description = "demand one node serves at 100% cpu") double nodeCapacity;
    @Option(names = "--provisioning-delay", defaultValue = "3m", description = "time from request to active node") String delay;
    @Option(names = "--scale-out-cooldown", defaultValue = "60", description = "seconds") int outCooldown;
    @Option(names = "--scale-in-cooldown", defaultValue = "300", description = "seconds") int inCooldown;
    @Option(names = "--stabilisation", defaultValue = "300", description = "scale-in stabilisation window, seconds") int stabilisation;
    @Option(names = "--max-step", description = "most nodes per operation") Integer maxStep;
    @Option(names = "--start", defaultValue = "2026-01-05T06:00:00Z", description = "instant of the first row (cron rules see it)") String start;
    @Option(names = "--svg", paramLabel = "FILE", description = "write the chart here (default: the trace name with .svg)") Path svg;
    @Option(names = "--all-rows", description = "print every row, not only those where something happened") boolean allRows;

    @Spec
    CommandSpec spec;

    /** One simulated moment. */
    record Point(Duration at, double demand, int active, int pending, int desired, double cpu, String event) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, List<RuleSource>> sets = RuleSets.directory(rules);
        String set = ruleSet != null ? ruleSet : sets.size() == 1 ? sets.keySet().iterator().next() : "default";
        if (!sets.containsKey(set)) {
            err.println(rules + ": no rule set '" + set + "' (found " + sets.keySet() + ")");
            return 2;
        }
        CompiledRules compiled = RuleCompiler.compile(set, sets.get(set));
        if (!compiled.ok()) {
            compiled.errors().forEach(e -> err.println(e.format()));
            return 1;
        }
        Trace t;
        try {
            t = Trace.read(trace);
        } catch (IllegalArgumentException e) {
            err.println(trace + ":" + e.getMessage());
            return 2;
        }
        List<Point> points = run(compiled, t);
        printTable(out, points);
        Path chart = svg != null ? svg : trace.resolveSibling(trace.getFileName().toString().replaceAll("\\.[^.]+$", "") + ".svg");
        Files.writeString(chart, Chart.svg(points, "demand vs capacity: " + trace.getFileName() + " through " + set, nodeCapacity));
        out.println("chart: " + chart);
        out.flush();
        return 0;
    }

    List<Point> run(CompiledRules compiled, Trace t) {
        GuardPolicy policy = new GuardPolicy(min, max, outCooldown, inCooldown, stabilisation, maxStep, null);
        OfflineCluster c = new OfflineCluster("sim", policy, desired);
        Instant t0 = Instant.parse(start);
        Duration provisioning = Durations.parse(delay);
        int active = desired;
        List<Instant> pending = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        try (RuleSession s = new RuleSession("sim", compiled, SessionLimits.DEFAULT, t0)) {
            for (Trace.Row row : t.rows()) {
                Instant now = t0.plus(row.at());
                s.advanceTo(now);
                int ready = (int) pending.stream().filter(p -> !p.isAfter(now)).count();
                pending.removeIf(p -> !p.isAfter(now));
                active += ready;
                s.setCluster(c.view(active, pending.size(), 0));
                double cpu = active == 0 ? 100 : Math.min(100, 100 * row.demand() / (active * nodeCapacity));
                s.event(new Sample("sim", "cpu", Map.of(), cpu, now));
                s.event(new Sample("sim", "demand", Map.of(), row.demand(), now));
                for (Map.Entry<String, Double> m : row.metrics().entrySet()) {
                    s.event(new Sample("sim", m.getKey(), Map.of(), m.getValue(), now));
                }
                Evaluation e = s.evaluate();
                StringBuilder ev = new StringBuilder(ready > 0 ? ready + " node(s) active; " : "");
                for (FiredDecision d : e.decisions()) {
                    Verdict v = c.judge(d, now);
                    ev.append('"').append(d.rule()).append("\" ").append(v.kind().name().toLowerCase());
                    if (v.acts()) {
                        ev.append(" -> ").append(v.target());
                        int have = active + pending.size();
                        for (int i = have; i < v.target(); i++) {
                            pending.add(now.plus(provisioning));
                        }
                        for (int i = v.target(); i < have; i++) {
                            if (!pending.isEmpty()) {
                                pending.remove(pending.size() - 1);
                            } else {
                                active--;
                            }
                        }
                        ev.append("; ");
                    } else if (allRows) {
                        ev.append(" (").append(v.why().get(v.why().size() - 1)).append("); ");
                    } else {
                        ev.setLength(ev.length() - d.rule().length() - 2 - v.kind().name().length() - 1);
                    }
                    s.setCluster(c.view(active, pending.size(), 0));
                }
                if (e.runaway()) {
                    ev.append("RUNAWAY rules (").append(e.firings()).append(" firings); ");
                }
                points.add(new Point(row.at(), row.demand(), active, pending.size(), c.desired, cpu, ev.toString().trim()));
            }
        }
        return points;
    }

    private void printTable(PrintWriter out, List<Point> points) {
        out.printf("%-8s %8s %6s %7s %7s %6s  %s%n", "time", "demand", "active", "pending", "desired", "cpu%", "what happened");
        int operations = 0;
        double nodeSeconds = 0;
        double shortSeconds = 0;
        int peak = 0;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (allRows || !p.event().isEmpty() || i == 0 || i == points.size() - 1) {
                out.printf("%-8s %8.2f %6d %7d %7d %6.1f  %s%n", Durations.format(p.at()), p.demand(), p.active(), p.pending(),
                        p.desired(), p.cpu(), p.event());
            }
            if (p.event().contains(" -> ")) {
                operations += p.event().split(" -> ", -1).length - 1;
            }
            if (i + 1 < points.size()) {
                double dt = points.get(i + 1).at().minus(p.at()).toMillis() / 1000.0;
                nodeSeconds += p.active() * dt;
                if (p.demand() > p.active() * nodeCapacity) {
                    shortSeconds += dt;
                }
            }
            peak = Math.max(peak, p.active() + p.pending());
        }
        out.printf("%nsummary: %d operation(s), peak %d node(s), %.1f node-hours, under capacity for %s of %s%n", operations, peak,
                nodeSeconds / 3600, Durations.format(Duration.ofSeconds((long) shortSeconds)),
                Durations.format(points.get(points.size() - 1).at()));
    }
}
