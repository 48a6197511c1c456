package io.rulescaler.db;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Tells a lost race from a fault: on a Galera cluster with several writers, {@code FOR UPDATE}
 * locks only on the node that took them, and the loser of two conflicting transactions learns it at
 * commit (error 1213, "Deadlock found", or a WSREP error while a node leaves or joins); on one
 * server the same error is an InnoDB deadlock. Both mean "nothing of this transaction was written,
 * run it again or let the winner have it" - never a failed task, a lost alert or a second machine.
 * See docs/scaling.md.
 */
public final class LostRace {

    /** ER_LOCK_DEADLOCK: InnoDB deadlock, and Galera's certification failure or brute-force abort. */
    public static final int DEADLOCK = 1213;
    /** ER_LOCK_WAIT_TIMEOUT. */
    public static final int LOCK_WAIT_TIMEOUT = 1205;
    /** ER_UNKNOWN_COM_ERROR: "WSREP has not yet prepared node for application use" (node not synced, or non-primary). */
    public static final int WSREP_NOT_READY = 1047;
    /** ER_ERROR_DURING_COMMIT: the commit itself failed (certification, or the node left the primary component). */
    public static final int ERROR_DURING_COMMIT = 1180;
    /** ER_CONNECTION_KILLED: the node killed the connection (e.g. it left the cluster). */
    public static final int CONNECTION_KILLED = 1927;
    /** ER_QUERY_INTERRUPTED: Galera aborted the statement for a replicated one. */
    public static final int QUERY_INTERRUPTED = 1317;

    private static final Logger LOG = Logger.getLogger(LostRace.class);

    private LostRace() {
    }

    /**
     * Whether {@code t} (or one of its causes) says the transaction lost a race or its node went
     * away mid-transaction: running the same transaction again is the right answer.
     */
    public static boolean is(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            if (c instanceof SQLException sql && retryable(sql)) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getNextException() != null && is(sql.getNextException())) {
                return true;
            }
            String name = c.getClass().getName();
            if (name.equals("jakarta.transaction.RollbackException") || name.endsWith(".LockAcquisitionException")
                    || name.equals("jakarta.persistence.PessimisticLockException")
                    || name.equals("jakarta.persistence.LockTimeoutException")) {
                return true;
            }
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("wsrep") || m.contains("deadlock found") || m.contains("try restarting transaction")) {
                return true;
            }
        }
        return false;
    }

    private static boolean retryable(SQLException e) {
        int code = e.getErrorCode();
        if (code == DEADLOCK || code == LOCK_WAIT_TIMEOUT || code == WSREP_NOT_READY || code == ERROR_DURING_COMMIT
                || code == CONNECTION_KILLED || code == QUERY_INTERRUPTED) {
            return true;
        }
        String state = e.getSQLState();
        // 40001 serialization failure / deadlock; 08 connection lost; 25S03 Connector/J failed over to the
        // next node and says "In progress transaction was lost"
        return state != null && (state.equals("40001") || state.startsWith("08") || state.equals("25S03"));
    }

    /**
     * Runs {@code work} (a whole transaction) and runs it again, after a short random pause, while
     * it fails with a lost race, at most {@code tries} times; anything else, or the last loss, is thrown.
     */
    public static <T> T retry(String what, int tries, Supplier<T> work) {
        for (int i = 1; ; i++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (i >= tries || !is(e)) {
                    throw e;
                }
                LOG.debugf("lost race, again: %s try=%d problem=%s", what, i, e);
                pause(i);
            }
        }
    }

    /**
     * Like {@link #retry(String, int, Supplier)}, but bounded by time rather than tries: while a lost race
     * keeps failing {@code work} (a failover: the pool's connections to the dead node fail one after the
     * other, and the survivors hold commits until they have evicted it, a few seconds), it runs again after
     * pauses growing from a few milliseconds to half a second, until {@code within} has passed; then the
     * last loss is thrown. Only for work that is safe to run twice (see docs/scaling.md).
     */
    public static <T> T retryFor(String what, java.time.Duration within, Supplier<T> work) {
        long deadline = System.nanoTime() + within.toNanos();
        for (int i = 1; ; i++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!is(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                LOG.debugf("lost race, again: %s try=%d problem=%s", what, i, e);
                sleep(Math.min(500, ThreadLocalRandom.current().nextLong(2, 20L * i * i + 3)));
            }
        }
    }

    /** The same for work without a result. */
    public static void retry(String what, int tries, Runnable work) {
        retry(what, tries, () -> {
            work.run();
            return null;
        });
    }

    private static void pause(int attempt) {
        sleep(ThreadLocalRandom.current().nextLong(2, 20L * attempt + 3));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a lost race", ie);
        }
    }
}
