package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.orchestration.OrchestrationTestResources;
import io.rulescaler.signal.AlertWebhookTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chains started by hand and by rules on stub clusters, through the chain guard, with mail to the
 * test SMTP server (GreenMail): POST/GET .../chains/{chain}/runs, and the shipped at-max rule that
 * mails once through the notify chain however often its alert is delivered.
 */
@QuarkusTest
class ChainRunsOnStubTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static List<MimeMessage> mailsTo(String recipient, String subjectPart) {
        return Arrays.stream(OrchestrationTestResources.mail().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient))
                        && m.getSubject().contains(subjectPart);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    static List<Map<String, Object>> runs(String cluster, String chain) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/chains/" + chain + "/runs").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static String body(MimeMessage m) {
        try {
            return m.getContent().toString();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void anOperatorRunsNotifyOnceAndTheGuardRefusesWhatItMust() throws Exception {
        String c = unique("runs");
        String to = c + "@example.com";
        cluster(c, 0, 3, 0, "recipients: [" + to + "]");
        JsonPath before = asAdmin().get("/api/v1/clusters/" + c).then().extract().jsonPath();
        String nodesBefore = asAdmin().get("/api/v1/clusters/" + c + "/nodes").then().extract().asString();

        // bad input: a problem, and nothing written
        asAdmin().contentType("application/json").body(Map.of("node", "x")).post("/api/v1/clusters/" + c + "/chains/notify/runs")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("reason"));
        asAdmin().contentType("application/json").body(Map.of("reason", "r", "parameters", Map.of("9bad", "v")))
                .post("/api/v1/clusters/" + c + "/chains/notify/runs").then().statusCode(400).body("field", equalTo("parameters.9bad"));
        assertEquals(0, runs(c, "*").size());
        String viewer = token("viewer");
        as(viewer).contentType("application/json").body(Map.of("reason", "r")).post("/api/v1/clusters/" + c + "/chains/notify/runs")
                .then().statusCode(403);

        asAdmin().contentType("application/json").body(Map.of("reason", "paging the on-call by hand"))
                .post("/api/v1/clusters/" + c + "/chains/notify/runs")
                .then().statusCode(202).body("verdict", equalTo("accepted")).body("chain", equalTo("notify"))
                .body("source", equalTo("manual"));
        await("the run's operation to succeed", WAIT, () -> "succeeded".equals(runs(c, "notify").get(0).get("status")));
        Map<String, Object> run = runs(c, "notify").get(0);
        long op = ((Number) run.get("operationId")).longValue();
        asAdmin().get("/api/v1/operations/" + op).then().statusCode(200).body("kind", equalTo("run-chain"))
                .body("chain", equalTo("notify")).body("state", equalTo("succeeded"));
        await("the notice", WAIT, () -> mailsTo(to, "paging the on-call by hand").size() == 1);
        assertTrue(body(mailsTo(to, "paging the on-call by hand").get(0)).contains("started by hand"));

        // the same chain again: the cooldown (10 min by default) refuses it, and says so
        asAdmin().contentType("application/json").body(Map.of("reason", "again"))
                .post("/api/v1/clusters/" + c + "/chains/notify/runs")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("cooldown"))
                .body("decision.verdict", equalTo("refused"));
        // a chain that is not for operators, one that does not exist, a node that does not exist
        asAdmin().contentType("application/json").body(Map.of("reason", "r")).post("/api/v1/clusters/" + c + "/chains/scale-out/runs")
                .then().statusCode(409).body("detail", containsString("not by manual"));
        asAdmin().contentType("application/json").body(Map.of("reason", "r")).post("/api/v1/clusters/" + c + "/chains/nope/runs")
                .then().statusCode(409).body("detail", containsString("no chain 'nope' is loaded"));
        asAdmin().contentType("application/json").body(Map.of("reason", "r", "node", "ghost"))
                .post("/api/v1/clusters/" + c + "/chains/restart-app/runs")
                .then().statusCode(409).body("detail", containsString("node 'ghost' is not a node of this cluster"));

        // every verdict is listed, newest first; viewers read them
        List<Map<String, Object>> all = as(viewer).get("/api/v1/clusters/" + c + "/chains/*/runs").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(List.of("refused", "refused", "refused", "refused", "accepted"), all.stream().map(r -> r.get("verdict")).toList());
        // a chain that is not about capacity changed neither the size nor a node
        assertEquals(before.getInt("spec.size.desired"), asAdmin().get("/api/v1/clusters/" + c).then().extract().jsonPath()
                .getInt("spec.size.desired"));
        assertEquals(nodesBefore, asAdmin().get("/api/v1/clusters/" + c + "/nodes").then().extract().asString());
    }

    @Test
    void aHighLoadAlertAtMaxDeliveredTenTimesMailsOnce() throws Exception {
        String c = unique("atmax");
        String to = c + "@example.com";
        cluster(c, 1, 1, 1, "recipients: [" + to + "]\nruleSet: default");
        String webhook = token("webhook");
        for (int i = 0; i < 10; i++) {
            as(webhook).contentType("application/json").body(AlertWebhookTest.payload(c, "firing", "fp-" + c, "HighLoad"))
                    .post("/api/v1/alerts/prometheus").then().statusCode(200);
        }
        await("the at-max notice", WAIT, () -> mailsTo(to, "is at its max").size() >= 1);
        await("the run to end", WAIT, () -> "succeeded".equals(runs(c, "notify").get(0).get("status")));
        // a second HighLoad alert inside the cooldown: the rule asks again, the guard refuses
        as(webhook).contentType("application/json").body(AlertWebhookTest.payload(c, "firing", "fp2-" + c, "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200);
        await("the second request's verdict", WAIT, () -> runs(c, "notify").size() == 2);
        List<Map<String, Object>> notify = runs(c, "notify");
        assertEquals("refused", notify.get(0).get("verdict"));
        assertTrue(notify.get(0).get("why").toString().contains("cooldown"), notify.get(0).toString());
        assertEquals("at max and still hot: mail the on-call", notify.get(1).get("rule"));
        List<MimeMessage> mails = mailsTo(to, "is at its max");
        assertEquals(1, mails.size(), "one notice for ten deliveries and a second alert");
        String text = body(mails.get(0));
        assertTrue(text.contains("Alert") && text.contains("HighLoad"), text);
        // the scale-out the alert asked for was refused for being at max
        List<Map<String, Object>> decisions = asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().extract().jsonPath().getList("$");
        assertTrue(decisions.stream().allMatch(d -> "refused".equals(d.get("verdict")) || "clamped".equals(d.get("verdict"))),
                decisions.toString());
    }

    @Test
    void aClusterWhoseChainReadsAParameterItLacksIsRefusedWithFileLineAndName() {
        String c = unique("params");
        String yaml = """
                name: %s
                provider: byon
                size: {min: 0, max: 3, desired: 0}
                """.formatted(c);
        asAdmin().contentType("application/yaml").body(yaml).put("/api/v1/clusters/" + c)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("scale-out.yaml:"))
                .body("detail", containsString("does not define parameter 'app.warUrl'"))
                .body("field", equalTo("parameters"));
        asAdmin().get("/api/v1/clusters/" + c).then().statusCode(404);
        asAdmin().contentType("application/yaml").body(yaml + "parameters: {app.warUrl: \"https://repo.example.org/app-1.war\", app.version: \"1\"}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(201);
        asAdmin().contentType("application/yaml").body(yaml + "parameters: {app.warUrl: \"https://repo.example.org/app-2.war\", app.version: \"2\"}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(200)
                .body("changes", org.hamcrest.Matchers.hasItem("parameters.app.version: 1 -> 2"));
    }
}
