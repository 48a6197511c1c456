package io.rulescaler.console;

import static io.restassured.RestAssured.given;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * grafana/rulescaler.json cannot rot silently: after a short scenario (a scale on the stub
 * provider, an alert, samples, a reconciliation) every metric its queries name is in /q/metrics.
 */
@QuarkusTest
class GrafanaDashboardTest {

    /** A metric name right before a label selector, or the first argument of label_values(). */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{|label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana/rulescaler.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("query").isObject()) {
                queries.add(v.path("query").path("query").asText());
            }
        });
        Set<String> names = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            boolean any = false;
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : m.group(2));
                any = true;
            }
            assertTrue(any, "no metric name found in query: " + q);
        }
        assertTrue(names.size() >= 20, names.toString());
        Set<String> variables = new TreeSet<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.containsAll(Set.of("instance", "cluster")), variables.toString());

        scenario();
        // an ended operation is counted right after its commit: give the scrape a few tries
        Set<String> missing = new TreeSet<>(names);
        for (int attempt = 0; attempt < 20 && !missing.isEmpty(); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 500);
            missing = new TreeSet<>(names);
            missing.removeAll(exported());
        }
        assertEquals(Set.of(), missing, "queried by grafana/rulescaler.json but not in /q/metrics");
    }

    private static Set<String> exported() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        return exported;
    }

    /** Decisions, an operation on the stub provider, an alert, samples, a reconciliation. */
    private static void scenario() throws InterruptedException {
        String c = ConsoleFixtures.unique("graf");
        ConsoleFixtures.cluster(c, 3, null);
        long op = asAdmin().contentType("application/json").body(Map.of("target", 1, "reason", "dashboard scenario"))
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202).extract().jsonPath().getLong("scaleRequestId");
        assertTrue(op > 0);
        String webhook = ConsoleFixtures.token("webhook");
        String fp = Long.toHexString(System.nanoTime());
        String alert = """
                {"receiver":"rulescaler","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DashLoad","cluster":"%1$s"},\
                "annotations":{},"startsAt":"2026-01-05T08:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%2$s"}],\
                "groupLabels":{},"commonLabels":{"cluster":"%1$s"},"commonAnnotations":{},"externalURL":"","version":"4","groupKey":"{}",\
                "truncatedAlerts":0}
                """.formatted(c, fp);
        as(webhook).contentType("application/json").body(alert).post("/api/v1/alerts/prometheus").then().statusCode(200);
        as(webhook).contentType("application/json")
                .body(Map.of("samples", List.of(Map.of("cluster", c, "metric", "cpu", "value", 50.0))))
                .post("/api/v1/samples").then().statusCode(202);
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        List<Map<String, Object>> ops;
        do {
            Thread.sleep(250);
            ops = asAdmin().get("/api/v1/operations?cluster=" + c).then().statusCode(200).extract().jsonPath().getList("$");
        } while (Instant.now().isBefore(end) && (ops.isEmpty() || !Set.of("succeeded", "failed", "cancelled").contains(ops.get(0).get("state"))));
        assertFalse(ops.isEmpty(), "the scale started an operation");
        asAdmin().post("/api/v1/clusters/" + c + "/reconciliation").then().statusCode(200);

        // a rule that re-fires itself is cut by the firing cap (runaway); a broken save fails a reload
        String set = ConsoleFixtures.unique("spin").replace('-', '_');
        String spin = """
                package io.rulescaler.rules.spin;
                import io.rulescaler.capacity.fact.*;
                rule "spin"
                when
                    $s : Sample( metric == "spin" )
                then
                    update( $s );
                end
                """;
        asAdmin().contentType("text/plain").body(spin).put("/api/v1/rules/" + set + "/spin.drl").then().statusCode(200);
        asAdmin().contentType("text/plain").body(spin.replace("end", "")).put("/api/v1/rules/" + set + "/spin.drl").then().statusCode(400);
        String s = ConsoleFixtures.unique("grafspin");
        ConsoleFixtures.cluster(s, 3, "ruleSet: " + set + "\ndryRun: true\n");
        as(webhook).contentType("application/json")
                .body(Map.of("samples", List.of(Map.of("cluster", s, "metric", "spin", "value", 1.0))))
                .post("/api/v1/samples").then().statusCode(202);
    }
}
