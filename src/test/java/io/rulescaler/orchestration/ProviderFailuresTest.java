package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Injected provider failures (test-only fault-injecting stub profiles from application.properties):
 * retries as configured, rollback leaving no machine behind, timeouts, the failure mail.
 */
@QuarkusTest
class ProviderFailuresTest {

    @Inject
    AgroalDataSource db;

    @Test
    void capacityErrorsAreRetriedUntilTheyPass() {
        String c = Ops.unique("flaky");
        Ops.cluster(c, "stub-flaky", 5, null); // first 2 creates of every node fail (capacity, retryable)
        JsonPath op = Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        List<Map<String, Object>> deploys = tasks(op, "deploy");
        assertEquals(2, deploys.size());
        assertTrue(deploys.stream().allMatch(t -> ((Integer) t.get("attempt")) == 3), deploys.toString());
        String log = asAdmin().get("/api/v1/operations/" + op.getLong("id") + "/tasks/" + deploys.get(0).get("id") + "/log")
                .then().statusCode(200).extract().asString();
        assertTrue(log.contains("has no capacity") && log.contains("injected fault 1 of 2") && log.contains("attempt 3 of 3"), log);
        assertEquals(2, Ops.machines("stub-flaky", c).size());
    }

    @Test
    void aQuotaErrorRollsBackEveryMachineAndMailsTheFailingTask() throws Exception {
        String c = Ops.unique("broken");
        Ops.cluster(c, "stub-broken", 5, null); // node <c>-3 always fails with a quota error (not retryable)
        // the counters are the JVM's: an earlier test's operation still running here may end and count meanwhile, as this one does
        String other = Ops.unique("broken-other");
        Ops.cluster(other, "stub-broken", 5, null);
        long failedOpsAside = settled(FAILED_SCALE_OUTS);
        long failedDeploysAside = settled(FAILED_DEPLOYS);
        long otherOp = Ops.scale(other, 3).getLong("operationId");
        JsonPath op = Ops.await(Ops.scale(c, 3).getLong("operationId"), Duration.ofSeconds(60));
        assertEquals("failed", op.getString("state"), op.prettify());
        assertEquals("failed", Ops.await(otherOp, Duration.ofSeconds(60)).getString("state"));
        // the metrics are recorded after the operation's end commits: wait for them, then they must move exactly as the database did
        assertEquals(failedOpsAside, settled(FAILED_SCALE_OUTS, failedOpsAside),
                "each failed scale-out recorded once by the duration metric");
        assertEquals(failedDeploysAside, settled(FAILED_DEPLOYS, failedDeploysAside),
                "each failed deploy task counted once under its action");
        assertTrue(op.getString("error").contains("step deploy (DeployEC2Node) for node " + c + "-3")
                && op.getString("error").contains("out of quota") && op.getString("error").contains("rolled back"), op.getString("error"));
        Map<String, Object> failed = tasks(op, "deploy").stream().filter(t -> "failed".equals(t.get("state"))).findFirst().orElseThrow();
        assertEquals(1, failed.get("attempt"), "a quota error is not retried");
        List<Map<String, Object>> undo = tasks(op, "undo-deploy");
        assertEquals(3, undo.size(), "every deploy that started is undone");
        assertTrue(undo.stream().allMatch(t -> "succeeded".equals(t.get("state"))), undo.toString());
        assertEquals(0, Ops.machines("stub-broken", c).size(), "no orphan machine");
        assertTrue(Ops.nodes(c).stream().allMatch(n -> "terminated".equals(n.get("state"))), Ops.nodes(c).toString());

        List<MimeMessage> mails = ScaleOutAndInOnStubTest.mailsFor("ops-" + c + "@example.com", 2);
        MimeMessage mail = mails.stream().filter(m -> ScaleOutAndInOnStubTest.subject(m).contains("failed")).findFirst().orElseThrow();
        assertEquals("[rulescaler] " + c + ": scale-out " + op.getLong("id") + " failed at step deploy (" + c + "-3)",
                ScaleOutAndInOnStubTest.subject(mail));
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Failing task: deploy (DeployEC2Node) for node " + c + "-3") && body.contains("injected fault"), body);
    }

