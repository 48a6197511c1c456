package io.rulescaler.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.guard.ChainGuard;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import io.rulescaler.format.SafeYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs scenarios against rules on a pseudo clock and reports differences between the expected
 * and the actual decisions, step by step, in the manner of {@code promtool test rules}.
 */
public final class ScenarioRunner {

    static final ObjectMapper YAML = YAMLMapper.builder(SafeYaml.factory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path rulesOverride;
    private final OfflineChains chains;
    private final Map<String, CompiledRules> cache = new HashMap<>();

    public ScenarioRunner(Path rulesOverride) {
        this(rulesOverride, null);
    }

    /** {@code chains}: the folder of chain files the chain guard reads (null: {@code ./actions}). */
    public ScenarioRunner(Path rulesOverride, Path chains) {
        this.rulesOverride = rulesOverride;
        this.chains = OfflineChains.read(chains == null ? OfflineChains.DEFAULT_DIRECTORY : chains);
    }

    /** Result of one scenario: its failures in words (empty = passed), and what each step concluded. */
    public record Result(Path file, String name, List<String> failures, List<String> steps) {
        public Result(Path file, String name, List<String> failures) {
            this(file, name, failures, List.of());
        }

        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** Reads a file holding one scenario, or a list under {@code scenarios:}. */
    public static List<Scenario> read(Path file) throws IOException {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("the file is not UTF-8 text");
        }
        int alias = SafeYaml.firstAliasLine(text);
        if (alias > 0) {
            throw new IllegalArgumentException("line " + alias + ": YAML aliases (*name) are not supported in scenarios; write the value out");
        }
        JsonNode root = YAML.readTree(file.toFile());
        List<Scenario> out = new ArrayList<>();
        if (root != null && root.has("scenarios")) {
            for (JsonNode n : root.get("scenarios")) {
                out.add(YAML.treeToValue(n, Scenario.class));
            }
        } else if (root != null) {
            // read again from the text, not the tree, so that an error keeps its line and column
            out.add(YAML.readValue(file.toFile(), Scenario.class));
        }
        return out;
    }

    public Result run(Path file, Scenario sc) {
        String name = sc.name() == null ? file.getFileName().toString() : sc.name();
        List<String> failures = new ArrayList<>();
        List<String> log = new ArrayList<>();
        CompiledRules rules;
        try {
            rules = rules(file, sc);
        } catch (RuntimeException e) {
            return new Result(file, name, List.of("rules: " + e.getMessage()));
        }
        if (!rules.ok()) {
            List<String> errs = new ArrayList<>();
            rules.errors().forEach(e -> errs.add("rules do not compile: " + e.format()));
            return new Result(file, name, errs);
        }
        Scenario.ClusterDef c = sc.cluster() == null ? new Scenario.ClusterDef("web", 2, null, 1, 10, false, false) : sc.cluster();
        String cluster = c.name() == null ? "web" : c.name();
        int min = c.min() == null ? 0 : c.min();
        int max = c.max() == null ? 100 : c.max();
        Scenario.GuardDef g = sc.guard();
        GuardPolicy policy = g == null ? new GuardPolicy(min, max, 0, 0, 0, null, null)
                : new GuardPolicy(min, max, nz(g.scaleOutCooldownSeconds(), GuardPolicy.DEFAULT_OUT_COOLDOWN),
                nz(g.scaleInCooldownSeconds(), GuardPolicy.DEFAULT_IN_COOLDOWN),
                nz(g.scaleInStabilisationSeconds(), GuardPolicy.DEFAULT_STABILISATION), g.maxStep(), g.maxStepPercent());
        OfflineCluster oc = new OfflineCluster(cluster, policy, c.desired() == null ? min : c.desired());
        oc.paused = Boolean.TRUE.equals(c.paused());
        oc.dryRun = Boolean.TRUE.equals(c.dryRun());
        oc.maxIdle = c.maxIdle() == null ? -1 : c.maxIdle();
        oc.idleForMinutes = c.idleForMinutes() == null ? 30 : c.idleForMinutes();
        int current = c.current() == null ? oc.desired : c.current();
        Map<String, String> parameters = c.parameters() == null ? Map.of() : c.parameters();
        Map<String, String> nodeStates = new HashMap<>();
        OfflineChains chainGuard = chains.fresh();
        Instant start = Instant.parse(sc.start() == null ? "2026-01-05T00:00:00Z" : sc.start());
        try (RuleSession s = new RuleSession(cluster, rules, SessionLimits.DEFAULT, start)) {
            s.setCluster(oc.view(current, 0, 0));
            s.setParameters(parameters);
            int index = 0;
            boolean checksChains = sc.steps() != null && sc.steps().stream()
                    .anyMatch(st -> st.expect() != null && st.expect().stream().anyMatch(x -> x.chain() != null));
            for (Scenario.Step step : sc.steps() == null ? List.<Scenario.Step>of() : sc.steps()) {
                index++;
                String at = step.at() == null ? "0s" : step.at();
                Instant now = start.plus(Durations.parse(at));
                s.advanceTo(now);
                if (step.cluster() != null) {
                    if (step.cluster().desired() != null) {
                        oc.desired = step.cluster().desired();
                    }
                    if (step.cluster().current() != null) {
                        current = step.cluster().current();
                    }
                    if (step.cluster().paused() != null) {
                        oc.paused = step.cluster().paused();
                    }
                    if (step.cluster().dryRun() != null) {
                        oc.dryRun = step.cluster().dryRun();
                    }
                    if (step.cluster().parameters() != null) {
                        parameters = step.cluster().parameters();
                    }
                }
                s.setCluster(oc.view(current, 0, 0));
                s.setParameters(parameters);
                for (Scenario.NodeDef n : nz(step.nodes())) {
                    if (Boolean.TRUE.equals(n.remove())) {
                        nodeStates.remove(n.id());
                    } else {
                        nodeStates.put(n.id(), n.state() == null ? "active" : n.state());
                    }
                }
                apply(s, cluster, start, now, step);
                Evaluation e = s.evaluate();
                List<String> actual = new ArrayList<>();
                List<Actual> got = new ArrayList<>();
                for (FiredDecision d : e.decisions()) {
                    Verdict v = g == null ? null : oc.judge(d, now);
                    got.add(new Actual(d, v, null, null));
                }
                // with a guard, chain runs are judged like decisions (after them, as in the service)
                List<Actual> runs = new ArrayList<>();
                for (io.rulescaler.capacity.engine.FiredChain run : e.chainRuns()) {
                    ChainGuard.ChainVerdict cv = g == null ? null : chainGuard.judge(run, nodeStates.get(run.run().getNode()),
                            parameters, now, oc.paused, oc.dryRun);
                    runs.add(new Actual(null, null, run, cv));
                }
                // chain runs are checked in scenarios that expect one (older scenarios expect decisions only)
                if (checksChains) {
                    got.addAll(runs);
                }
                List<Actual> shown = new ArrayList<>(got);
                if (!checksChains) {
                    shown.addAll(runs);
                }
                String label = "step " + index + " at " + at + ": ";
                if (shown.isEmpty()) {
                    log.add(label + "no decision");
                }
                shown.forEach(a -> log.add(label + a.describe()));
                if (g != null) {
                    s.setCluster(oc.view(current, 0, 0));
                }
                got.forEach(a -> actual.add(a.describe()));
                if (e.runaway()) {
                    failures.add("step " + index + " at " + at + ": runaway rules (" + e.firings() + " firings): " + e.rulesFired());
                }
                if (step.expect() == null) {
                    continue;
                }
                List<Actual> unmatched = new ArrayList<>(got);
                List<Scenario.Expect> missing = new ArrayList<>();
                for (Scenario.Expect x : step.expect()) {
                    Actual hit = unmatched.stream().filter(a -> a.matches(x)).findFirst().orElse(null);
                    if (hit == null) {
                        missing.add(x);
                    } else {
                        unmatched.remove(hit);
                    }
                }
                if (!missing.isEmpty() || !unmatched.isEmpty()) {
                    StringBuilder sb = new StringBuilder("step " + index + " at " + at + ":\n    expected:");
                    if (step.expect().isEmpty()) {
                        sb.append(" no decision");
                    }
                    step.expect().forEach(x -> sb.append("\n      - ").append(describe(x)));
                    sb.append("\n    got:");
                    if (actual.isEmpty()) {
                        sb.append(" no decision");
                    }
                    actual.forEach(a -> sb.append("\n      - ").append(a));
                    missing.forEach(x -> sb.append("\n    missing: ").append(describe(x)));
                    unmatched.forEach(a -> sb.append("\n    unexpected: ").append(a.describe()));
                    failures.add(sb.toString());
                }
            }
        } catch (RuntimeException ex) {
            failures.add("scenario failed to run: " + ex.getMessage());
        }
        return new Result(file, name, failures, log);
    }

    private static void apply(RuleSession s, String cluster, Instant start, Instant now, Scenario.Step step) {
        for (Scenario.NodeDef n : nz(step.nodes())) {
            if (Boolean.TRUE.equals(n.remove())) {
                s.removeNode(n.id());
            } else {
                s.putNode(new NodeView(n.id(), cluster, n.state() == null ? "active" : n.state(), n.zone(), start,
                        n.lastHeartbeat() == null ? null : start.plus(Durations.parse(n.lastHeartbeat())), n.load(),
                        n.cpu(), null, null, n.idleMinutes()));
            }
        }
        for (String q : nz(step.stale())) {
            s.stale(q, new MetricsStale(cluster, q, now, "scenario"));
        }
        for (String q : nz(step.fresh())) {
            s.stale(q, null);
        }
        for (Scenario.AlertDef a : nz(step.alerts())) {
            s.alert(new Alert(a.name(), cluster, a.status() == null ? "firing" : a.status(),
                    a.fingerprint() == null ? a.name() : a.fingerprint(), now, a.labels(), a.annotations()));
        }
        for (Scenario.SampleDef x : nz(step.samples())) {
            Instant t = x.at() == null ? now : start.plus(Durations.parse(x.at()));
            s.event(new Sample(cluster, x.metric(), x.labels(), x.value() == null ? 0 : x.value(), t));
        }
        for (Scenario.HeartbeatDef h : nz(step.heartbeats())) {
            s.event(new Heartbeat(h.node(), cluster, now, h.cpu(), h.memory(), h.load()));
        }
    }

    private CompiledRules rules(Path file, Scenario sc) {
        String set = sc.ruleSet() == null ? "default" : sc.ruleSet();
        Path dir = rulesOverride != null ? rulesOverride
                : sc.rules() != null ? file.toAbsolutePath().getParent().resolve(sc.rules()).normalize() : null;
        String key = (dir == null ? "shipped" : dir.toString()) + "#" + set;
        return cache.computeIfAbsent(key, k -> {
            Map<String, List<RuleSource>> sets = dir == null ? RuleSets.shipped() : RuleSets.directory(dir);
            List<RuleSource> sources = sets.get(set);
            if (sources == null && sets.size() == 1) {
                sources = sets.values().iterator().next();
            }
            if (sources == null) {
                throw new IllegalArgumentException("no rule set '" + set + "' in " + (dir == null ? "the shipped rules" : dir)
                        + " (found " + sets.keySet() + ")");
            }
            return RuleCompiler.compile(set, sources);
        });
    }

    /**
     * One decision as it came out, with the guard's verdict when the scenario has a guard; or one chain
     * request, with the chain guard's verdict when the scenario has a guard.
     */
    record Actual(FiredDecision d, Verdict v, io.rulescaler.capacity.engine.FiredChain c, ChainGuard.ChainVerdict cv) {

        boolean matches(Scenario.Expect x) {
            if (c != null || x.chain() != null) {
                return c != null && x.chain() != null && x.chain().equals(c.run().getChain())
                        && (x.rule() == null || x.rule().equals(c.rule()))
                        && (x.node() == null || x.node().equals(c.run().getNode()))
                        && (x.reason() == null || c.run().getReason().contains(x.reason()))
                        && (x.verdict() == null || (cv != null && x.verdict().equalsIgnoreCase(chainVerdict(cv))))
                        && (x.why() == null || (cv != null && cv.explanation().contains(x.why())));
            }
            return (x.rule() == null || x.rule().equals(d.rule()))
                    && (x.target() == null || Objects.equals(x.target(), d.decision().getTarget()))
                    && (x.delta() == null || Objects.equals(x.delta(), d.decision().getDelta()))
                    && (x.reason() == null || d.decision().getReason().contains(x.reason()))
                    && (x.verdict() == null || (v != null && x.verdict().equalsIgnoreCase(v.kind().name())))
                    && (x.size() == null || (v != null && x.size() == v.target()));
        }

        String describe() {
            if (c != null) {
                return "rule=\"" + c.rule() + "\" chain=" + c.run().getChain() + (c.run().getNode() == null ? "" : " node="
                        + c.run().getNode()) + (c.requests() > 1 ? " (asked " + c.requests() + " times)" : "")
                        + (cv == null ? "" : " verdict=" + chainVerdict(cv) + " why=\"" + cv.explanation() + "\"")
                        + " reason=\"" + c.run().getReason() + "\"";
            }
            StringBuilder sb = new StringBuilder("rule=\"" + d.rule() + "\"");
            if (d.decision().getTarget() != null) {
                sb.append(" target=").append(d.decision().getTarget());
            } else {
                sb.append(" delta=").append(d.decision().getDelta());
            }
            if (v != null) {
                sb.append(" verdict=").append(v.kind().name().toLowerCase()).append(" size=").append(v.target());
            }
            return sb.append(" reason=\"").append(d.decision().getReason()).append('"').toString();
        }
    }

    /** accepted, refused, or dry-run (accepted, not started). */
    static String chainVerdict(ChainGuard.ChainVerdict v) {
        return !v.accepted() ? "refused" : v.dryRun() ? "dry-run" : "accepted";
    }

    static String describe(Scenario.Expect x) {
        StringBuilder sb = new StringBuilder();
        if (x.rule() != null) {
            sb.append("rule=\"").append(x.rule()).append("\" ");
        }
        if (x.chain() != null) {
            sb.append("chain=").append(x.chain()).append(' ');
        }
        if (x.node() != null) {
            sb.append("node=").append(x.node()).append(' ');
        }
        if (x.target() != null) {
            sb.append("target=").append(x.target()).append(' ');
        }
        if (x.delta() != null) {
            sb.append("delta=").append(x.delta()).append(' ');
        }
        if (x.verdict() != null) {
            sb.append("verdict=").append(x.verdict()).append(' ');
        }
        if (x.size() != null) {
            sb.append("size=").append(x.size()).append(' ');
        }
        if (x.reason() != null) {
            sb.append("reason~\"").append(x.reason()).append("\" ");
        }
        if (x.why() != null) {
            sb.append("why~\"").append(x.why()).append("\" ");
        }
        return sb.toString().trim();
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static int nz(Integer i, int d) {
        return i == null ? d : i;
    }
}
