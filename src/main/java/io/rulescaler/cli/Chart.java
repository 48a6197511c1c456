package io.rulescaler.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws one or more simulation runs of the same trace as a small self-contained SVG: demand (in
 * nodes), each run's active nodes and desired size, and a marker per decision (filled: the guard
 * acted on it; hollow: refused). Node ticks are integers, time ticks round (10 s … 30 min, 1 h …),
 * the image is as tall as its plot and legend, and the legend names each rule set.
 */
final class Chart {

    static final int WIDTH = 900;
    static final int LEFT = 56;
    static final int RIGHT = 24;
    static final int TOP = 40;
    static final int PLOT_HEIGHT = 280;
    private static final long[] TIME_STEPS = {10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    private static final String DEMAND = "#d62728";
    private static final String[] RUN_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};

    private final double tMax;
    private final double yMax;

    private Chart(double tMax, double yMax) {
        this.tMax = tMax;
        this.yMax = yMax;
    }

    static String svg(List<Simulation.Run> runs, String title, double nodeCapacity) {
        List<Simulation.Point> first = runs.get(0).points();
        double tEnd = Math.max(1, first.get(first.size() - 1).at().toMillis() / 1000.0);
        double top = 1;
        for (Simulation.Run r : runs) {
            for (Simulation.Point p : r.points()) {
                top = Math.max(top, Math.max(p.demand() / nodeCapacity, Math.max(p.active() + p.pending(), p.desired())));
            }
            for (Simulation.Mark m : r.marks()) {
                top = Math.max(top, m.asked());
            }
        }
        int yStep = nodeStep(top);
        Chart c = new Chart(tEnd, (Math.floor(top / yStep) + 1) * yStep);
        return c.draw(runs, title, nodeCapacity, yStep);
    }

    /** The integer node step that keeps the y axis at eight ticks or fewer: 1, 2, 5, 10, 20, 50 … */
    static int nodeStep(double top) {
        int[] base = {1, 2, 5};
        for (int scale = 1; ; scale *= 10) {
            for (int b : base) {
                if (top / (b * scale) <= 8) {
                    return b * scale;
                }
            }
        }
    }

    /** The round time step (seconds) that keeps the x axis at ten ticks or fewer. */
    static long timeStep(double seconds) {
        for (long s : TIME_STEPS) {
            if (seconds / s <= 10) {
                return s;
            }
        }
        long day = 86400;
        return day * (long) Math.ceil(seconds / day / 10);
    }

