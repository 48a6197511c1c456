package io.rulescaler.capacity.rules;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.capacity.ClusterSessions;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rule that inserts a fact per firing is stopped for its cluster, not the cluster: the cluster's other rule keeps
 * deciding, the stop is shown in "why", GET /rules and a metric and mailed once (GreenMail), and the rule comes back
 * when an admin enables it or its file changes.
 */
@QuarkusTest
class StoppedRulesTest {

    static final String RULES = """
            package io.rulescaler.rules.stopped;
            import io.rulescaler.capacity.fact.*;
            declare Tick
                n : long
            end
            rule "seed" when Sample( metric == "go" ) not Tick() then insert( new Tick( 0 ) ); end
            rule "grow" when $t : Tick() then insert( new Tick( $t.getN() + 1 ) ); end
            rule "load high"
            when
                $c : ClusterView()
                $s : Sample( metric == "load", value > 10 )
            then
                insert( ScaleDecision.delta( $c.getName(), 1, "load " + $s.getValue() ) );
            end
            """;

    @Inject
    ClusterSessions sessions;

    static void sample(String webhook, String cluster, String metric, double v) {
        as(webhook).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"" + cluster + "\",\"metric\":\"" + metric + "\",\"value\":" + v + "}]}")
                .post("/api/v1/samples").then().statusCode(202);
    }

    static JsonPath why(String c) {
        return asAdmin().get("/api/v1/clusters/" + c + "/why").then().statusCode(200).extract().jsonPath();
    }

    static boolean stoppedInRules(String c) {
        return asAdmin().get("/api/v1/rules").then().statusCode(200).extract().jsonPath()
                .getList("disabledRules.findAll { it.cluster == '" + c + "' }.rule").contains("grow");
    }

    @Test
    void aRunawayRuleIsStoppedReportedMailedOnceAndComesBackWhenEnabledOrItsFileChanges() throws Exception {
        String n = Long.toString(System.nanoTime() % 1_000_000, 36);
        String set = "stopped-" + n;
        String c = "stop-" + n;
        String to = "stop-" + n + "@example.com";
        asAdmin().contentType("text/plain").body(RULES).put("/api/v1/rules/" + set + "/grow.drl").then().statusCode(200);
        asAdmin().contentType("application/yaml").body("provider: stub\nsize: {min: 1, max: 20, desired: 2}\nruleSet: " + set
                + "\nguard: {scaleOutCooldownSeconds: 0}\nrecipients: [" + to + "]\n").put("/api/v1/clusters/" + c).then().statusCode(201);
        String webhook = token("webhook");
        sample(webhook, c, "go", 1);
        await("the rule is stopped", Duration.ofSeconds(20), () -> why(c).getMap("stoppedRules").containsKey("grow"));
        JsonPath w = why(c);
        assertTrue(w.getString("stoppedRules.grow").contains("cap"), w.prettify());
        assertTrue(w.getString("text").contains("Rules stopped for this cluster"), w.getString("text"));
        assertTrue(stoppedInRules(c));
        asAdmin().get("/q/metrics").then().body(containsString("rulescaler_rules_stopped_total{cap=\"firings\",cluster=\"" + c + "\",rule=\"grow\""));

        // the session is bounded again (what "grow" inserted is gone) and the other rule keeps deciding
        sample(webhook, c, "load", 11);
        await("the healthy rule decides", Duration.ofSeconds(20), () -> asAdmin().get("/api/v1/clusters/" + c + "/decisions")
                .then().extract().jsonPath().getList("rule").contains("load high"));
        sessions.evaluateAll().get(20, TimeUnit.SECONDS);
        List<Object> facts = sessions.facts(c).get(10, TimeUnit.SECONDS);
        assertTrue(facts.size() < 20, "the 2 000 Ticks were dropped: " + facts.size());
        JsonPath after = why(c);
        assertTrue(after.getInt("firings") < 100 && !after.getMap("rulesFired").containsKey("grow"), "stopped, it fires no more: "
                + after.prettify());
        assertTrue(after.getBoolean("runaway") && after.getString("text").contains("ran away"), "still reported while stopped");

        List<MimeMessage> mails = List.of();
        for (int i = 0; i < 80 && mails.isEmpty(); i++) {
            Thread.sleep(250);
            mails = stopMails(to);
        }
        assertEquals(1, mails.size());
        assertTrue(mails.get(0).getSubject().contains(c + ": rule 'grow' stopped"), mails.get(0).getSubject());
        sessions.evaluateAll().get(20, TimeUnit.SECONDS);
        Thread.sleep(1000);
        assertEquals(1, stopMails(to).size(), "one mail per stop, not per evaluation");

        // enable: admin only, a body naming the rule (or all), a rule that is stopped
        as(token("operator")).contentType("application/json").body(Map.of("rule", "grow"))
                .post("/api/v1/rules/" + set + "/enable").then().statusCode(403);
        asAdmin().contentType("application/json").body("{}").post("/api/v1/rules/" + set + "/enable").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().contentType("application/json").body(Map.of("rule", "load high")).post("/api/v1/rules/" + set + "/enable")
                .then().statusCode(404).body("detail", containsString("disabledRules"));
        asAdmin().contentType("application/json").body(Map.of("rule", "grow")).post("/api/v1/rules/" + set + "/enable")
                .then().statusCode(200).body("enabled[0].cluster", equalTo(c));
        // back, it runs on the facts already there and is stopped again: a second stop, a second mail
        sample(webhook, c, "go", 2);
        await("enabled, it runs (and is stopped) again", Duration.ofSeconds(20), () -> stopMails(to).size() == 2);
        assertTrue(stoppedInRules(c));

        // a changed file brings it back without an admin: here it no longer loops
        asAdmin().contentType("text/plain").body(RULES.replace("$t : Tick()", "$t : Tick( n < 5 )"))
                .put("/api/v1/rules/" + set + "/grow.drl").then().statusCode(200);
        await("the changed rule is back", Duration.ofSeconds(20), () -> !stoppedInRules(c) && !why(c).getMap("stoppedRules").containsKey("grow"));
        await("and runs: Tick 0 to 5", Duration.ofSeconds(20), () -> sessionHasTicks(c, 6));
    }

    /** Mails about a stopped rule (the cluster's recipients also get the operation mails of its scale-outs). */
    static List<MimeMessage> stopMails(String to) {
        return RuleErrorMailTest.mailsTo(to).stream().filter(m -> {
            try {
                return m.getSubject().contains("rule 'grow' stopped");
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private boolean sessionHasTicks(String c, int n) {
        try {
            sessions.evaluateAll().get(20, TimeUnit.SECONDS);
            return sessions.facts(c).get(10, TimeUnit.SECONDS).stream().filter(o -> o.getClass().getSimpleName().equals("Tick")).count() == n;
        } catch (Exception e) {
            return false;
        }
    }
}
