package io.rulescaler.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which database errors are lost races (run the transaction again) and which are faults. */
class LostRaceTest {

    @Test
    void certificationFailuresDeadlocksAndWsrepErrorsAreLostRaces() {
        // what Connector/J throws for Galera's certification failure at commit, wrapped as Hibernate/JTA wrap it
        assertTrue(LostRace.is(new PersistenceException("could not execute",
                new SQLTransactionRollbackException("Deadlock found when trying to get lock; try restarting transaction", "40001", 1213))));
        assertTrue(LostRace.is(new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047)));
        assertTrue(LostRace.is(new SQLException("Got error 6 during COMMIT", "HY000", 1180)));
        assertTrue(LostRace.is(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(LostRace.is(new SQLException("Connection was killed", "70100", 1927)));
        assertTrue(LostRace.is(new RuntimeException(new IllegalStateException("wsrep_local_state is not SYNCED"))));
        assertTrue(LostRace.is(new SQLException("socket closed", "08000", 0)), "the node went away: the driver fails over");
        // seen in GaleraKillIT when the node died mid-transaction and the sequential URL moved to the next node
        assertTrue(LostRace.is(new PersistenceException("JDBC exception executing SQL", new SQLException(
                "Driver has reconnect connection after a communications link failure with 127.0.0.1:35823. In progress transaction was lost",
                "25S03", 0))));
        SQLException chained = new SQLException("batch failed", "HY000", 0);
        chained.setNextException(new SQLException("deadlock", "40001", 1213));
        assertTrue(LostRace.is(chained));
    }

    @Test
    void faultsAreNotLostRaces() {
        assertFalse(LostRace.is(new SQLIntegrityConstraintViolationException("Duplicate entry 'web' for key 'uq_cluster_name'", "23000", 1062)));
        assertFalse(LostRace.is(new SQLSyntaxErrorException("You have an error in your SQL syntax", "42000", 1064)));
        assertFalse(LostRace.is(new PersistenceException("Table 'rs.task' doesn't exist", new SQLException("x", "42S02", 1146))));
        assertFalse(LostRace.is(new IllegalArgumentException("bad input")));
        assertFalse(LostRace.is(null));
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(LostRace.is(a));
    }

    @Test
    void retryRunsALostRaceAgainAndThrowsFaultsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        String out = LostRace.retry("claim", 5, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new PersistenceException(new SQLTransactionRollbackException("Deadlock found", "40001", 1213));
            }
            return "won";
        });
        assertEquals("won", out);
        assertEquals(3, calls.get());

        calls.set(0);
        IllegalStateException fault = new IllegalStateException("fault");
        assertSame(fault, assertThrows(IllegalStateException.class, () -> LostRace.retry("claim", 5, () -> {
            calls.incrementAndGet();
            throw fault;
        })));
        assertEquals(1, calls.get(), "a fault is not run again");

        calls.set(0);
        assertThrows(PersistenceException.class, () -> LostRace.retry("claim", 4, () -> {
            calls.incrementAndGet();
            throw new PersistenceException(new SQLException("WSREP has not yet prepared node", "08S01", 1047));
        }));
        assertEquals(4, calls.get(), "given up after the last try");
    }

    @Test
    void retryForRunsALostRaceAgainUntilItsTimeIsUpAndThrowsFaultsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        // a failover: the pool's connections fail one after the other, more than a few tries' worth
        String out = LostRace.retryFor("start task", java.time.Duration.ofMinutes(1), () -> {
            if (calls.incrementAndGet() < 12) {
                throw new PersistenceException(new SQLException("In progress transaction was lost", "25S03", 0));
            }
            return "started";
        });
        assertEquals("started", out);
        assertEquals(12, calls.get());

        calls.set(0);
        IllegalStateException fault = new IllegalStateException("fault");
        assertSame(fault, assertThrows(IllegalStateException.class, () -> LostRace.retryFor("start task", java.time.Duration.ofMinutes(1), () -> {
            calls.incrementAndGet();
            throw fault;
        })));
        assertEquals(1, calls.get(), "a fault is not run again");

        calls.set(0);
        // a window long enough that a stall before the first failure (a collection, a busy machine) leaves time to run again
        assertThrows(PersistenceException.class, () -> LostRace.retryFor("start task", java.time.Duration.ofSeconds(1), () -> {
            calls.incrementAndGet();
            throw new PersistenceException(new SQLException("socket closed", "08000", 0));
        }));
        assertTrue(calls.get() > 1, "run again while the time lasts, then given up: " + calls.get());
    }
}
