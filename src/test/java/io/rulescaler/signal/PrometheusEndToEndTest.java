package io.rulescaler.signal;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.cluster.ClusterSpec;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real Prometheus and real Alertmanager: Prometheus scrapes a value the test sets, an alerting
 * rule fires, two clustered Alertmanagers post to the service with a bearer token, one decision
 * and one scale request appear, and the resolved alert leaves the session. Also the PromQL poller
 * against the same Prometheus, with both stale policies.
 */
@QuarkusTest
@QuarkusTestResource(PrometheusStack.class)
class PrometheusEndToEndTest {

    @Inject
    ClusterSessions sessions;

    @Inject
    PromQlPoller poller;

    @Inject
    EntityManager em;

    @org.junit.jupiter.api.BeforeEach
    void prometheus() throws java.io.IOException {
        PrometheusStack.ensurePrometheus();
    }

    List<Object> facts(String cluster) {
        try {
            return sessions.facts(cluster).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonPath decisions(String cluster) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/decisions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void alertFromPrometheusThroughTwoAlertmanagersGivesOneDecisionAndResolves() throws Exception {
        String c = unique("e2e");
        cluster(c, 1, 10, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String webhook = token("webhook");
        PrometheusStack.startAlertmanagers("http://127.0.0.1:" + RestAssured.port + "/api/v1/alerts/prometheus", webhook);
        System.setProperty(PrometheusStack.METRICS, "demo_load{cluster=\"" + c + "\"} 9\n");

        await("the alert to reach the session", Duration.ofSeconds(45),
                () -> facts(c).stream().anyMatch(o -> o instanceof Alert a && "HighLoad".equals(a.getName())));
        await("the decision", Duration.ofSeconds(30), () -> !decisions(c).getList("$").isEmpty());
        JsonPath d = decisions(c);
        assertEquals("alert HighLoad: scale out by N", d.getString("[0].rule"));
        assertEquals("accepted", d.getString("[0].verdict"));
        assertEquals(4, d.getInt("[0].target"));
        ScaleRequestEntity r = em.find(ScaleRequestEntity.class, d.getLong("[0].scaleRequestId"));
        // handed over: the orchestrator may already have taken it (ACCEPTED) by the time we look
        assertTrue(r.status == ScaleRequestEntity.Status.PENDING || r.status == ScaleRequestEntity.Status.ACCEPTED, String.valueOf(r.status));
        Alert alert = (Alert) facts(c).stream().filter(o -> o instanceof Alert).findFirst().orElseThrow();
        assertEquals(c, alert.getCluster());
        assertEquals("page", alert.label("severity"));

        // both peers have had time to notify; still one decision
        Thread.sleep(3000);
        assertEquals(1, decisions(c).getList("$").size(), "one decision despite two Alertmanagers");

        System.setProperty(PrometheusStack.METRICS, "demo_load{cluster=\"" + c + "\"} 1\n");
        await("the resolved alert to be retracted", Duration.ofSeconds(45),
                () -> facts(c).stream().noneMatch(o -> o instanceof Alert));
        Number resolved = (Number) em.createNativeQuery("select count(*) from alert_event where cluster_name = ?1 and status = 'resolved'")
                .setParameter(1, c).getSingleResult();
        assertEquals(1, resolved.intValue());
        assertEquals(1, decisions(c).getList("$").size());
    }

    @Test
    void pollerTurnsQueriesIntoSamplesAndAppliesStalePolicies() {
        String fresh = unique("poll");
        String held = unique("hold");
        String fallback = unique("fall");
        System.setProperty(PrometheusStack.METRICS, "demo_load{cluster=\"" + fresh + "\"} 3\n");
        cluster(fresh, 1, 10, 2, """
                scaling:
                  queries: [{name: demo, promql: 'demo_load{cluster="%s"}', intervalSeconds: 1}]
                """.formatted(fresh));
        cluster(held, 1, 10, 2, """
                scaling:
                  stalePolicy: hold
                  queries: [{name: missing, promql: 'no_such_metric_anywhere', intervalSeconds: 1}]
                """);
        cluster(fallback, 1, 10, 2, """
                scaling:
                  stalePolicy: fallback
                  fallbackValue: 42
                  queries: [{name: cpu, promql: 'no_such_metric_either', intervalSeconds: 1}]
                """);
        await("polled samples", Duration.ofSeconds(30), () -> facts(fresh).stream()
                .anyMatch(o -> o instanceof Sample s && "demo".equals(s.getMetric()) && s.getValue() == 3.0
                        && fresh.equals(s.label("cluster"))));
        await("a MetricsStale fact under hold", Duration.ofSeconds(30), () -> facts(held).stream()
                .anyMatch(o -> o instanceof MetricsStale m && "missing".equals(m.getQuery())));
        asAdmin().get("/api/v1/clusters/" + held + "/why").then().statusCode(200)
                .body("staleQueries", org.hamcrest.Matchers.hasItem("missing"))
                .body("text", org.hamcrest.Matchers.containsString("stale"));
        await("the fallback value as a sample", Duration.ofSeconds(30), () -> facts(fallback).stream()
                .anyMatch(o -> o instanceof Sample s && "cpu".equals(s.getMetric()) && s.getValue() == 42.0));
        assertTrue(facts(fallback).stream().noneMatch(o -> o instanceof MetricsStale), "fallback does not hold");
        asAdmin().get("/api/v1/signals/poller").then().statusCode(200)
                .body("find { it.cluster == '" + held + "' }.stale", org.hamcrest.Matchers.equalTo(true))
                .body("find { it.cluster == '" + fresh + "' }.stale", org.hamcrest.Matchers.equalTo(false));
        asAdmin().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "rulescaler_poller_stale{cluster=\"" + held + "\",query=\"missing\"} 1.0"));
    }

    @Test
    void prometheusDownIsStaleUnderHold() {
        String c = unique("down");
        cluster(c, 1, 10, 2, "");
        ClusterSpec spec = new ClusterSpec(c, null, "stub", null, null, new ClusterSpec.Sizing(1, 10, 2), null, null, null,
                null, null, null, new ClusterSpec.Scaling(null, "hold", null, null), null, null);
        ClusterSpec.Query q = new ClusterSpec.Query("cpu", "up", 1);
        PromQlPoller.QueryStatus st = poller.statusOf(c, "cpu");
        int dead;
        try {
            dead = PrometheusStack.freePort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        poller.poll("http://127.0.0.1:" + dead, spec, q, st);
        assertTrue(st.stale);
        assertTrue(st.lastError.contains("ConnectException") || st.lastError.contains("Connect"), st.lastError);
        await("MetricsStale in the session", Duration.ofSeconds(30),
                () -> facts(c).stream().anyMatch(o -> o instanceof MetricsStale));
    }
}
