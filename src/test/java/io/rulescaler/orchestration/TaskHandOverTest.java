package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.rulescaler.boot.InstanceId;
import io.rulescaler.orchestration.task.TaskHandOver;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first task of an operation the intake plans on this instance is leased to this instance in
 * the intake's own transaction and handed straight to its workers after the commit: with the
 * intake poll and the dispatcher's poll an hour apart, a manual scale still runs to its end, and its
 * first task reached the workers by the hand-off (attempt 1, on this instance), not by a claim.
 */
@QuarkusTest
@TestProfile(TaskHandOverTest.HourlyPolls.class)
class TaskHandOverTest {

    /** Neither the intake poll nor the dispatcher's poll runs during the test: only wake-ups and the hand-off move work. */
    public static class HourlyPolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.orchestration.intake-interval", "1h", "rulescaler.orchestration.poll-interval", "1h");
        }
    }

    @Inject
    Scheduler scheduler;

    @Inject
    TaskHandOver handOver;

    @Inject
    InstanceId instanceId;

    @Inject
    EntityManager em;

    @Inject
    io.rulescaler.orchestration.OrchestrationConfig config;

    @BeforeEach
    void pausePoll() {
        scheduler.pause(Orchestrator.INTAKE_JOB);
    }

    @AfterEach
    void resumePoll() {
        scheduler.resume(Orchestrator.INTAKE_JOB);
    }

    @Test
    void aManualScaleStartsItsFirstTaskByTheHandOver() {
        String c = Ops.unique("handover");
        Ops.cluster(c, "stub", 10, null);
        idleWorkers().committed(); // tasks other tests left READY in the shared database are done first
        int handedBefore = handOver.handed();
        JsonPath asked = Ops.scale(c, 1); // the call's own intake plans it; its woken intake finds nothing more
        long opId = asked.getLong("operationId");

        JsonPath op = Ops.await(opId, Duration.ofSeconds(60));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        assertEquals(1, handOver.handed() - handedBefore, "the first step's one task went to the workers by the hand-off");

        Object[] first = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t.id, t.attempt, t.seq from TaskEntity t where t.operationId = ?1 order by t.seq, t.id", Object[].class)
                .setParameter(1, opId).setMaxResults(1).getSingleResult());
        assertEquals(0, ((Number) first[2]).intValue(), "the first step's task");
        assertEquals(1, ((Number) first[1]).intValue(), "it ran once");
        String log = asAdmin().get("/api/v1/operations/" + opId + "/tasks/" + first[0] + "/log").then().statusCode(200)
                .extract().asString();
        assertTrue(log.contains("attempt 1 of") && log.contains(" on " + instanceId.value() + ":"),
                "it ran on this instance's workers: " + log);
        // the later steps were claimed by the dispatcher, woken as each outcome was recorded (its poll is an hour)
        List<Object[]> states = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t.state, count(t) from TaskEntity t where t.operationId = ?1 group by t.state", Object[].class)
                .setParameter(1, opId).getResultList());
        assertEquals(1, states.size(), "every task ended the same way: " + states.stream().map(java.util.Arrays::toString).toList());
        assertEquals("SUCCEEDED", states.get(0)[0].toString());
        assertTrue(((Number) states.get(0)[1]).intValue() > 1, "later steps ran too");
    }

    @Test
    void slotsTheHandOverDidNotUseGoBackToTheWorkers() {
        TaskHandOver.Reservation held = handOver.reserve();
        held.committed(); // nothing was planned: every slot is given back
        TaskHandOver.Reservation again = idleWorkers();
        try {
            String c = Ops.unique("slots");
            Ops.cluster(c, "stub", 10, null);
            // while one reservation holds every slot, the intake hands nothing over: the dispatcher, woken, claims
            int handedBefore = handOver.handed();
            long opId = Ops.scale(c, 1).getLong("operationId");
            again.committed();
            JsonPath op = Ops.await(opId, Duration.ofSeconds(60));
            assertEquals("succeeded", op.getString("state"), op.prettify());
            assertEquals(0, handOver.handed() - handedBefore, "no slot was free for a hand-off");
        } finally {
            again.committed();
        }
    }

    /** Every worker slot, reserved once the workers are idle (an earlier test's tasks may still be running or recording). */
    private TaskHandOver.Reservation idleWorkers() {
        TaskHandOver.Reservation r = handOver.reserve();
        for (int i = 0; i < 1200 && r.slots() < config.workers(); i++) {
            r.committed();
            sleep(50);
            r = handOver.reserve();
        }
        assertEquals(config.workers(), r.slots(), "the workers became idle: the test can hold every slot");
        return r;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
