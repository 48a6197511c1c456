package io.rulescaler.signal;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeats onto node rows and into sessions; stored alerts waiting for a rule set and replayed into the new session. */
@QuarkusTest
class SignalIntakeTest {

    @Inject
    ClusterSessions sessions;

    @Inject
    NodeService nodes;

    @Inject
    ClusterRepository clusters;

    List<Object> facts(String cluster) {
        try {
            return sessions.facts(cluster).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void heartbeatUpdatesTheNodeAndReachesTheSession() {
        String c = unique("hb");
        cluster(c, 1, 5, 1, "");
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long cid = clusters.findByName(c).orElseThrow().id;
            NodeEntity n = nodes.request(cid, c + "-1", "a", 1, "test");
            nodes.transition(n.id, NodeState.PROVISIONING, "test");
            nodes.transition(n.id, NodeState.ACTIVE, "test");
            return n.id;
        });
        String webhook = token("webhook");
        as(webhook).contentType("application/json").body("{\"cpu\": 41.5, \"memory\": 60, \"load\": 1.5}")
                .post("/api/v1/nodes/" + id + "/heartbeat").then().statusCode(202).body("cluster", equalTo(c));
        as(webhook).contentType("application/json").body("{\"cluster\": \"" + c + "\", \"cpu\": 43}")
                .post("/api/v1/nodes/" + c + "-1/heartbeat").then().statusCode(202).body("node", equalTo(c + "-1"));
        asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + c + "-1").then().statusCode(200).body("lastHeartbeatAt", notNullValue());
        await("heartbeats and the node in the session", Duration.ofSeconds(30), () -> {
            List<Object> f = facts(c);
            return f.stream().filter(o -> o instanceof Heartbeat h && h.getCpu() != null && h.getCpu() > 40).count() == 2
                    && f.stream().anyMatch(o -> o instanceof NodeView n && "active".equals(n.getState()) && n.getLastHeartbeat() != null);
        });
        as(webhook).contentType("application/json").body("{\"cpu\": 150}")
                .post("/api/v1/nodes/" + id + "/heartbeat").then().statusCode(400).body("field", equalTo("cpu"));
        as(webhook).contentType("application/json").body("{}")
                .post("/api/v1/nodes/999999999/heartbeat").then().statusCode(404);
        as(webhook).contentType("application/json").body("{}")
                .post("/api/v1/nodes/by-name/heartbeat").then().statusCode(400).body("field", equalTo("cluster"));
    }

    @Test
    void alertsWaitInStorageUntilTheRuleSetExistsThenReplayIntoTheNewSession() {
        String set = unique("later");
        String c = unique("waits");
        cluster(c, 1, 10, 2, "ruleSet: " + set);
        String webhook = token("webhook");
        as(webhook).contentType("application/json").body(AlertWebhookTest.payload(c, "firing", Long.toHexString(System.nanoTime()), "HighLoad"))
                .post("/api/v1/alerts/prometheus").then().statusCode(200).body("new", equalTo(1));
        await("the missing rule set reported", Duration.ofSeconds(30), () -> asAdmin().get("/api/v1/clusters/" + c + "/why")
                .then().extract().jsonPath().getString("text").contains("'" + set + "' is not available"));
        String drl = """
                package io.rulescaler.rules.later;
                import io.rulescaler.capacity.fact.*;
                rule "late alert rule"
                when
                    $c : ClusterView()
                    $a : Alert( name == "HighLoad" )
                then
                    insert( ScaleDecision.target( $c.getName(), 7, "replayed " + $a.getFingerprint() ) );
                end
                """;
        asAdmin().contentType("text/plain").body(drl).put("/api/v1/rules/" + set + "/late.drl").then().statusCode(200);
        await("the stored alert decides once the rules exist", Duration.ofSeconds(15), () -> !asAdmin()
                .get("/api/v1/clusters/" + c + "/decisions").then().extract().jsonPath().getList("$").isEmpty());
        asAdmin().get("/api/v1/clusters/" + c + "/decisions").then()
                .body("[0].rule", equalTo("late alert rule")).body("[0].target", equalTo(7))
                .body("[0].reason", containsString("replayed"));
    }
}
