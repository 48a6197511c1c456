package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.testing.TinyHttpServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Health checks on the stub provider: the nodes' health URL ({@code health.http.host} points the
 * probe at a real HTTP server on loopback, one path per node) turns from 200 to 500, the node
 * becomes unhealthy and is replaced surge-first; the per-hour cap of 1 holds the second one back
 * and mails the recipients; a node healthy again before its replacement keeps its place.
 */
@QuarkusTest
class HealthReplacementOnStubTest {

    @Test
    void anUnhealthyNodeIsReplacedSurgeFirstAndTheHourlyCapStopsTheNext() throws Exception {
        String c = Ops.unique("hl");
        try (TinyHttpServer server = new TinyHttpServer()) {
            for (int i = 1; i <= 6; i++) {
                server.answer("/health/" + c + "-" + i, 200, "ok");
            }
            Ops.cluster(c, "stub", 10, """
                    health:
                      http: {path: "/health/{node}", port: %d, host: 127.0.0.1, intervalSeconds: 1, timeoutSeconds: 2,
                             unhealthyAfter: 2, healthyAfter: 1}
                      graceSeconds: 0
                      maxReplacementsPerHour: 1
                    """.formatted(server.port()));
            assertEquals("succeeded", Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
            String first = c + "-1";
            String second = c + "-2";
            waitFor(() -> server.hits("/health/" + first) >= 2, "the prober reaches " + first);
            assertEquals("active", node(c, first).getString("state"), "a node answering 200 stays active");

            // first node fails its check: unhealthy, then replaced by a new node that is active before the old one goes
            server.answer("/health/" + first, 500, "broken");
            waitFor(() -> replaceOperations(c).size() == 1, "a replace operation for " + first);
            JsonPath op = Ops.await(((Number) replaceOperations(c).get(0).get("id")).longValue(), Duration.ofSeconds(60));
            assertEquals("succeeded", op.getString("state"), op.prettify());
            assertEquals("health", op.getString("source"));
            assertTrue(op.getString("reason").contains(first + " is unhealthy"), op.getString("reason"));
            JsonPath old = node(c, first);
            assertEquals("terminated", old.getString("state"));
            List<Map<String, Object>> oldHistory = old.getList("history");
            assertTrue(oldHistory.stream().anyMatch(h -> "unhealthy".equals(h.get("to"))
                    && String.valueOf(h.get("reason")).contains("HTTP probe failed")), oldHistory.toString());
            String successor = c + "-3";
            List<Map<String, Object>> newHistory = node(c, successor).getList("history");
            Instant successorActive = at(newHistory, "active");
            assertTrue(!successorActive.isAfter(at(oldHistory, "draining")) && successorActive.isBefore(at(oldHistory, "terminated")),
                    "surge-first: " + successor + " active before " + first + " drains and is destroyed: "
                            + newHistory + " / " + oldHistory);
            List<Map<String, Object>> decisions = decisions(c);
            assertTrue(decisions.stream().anyMatch(d -> "HEALTH".equals(d.get("source")) && "accepted".equals(d.get("verdict"))
                    && ((Number) d.get("id")).longValue() == op.getLong("decisionId")), decisions.toString());

            // second node fails: unhealthy, but the cap (1 per hour) holds its replacement back and mails once
            server.answer("/health/" + second, 500, "broken");
            waitFor(() -> "unhealthy".equals(node(c, second).getString("state")), second + " marked unhealthy");
            // the cap mail is sent after the node turns unhealthy, so wait for it rather than for any mail
            List<MimeMessage> mails = ScaleOutAndInOnStubTest.mailsWithSubject("ops-" + c + "@example.com",
                    "unhealthy nodes are no longer replaced");
            assertTrue(mails.stream().anyMatch(m -> ScaleOutAndInOnStubTest.subject(m).contains("unhealthy nodes are no longer replaced")),
                    mails.stream().map(ScaleOutAndInOnStubTest::subject).toList().toString());
            waitFor(() -> decisions(c).stream().anyMatch(d -> "HEALTH".equals(d.get("source")) && "refused".equals(d.get("verdict"))
                    && String.valueOf(d.get("why")).contains("maxReplacementsPerHour is 1")), "a refused HEALTH decision says why");
            assertEquals(1, replaceOperations(c).size(), "no second replacement past the cap");
            assertTrue(node(c, second).getString("healthReason").contains("replacements stopped"));
            waitFor(() -> String.valueOf(asAdmin().get("/api/v1/clusters/" + c + "/why").then().statusCode(200).extract().jsonPath()
                    .getString("health.replacingStopped")).contains("maxReplacementsPerHour is 1"), "/why says why replacing stopped");
            JsonPath why = asAdmin().get("/api/v1/clusters/" + c + "/why").then().extract().jsonPath();
            assertEquals(List.of(second), why.getList("health.unhealthy"), why.prettify());
            assertEquals(1, why.getInt("health.replacedLastHour"), why.prettify());
            assertTrue(why.getList("health.nodes.lastProbe").stream().anyMatch(p -> String.valueOf(p).contains("answered 500")),
                    why.prettify());

            // healthy again before any replacement started: it keeps its place
            server.answer("/health/" + second, 200, "ok");
            waitFor(() -> "active".equals(node(c, second).getString("state")), second + " back to active");
            assertEquals(1, replaceOperations(c).size());
            assertFalse(Ops.nodes(c).stream().anyMatch(n -> "unhealthy".equals(n.get("state"))), Ops.nodes(c).toString());
        }
    }

    private static List<Map<String, Object>> replaceOperations(String c) {
        List<Map<String, Object>> ops = asAdmin().queryParam("cluster", c).get("/api/v1/operations").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return ops.stream().filter(o -> "replace".equals(o.get("kind"))).toList();
    }

    private static List<Map<String, Object>> decisions(String c) {
        return asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static JsonPath node(String c, String name) {
        return asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static Instant at(List<Map<String, Object>> history, String to) {
        return history.stream().filter(h -> to.equals(h.get("to"))).map(h -> Instant.parse(String.valueOf(h.get("at"))))
                .findFirst().orElseThrow(() -> new AssertionError("no change to " + to + " in " + history));
    }

    private static void waitFor(BooleanSupplier done, String what) {
        for (int i = 0; i < 600; i++) { // up to a minute on a loaded machine
            if (done.getAsBoolean()) {
                return;
            }
            Ops.sleep(100);
        }
        throw new AssertionError("not seen within a minute: " + what);
    }
}
