package io.rulescaler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric trace to replay: rows of (time offset, demand, other metrics). CSV with a header
 * ({@code time,demand[,metric…]}) or a JSON array of objects with the same keys. {@code time} is an
 * offset ({@code 90s}, {@code 5m}, seconds) or an ISO instant; demand is in node-equivalents of work.
 */
public record Trace(List<Row> rows) {

    /** Longest trace: a simulation of more than a year is a mistake in the time column. */
    static final Duration MAX_SPAN = Duration.ofDays(366);

    /** One point of the trace. */
    public record Row(Duration at, double demand, Map<String, Double> metrics) {
    }

    /**
     * Reads a trace; a bad one throws {@link IllegalArgumentException} whose message starts with the
     * line at fault ({@code "3: ..."}), so the command can print {@code file:line: message}.
     */
    public static Trace read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("1: the trace is not UTF-8 text");
        }
        List<Row> rows = file.toString().endsWith(".json") ? json(text) : csv(text);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("1: the trace has no rows");
        }
        return new Trace(rows);
    }

    static List<Row> csv(String text) {
        List<Row> rows = new ArrayList<>();
        String[] header = null;
        Instant first = null;
        int n = 0;
        for (String raw : text.split("\r?\n")) {
            n++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\\s*,\\s*");
            if (header == null) {
                header = cells;
                if (!"time".equals(header[0]) || !List.of(header).contains("demand")) {
                    throw new IllegalArgumentException(n + ": the header must start with 'time' and have a 'demand' column");
                }
                if (new java.util.HashSet<>(List.of(header)).size() != header.length) {
                    throw new IllegalArgumentException(n + ": a column name is used twice in the header");
                }
                continue;
            }
            if (cells.length != header.length) {
                throw new IllegalArgumentException(n + ": " + cells.length + " cells, the header has " + header.length);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            double demand = 0;
            for (int i = 1; i < cells.length; i++) {
                double v;
                try {
                    v = Double.parseDouble(cells[i]);
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                if (!Double.isFinite(v) || "demand".equals(header[i]) && v < 0) {
                    throw new IllegalArgumentException(n + ": column " + header[i] + ": '" + cells[i]
                            + "' is not a finite number" + ("demand".equals(header[i]) ? " of 0 or more" : ""));
                }
                if ("demand".equals(header[i])) {
                    demand = v;
                } else {
                    metrics.put(header[i], v);
                }
            }
            Duration at;
            try {
                if (cells[0].contains("T")) {
                    Instant t = Instant.parse(cells[0]);
                    first = first == null ? t : first;
                    at = Duration.between(first, t);
                } else {
                    at = Durations.parse(cells[0]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(n + ": time '" + cells[0] + "' is neither an offset (90s, 5m) nor an ISO instant");
            }
            if (at.isNegative() || at.compareTo(MAX_SPAN) > 0) {
                throw new IllegalArgumentException(n + ": time '" + cells[0] + "' is outside 0 to " + MAX_SPAN.toDays() + " days from the first row");
            }
            if (!rows.isEmpty() && at.compareTo(rows.get(rows.size() - 1).at()) < 0) {
                throw new IllegalArgumentException(n + ": time '" + cells[0] + "' goes back before the previous row");
            }
            rows.add(new Row(at, demand, metrics));
        }
        return rows;
    }

    static List<Row> json(String text) throws IOException {
        List<Row> rows = new ArrayList<>();
        JsonNode arr;
        try {
            arr = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(Math.max(1, e.getLocation() == null ? 1 : e.getLocation().getLineNr())
                    + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("1: a JSON trace is an array of {\"time\": ..., \"demand\": ...} objects");
        }
        for (JsonNode o : arr) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("time") && !e.getKey().equals("demand")) {
                    metrics.put(e.getKey(), e.getValue().asDouble());
                }
            }
            rows.add(new Row(Durations.parse(o.path("time").asText("0s")), o.path("demand").asDouble(), metrics));
        }
        return rows;
    }
}
