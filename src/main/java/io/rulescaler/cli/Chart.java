package io.rulescaler.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Draws the simulation as a small self-contained SVG: demand (in nodes), active nodes and desired size over time. */
final class Chart {

    private static final int W = 900;
    private static final int H = 360;
    private static final int PAD = 50;

    private Chart() {
    }

    static String svg(List<SimulateCommand.Point> points, String title, double nodeCapacity) {
        double tMax = Math.max(1, points.get(points.size() - 1).at().toSeconds());
        double yMax = 1;
        for (SimulateCommand.Point p : points) {
            yMax = Math.max(yMax, Math.max(p.demand() / nodeCapacity, Math.max(p.active() + p.pending(), p.desired())));
        }
        yMax = Math.ceil(yMax * 1.1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", PAD, escape(title)));
        // axes and grid
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", PAD, H - PAD, W - PAD, H - PAD));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", PAD, PAD, PAD, H - PAD));
        int ticks = 5;
        for (int i = 0; i <= ticks; i++) {
            double v = yMax * i / ticks;
            double y = y(v, yMax);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", PAD, y, W - PAD, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", PAD - 6, y + 4, v));
            double t = tMax * i / ticks;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x(t, tMax), H - PAD + 18,
                    Durations.format(java.time.Duration.ofSeconds((long) t))));
        }
        sb.append(line(points, p -> p.demand() / nodeCapacity, tMax, yMax, "#d62728", false));
        sb.append(line(points, p -> p.active(), tMax, yMax, "#1f77b4", true));
        sb.append(line(points, p -> p.desired(), tMax, yMax, "#2ca02c", true));
        String[][] legend = {{"#d62728", "demand (nodes of work)"}, {"#1f77b4", "active nodes"}, {"#2ca02c", "desired (guarded)"}};
        for (int i = 0; i < legend.length; i++) {
            int lx = W - PAD - 190;
            int ly = PAD + 4 + 18 * i;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", lx, ly - 10, legend[i][0]));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 18, ly, legend[i][1]));
        }
        return sb.append("</svg>\n").toString();
    }

    private static String line(List<SimulateCommand.Point> points, ToDoubleFunction<SimulateCommand.Point> f, double tMax, double yMax,
                               String color, boolean steps) {
        StringBuilder d = new StringBuilder();
        double prevY = -1;
        for (SimulateCommand.Point p : points) {
            double x = x(p.at().toSeconds(), tMax);
            double y = y(f.applyAsDouble(p), yMax);
            if (d.isEmpty()) {
                d.append(String.format(Locale.ROOT, "M%.1f,%.1f", x, y));
            } else if (steps) {
                d.append(String.format(Locale.ROOT, " L%.1f,%.1f L%.1f,%.1f", x, prevY, x, y));
            } else {
                d.append(String.format(Locale.ROOT, " L%.1f,%.1f", x, y));
            }
            prevY = y;
        }
        return String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", d, color);
    }

    private static double x(double t, double tMax) {
        return PAD + (W - 2.0 * PAD) * t / tMax;
    }

    private static double y(double v, double yMax) {
        return H - PAD - (H - 2.0 * PAD) * v / yMax;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
