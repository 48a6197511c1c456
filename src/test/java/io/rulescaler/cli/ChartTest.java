package io.rulescaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleSets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart tells the truth: its tick labels sit where the values they name are plotted. */
class ChartTest {

    static final Pattern TICK = Pattern.compile("<text class=\"(xtick|ytick)\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*>([^<]+)</text>");
    static final Pattern POINT = Pattern.compile("[ML]([0-9.]+),([0-9.]+)");
    static final List<Long> ROUND_SECONDS = List.of(10L, 15L, 30L, 60L, 120L, 300L, 600L, 900L, 1800L, 3600L, 7200L, 10800L, 21600L);

    static Simulation.Run run(String set, String trace) throws Exception {
        CompiledRules rules = RuleCompiler.compile(set, RuleSets.shipped().get(set));
        Simulation.Settings cfg = new Simulation.Settings(1, 10, 1, 1.0, null, Duration.ofMinutes(3), 60, 300, 300, null,
                Instant.parse("2026-01-05T06:00:00Z"));
        return Simulation.run(set, rules, Trace.read(Path.of(trace)), cfg, false);
    }

    /** A straight line through the ticks: value to pixel, checked to hold for every tick. */
    record Axis(double offset, double scale) {
        double at(double v) {
            return offset + scale * v;
        }

        static Axis fit(Map<Double, Double> ticks) {
            List<Map.Entry<Double, Double>> e = new ArrayList<>(ticks.entrySet());
            Map.Entry<Double, Double> a = e.get(0);
            Map.Entry<Double, Double> b = e.get(e.size() - 1);
            double scale = (b.getValue() - a.getValue()) / (b.getKey() - a.getKey());
            Axis axis = new Axis(a.getValue() - scale * a.getKey(), scale);
            ticks.forEach((v, px) -> assertEquals(axis.at(v), px, 0.15, "tick " + v + " off the line"));
            return axis;
        }
    }

    @Test
    void ticksAreIntegersAndRoundTimesWherePlottedValuesFall() throws Exception {
        Simulation.Run step = run("step", "rules-tests/traces/constant-demand.csv");
        Simulation.Run tracker = run("default", "rules-tests/traces/constant-demand.csv");
        String svg = Chart.svg(List.of(tracker, step), "constant demand", 1.0);

        Map<Double, Double> y = new TreeMap<>();
        Map<Double, Double> x = new TreeMap<>();
        Matcher m = TICK.matcher(svg);
        while (m.find()) {
            if (m.group(1).equals("ytick")) {
                assertTrue(m.group(4).matches("\\d+"), "node ticks are integers: " + m.group(4));
                y.put(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(3)));
            } else {
                x.put((double) Durations.parse(m.group(4)).toSeconds(), Double.parseDouble(m.group(2)));
            }
        }
        assertTrue(y.size() >= 3 && x.size() >= 3, svg);
        List<Double> yValues = new ArrayList<>(y.keySet());
        double yStep = yValues.get(1) - yValues.get(0);
        assertEquals(0, yValues.get(0));
        assertTrue(Set.of(1.0, 2.0, 5.0, 10.0).contains(yStep), "node step " + yStep);
        List<Double> xValues = new ArrayList<>(x.keySet());
        long xStep = (long) (xValues.get(1) - xValues.get(0));
        assertTrue(ROUND_SECONDS.contains(xStep), "round time step " + xStep + "s: " + xValues);
        for (int i = 0; i < xValues.size(); i++) {
            assertEquals(i * xStep, xValues.get(i), 1e-9, "time ticks at multiples of the step");
        }
        for (int i = 0; i < yValues.size(); i++) {
            assertEquals(i * yStep, yValues.get(i), 1e-9, "node ticks at multiples of the step");
        }
        Axis yAxis = Axis.fit(y);
        Axis xAxis = Axis.fit(x);

        // demand: one point per row, at the row's time and value
        List<double[]> demand = points(svg, "demand");
        assertEquals(tracker.points().size(), demand.size());
        for (int i = 0; i < demand.size(); i++) {
            Simulation.Point p = tracker.points().get(i);
            assertEquals(xAxis.at(p.at().toSeconds()), demand.get(i)[0], 0.15, "x of row " + i);
            assertEquals(yAxis.at(p.demand()), demand.get(i)[1], 0.15, "y of row " + i);
        }
        // active nodes: a step line whose levels are exactly the integer ticks of the sizes it held
        for (int run = 0; run < 2; run++) {
            Simulation.Run r = run == 0 ? tracker : step;
            Set<Long> levels = new HashSet<>();
            for (double[] pt : points(svg, "active run-" + run)) {
                levels.add(Math.round(pt[1] * 10));
            }
            Set<Long> expected = new HashSet<>();
            r.points().forEach(p -> expected.add(Math.round(yAxis.at(p.active()) * 10)));
            assertEquals(expected, levels, "levels of run " + run);
        }
        // a line of 1 node is drawn on the "1" label (if the axis labels 1)
        if (y.containsKey(1.0)) {
            assertEquals(y.get(1.0), yAxis.at(1), 0.15);
        }
        // legend names both rule sets, markers for accepted decisions exist
        assertTrue(svg.contains("active nodes: default") && svg.contains("active nodes: step"), svg);
        assertTrue(svg.contains("class=\"accepted run-0\"") && svg.contains("class=\"accepted run-1\""), svg);
        // the image ends just below its legend
        int height = Integer.parseInt(svg.replaceAll("(?s)^<svg[^>]* height=\"(\\d+)\".*", "$1"));
        double lowest = 0;
        Matcher ys = Pattern.compile(" y=\"([0-9.]+)\"").matcher(svg);
        while (ys.find()) {
            lowest = Math.max(lowest, Double.parseDouble(ys.group(1)));
        }
        assertTrue(height - lowest < 20, "height " + height + ", lowest text at " + lowest);
    }

    @Test
    void stepsAreIntegerAndRound() {
        assertEquals(1, Chart.nodeStep(6));
        assertEquals(2, Chart.nodeStep(9));
        assertEquals(5, Chart.nodeStep(30));
        assertEquals(10, Chart.nodeStep(70));
        assertEquals(600, Chart.timeStep(3600));
        assertEquals(600, Chart.timeStep(5400));
        assertEquals(900, Chart.timeStep(7200));
        assertEquals(300, Chart.timeStep(1500));
        assertEquals(30, Chart.timeStep(240));
    }

    static List<double[]> points(String svg, String cls) {
        Matcher p = Pattern.compile("<path class=\"" + Pattern.quote(cls) + "\" d=\"([^\"]+)\"").matcher(svg);
        assertTrue(p.find(), "no path " + cls);
        List<double[]> out = new ArrayList<>();
        Matcher pt = POINT.matcher(p.group(1));
        while (pt.find()) {
            out.add(new double[] {Double.parseDouble(pt.group(1)), Double.parseDouble(pt.group(2))});
        }
        return out;
    }
}
