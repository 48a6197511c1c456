package io.rulescaler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: replays a demand trace through rules and guard against a simulated cluster
 * (see {@link Simulation}), prints a table and a summary, writes an SVG of demand against
 * capacity, and with {@code --compare} sets a second rule set beside the first, so a rule can be
 * judged before it touches a cluster.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a metric trace through rules and guard against a simulated cluster: a table, a summary and an SVG chart.",
                "With --compare, replay it through a second rule set too and compare both (one chart, one table).",
                "Each trace row sends the samples cpu (= demand / (active nodes x node capacity) x 100), demand, "
                        + "and every other column of the trace."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the trace was replayed", "1:the rules failed: they do not compile, or an evaluation ran away",
                "2:could not run: a missing folder, rule set or trace, or a bad option"})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--rules", required = true, paramLabel = "DIR", description = "rules folder (one sub-folder per rule set, or .drl files directly)")
    Path rules;

    @Option(names = "--rule-set", paramLabel = "NAME", description = "rule set in --rules (default: the only one, else 'default')")
    String ruleSet;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "CSV (time,demand[,metric...]) or JSON trace")
    Path trace;

    @Option(names = "--compare", paramLabel = "DIR2", description = "a second rules folder to replay the same trace through (default: none)")
    Path compare;

    @Option(names = "--compare-rule-set", paramLabel = "NAME", description = "rule set in --compare (default: the only one, else 'default')")
    String compareRuleSet;

    @Option(names = "--min", defaultValue = "1", paramLabel = "N", description = "smallest size (default: ${DEFAULT-VALUE})")
    int min;

    @Option(names = "--max", defaultValue = "20", paramLabel = "N", description = "largest size (default: ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--desired", defaultValue = "2", paramLabel = "N", description = "nodes at the start (default: ${DEFAULT-VALUE})")
    int desired;

    @Option(names = "--node-capacity", defaultValue = "1.0", paramLabel = "DEMAND",
            description = "demand one node serves at 100%% cpu (default: ${DEFAULT-VALUE})")
    double nodeCapacity;

    @Option(names = "--cpu-cap", paramLabel = "PERCENT",
            description = "cap the cpu samples, e.g. 100 for a cpu that saturates (default: no cap: above 100%% means work waits)")
    Double cpuCap;

    @Option(names = "--provisioning-delay", defaultValue = "3m", paramLabel = "DURATION", description = "time from request to active node (default: ${DEFAULT-VALUE})")
    String delay;

    @Option(names = "--scale-out-cooldown", defaultValue = "60", paramLabel = "SECONDS",
            description = "after a scale-out, wait this long before the next (default: ${DEFAULT-VALUE})")
    int outCooldown;

    @Option(names = "--scale-in-cooldown", defaultValue = "300", paramLabel = "SECONDS",
            description = "after any scale change, wait this long before a scale-in (default: ${DEFAULT-VALUE})")
    int inCooldown;

    @Option(names = "--stabilisation", defaultValue = "300", paramLabel = "SECONDS",
            description = "scale-in stabilisation window (default: ${DEFAULT-VALUE})")
    int stabilisation;

    @Option(names = "--max-step", paramLabel = "N", description = "most nodes per operation (default: no limit)")
    Integer maxStep;

    @Option(names = "--start", defaultValue = "2026-01-05T06:00:00Z", paramLabel = "INSTANT",
            description = "instant of the first row; cron rules see it (default: ${DEFAULT-VALUE})")
    String start;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "a parameter of the simulated cluster, as in a spec's parameters (ClusterParameters; repeatable; default: none)")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--chains", paramLabel = "DIR",
            description = "chain files the chain guard judges RunChain requests against (default: ./actions)")
    Path chains;

    @Option(names = "--svg", paramLabel = "FILE", description = "write the chart here (default: the trace's name with .svg, beside it)")
    Path svg;

    @Option(names = "--json", description = "print the summary as JSON instead of the table (default: ${DEFAULT-VALUE})")
    boolean json;

    @Option(names = "--all-rows", description = "print every row and the refusals, not only rows where something happened (default: ${DEFAULT-VALUE})")
    boolean allRows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Simulation.Settings settings;
        Trace t;
        try {
            settings = new Simulation.Settings(min, max, desired, nodeCapacity, cpuCap, Durations.parse(delay), outCooldown, inCooldown,
                    stabilisation, maxStep, Instant.parse(start));
            if (min < 0 || max < min || desired < min || desired > max || nodeCapacity <= 0) {
                throw new IllegalArgumentException("need 0 <= --min <= --desired <= --max and --node-capacity > 0");
            }
            t = Trace.read(trace);
        } catch (IllegalArgumentException e) {
            // trace errors come as "<line>: <what>", so this prints file:line; the settings' own errors have no line
            err.println(trace + (e.getMessage() != null && e.getMessage().matches("\\d+:.*") ? ":" : ": ") + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println(trace + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        if (chains != null && !Files.isDirectory(chains)) {
            err.println(chains + ": not a folder");
            err.flush();
            return 2;
        }
        OfflineChains chainFiles = OfflineChains.read(chains == null ? OfflineChains.DEFAULT_DIRECTORY : chains);
        List<Named> sets = new ArrayList<>();
        for (String[] which : compare == null ? new String[][] {{rules.toString(), ruleSet}}
                : new String[][] {{rules.toString(), ruleSet}, {compare.toString(), compareRuleSet}}) {
            Path dir = Path.of(which[0]);
            Map<String, List<RuleSource>> found = RuleSets.directory(dir);
            String set = which[1] != null ? which[1] : found.size() == 1 ? found.keySet().iterator().next() : "default";
            if (!found.containsKey(set)) {
                err.println(dir + ": no rule set '" + set + "' (found " + found.keySet() + ")");
                err.flush();
                return 2;
            }
            CompiledRules compiled = RuleCompiler.compile(set, found.get(set));
            if (!compiled.ok()) {
                compiled.errors().forEach(e -> err.println(e.format()));
                err.flush();
                return 1;
            }
            sets.add(new Named(set, dir, compiled));
        }
        boolean sameNames = sets.size() == 2 && sets.get(0).name().equals(sets.get(1).name());
        List<Simulation.Run> runs = new ArrayList<>();
        List<SimulationSummary> summaries = new ArrayList<>();
        for (Named n : sets) {
            String label = sameNames ? n.name() + " (" + n.dir() + ")" : n.name();
            Simulation.Run run = Simulation.run(label, n.rules(), t, settings, allRows, Map.copyOf(parameters), chainFiles);
            runs.add(run);
            summaries.add(SimulationSummary.of(run, nodeCapacity, min, settings.provisioning().plusSeconds(stabilisation)));
        }
        Path chart = svg != null ? svg : trace.resolveSibling(trace.getFileName().toString().replaceAll("\\.[^.]+$", "") + ".svg");
        String title = trace.getFileName() + " through " + String.join(" and ", runs.stream().map(Simulation.Run::ruleSet).toList());
        Files.writeString(chart, Chart.svg(runs, title, nodeCapacity));
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("trace", trace.toString());
            doc.put("chart", chart.toString());
            doc.put("runs", summaries.stream().map(SimulationSummary::json).toList());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            for (int i = 0; i < runs.size(); i++) {
                if (runs.size() > 1) {
                    out.printf("== %s%n", runs.get(i).ruleSet());
                }
                printTable(out, runs.get(i).points());
                out.printf("%n%s%n%n", summaries.get(i).line());
            }
            if (runs.size() > 1) {
                out.print(SimulationSummary.table(summaries));
            }
            out.println("chart: " + chart);
        }
        out.flush();
        return runs.stream().anyMatch(r -> r.runaways() > 0) ? 1 : 0;
    }

    private record Named(String name, Path dir, CompiledRules rules) {
    }

    private void printTable(PrintWriter out, List<Simulation.Point> points) {
        out.printf("%-8s %8s %6s %7s %7s %6s  %s%n", "time", "demand", "active", "pending", "desired", "cpu%", "what happened");
        for (int i = 0; i < points.size(); i++) {
            Simulation.Point p = points.get(i);
            if (allRows || !p.event().isEmpty() || i == 0 || i == points.size() - 1) {
                out.printf("%-8s %8.2f %6d %7d %7d %6.1f  %s%n", Durations.format(p.at()), p.demand(), p.active(), p.pending(),
                        p.desired(), p.cpu(), p.event());
            }
        }
    }
}
