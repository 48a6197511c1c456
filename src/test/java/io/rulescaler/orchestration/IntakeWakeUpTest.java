package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.rulescaler.handoff.ScaleRequestEntity;
import io.rulescaler.handoff.ScaleRequests;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scale request committed on this instance is taken in by this instance's orchestrator without
 * waiting for the poll (here an hour apart, and paused), and only once its transaction committed.
 */
@QuarkusTest
@TestProfile(IntakeWakeUpTest.HourlyPoll.class)
class IntakeWakeUpTest {

    /** The intake poll runs once an hour: only the wake-up can take a request in during the test. */
    public static class HourlyPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.orchestration.intake-interval", "1h");
        }
    }

    @Inject
    Scheduler scheduler;

    @Inject
    ScaleRequests requests;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @BeforeEach
    void pausePoll() {
        scheduler.pause(Orchestrator.INTAKE_JOB); // its first round runs 2 s after start; no round at all from here on
    }

    @AfterEach
    void resumePoll() {
        scheduler.resume(Orchestrator.INTAKE_JOB);
    }

    @Test
    void aManualScaleThroughTheGuardBecomesAnOperationWithoutThePoll() {
        String c = Ops.unique("wake");
        Ops.cluster(c, "stub", 10, null);
        // the capacity planner's manual scale: a decision and its request, no intake of its own
        JsonPath decision = asAdmin().contentType("application/json").body(Map.of("target", 2, "reason", "wake-up test"))
                .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202).extract().jsonPath();
        long requestId = decision.getLong("scaleRequestId");

        long opId = awaitOperation(c, Duration.ofSeconds(30));
        JsonPath op = Ops.await(opId, Duration.ofSeconds(60));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        assertEquals(requestId, op.getLong("scaleRequestId"), op.prettify());
        assertEquals(2, op.getInt("targetSize"), op.prettify());
        assertEquals(ScaleRequestEntity.Status.ACCEPTED, status(requestId));
    }

    @Test
    void aRequestWhoseTransactionRollsBackWakesNothing() {
        String held = Ops.unique("held");
        String sentinel = Ops.unique("sentinel");
        Ops.cluster(held, "stub", 10, null);
        Ops.cluster(sentinel, "stub", 10, null);
        // a pending request written without the hand-off's event: only a woken intake of its cluster (or the poll) takes it
        long waiting = QuarkusTransaction.requiringNew().call(() -> {
            ScaleRequestEntity r = pending(held, 1);
            em.persist(r);
            em.flush();
            return r.id;
        });
        // the hand-off written and rolled back: had it woken the intake (at once or at the rollback), the waiting request would be taken
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            requests.submit(pending(held, 2));
            throw new IllegalStateException("roll back");
        }));
        // a committed request of another cluster afterwards: the intake thread takes wake-ups in order, so once
        // this one is an operation, a wake-up of the first cluster would have been handled too
        long sentinelRequest = QuarkusTransaction.requiringNew().call(() -> requests.submit(pending(sentinel, 1)));
        long sentinelOp = awaitOperation(sentinel, Duration.ofSeconds(30));
        assertEquals(ScaleRequestEntity.Status.ACCEPTED, status(sentinelRequest));
        assertTrue(sentinelOp > 0);

        assertEquals(ScaleRequestEntity.Status.PENDING, status(waiting), "nothing woke the intake of " + held);
        assertEquals(List.of(), operations(held), "no operation for " + held);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(r) from ScaleRequestEntity r where r.clusterName = ?1", Long.class)
                .setParameter(1, held).getSingleResult()), "the rolled-back request was never stored");
        QuarkusTransaction.requiringNew().run(() -> em.find(ScaleRequestEntity.class, waiting).status = ScaleRequestEntity.Status.REJECTED);
    }

    /**
     * The intake's claim (one statement since round 7): a pending request older than one already taken (it committed
     * late) is superseded, naming the taken one; of the newer ones the newest is returned and the rest superseded;
     * with only late ones left there is nothing to take.
     */
    @Test
    void aRequestCommittedLateIsSupersededByTheNewerOneAlreadyTaken() {
        String c = Ops.unique("late");
        // written without the hand-off's event and with the poll paused: only this test's claims touch them
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<ScaleRequestEntity> rows = List.of(pending(c, 1), pending(c, 2), pending(c, 3), pending(c, 4));
            rows.forEach(em::persist);
            em.flush();
            rows.get(1).status = ScaleRequestEntity.Status.ACCEPTED; // the second one was taken already
            return rows.stream().map(r -> r.id).toList();
        });
        long late = ids.get(0);
        long taken = ids.get(1);
        long olderThanNewest = ids.get(2);
        long newest = ids.get(3);
        Long claimed = QuarkusTransaction.requiringNew().call(() -> {
            ScaleRequestEntity r = requests.claimNewest(c, clock.instant());
            requests.reject(r, "test: claimed, not run", clock.instant());
            return r.id;
        });
        assertEquals(newest, claimed, "the newest pending request is the one taken");
        assertEquals(ScaleRequestEntity.Status.SUPERSEDED, status(late));
        assertTrue(detail(late).contains("request " + taken + " which was already taken"), "the late request names the one taken before it: " + detail(late));
        assertEquals(ScaleRequestEntity.Status.SUPERSEDED, status(olderThanNewest));
        assertTrue(detail(olderThanNewest).contains("request " + newest + " (target 4)"), detail(olderThanNewest));
        assertEquals(ScaleRequestEntity.Status.ACCEPTED, status(taken), "a taken request is left as it was");

        // only a late request pending: superseded, nothing to take
        List<Long> again = QuarkusTransaction.requiringNew().call(() -> {
            List<ScaleRequestEntity> rows = List.of(pending(c, 5), pending(c, 6));
            rows.forEach(em::persist);
            em.flush();
            rows.get(1).status = ScaleRequestEntity.Status.REJECTED; // taken (and refused) after the first was written
            return rows.stream().map(r -> r.id).toList();
        });
        assertEquals(null, QuarkusTransaction.requiringNew().call(() -> requests.claimNewest(c, clock.instant())));
        assertEquals(ScaleRequestEntity.Status.SUPERSEDED, status(again.get(0)));
        assertTrue(detail(again.get(0)).contains("request " + again.get(1) + " which was already taken"), detail(again.get(0)));
    }

    private String detail(long requestId) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(ScaleRequestEntity.class, requestId).statusDetail);
    }

    private ScaleRequestEntity pending(String cluster, int target) {
        return ScaleRequestEntity.pending(cluster, target, 0, "wake-up test", ScaleRequestEntity.Source.MANUAL, "test", clock.instant());
    }

    private ScaleRequestEntity.Status status(long requestId) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(ScaleRequestEntity.class, requestId).status);
    }

    private static List<Object> operations(String cluster) {
        return asAdmin().queryParam("cluster", cluster).get("/api/v1/operations").then().statusCode(200)
                .extract().jsonPath().getList("id");
    }

    /** Polls the API (bounded) until the cluster has an operation; returns its id. */
    private static long awaitOperation(String cluster, Duration max) {
        Instant end = Instant.now().plus(max);
        while (Instant.now().isBefore(end)) {
            List<Object> ids = operations(cluster);
            if (!ids.isEmpty()) {
                return ((Number) ids.get(0)).longValue();
            }
            Ops.sleep(100);
        }
        throw new AssertionError("no operation for " + cluster + " within " + max + " although the intake was woken");
    }
}
