package io.rulescaler.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a person choosing between rule sets wants to know about one run, computed the same way
 * for the table, the comparison and {@code --json}: cost (node-hours), harm (time under capacity),
 * size (peak nodes, largest overshoot) and churn (operations).
 *
 * @param nodeHours        active and provisioning nodes over time (what is paid for)
 * @param underCapacity    time the demand exceeded what the active nodes serve
 * @param peakNodes        most active + provisioning nodes at once
 * @param operations       scale changes the guard acted on
 * @param refused          decisions the guard refused
 * @param largestOvershoot most nodes above what the demand needs at full use ({@code ceil(demand / node
 *                         capacity)}, at least min), taking the highest demand of the last {@code settle}
 *                         (stabilisation + provisioning delay), so a scale-in that waits as the guard
 *                         asks is not counted as overshoot
 * @param finalNodes       active nodes at the end of the trace
 * @param chainRuns        chain runs rules asked for that the chain guard let start
 * @param chainRunsRefused chain runs rules asked for that the chain guard refused
 */
record SimulationSummary(String ruleSet, double nodeHours, Duration underCapacity, int peakNodes, int operations, int refused,
                         int largestOvershoot, int finalNodes, Duration length, int runaways, int chainRuns, int chainRunsRefused) {

    static SimulationSummary of(Simulation.Run run, double nodeCapacity, int min, java.time.Duration settle) {
        List<Simulation.Point> points = run.points();
        double nodeSeconds = 0;
        double shortSeconds = 0;
        int peak = 0;
        int overshoot = 0;
        for (int i = 0; i < points.size(); i++) {
            Simulation.Point p = points.get(i);
            if (i + 1 < points.size()) {
                double dt = points.get(i + 1).at().minus(p.at()).toMillis() / 1000.0;
                nodeSeconds += (p.active() + p.pending()) * dt;
                if (p.demand() > p.active() * nodeCapacity + 1e-9) {
                    shortSeconds += dt;
                }
            }
            peak = Math.max(peak, p.active() + p.pending());
            double recent = p.demand();
            for (int j = i; j >= 0 && !points.get(j).at().plus(settle).isNegative() && points.get(j).at().plus(settle).compareTo(p.at()) >= 0; j--) {
                recent = Math.max(recent, points.get(j).demand());
            }
            int needed = Math.max(min, (int) Math.ceil(recent / nodeCapacity - 1e-9));
            overshoot = Math.max(overshoot, p.active() + p.pending() - needed);
        }
        int operations = (int) run.marks().stream().filter(Simulation.Mark::acted).count();
        Simulation.Point last = points.get(points.size() - 1);
        int chains = (int) run.chainRuns().stream().filter(Simulation.ChainMark::accepted).count();
        return new SimulationSummary(run.ruleSet(), nodeSeconds / 3600, Duration.ofMillis((long) (shortSeconds * 1000)), peak,
                operations, run.marks().size() - operations, overshoot, last.active(), last.at(), run.runaways(), chains,
                run.chainRuns().size() - chains);
    }

    /** One line, as printed under the table. */
    String line() {
        return String.format(java.util.Locale.ROOT,
                "summary: %d operation(s), peak %d node(s), %.2f node-hours, under capacity for %s of %s, "
                        + "largest overshoot %d node(s), %d node(s) at the end%s%s (rule set %s)",
                operations, peakNodes, nodeHours, Durations.format(underCapacity), Durations.format(length), largestOvershoot,
                finalNodes, chainRuns + chainRunsRefused > 0 ? ", " + chainRuns + " chain run(s) started, " + chainRunsRefused
                        + " refused" : "", runaways > 0 ? ", " + runaways + " RUNAWAY evaluation(s)" : "", ruleSet);
    }

    /** The same values for {@code --json} (durations in seconds). */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleSet", ruleSet);
        m.put("nodeHours", Math.round(nodeHours * 1000) / 1000.0);
        m.put("underCapacitySeconds", underCapacity.toSeconds());
        m.put("peakNodes", peakNodes);
        m.put("operations", operations);
        m.put("refused", refused);
        m.put("largestOvershoot", largestOvershoot);
        m.put("finalNodes", finalNodes);
        m.put("lengthSeconds", length.toSeconds());
        m.put("runawayEvaluations", runaways);
        m.put("chainRuns", chainRuns);
        m.put("chainRunsRefused", chainRunsRefused);
        return m;
    }

    /** The comparison table of {@code --compare}: one column per run. */
    static String table(List<SimulationSummary> runs) {
        String[] names = {"node-hours", "time under capacity", "peak nodes", "operations", "largest overshoot (nodes)", "nodes at the end"};
        StringBuilder sb = new StringBuilder(String.format("%-26s", ""));
        runs.forEach(r -> sb.append(String.format(" %14s", r.ruleSet())));
        sb.append('\n');
        for (String n : names) {
            sb.append(String.format("%-26s", n));
            for (SimulationSummary r : runs) {
                String v = switch (n) {
                    case "node-hours" -> String.format(java.util.Locale.ROOT, "%.2f", r.nodeHours());
                    case "time under capacity" -> Durations.format(r.underCapacity());
                    case "peak nodes" -> String.valueOf(r.peakNodes());
                    case "operations" -> String.valueOf(r.operations());
                    case "largest overshoot (nodes)" -> String.valueOf(r.largestOvershoot());
                    default -> String.valueOf(r.finalNodes());
                };
                sb.append(String.format(" %14s", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