    @Test
    void aProviderSlowerThanTheStepTimeoutFailsAfterItsAttemptsAndRollsBack() {
        String c = Ops.unique("slow");
        Ops.cluster(c, "stub-slow", 5, "chains: {scaleOut: test-timeout-scale-out}\n");
        JsonPath op = Ops.await(Ops.scale(c, 1).getLong("operationId"), Duration.ofSeconds(90));
        assertEquals("failed", op.getString("state"), op.prettify());
        Map<String, Object> deploy = tasks(op, "deploy").get(0);
        assertEquals(2, deploy.get("attempt"));
        assertTrue(String.valueOf(deploy.get("message")).contains("timed out after 1 s"), deploy.toString());
        assertEquals(0, Ops.machines("stub-slow", c).size(), "no orphan machine");
    }

    @Test
    void cancelInTheMiddleStopsPendingTasksAndUndoesWhatWasDone() {
        String c = Ops.unique("cancel");
        Ops.cluster(c, "stub", 10, "chains: {scaleOut: test-cancel-scale-out}\n");
        long id = Ops.scale(c, 4).getLong("operationId");
        for (int i = 0; i < 200; i++) {
            JsonPath op = asAdmin().get("/api/v1/operations/" + id).then().extract().jsonPath();
            if (tasks(op, "slow-configure").stream().anyMatch(t -> "succeeded".equals(t.get("state")))) {
                break;
            }
            Ops.sleep(100);
        }
        String operator = asAdmin().contentType("application/json").body(Map.of("name", Ops.unique("op-operator"), "role", "operator"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        io.rulescaler.testing.Api.as(operator).post("/api/v1/operations/" + id + "/cancel").then().statusCode(202);
        JsonPath op = Ops.await(id, Duration.ofSeconds(60));
        assertEquals("cancelled", op.getString("state"), op.prettify());
        assertTrue(op.getBoolean("cancelRequested"));
        List<Map<String, Object>> configure = tasks(op, "slow-configure");
        long done = configure.stream().filter(t -> "succeeded".equals(t.get("state"))).count();
        long cancelled = configure.stream().filter(t -> "cancelled".equals(t.get("state"))).count();
        assertTrue(done >= 1 && cancelled >= 1 && done + cancelled == 4, configure.toString());
        assertEquals(4, tasks(op, "undo-deploy").size());
        assertEquals(0, Ops.machines("stub", c).size(), "every machine the operation made is gone");
        assertTrue(Ops.nodes(c).stream().allMatch(n -> "terminated".equals(n.get("state"))), Ops.nodes(c).toString());
        // a second cancel of an ended operation is a conflict, as problem+json
        asAdmin().post("/api/v1/operations/" + id + "/cancel").then().statusCode(409).contentType("application/problem+json");
    }

    /** A metric series and the database's count of what it counts: ended operations' rows, whoever started them. */
    record Counted(String series, String sql) {
    }

    static final Counted FAILED_SCALE_OUTS = new Counted("rulescaler_operation_duration_seconds_count{kind=\"scale_out\",state=\"failed\"}",
            "SELECT COUNT(*) FROM operation WHERE kind = 'SCALE_OUT' AND state = 'FAILED' AND finished_at IS NOT NULL");
    static final Counted FAILED_DEPLOYS = new Counted("rulescaler_task_failures_total{action=\"DeployEC2Node\"}",
            "SELECT COUNT(*) FROM task t JOIN operation o ON o.id = t.operation_id"
                    + " WHERE t.action_type = 'DeployEC2Node' AND t.state = 'FAILED' AND o.finished_at IS NOT NULL");

    long settled(Counted counted) {
        return settled(counted, null);
    }

    /**
     * The series' value less the database's count (constant while every ended operation is counted once), read until two
     * reads a moment apart agree (and equal {@code expected}, if given, within 20 s): an operation whose end committed a
     * moment ago may not be counted yet.
     */
    long settled(Counted counted, Long expected) {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < 100; i++) {
            long now = Math.round(metric(counted.series())) - count(counted.sql());
            if (now == last && (expected == null || now == expected)) {
                return now;
            }
            last = now;
            Ops.sleep(200);
        }
        return last;
    }

    long count(String sql) {
        try (Connection conn = db.getConnection(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** One series' value from {@code /q/metrics}, 0 when the series is not there yet. */
    static double metric(String series) {
        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    static List<Map<String, Object>> tasks(JsonPath op, String step) {
        return op.<Map<String, Object>>getList("tasks").stream().filter(t -> step.equals(t.get("step"))).toList();
    }
}
