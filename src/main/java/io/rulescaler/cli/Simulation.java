package io.rulescaler.cli;

import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.FiredChain;
import io.rulescaler.capacity.engine.FiredDecision;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.guard.ChainGuard;
import io.rulescaler.capacity.guard.GuardPolicy;
import io.rulescaler.capacity.guard.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One replay of a trace through one rule set and the guard against a simulated cluster whose new
 * nodes become active after a provisioning delay; {@code simulate} runs one or two of them (with
 * {@code --compare}) on the same settings, so their results can be set side by side.
 *
 * <p>At each trace row the simulated cluster emits the samples the rules see: {@code cpu} =
 * demand / (active nodes × node capacity) × 100 (capped at {@code cpuCap} when one is given),
 * {@code demand}, and every other column of the trace as a metric of that name.
 */
final class Simulation {

    /** The simulated cluster and guard, shared by every run of one {@code simulate}. */
    record Settings(int min, int max, int desired, double nodeCapacity, Double cpuCap, Duration provisioning, int outCooldown,
                    int inCooldown, int stabilisation, Integer maxStep, Instant start) {
    }

    /** One simulated moment. */
    record Point(Duration at, double demand, int active, int pending, int desired, double cpu, String event) {
    }

    /** One decision a rule concluded, where the chart marks it: the size it asked for and whether the guard acted on it. */
    record Mark(Duration at, String rule, int from, int asked, int size, boolean acted) {
    }

    /** One chain run a rule asked for, where the chart marks it: whether the chain guard let it start, and why. */
    record ChainMark(Duration at, String rule, String chain, String node, boolean accepted, String why) {
    }

    /** What one run produced. */
    record Run(String ruleSet, List<Point> points, List<Mark> marks, int runaways, List<ChainMark> chainRuns) {
    }

    private Simulation() {
    }

    static Run run(String ruleSet, CompiledRules compiled, Trace t, Settings cfg, boolean describeRefusals) {
        return run(ruleSet, compiled, t, cfg, describeRefusals, Map.of(), OfflineChains.read(OfflineChains.DEFAULT_DIRECTORY));
    }

    /**
     * {@code parameters} are the simulated cluster's (its {@code ClusterParameters} fact and what chains
     * read); {@code chains} the chain files the chain guard judges rule requests against. The simulated
     * cluster has no node facts, so a request that names a node is refused.
     */
    static Run run(String ruleSet, CompiledRules compiled, Trace t, Settings cfg, boolean describeRefusals,
                   Map<String, String> parameters, OfflineChains chains) {
        OfflineChains chainGuard = chains.fresh();
        List<ChainMark> chainMarks = new ArrayList<>();
        GuardPolicy policy = new GuardPolicy(cfg.min(), cfg.max(), cfg.outCooldown(), cfg.inCooldown(), cfg.stabilisation(),
                cfg.maxStep(), null);
        OfflineCluster c = new OfflineCluster("sim", policy, cfg.desired());
        Instant t0 = cfg.start();
        int active = cfg.desired();
        int runaways = 0;
        List<Instant> pending = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        List<Mark> marks = new ArrayList<>();
        try (RuleSession s = new RuleSession("sim", compiled, SessionLimits.DEFAULT, t0)) {
            s.setParameters(parameters);
            for (Trace.Row row : t.rows()) {
                Instant now = t0.plus(row.at());
                s.advanceTo(now);
                int ready = (int) pending.stream().filter(p -> !p.isAfter(now)).count();
                pending.removeIf(p -> !p.isAfter(now));
                active += ready;
                s.setCluster(c.view(active, pending.size(), 0));
                double cpu = cpu(row.demand(), active, cfg);
                s.event(new Sample("sim", "cpu", Map.of(), cpu, now));
                s.event(new Sample("sim", "demand", Map.of(), row.demand(), now));
                for (Map.Entry<String, Double> m : row.metrics().entrySet()) {
                    s.event(new Sample("sim", m.getKey(), Map.of(), m.getValue(), now));
                }
                Evaluation e = s.evaluate();
                StringBuilder ev = new StringBuilder(ready > 0 ? ready + " node(s) active; " : "");
                for (FiredDecision d : e.decisions()) {
                    int from = c.desired;
                    int asked = d.decision().resolve(from);
                    Verdict v = c.judge(d, now);
                    marks.add(new Mark(row.at(), d.rule(), from, asked, v.acts() ? v.target() : asked, v.acts()));
                    if (v.acts()) {
                        ev.append('"').append(d.rule()).append("\" ").append(v.kind().name().toLowerCase())
                                .append(" -> ").append(v.target()).append("; ");
                        int have = active + pending.size();
                        for (int i = have; i < v.target(); i++) {
                            pending.add(now.plus(cfg.provisioning()));
                        }
                        for (int i = v.target(); i < have; i++) {
                            if (!pending.isEmpty()) {
                                pending.remove(pending.size() - 1);
                            } else {
                                active--;
                            }
                        }
                    } else if (describeRefusals) {
                        ev.append('"').append(d.rule()).append("\" ").append(v.kind().name().toLowerCase())
                                .append(" (").append(v.why().get(v.why().size() - 1)).append("); ");
                    }
                    s.setCluster(c.view(active, pending.size(), 0));
                }
                for (FiredChain fc : e.chainRuns()) {
                    ChainGuard.ChainVerdict cv = chainGuard.judge(fc, null, parameters, now, false, false);
                    chainMarks.add(new ChainMark(row.at(), fc.rule(), fc.run().getChain(), fc.run().getNode(), cv.accepted(),
                            cv.explanation()));
                    if (cv.accepted() || describeRefusals) {
                        ev.append("chain ").append(fc.run().getChain()).append(fc.run().getNode() == null ? "" : " on " + fc.run().getNode())
                                .append(cv.accepted() ? " started" : " refused (" + cv.explanation() + ")").append(" by \"")
                                .append(fc.rule()).append("\"; ");
                    }
                }
                if (e.runaway()) {
                    runaways++;
                    ev.append("RUNAWAY rules (").append(e.firings()).append(" firings); ");
                }
                points.add(new Point(row.at(), row.demand(), active, pending.size(), c.desired, cpu, ev.toString().trim()));
            }
        }
        return new Run(ruleSet, points, marks, runaways, List.copyOf(chainMarks));
    }

    static double cpu(double demand, int active, Settings cfg) {
        double cap = cfg.cpuCap() == null ? Double.MAX_VALUE : cfg.cpuCap();
        if (active == 0) {
            return demand > 0 ? Math.min(cap, 100.0 * demand / cfg.nodeCapacity()) : 0;
        }
        return Math.min(cap, 100.0 * demand / (active * cfg.nodeCapacity()));
    }
}
