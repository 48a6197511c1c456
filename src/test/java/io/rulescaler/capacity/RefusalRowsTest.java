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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One row per refusal, not per evaluation: the same rule refused for the same kind of reason updates its row (count,
 * first and last time, latest facts); another rule, another verdict, or an accepted decision in between starts a new one.
 */
@QuarkusTest
class RefusalRowsTest {

    static final String RULES = """
            package io.rulescaler.rules.refusals;
            import io.rulescaler.capacity.fact.*;
            rule "load high"
            when
                $c : ClusterView()
                $s : Sample( metric == "load", value > 10 )
            then
                insert( ScaleDecision.delta( $c.getName(), 1, "load " + $s.getValue() ) );
            end
            rule "load very high"
            when
                $c : ClusterView()
                $s : Sample( metric == "load", value > 100 )
            then
                insert( ScaleDecision.delta( $c.getName(), 3, "load " + $s.getValue() ) );
            end
            """;

    static JsonPath decisions(String c) {
        return asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().statusCode(200).extract().jsonPath();
    }

    static void load(String webhook, String c, double v) {
        as(webhook).contentType("application/json")
                .body("{\"samples\":[{\"cluster\":\"" + c + "\",\"metric\":\"load\",\"value\":" + v + "}]}")
                .post("/api/v1/samples").then().statusCode(202);
    }

    static List<Map<String, Object>> rows(String c, String rule, String verdict) {
        return decisions(c).<Map<String, Object>>getList("$").stream()
                .filter(d -> rule.equals(d.get("rule")) && verdict.equals(d.get("verdict"))).toList();
    }

    static int count(String c, String rule) {
        List<Map<String, Object>> refused = rows(c, rule, "refused");
        return refused.isEmpty() ? 0 : (Integer) refused.get(0).get("count");
    }

    @Test
    void theSameRefusalUpdatesItsRowAndAChangeOfOutcomeStartsANewOne() {
        String set = unique("refusals");
        asAdmin().contentType("text/plain").body(RULES).put("/api/v1/rules/" + set + "/load.drl").then().statusCode(200);
        String c = unique("refuse");
        cluster(c, 1, 20, 2, "ruleSet: " + set + "\nguard: {scaleOutCooldownSeconds: 600}");
        String webhook = token("webhook");
        load(webhook, c, 11);
        await("accepted", Duration.ofSeconds(20), () -> rows(c, "load high", "accepted").size() == 1);
        for (int i = 1; i <= 3; i++) {
            int expected = i;
            load(webhook, c, 11 + i);
            await("refusal " + i, Duration.ofSeconds(20), () -> count(c, "load high") == expected);
        }
        JsonPath d = decisions(c);
        assertEquals(2, d.getList("$").size(), "an accepted row and one row for three refusals: " + d.prettify());
        Map<String, Object> refused = rows(c, "load high", "refused").get(0);
        assertEquals(3, refused.get("count"));
        assertTrue(((String) refused.get("why")).contains("scale-out cooldown"), refused.toString());
        assertTrue(Instant.parse((String) refused.get("firstDecidedAt")).isBefore(Instant.parse((String) refused.get("decidedAt"))));
        assertEquals("load 14.0", refused.get("reason"), "the latest ask is kept");

        // another rule refused for the same reason: its own row; the first rule's row goes on counting
        load(webhook, c, 150);
        await("the other rule's row", Duration.ofSeconds(20), () -> rows(c, "load very high", "refused").size() == 1
                && count(c, "load high") == 4);
        assertEquals(3, decisions(c).getList("$").size());

        // an accepted decision in between: the next refusal starts a new row
        asAdmin().contentType("application/json").body("{\"target\":6,\"reason\":\"by hand\",\"force\":true}")
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202);
        load(webhook, c, 20);
        await("a new row after the accepted one", Duration.ofSeconds(20), () -> rows(c, "load high", "refused").size() == 2);
        List<Map<String, Object>> high = rows(c, "load high", "refused");
        assertEquals(1, high.get(0).get("count"), "newest first: the new run of refusals");
        assertEquals(4, high.get(1).get("count"));
        assertEquals(5, decisions(c).getList("$").size());
    }
}
