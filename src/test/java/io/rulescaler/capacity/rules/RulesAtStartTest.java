package io.rulescaler.capacity.rules;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rulescaler.signal.AlertWebhookTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first compile runs in the background: a set still compiling is shown as such (readiness stays
 * up), an alert arriving meanwhile is stored, and it is evaluated, once, when the rules are ready.
 */
@QuarkusTest
class RulesAtStartTest {

    @Inject
    RuleCatalog catalog;

    @Test
    void anAlertArrivingWhileTheRulesCompileIsDecidedOnceTheyAreReady() throws Exception {
        String set = unique("atstart");
        String c = unique("compiling");
        String healthOfSet = "checks.find { it.name == 'rules' }.data.'" + set + "'";
        cluster(c, 1, 10, 2, "ruleSet: " + set);
        CountDownLatch release = new CountDownLatch(1);
        // hold the compiler thread: the compile queued behind this one is "still running" until released
        catalog.onCompilerThread(() -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Path dir = catalog.folder().resolve(set);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("start.drl"), """
                    package io.rulescaler.rules.atstart;
                    import io.rulescaler.capacity.fact.*;
                    rule "decided after the compile"
                    when
                        $c : ClusterView()
                        $a : Alert( name == "HighLoad" )
                    then
                        insert( ScaleDecision.target( $c.getName(), 6, "waited for " + $a.getFingerprint() ) );
                    end
                    """);
            catalog.compileAtStart();
            assertEquals(RuleSetStatus.COMPILING, catalog.status(set).orElseThrow().status());
            RestAssured.get("/q/health/ready").then().statusCode(200).body(healthOfSet, equalTo(RuleSetStatus.COMPILING));

            as(token("webhook")).contentType("application/json")
                    .body(AlertWebhookTest.payload(c, "firing", Long.toHexString(System.nanoTime()), "HighLoad"))
                    .post("/api/v1/alerts/prometheus").then().statusCode(200).body("new", equalTo(1));
            await("the evaluation saying the rules are still compiling", Duration.ofSeconds(30), () -> asAdmin()
                    .get("/api/v1/clusters/" + c + "/why").then().extract().jsonPath().getString("text").contains("compiling"));
            asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().statusCode(200).body("size()", equalTo(0));
        } finally {
            release.countDown();
        }
        await("the stored alert decided once the rules are ready", Duration.ofSeconds(20), () -> !asAdmin()
                .get("/api/v1/clusters/" + c + "/decisions").then().extract().jsonPath().getList("$").isEmpty());
        assertEquals(RuleSetStatus.OK, catalog.status(set).orElseThrow().status());
        RestAssured.get("/q/health/ready").then().statusCode(200).body(healthOfSet, equalTo(RuleSetStatus.OK));
        asAdmin().get("/api/v1/clusters/" + c + "/decisions").then()
                .body("size()", equalTo(1))
                .body("[0].rule", equalTo("decided after the compile")).body("[0].target", equalTo(6))
                .body("[0].reason", containsString("waited for"));
    }
}
