package io.rulescaler.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Runs an instant PromQL query against Prometheus' HTTP API ({@code /api/v1/query}) and returns its points. */
@ApplicationScoped
public class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final SignalConfig config;

    public PrometheusClient(SignalConfig config) {
        this.config = config;
    }

    /** One point of a query result: its labels, value and time. */
    public record Point(Map<String, String> labels, double value, Instant at) {
    }

    /** Why a query gave nothing usable. */
    public static class QueryFailed extends Exception {
        public QueryFailed(String message) {
            super(message);
        }
    }

    /** The result of an instant query (vector or scalar); an error status, HTTP error or bad body throws. */
    @Timeout(10_000)
    @Retry(maxRetries = 1, delay = 200, retryOn = IOException.class)
    public List<Point> query(String baseUrl, String promql) throws QueryFailed, IOException {
        URI uri = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(config.poller().timeout()).GET().build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new QueryFailed("HTTP " + resp.statusCode() + " with a body that is not JSON");
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new QueryFailed("HTTP " + resp.statusCode() + ": " + body.path("errorType").asText() + " " + body.path("error").asText());
        }
        JsonNode data = body.path("data");
        List<Point> out = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector" -> {
                for (JsonNode r : data.path("result")) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    Iterator<Map.Entry<String, JsonNode>> it = r.path("metric").fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        labels.put(e.getKey(), e.getValue().asText());
                    }
                    out.add(point(labels, r.path("value")));
                }
            }
            case "scalar" -> out.add(point(Map.of(), data.path("result")));
            default -> throw new QueryFailed("result type " + data.path("resultType").asText() + " is not a vector or scalar");
        }
        return out;
    }

    private static Point point(Map<String, String> labels, JsonNode value) throws QueryFailed {
        try {
            double ts = value.get(0).asDouble();
            double v = Double.parseDouble(value.get(1).asText());
            return new Point(labels, v, Instant.ofEpochMilli((long) (ts * 1000)));
        } catch (RuntimeException e) {
            throw new QueryFailed("unreadable sample " + value);
        }
    }
}
