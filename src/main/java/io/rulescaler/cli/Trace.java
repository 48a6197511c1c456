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

    /** One point of the trace. */
    public record Row(Duration at, double demand, Map<String, Double> metrics) {
    }

    public static Trace read(Path file) throws IOException {
        String text = Files.readString(file);
        List<Row> rows = file.toString().endsWith(".json") ? json(text) : csv(text);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": the trace has no rows");
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
                    throw new IllegalArgumentException("line " + n + ": the header must start with 'time' and have a 'demand' column");
                }
                continue;
            }
            if (cells.length != header.length) {
                throw new IllegalArgumentException("line " + n + ": " + cells.length + " cells, the header has " + header.length);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            double demand = 0;
            for (int i = 1; i < cells.length; i++) {
                double v;
                try {
                    v = Double.parseDouble(cells[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + n + ", column " + header[i] + ": not a number: " + cells[i]);
                }
                if ("demand".equals(header[i])) {
                    demand = v;
                } else {
                    metrics.put(header[i], v);
                }
            }
            Duration at;
            if (cells[0].contains("T")) {
                Instant t = Instant.parse(cells[0]);
                first = first == null ? t : first;
                at = Duration.between(first, t);
            } else {
                at = Durations.parse(cells[0]);
            }
            rows.add(new Row(at, demand, metrics));
        }
        return rows;
    }

    static List<Row> json(String text) throws IOException {
        List<Row> rows = new ArrayList<>();
        JsonNode arr = new ObjectMapper().readTree(text);
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
