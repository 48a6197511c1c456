package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.capacity.fact.ClusterParameters;
import io.rulescaler.capacity.fact.MetricTarget;
import io.rulescaler.signal.AlertWebhookTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cluster's rule session holds its spec's parameters as ClusterParameters, replaced when the spec changes (the default
 * set's cpu target follows {@code target.cpu}); "why" lists the cluster's recent chain runs with their verdicts, and the
 * capacity chart marks them.
 */
@QuarkusTest
class ParametersAndWhyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    ClusterSessions sessions;

    private List<Object> facts(String c) {
        try {
            return sessions.facts(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private ClusterParameters parameters(String c) {
        return facts(c).stream().filter(ClusterParameters.class::isInstance).map(ClusterParameters.class::cast).findFirst().orElse(null);
    }

    private Double cpuTarget(String c) {
        return facts(c).stream().filter(o -> o instanceof MetricTarget t && t.getMetric().equals("cpu"))
                .map(o -> ((MetricTarget) o).getValue()).findFirst().orElse(null);
    }

    @Test
    void theSessionSeesTheSpecsParametersAndTheirChanges() {
        String c = unique("params-fact");
        String yaml = "name: " + c + "\nprovider: stub\nsize: {min: 0, max: 3, desired: 0}\nruleSet: default\n";
        asAdmin().contentType("application/yaml").body(yaml + "parameters: {target.cpu: \"75\", team: shop}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(201);
        sessions.evaluateAll().join();
        await("the parameters in the session", WAIT, () -> parameters(c) != null && "75".equals(parameters(c).get("target.cpu")));
        assertEquals(Map.of("target.cpu", "75", "team", "shop"), parameters(c).getValues());
        await("the cpu target from target.cpu", WAIT, () -> Double.valueOf(75.0).equals(cpuTarget(c)));

        asAdmin().contentType("application/yaml").body(yaml + "parameters: {target.cpu: \"50\"}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(200);
        await("the changed parameters", WAIT, () -> Map.of("target.cpu", "50").equals(parameters(c).getValues()));
        await("the cpu target follows", WAIT, () -> Double.valueOf(50.0).equals(cpuTarget(c)));
        assertEquals(1, facts(c).stream().filter(o -> o instanceof MetricTarget t && t.getMetric().equals("cpu")).count(),
                "the old target was taken back");

        asAdmin().contentType("application/yaml").body(yaml).put("/api/v1/clusters/" + c).then().statusCode(200);
        await("no parameters: an empty fact, the default target", WAIT,
                () -> parameters(c).getValues().isEmpty() && Double.valueOf(60.0).equals(cpuTarget(c)));
    }

    @Test
    void whyListsRecentChainRunsWithTheirVerdicts() {
        String c = unique("why-runs");
        cluster(c, 1, 1, 1, "recipients: [" + c + "@example.com]\nruleSet: default");
        String webhook = token("webhook");
        as(webhook).contentType("application/json").body(AlertWebhookTest.payload(c, "firing", "fp-" + c, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200);
        await("the accepted notify run in why, its operation done", WAIT, () -> {
            List<Map<String, Object>> runs = why(c).getList("chainRuns");
            return runs != null && runs.size() == 1 && "accepted".equals(runs.get(0).get("verdict"))
                    && "succeeded".equals(runs.get(0).get("status"));
        });
        as(webhook).contentType("application/json").body(AlertWebhookTest.payload(c, "firing", "fp2-" + c, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200);
        await("the refused run in why", WAIT, () -> why(c).getList("chainRuns").size() == 2);
        JsonPath why = why(c);
        List<Map<String, Object>> runs = why.getList("chainRuns");
        assertEquals("refused", runs.get(0).get("verdict"), runs.toString());
        assertTrue(runs.get(0).get("why").toString().contains("cooldown"), runs.toString());
        assertEquals("at max and still hot: mail the on-call", runs.get(0).get("rule"));
        assertEquals("accepted", runs.get(1).get("verdict"));
        String text = why.getString("text");
        assertTrue(text.contains("Recent chain runs (newest first): 'notify' asked by rule 'at max and still hot: mail the on-call'")
                && text.contains(": refused, chain 'notify' cooldown for the cluster until")
                && text.contains(": accepted, run chain 'notify' for the cluster [succeeded, operation "),
                text);
        // the console's capacity chart marks both, oldest first
        List<Map<String, Object>> marks = asAdmin().get("/api/v1/clusters/" + c + "/capacity?window=1h").then().statusCode(200)
                .extract().jsonPath().getList("chainRuns");
        assertEquals(List.of("accepted", "refused"), marks.stream().map(m -> m.get("verdict")).toList(), marks.toString());
        assertEquals("notify", marks.get(0).get("chain"));
        assertEquals("succeeded", marks.get(0).get("status"));
        assertEquals("refused", marks.get(1).get("status"));
    }

    private static JsonPath why(String c) {
        return asAdmin().get("/api/v1/clusters/" + c + "/why").then().statusCode(200).extract().jsonPath();
    }
}
