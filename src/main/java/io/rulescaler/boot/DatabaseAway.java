package io.rulescaler.boot;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Tells a failure caused by the database being away (no connection within the bound, a connection lost, a server
 * that does not answer) from a bug, wherever it is wrapped, so such a request answers 503 with Retry-After
 * rather than 500: the same request works once the database is back.
 */
public final class DatabaseAway {

    /** Causes followed at most, against cycles. */
    private static final int DEPTH = 16;

    private DatabaseAway() {
    }

    /** The cause that says the database is away, if {@code e} or one of its causes is one. */
    public static SQLException causeOf(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < DEPTH; i++, t = t.getCause()) {
            if (t instanceof JDBCConnectionException j) {
                return j.getSQLException() != null ? j.getSQLException() : new SQLException(j.getMessage(), "08000");
            }
            if (t instanceof SQLException s && away(s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Connection-class SQL states (08…), the driver's connection and timeout exceptions, and Agroal's "acquisition
     * timeout" (a plain SQLException without a state).
     */
    public static boolean away(SQLException s) {
        if (s instanceof SQLTransientConnectionException || s instanceof SQLNonTransientConnectionException
                || s instanceof SQLRecoverableException || s instanceof SQLTimeoutException) {
            return true;
        }
        String state = s.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        String m = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("acquisition timeout");
    }
}
