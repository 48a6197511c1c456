package io.rulescaler.signal;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Alert;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Alertmanager webhook with payloads shaped exactly as Alertmanager 0.25 sends them. */
@QuarkusTest
public class AlertWebhookTest {

    @Inject
    ClusterSessions sessions;

    @Inject
    EntityManager em;

    /** A version-4 payload as Alertmanager 0.25 posts it (field order and zero endsAt included). */
    public static String payload(String cluster, String status, String fingerprint, String alertname) {
        String endsAt = "firing".equals(status) ? "0001-01-01T00:00:00Z" : "2026-01-05T08:05:00.123456789Z";
        return """
                {"receiver":"rulescaler","status":"%2$s","alerts":[{"status":"%2$s","labels":{"alertname":"%4$s","cluster":"%1$s","severity":"page"},\
                "annotations":{"summary":"load is high"},"startsAt":"2026-01-05T08:00:00.123456789Z","endsAt":"%5$s",\
                "generatorURL":"http://prometheus:9090/graph?g0.expr=load+%%3E+1&g0.tab=1","fingerprint":"%3$s"}],\
                "groupLabels":{"alertname":"%4$s"},"commonLabels":{"alertname":"%4$s","cluster":"%1$s","severity":"page"},\
                "commonAnnotations":{"summary":"load is high"},"externalURL":"http://alertmanager:9093","version":"4",\
                "groupKey":"{}:{alertname=\\"%4$s\\"}","truncatedAlerts":0}
                """.formatted(cluster, status, fingerprint, alertname, endsAt);
    }

    List<Object> facts(String cluster) throws Exception {
        return sessions.facts(cluster).get(10, TimeUnit.SECONDS);
    }

    int decisionCount(String cluster) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/decisions").then().extract().jsonPath().getList("$").size();
    }

    @Test
    void firingAlertDecidesOnceDespiteDuplicatesAndResolvedRetractsIt() throws Exception {
        String c = unique("am-flow");
        cluster(c, 1, 10, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String webhook = token("webhook");
        String fp = Long.toHexString(System.nanoTime());
        as(webhook).contentType("application/json").body(payload(c, "firing", fp, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("new", equalTo(1)).body("unmatched", equalTo(0));
        // the HA peer sends the same alert
        as(webhook).contentType("application/json").body(payload(c, "firing", fp, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("new", equalTo(0)).body("duplicates", equalTo(1));
        await("the alert decision", Duration.ofSeconds(20), () -> decisionCount(c) >= 1);
        asAdmin().get("/api/v1/clusters/" + c + "/decisions").then()
                .body("[0].rule", equalTo("alert HighLoad: scale out by N"))
                .body("[0].target", equalTo(4))
                .body("[0].verdict", equalTo("accepted"))
                .body("[0].facts.facts.find { it.type == 'Alert' }.value.fingerprint", equalTo(fp));
        assertTrue(facts(c).stream().anyMatch(o -> o instanceof Alert a && a.getFingerprint().equals(fp)));

        as(webhook).contentType("application/json").body(payload(c, "resolved", fp, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("new", equalTo(1));
        await("the alert retracted", Duration.ofSeconds(20), () -> {
            try {
                return facts(c).stream().noneMatch(o -> o instanceof Alert);
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(300);
        assertEquals(1, decisionCount(c), "duplicates and the resolution decide nothing more");
        Number rows = (Number) em.createNativeQuery("select count(*) from alert_event where fingerprint = ?1").setParameter(1, fp).getSingleResult();
        assertEquals(2, rows.intValue(), "one firing and one resolved row");
    }

    @Test
    void unknownClusterIsKeptAndCountedAsUnmatched() {
        String webhook = token("webhook");
        String fp = Long.toHexString(System.nanoTime());
        as(webhook).contentType("application/json").body(payload("no-such-cluster-x", "firing", fp, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("unmatched", equalTo(1)).body("new", equalTo(1));
        Object matched = em.createNativeQuery("select matched from alert_event where fingerprint = ?1").setParameter(1, fp).getSingleResult();
        assertFalse(matched instanceof Boolean b ? b : ((Number) matched).intValue() != 0);
        asAdmin().get("/q/metrics").then().statusCode(200).body(containsString("rulescaler_alerts_unmatched_total"));
    }

    @Test
    void aDeliveryWithoutAlertsIsAnsweredAndStoresNothing() {
        String webhook = token("webhook");
        long before = ((Number) em.createNativeQuery("select count(*) from alert_event").getSingleResult()).longValue();
        as(webhook).contentType("application/json").body("{\"version\":\"4\",\"status\":\"resolved\",\"receiver\":\"rulescaler\",\"alerts\":[]}")
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("received", equalTo(0)).body("new", equalTo(0));
        assertEquals(before, ((Number) em.createNativeQuery("select count(*) from alert_event").getSingleResult()).longValue());
    }

    @Test
    void malformedPayloadsAreProblems() {
        String webhook = token("webhook");
        as(webhook).contentType("application/json").body("{\"version\":\"4\",\"alerts\":[{\"status\":\"burning\"}]}")
                .post("/api/v1/alerts/prometheus").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("alerts[0].status"));
        as(webhook).contentType("application/json").body("{\"version\":\"3\",\"alerts\":[]}")
                .post("/api/v1/alerts/prometheus").then().statusCode(400).body("field", equalTo("version"));
        as(webhook).contentType("application/json").body(payload("x", "firing", "abc", "A").replace("2026-01-05T08:00:00.123456789Z", "soon"))
                .post("/api/v1/alerts/prometheus").then().statusCode(400).body("field", equalTo("alerts[0].startsAt"));
        as(webhook).contentType("application/json").body("{not json")
                .post("/api/v1/alerts/prometheus").then().statusCode(400).contentType("application/problem+json");
        as(token("viewer")).contentType("application/json").body(payload("x", "firing", "abc", "A"))
                .post("/api/v1/alerts/prometheus").then().statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json").body(payload("x", "firing", "abc", "A"))
                .post("/api/v1/alerts/prometheus").then().statusCode(401);
    }
}
