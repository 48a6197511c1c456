package io.rulescaler.capacity.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.CapacityFixtures;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two lease holders ("instances" vm-a and vm-b, one JVM) on one MariaDB: one owner per cluster,
 * renewal keeps it, a release hands it over at once, an expired lease is taken over with a new
 * epoch, and the old owner stops acting on its own before the database says the lease expired.
 * The names used are not clusters, so this instance's own timer leaves them alone.
 */
@QuarkusTest
class SessionLeasesTest {

    @Inject
    EntityManager em;

    @Test
    void oneOwnerAtATimeReleaseHandsOverAndRenewalKeeps() {
        String c = CapacityFixtures.unique("lease-x");
        SessionLeases a = new SessionLeases(em, config(Duration.ofSeconds(30)), CapacityFixtures.unique("vm-a"));
        SessionLeases b = new SessionLeases(em, config(Duration.ofSeconds(30)), CapacityFixtures.unique("vm-b"));

        long first = a.tryAcquire(c);
        assertTrue(first > 0, "a takes the free lease");
        assertEquals(0, b.tryAcquire(c), "b cannot while a holds it");
        assertEquals(0, b.epochOrAcquire(c), "b remembers a holds it");
        assertEquals(a.instanceId(), b.ownerOf(c));
        assertFalse(b.owns(c));
        assertEquals(first, a.tryAcquire(c), "a renews: same epoch");
        assertEquals(a.instanceId(), owner(c));

        a.releaseAll();
        assertFalse(a.owns(c), "released: a no longer acts");
        long second = b.tryAcquire(c);
        assertEquals(first + 1, second, "b takes the released lease without waiting, with the next epoch");
        assertEquals(0, a.tryAcquire(c), "a stopped instance takes nothing");
        assertEquals(b.instanceId(), owner(c));
        b.releaseAll();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldOwnerStopsActingBeforeExpiry() throws Exception {
        String c = CapacityFixtures.unique("lease-y");
        // a acts for two thirds of the lease after a renewal starts: long enough for the first take on a busy machine
        Duration lease = Duration.ofSeconds(5);
        SessionLeases a = new SessionLeases(em, config(lease), CapacityFixtures.unique("vm-a"));
        SessionLeases b = new SessionLeases(em, config(lease), CapacityFixtures.unique("vm-b"));
        long first = a.tryAcquire(c);
        assertTrue(first > 0);
        assertEquals(first, a.epoch(c));
        assertNull(b.ownerOf(c), "b has not looked yet");

        // a stops renewing (as if hung); b keeps trying, as its timer would
        CapacityFixtures.await("a to stop acting on its own", Duration.ofSeconds(30), () -> !a.owns(c));
        long taken = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (taken == 0 && System.nanoTime() < deadline) {
            taken = b.tryAcquire(c);
            if (taken == 0) {
                assertEquals(a.instanceId(), owner(c), "until it expires, the lease stays a's");
                Thread.sleep(100);
            }
        }
        assertEquals(first + 1, taken, "b took the expired lease with the next epoch");
        assertTrue(b.owns(c));
        assertEquals(0, a.tryAcquire(c), "a, back, finds the lease taken");
        assertFalse(a.owns(c));
        assertEquals(b.instanceId(), a.ownerOf(c));
        a.releaseAll();
        b.releaseAll();
    }

    private String owner(String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT owner_id FROM session_lease WHERE cluster_name = ?1").setParameter(1, cluster).getSingleResult());
    }

    static SessionConfig config(Duration lease) {
        return config(lease, true);
    }

    static SessionConfig config(Duration lease, boolean balance) {
        return new SessionConfig() {
            @Override
            public Duration lease() {
                return lease;
            }

            @Override
            public Duration renewInterval() {
                return lease.dividedBy(3);
            }

            @Override
            public Duration inboxPollInterval() {
                return Duration.ofMillis(250);
            }

            @Override
            public Duration replayWindow() {
                return Duration.ofMinutes(10);
            }

            @Override
            public boolean storeOwnerSignals() {
                return true;
            }

            @Override
            public boolean balance() {
                return balance;
            }
        };
    }
}
