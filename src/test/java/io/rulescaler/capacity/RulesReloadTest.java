package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hot reload through PUT and the watched folder, a broken file keeping the old rules, and a runaway rule capped. */
@QuarkusTest
class RulesReloadTest {

    static String rule(String name, int delta) {
        return """
                package io.rulescaler.rules.test;
                import io.rulescaler.capacity.fact.*;
                rule "%s"
                when
                    $c : ClusterView()
                    $s : Sample( metric == "load", value > 10 )
                then
                    insert( ScaleDecision.delta( $c.getName(), %d, "load " + $s.getValue() ) );
                end
                """.formatted(name, delta);
    }

    static void load(String webhook, String cluster, double v) {
        as(webhook).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"" + cluster + "\",\"metric\":\"load\",\"value\":" + v + "}]}")
                .post("/api/v1/samples").then().statusCode(202);
    }

    static JsonPath decisions(String cluster) {
        return asAdmin().get("/api/v1/clusters/" + cluster + "/decisions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void brokenFileIsRefusedAndTheOldRulesKeepDecidingThenAGoodOneSwapsCarryingFacts() throws Exception {
        String set = unique("rs");
        String c = unique("reload");
        asAdmin().contentType("text/plain").body(rule("load v1", 1)).put("/api/v1/rules/" + set + "/load.drl")
                .then().statusCode(200).body("status", equalTo("ok")).body("rules", equalTo(1));
        cluster(c, 1, 20, 2, "ruleSet: " + set + "\nguard: {scaleOutCooldownSeconds: 0}");
        String webhook = token("webhook");
        load(webhook, c, 11);
        await("v1 decides", Duration.ofSeconds(20), () -> decisions(c).getList("$").size() >= 1);
        assertEquals("load v1", decisions(c).getString("[0].rule"));

        String broken = rule("load v2", 2).replace("value > 10", "value >> 10");
        asAdmin().contentType("text/plain").body(broken).put("/api/v1/rules/" + set + "/load.drl")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].file", equalTo(set + "/load.drl"))
                .body("errors[0].line", equalTo(6))
                .body("formatted[0]", containsString(set + "/load.drl:6:"))
                .body("detail", containsString("nothing was written"));
        assertTrue(Files.readString(Path.of("target/test-rules", set, "load.drl")).contains("load v1"), "nothing written");
        asAdmin().get("/api/v1/rules").then().statusCode(200)
                .body("ruleSets.find { it.ruleSet == '" + set + "' }.status", equalTo("failed-keeping-previous"))
                .body("ruleSets.find { it.ruleSet == '" + set + "' }.errors[0].line", equalTo(6));
        load(webhook, c, 12);
        await("v1 still decides", Duration.ofSeconds(20), () -> decisions(c).getList("$").size() >= 2);
        assertEquals("load v1", decisions(c).getString("[0].rule"));

        asAdmin().contentType("text/plain").body(rule("load v2", 2)).put("/api/v1/rules/" + set + "/load.drl")
                .then().statusCode(200).body("status", equalTo("ok"));
        // the samples 11 and 12 carried over into the new session: v2 fires for both
        await("v2 decides on carried facts", Duration.ofSeconds(20),
                () -> decisions(c).getList("rule").stream().filter("load v2"::equals).count() >= 2);
        asAdmin().get("/q/metrics").then().body(containsString("rulescaler_rule_reload_failures_total"));
    }

    @Test
    void aFileDroppedIntoTheWatchedFolderIsPickedUp() throws Exception {
        String set = unique("watched");
        Path dir = Path.of("target/test-rules", set);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("w.drl"), rule("watched rule", 1));
        await("the watcher compiles the new set", Duration.ofSeconds(20), () -> asAdmin().get("/api/v1/rules").then().extract()
                .jsonPath().getList("ruleSets.ruleSet").contains(set));
        asAdmin().get("/api/v1/rules").then().body("ruleSets.find { it.ruleSet == '" + set + "' }.status", equalTo("ok"));
        Files.writeString(dir.resolve("w.drl"), "rule \"oops\" when then garbage( end");
        await("the watcher reports the error", Duration.ofSeconds(20), () -> "failed-keeping-previous".equals(asAdmin()
                .get("/api/v1/rules").then().extract().jsonPath().getString("ruleSets.find { it.ruleSet == '" + set + "' }.status")));
        asAdmin().post("/api/v1/rules/reload").then().statusCode(200).body("ok", equalTo(false));
        as(token("operator")).post("/api/v1/rules/reload").then().statusCode(403);
        as(token("viewer")).get("/api/v1/rules").then().statusCode(200).body("ruleSets.ruleSet", hasItem("default"));
    }

    @Test
    void runawayRuleIsCappedReportedAndDecidesNothing() {
        String set = unique("runaway");
        String loop = """
                package io.rulescaler.rules.runaway;
                import io.rulescaler.capacity.fact.*;
                declare Counter
                    n : int
                end
                rule "seed" when Sample( metric == "go" ) then insert( new Counter( 0 ) ); end
                rule "spin" when $k : Counter( n >= 0 ) then
                    insert( ScaleDecision.delta( "x", 1, "loop" ) );
                    modify( $k ) { setN( $k.getN() + 1 ) }
                end
                """;
        asAdmin().contentType("text/plain").body(loop).put("/api/v1/rules/" + set + "/loop.drl").then().statusCode(200);
        String c = unique("spin");
        cluster(c, 1, 5, 1, "ruleSet: " + set);
        as(token("webhook")).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"" + c + "\",\"metric\":\"go\",\"value\":1}]}")
                .post("/api/v1/samples").then().statusCode(202);
        await("the runaway is reported", Duration.ofSeconds(20), () -> Boolean.TRUE.equals(
                asAdmin().get("/api/v1/clusters/" + c + "/why").then().extract().jsonPath().getBoolean("runaway")));
        JsonPath why = asAdmin().get("/api/v1/clusters/" + c + "/why").then().extract().jsonPath();
        assertTrue(why.getInt("firings") <= 2001, "capped at max-firings-per-evaluation=2000: " + why.getInt("firings"));
        assertTrue(why.getString("text").contains("loops"), why.getString("text"));
        assertTrue(decisions(c).getList("$").isEmpty(), "a runaway evaluation decides nothing");
        asAdmin().get("/q/metrics").then().body(containsString("rulescaler_runaway_evaluations_total{cluster=\"" + c + "\""));
        // the service still answers and other clusters still work
        asAdmin().get("/api/v1/rules").then().statusCode(200);
        assertFalse(why.getList("decisions").size() > 0);
    }
}
