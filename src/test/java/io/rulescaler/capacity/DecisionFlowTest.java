package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.handoff.ScaleRequestEntity;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Samples in, the shipped rules decide, the guard judges, the decision and its scale request are stored. */
@QuarkusTest
class DecisionFlowTest {

    /** The step cpu rule (shipped example set "step"): one node per decision, so the flow is easy to follow. */
    static final String GUARD = "guard: {scaleOutCooldownSeconds: 600, scaleInCooldownSeconds: 600}\nruleSet: step";

    @Inject
    EntityManager em;

    static void cpu(String webhook, String cluster, double... values) {
        StringBuilder sb = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"cluster\":\"").append(cluster).append("\",\"metric\":\"cpu\",\"value\":")
                    .append(values[i]).append('}');
        }
        as(webhook).contentType("application/json").body(sb.append("]}").toString()).post("/api/v1/samples")
                .then().statusCode(202);
    }

    static JsonPath decisions(String cluster) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/decisions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void hotCpuBecomesAnAcceptedDecisionAndAPendingScaleRequestThenCooldownRefuses() {
        String c = CapacityFixtures.unique("flow-cpu");
        cluster(c, 1, 6, 2, GUARD);
        String webhook = token("webhook");
        cpu(webhook, c, 95, 91, 97);
        await("a decision", Duration.ofSeconds(20), () -> decisions(c).getList("$").size() >= 1);
        JsonPath d = decisions(c);
        assertEquals("cpu high: add a node", d.getString("[0].rule"));
        assertEquals("accepted", d.getString("[0].verdict"));
        assertEquals(3, d.getInt("[0].target"));
        assertEquals(2, d.getInt("[0].baseline"));
        assertEquals(94.333, d.getDouble("[0].facts.bindings.$avg"), 0.01);
        assertEquals("ClusterView", d.getString("[0].facts.facts[0].type"));
        long requestId = d.getLong("[0].scaleRequestId");
        ScaleRequestEntity r = em.find(ScaleRequestEntity.class, requestId);
        // handed over: the orchestrator may already have taken it (ACCEPTED) by the time we look
        assertTrue(r.status == ScaleRequestEntity.Status.PENDING || r.status == ScaleRequestEntity.Status.ACCEPTED, String.valueOf(r.status));
        assertEquals(ScaleRequestEntity.Source.RULE, r.source);
        assertEquals(3, r.targetSize);
        assertEquals(2, r.previousSize);
        assertEquals(d.getLong("[0].id"), r.decisionId);

        cpu(webhook, c, 99);
        await("a second decision", Duration.ofSeconds(20), () -> decisions(c).getList("$").size() >= 2);
        JsonPath d2 = decisions(c);
        assertEquals("refused", d2.getString("[0].verdict"));
        assertTrue(d2.getString("[0].why").contains("scale-out cooldown"), d2.getString("[0].why"));
        assertEquals(3, d2.getInt("[0].baseline"), "the pending request counts as capacity");

        asAdmin().get("/api/v1/clusters/" + c + "/why").then().statusCode(200)
                .body("text", containsString("scale-out cooldown"))
                .body("text", containsString("Sample {cpu=4}"))
                .body("ruleSet", equalTo("step"));
        asAdmin().get("/api/v1/clusters/" + c + "/decisions?from=" + Instant.now().plusSeconds(3600)).then()
                .statusCode(200).body("$", hasSize(0));
        asAdmin().get("/api/v1/clusters/" + c + "/decisions?size=1&page=1").then()
                .statusCode(200).body("$", hasSize(1)).body("[0].verdict", equalTo("accepted"));
        asAdmin().get("/api/v1/clusters/" + c + "/decisions?from=yesterday").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("from"));
    }

    @Test
    void manualScaleGoesThroughTheGuardAndForceNeedsAdmin() {
        String c = CapacityFixtures.unique("flow-manual");
        cluster(c, 2, 8, 3, GUARD);
        String operator = token("operator");
        as(operator).contentType("application/json").body("{\"target\":5,\"reason\":\"launch day\"}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202)
                .body("verdict", equalTo("accepted")).body("target", equalTo(5)).body("source", equalTo("MANUAL"))
                .body("scaleRequestId", notNullValue());
        // within the scale-out cooldown
        as(operator).contentType("application/json").body("{\"delta\":1,\"reason\":\"more\"}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("cooldown"))
                .body("decision.verdict", equalTo("refused"));
        as(operator).contentType("application/json").body("{\"delta\":1,\"reason\":\"more\",\"force\":true}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(403).body("field", equalTo("force"));
        asAdmin().contentType("application/json").body("{\"target\":50,\"reason\":\"all in\",\"force\":true}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202)
                .body("verdict", equalTo("clamped")).body("target", equalTo(8)).body("why", containsString("clamped 50 to 8"));
        as(operator).contentType("application/json").body("{\"target\":5,\"delta\":1,\"reason\":\"x\"}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(400).body("field", notNullValue());
        as(operator).contentType("application/json").body("{\"target\":5}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(400).body("field", equalTo("reason"));
        as(token("viewer")).contentType("application/json").body("{\"target\":5,\"reason\":\"x\"}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(403);
        asAdmin().contentType("application/json").body("{\"target\":5,\"reason\":\"x\"}")
                .post("/api/v1/clusters/no-such-cluster/scale").then().statusCode(404);
        List<?> pending = em.createQuery("select r.targetSize from ScaleRequestEntity r where r.clusterName = ?1 order by r.id")
                .setParameter(1, c).getResultList();
        assertEquals(List.of(5, 8), pending);
    }

    @Test
    void pausedClustersRecordRefusalsAndDryRunDecidesWithoutRequests() {
        String c = CapacityFixtures.unique("flow-flags");
        cluster(c, 1, 6, 2, GUARD);
        String webhook = token("webhook");
        asAdmin().post("/api/v1/clusters/" + c + "/pause").then().statusCode(200);
        cpu(webhook, c, 95, 95, 95);
        await("a paused decision", Duration.ofSeconds(20), () -> decisions(c).getList("$").size() >= 1);
        assertEquals("refused", decisions(c).getString("[0].verdict"));
        assertTrue(decisions(c).getString("[0].why").contains("paused"));
        asAdmin().get("/api/v1/clusters/" + c + "/why").then().body("paused", equalTo(true))
                .body("text", containsString("paused"));

        // dry-run on first, then resume: from now on rules decide, nothing is requested
        asAdmin().contentType("application/json").body("{\"enabled\":true}").put("/api/v1/clusters/" + c + "/dry-run").then().statusCode(200);
        asAdmin().post("/api/v1/clusters/" + c + "/resume").then().statusCode(200);
        cpu(webhook, c, 96);
        await("a dry-run decision", Duration.ofSeconds(20), () -> decisions(c).getBoolean("[0].dryRun"));
        JsonPath d = decisions(c);
        assertEquals("accepted", d.getString("[0].verdict"));
        assertTrue(d.getString("[0].why").contains("dry run"), d.getString("[0].why"));
        assertTrue(d.get("[0].scaleRequestId") == null);
        Long requests = em.createQuery("select count(r) from ScaleRequestEntity r where r.clusterName = ?1", Long.class)
                .setParameter(1, c).getSingleResult();
        assertEquals(0L, requests);
    }

    @Test
    void theApiIsDescribedInOpenApi() {
        io.restassured.RestAssured.given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/clusters/{name}/why"))
                .body(containsString("/api/v1/clusters/{name}/decisions"))
                .body(containsString("/api/v1/alerts/prometheus"))
                .body(containsString("/api/v1/rules/{file}"));
    }

    @Test
    void badSampleBatchesAreRefusedWhole() {
        String webhook = token("webhook");
        as(webhook).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"flow-cpu\",\"metric\":\"cpu\",\"value\":1},{\"cluster\":\"flow-cpu\",\"metric\":\"cpu\"}]}")
                .post("/api/v1/samples").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("samples[1].value"));
        as(webhook).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"nope-nope\",\"metric\":\"cpu\",\"value\":1}]}")
                .post("/api/v1/samples").then().statusCode(404).body("field", equalTo("samples[0].cluster"));
        asAdmin().contentType("application/json").body("{\"samples\":[]}").post("/api/v1/samples").then().statusCode(403);
    }
}