    private String draw(List<Simulation.Run> runs, String title, double nodeCapacity, int yStep) {
        List<String[]> legend = new ArrayList<>();
        legend.add(new String[] {"line", DEMAND, "", "demand (nodes of work)"});
        for (int i = 0; i < runs.size(); i++) {
            String colour = RUN_COLOURS[i % RUN_COLOURS.length];
            legend.add(new String[] {"line", colour, "", "active nodes: " + runs.get(i).ruleSet()});
            legend.add(new String[] {"line", colour, "5,4", "desired (guarded): " + runs.get(i).ruleSet()});
        }
        legend.add(new String[] {"accepted", "#444", "", "decision the guard acted on (up: out, down: in)"});
        legend.add(new String[] {"refused", "#444", "", "decision refused (at the size asked)"});
        if (runs.stream().anyMatch(r -> !r.chainRuns().isEmpty())) {
            legend.add(new String[] {"chain", "#444", "", "chain run a rule asked for (top; filled: started, hollow: refused)"});
        }
        int legendRows = (legend.size() + 1) / 2;
        int height = TOP + PLOT_HEIGHT + 40 + (legendRows - 1) * 18 + 10;
        StringBuilder sb = new StringBuilder();
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height, WIDTH, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(f("<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        sb.append(f("<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">nodes</text>%n",
                TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2));
        for (int v = 0; v <= yMax; v += yStep) {
            double y = y(v);
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n", LEFT, y, WIDTH - RIGHT, y));
            sb.append(f("<text class=\"ytick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%d</text>%n",
                    LEFT - 6, y, v));
        }
        long tStep = timeStep(tMax);
        for (long t = 0; t <= tMax + 1e-6; t += tStep) {
            double x = x(t);
            sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>%n", x, TOP, x, TOP + PLOT_HEIGHT));
            sb.append(f("<text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + PLOT_HEIGHT + 16,
                    Durations.format(Duration.ofSeconds(t))));
        }
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + PLOT_HEIGHT, WIDTH - RIGHT, TOP + PLOT_HEIGHT));
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, TOP + PLOT_HEIGHT));
        sb.append(path(runs.get(0).points(), p -> p.demand() / nodeCapacity, "demand", DEMAND, "", false));
        for (int i = 0; i < runs.size(); i++) {
            String colour = RUN_COLOURS[i % RUN_COLOURS.length];
            sb.append(path(runs.get(i).points(), p -> p.desired(), "desired run-" + i, colour, "5,4", true));
            sb.append(path(runs.get(i).points(), p -> p.active(), "active run-" + i, colour, "", true));
            for (Simulation.Mark m : runs.get(i).marks()) {
                sb.append(marker(m, colour, i));
            }
            for (Simulation.ChainMark m : runs.get(i).chainRuns()) {
                sb.append(chainMarker(m, colour, i));
            }
        }
        int ly = TOP + PLOT_HEIGHT + 40;
        for (int i = 0; i < legend.size(); i++) {
            int lx = LEFT + (i % 2) * 420;
            int row = ly + (i / 2) * 18;
            String[] l = legend.get(i);
            switch (l[0]) {
                case "accepted" -> sb.append(triangle(lx + 10, row, true, l[1], ""));
                case "chain" -> sb.append(diamond(lx + 10, row - 4, l[1], true, ""));
                case "refused" -> sb.append(f("<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"white\" stroke=\"%s\"/>%n", lx + 10, row - 4, l[1]));
                default -> sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", lx, row - 4,
                        lx + 20, row - 4, l[1], l[2].isEmpty() ? "" : " stroke-dasharray=\"" + l[2] + "\""));
            }
            sb.append(f("<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>%n", lx + 28, row, escape(l[3])));
        }
        return sb.append("</svg>\n").toString();
    }

    private String marker(Simulation.Mark m, String colour, int run) {
        double x = x(m.at().toMillis() / 1000.0);
        if (!m.acted()) {
            return f("<circle class=\"refused run-%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"white\" stroke=\"%s\"><title>%s asked %d: refused</title></circle>%n",
                    run, x, y(m.asked()), colour, escape(m.rule()), m.asked());
        }
        return triangle(x, y(m.size()), m.size() > m.from(), colour,
                f(" class=\"accepted run-%d\"><title>%s: %d to %d</title></path>", run, escape(m.rule()), m.from(), m.size()));
    }

    /** A chain run: a diamond along the top of the plot, one row per run, with the rule, chain and verdict as its title. */
    private String chainMarker(Simulation.ChainMark m, String colour, int run) {
        double x = x(m.at().toMillis() / 1000.0);
        double y = TOP + 6 + 10 * run;
        return diamond(x, y, colour, m.accepted(), f(" class=\"chain %s run-%d\"><title>%s: chain %s%s %s (%s)</title></path>",
                m.accepted() ? "accepted" : "refused", run, escape(m.rule()), escape(m.chain()),
                m.node() == null ? "" : " on " + escape(m.node()), m.accepted() ? "started" : "refused", escape(m.why())));
    }

    /** A diamond centred on (x, y), filled or hollow; {@code tail} closes the element. */
    private static String diamond(double x, double y, String colour, boolean filled, String tail) {
        return f("<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\" stroke=\"%s\"%s%n", x, y - 5, x + 4, y, x, y + 5,
                x - 4, y, filled ? colour : "white", colour, tail.isEmpty() ? "/>" : tail);
    }

    /** A triangle with its base on (x, y), pointing up or down; {@code tail} closes the element. */
    private static String triangle(double x, double y, boolean up, String colour, String tail) {
        double h = up ? -7 : 7;
        return f("<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\"%s%n", x, y + h, x - 4.5, y, x + 4.5, y, colour,
                tail.isEmpty() ? "/>" : tail);
    }

    private String path(List<Simulation.Point> points, ToDoubleFunction<Simulation.Point> value, String cls, String colour, String dash,
                        boolean steps) {
        StringBuilder d = new StringBuilder();
        double prevY = 0;
        for (Simulation.Point p : points) {
            double x = x(p.at().toMillis() / 1000.0);
            double y = y(value.applyAsDouble(p));
            if (d.isEmpty()) {
                d.append(f("M%.1f,%.1f", x, y));
            } else if (steps) {
                d.append(f(" L%.1f,%.1f L%.1f,%.1f", x, prevY, x, y));
            } else {
                d.append(f(" L%.1f,%.1f", x, y));
            }
            prevY = y;
        }
        return f("<path class=\"%s\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", cls, d, colour,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    double x(double seconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * seconds / tMax;
    }

    double y(double nodes) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * nodes / yMax;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
