package io.rulescaler.capacity.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.CapacityFixtures;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two lease holders ("instances" vm-a and vm-b, one JVM) on the test database share the sessions
 * of all its clusters (those of other test classes too). This JVM's own instance is first made to
 * look gone: its timers paused until it stops acting on its own, then its leases expired and its
 * presence row deleted, as after a crash; it takes everything back after the test.
 */
@QuarkusTest
class SessionLeaseBalanceTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    EntityManager em;

    @Inject
    SessionLeases app;

    @Inject
    Scheduler scheduler;

    private SessionLeases a;
    private SessionLeases b;

    @BeforeEach
    void appInstanceGone() {
        for (int i = 0; i < 4; i++) {
            CapacityFixtures.cluster(CapacityFixtures.unique("bal"), 0, 3, 0, "dryRun: true");
        }
        scheduler.pause();
        CapacityFixtures.await("this JVM's instance to stop acting on its leases", Duration.ofSeconds(40), () -> app.held().isEmpty());
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE session_lease SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE owner_id = ?1")
                    .setParameter(1, app.instanceId()).executeUpdate();
            em.createNativeQuery("DELETE FROM session_instance WHERE instance_id = ?1").setParameter(1, app.instanceId()).executeUpdate();
        });
    }

    @AfterEach
    void appInstanceBack() {
        if (a != null) {
            a.releaseAll();
        }
        if (b != null) {
            b.releaseAll();
        }
        scheduler.resume();
        List<String> all = clusters();
        CapacityFixtures.await("this JVM's instance to take every session back", Duration.ofSeconds(30),
                () -> app.held().keySet().containsAll(all));
    }

    @Test
    void aSecondInstanceGetsItsShareByHandoffsOneOwnerThroughoutAndAllComeBackWhenItStops() {
        a = new SessionLeases(em, SessionLeasesTest.config(LEASE), CapacityFixtures.unique("vm-a"));
        b = new SessionLeases(em, SessionLeasesTest.config(LEASE), CapacityFixtures.unique("vm-b"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "INSERT INTO session_instance (instance_id, seen_at) VALUES (?1, NOW(6) - INTERVAL 1 HOUR)")
                .setParameter(1, CapacityFixtures.unique("vm-gone")).executeUpdate());

        List<String> clusters = clusters();
        int n = clusters.size();
        assertTrue(n >= 4, "at least this test's clusters: " + n);
        assertEquals(n, a.renewAndTake().size(), "alone, a takes every free lease");
        assertEquals(new SessionLeases.Balance(1, n, n), a.balance());
        assertEquals(0, count("SELECT COUNT(*) FROM session_instance WHERE seen_at < NOW(6) - INTERVAL 5 MINUTE"),
                "an instance gone for several leases is deleted by a renewal");
        Set<String> heldByA = Set.copyOf(a.held().keySet());

        assertEquals(0, b.renewAndTake().size(), "b appears: nothing is free");
        int share = (n + 1) / 2;
        assertEquals(new SessionLeases.Balance(2, share, 0), b.balance());
        oneOwnerEach(clusters);

        Set<String> handedOff = new HashSet<>();
        for (int round = 0; round < n + 5 && Math.abs(a.held().size() - b.held().size()) > 1; round++) {
            Set<String> before = Set.copyOf(a.held().keySet());
            a.renewAndTake();
            Set<String> gone = new HashSet<>(before);
            gone.removeAll(a.held().keySet());
            assertTrue(gone.size() <= LeaseShare.MAX_HANDOFF_PER_ROUND, "a few per round: " + gone);
            for (String c : gone) {
                assertEquals(0, a.epochOrAcquire(c), "a does not take back what it just handed off: " + c);
                assertFalse(a.owns(c));
                assertEquals(0, count("SELECT COUNT(*) FROM session_lease WHERE cluster_name = '" + c + "' AND expires_at >= NOW(6)"),
                        "the handed-off lease is free in the database");
            }
            handedOff.addAll(gone);
            oneOwnerEach(clusters);
            b.renewAndTake();
            oneOwnerEach(clusters);
        }
        int atA = a.held().size();
        int atB = b.held().size();
        assertTrue(Math.abs(atA - atB) <= 1, "balanced: a=" + atA + " b=" + atB);
        assertEquals(n, atA + atB, "every cluster held");
        assertTrue(atA <= share && atB <= share, "both within the share " + share);
        assertTrue(heldByA.containsAll(b.held().keySet()) && !b.held().isEmpty(), "b got clusters a held");
        assertEquals(handedOff, b.held().keySet(), "b holds exactly what a handed off");
        for (String c : b.held().keySet()) {
            assertEquals(0, a.epochOrAcquire(c), "a leaves b's clusters alone: " + c);
            assertEquals(1, count("SELECT COUNT(*) FROM session_lease WHERE cluster_name = '" + c + "' AND owner_id = '"
                    + b.instanceId() + "' AND expires_at >= NOW(6)"), "b's in the database: " + c);
        }

        Map<String, Long> stableA = a.renewAndTake();
        Map<String, Long> stableB = b.renewAndTake();
        assertEquals(stableA, a.renewAndTake(), "balanced: no more handoffs");
        assertEquals(stableB, b.renewAndTake());
        assertEquals(new SessionLeases.Balance(2, share, atB), b.balance());

        b.releaseAll();
        assertEquals(0, count("SELECT COUNT(*) FROM session_instance WHERE instance_id = '" + b.instanceId() + "'"),
                "a graceful stop deletes the presence row");
        for (int round = 0; round < 3 && a.held().size() < n; round++) {
            a.renewAndTake();
        }
        assertEquals(n, a.held().size(), "a takes everything back, the clusters it handed off too");
        assertEquals(new SessionLeases.Balance(1, n, n), a.balance());
        for (String c : clusters) {
            assertFalse(b.owns(c));
        }
    }

    @Test
    void withoutBalanceTheFirstInstanceKeepsEverything() {
        a = new SessionLeases(em, SessionLeasesTest.config(LEASE, false), CapacityFixtures.unique("vm-a"));
        b = new SessionLeases(em, SessionLeasesTest.config(LEASE, false), CapacityFixtures.unique("vm-b"));
        List<String> clusters = clusters();
        int n = clusters.size();
        assertEquals(n, a.renewAndTake().size());
        for (int round = 0; round < 4; round++) {
            assertEquals(0, b.renewAndTake().size(), "b never gets one while a renews");
            assertEquals(n, a.renewAndTake().size(), "a hands nothing off");
            oneOwnerEach(clusters);
        }
        a.releaseAll();
        assertEquals(n, b.renewAndTake().size(), "a stops: b takes all at once");
    }

    /** Every cluster is held by exactly one of a and b, in their memory and in the database. */
    private void oneOwnerEach(List<String> clusters) {
        for (String c : clusters) {
            assertTrue(a.owns(c) ^ b.owns(c) || (!a.owns(c) && !b.owns(c) && free(c)),
                    "one owner or a free (handed-off) lease: " + c + " a=" + a.owns(c) + " b=" + b.owns(c));
        }
        assertEquals(0, count("SELECT COUNT(*) FROM session_lease l JOIN cluster c ON c.name = l.cluster_name"
                + " WHERE l.expires_at >= NOW(6) AND l.owner_id NOT IN ('" + a.instanceId() + "', '" + b.instanceId() + "')"),
                "no other instance holds a lease");
    }

    private boolean free(String cluster) {
        return count("SELECT COUNT(*) FROM session_lease WHERE cluster_name = '" + cluster + "' AND expires_at >= NOW(6)") == 0;
    }

    private List<String> clusters() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT name FROM cluster", String.class).getResultList());
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }
}
