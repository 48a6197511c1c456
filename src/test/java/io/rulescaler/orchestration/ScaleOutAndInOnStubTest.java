package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped stub chains end to end: scale out and in through the REST API, real DB, real SMTP. */
@QuarkusTest
class ScaleOutAndInOnStubTest {

    @Test
    void scaleOutThenInOnTheStubProvider() throws Exception {
        String c = Ops.unique("sio");
        Ops.cluster(c, "stub", 10, null);
        JsonPath accepted = Ops.scale(c, 3);
        assertEquals("ACCEPTED", accepted.getString("status"), accepted.prettify());
        long opId = accepted.getLong("operationId");

        JsonPath op = Ops.await(opId, Duration.ofSeconds(60));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        assertEquals("stub-scale-out", op.getString("chain"));
        assertEquals(op.getInt("progress.total"), op.getInt("progress.done"));
        assertEquals(3 * 2 + 2, op.getInt("progress.total"), "deploy+configure per node, update-cluster, notify");
        assertEquals(3, op.getList("nodes").size());

        List<Map<String, Object>> nodes = Ops.nodes(c);
        assertEquals(3, nodes.size());
        assertTrue(nodes.stream().allMatch(n -> "active".equals(n.get("state")) && n.get("providerId") != null), nodes.toString());
        Map<Object, Long> zones = nodes.stream().collect(Collectors.groupingBy(n -> n.get("zone"), Collectors.counting()));
        assertEquals(Map.of("a", 2L, "b", 1L), zones, "layout a:2 b:1");

        List<Map<String, Object>> machines = Ops.machines("stub", c);
        assertEquals(3, machines.size());
        Set<Object> taggedNodes = machines.stream().map(m -> ((Map<?, ?>) m.get("tags")).get("rulescaler-node-id")).collect(Collectors.toSet());
        assertEquals(3, taggedNodes.size(), "one machine per node");
        assertTrue(machines.stream().allMatch(m -> String.valueOf(opId).equals(((Map<?, ?>) m.get("tags")).get("rulescaler-operation"))));

        // the LocalScript step's output is in its task log, with the node's values from the environment
        Map<String, Object> configure = op.<Map<String, Object>>getList("tasks").stream()
                .filter(t -> "configure".equals(t.get("step")) && (c + "-1").equals(t.get("node"))).findFirst().orElseThrow();
        asAdmin().get("/api/v1/operations/" + opId + "/tasks/" + configure.get("id") + "/log").then().statusCode(200)
                .body(containsString("node " + c + "-1 (id")).body(containsString("of cluster " + c));

        // mails: started (by the orchestrator) and succeeded (by the chain's Email step)
        List<MimeMessage> mails = mailsFor("ops-" + c + "@example.com", 2);
        String subjects = mails.stream().map(ScaleOutAndInOnStubTest::subject).collect(Collectors.joining(" | "));
        assertTrue(subjects.contains(c + ": scale-out " + opId + " started"), subjects);
        assertTrue(subjects.contains(c + ": scale-out " + opId + " succeeded"), subjects);
        MimeMessage done = mails.stream().filter(m -> subject(m).contains("succeeded")).findFirst().orElseThrow();
        List<String> to = Arrays.stream(done.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
        assertTrue(to.containsAll(List.of("ops-" + c + "@example.com", "lead-" + c + "@example.com")), to.toString());
        String body = GreenMailUtil.getBody(done);
        assertTrue(body.contains("Size:    0 -> 3") && body.contains(c + "-2"), body);

        // scale in to 1: two nodes drained, destroyed, terminated; their machines are gone
        JsonPath in = Ops.scale(c, 1);
        assertEquals("ACCEPTED", in.getString("status"), in.prettify());
        JsonPath opIn = Ops.await(in.getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("succeeded", opIn.getString("state"), opIn.prettify());
        assertEquals("scale-in", opIn.getString("kind"));
        List<Map<String, Object>> after = Ops.nodes(c);
        assertEquals(1, after.stream().filter(n -> "active".equals(n.get("state"))).count(), after.toString());
        assertEquals(2, after.stream().filter(n -> "terminated".equals(n.get("state"))).count(), after.toString());
        List<Map<String, Object>> left = Ops.machines("stub", c);
        assertEquals(1, left.size());
        String activeName = after.stream().filter(n -> "active".equals(n.get("state"))).findFirst().orElseThrow().get("name").toString();
        assertEquals(activeName, ((Map<?, ?>) left.get(0).get("tags")).get("rulescaler-node"));

        // the same target again is refused with a reason, and the operation list filters by cluster and state
        JsonPath same = Ops.scale(c, 1);
        assertEquals("REJECTED", same.getString("status"));
        assertTrue(same.getString("detail").contains("already has 1 live nodes"), same.prettify());
        asAdmin().queryParam("cluster", c).queryParam("state", "succeeded").get("/api/v1/operations").then()
                .statusCode(200).body("size()", equalTo(2));

        // out again to 3: the freed indexes are reused (DNS "#.zone.base"), names stay unique
        JsonPath again = Ops.scale(c, 3);
        assertEquals("succeeded", Ops.await(again.getLong("operationId"), Duration.ofSeconds(60)).getString("state"));
        List<Map<String, Object>> now = Ops.nodes(c);
        Set<Object> liveIndexes = now.stream().filter(n -> "active".equals(n.get("state"))).map(n -> n.get("index"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), liveIndexes, now.toString());
        assertEquals(5, now.stream().map(n -> n.get("name")).distinct().count(), "every node ever has its own name: " + now);
        assertTrue(now.stream().anyMatch(n -> (c + "-5").equals(n.get("name"))), now.toString());
    }

    @Test
    void viewersReadButCannotCancelAndBadInputIsAProblem() {
        String viewer = asAdmin().contentType("application/json").body(Map.of("name", Ops.unique("op-viewer"), "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        io.rulescaler.testing.Api.as(viewer).get("/api/v1/operations").then().statusCode(200);
        io.rulescaler.testing.Api.as(viewer).post("/api/v1/operations/1/cancel").then().statusCode(403);
        asAdmin().get("/api/v1/operations/987654321").then().statusCode(404).contentType("application/problem+json");
        asAdmin().queryParam("state", "bogus").get("/api/v1/operations").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("state"));
        asAdmin().contentType("application/json").body(Map.of("cluster", "nope", "type", "warp"))
                .post("/api/v1/operations").then().statusCode(400).body("field", equalTo("type"));
    }

    static List<MimeMessage> mailsFor(String recipient, int atLeast) throws Exception {
        for (int i = 0; i < 600; i++) { // up to a minute: one sender thread serves every test on a loaded machine
            List<MimeMessage> mine = Arrays.stream(OrchestrationTestResources.mail().getReceivedMessages())
                    .filter(m -> {
                        try {
                            return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
                        } catch (Exception e) {
                            return false;
                        }
                    }).toList();
            if (mine.size() >= atLeast * 2 / 2) {
                // each message is delivered once per recipient; count distinct subjects
                long distinct = mine.stream().map(ScaleOutAndInOnStubTest::subject).distinct().count();
                if (distinct >= atLeast) {
                    return mine;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + atLeast + " mails reached " + recipient);
    }

    /** Waits until a mail to the recipient whose subject contains the fragment arrives, and returns every mail to them. */
    static List<MimeMessage> mailsWithSubject(String recipient, String fragment) throws Exception {
        for (int i = 0; i < 600; i++) { // up to a minute, as in mailsFor
            List<MimeMessage> mine = mailsFor(recipient, 0);
            if (mine.stream().anyMatch(m -> subject(m).contains(fragment))) {
                return mine;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail to " + recipient + " about '" + fragment + "' within a minute: "
                + mailsFor(recipient, 0).stream().map(ScaleOutAndInOnStubTest::subject).toList());
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
