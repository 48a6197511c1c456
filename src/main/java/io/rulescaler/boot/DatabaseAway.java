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
     * Connection-class SQL states (08…); without a state, the JDBC connection and timeout exceptions and Agroal's
     * "acquisition timeout". A state of another class is the server's answer (MariaDB's driver reports, for example,
     * a trigger's {@code SIGNAL SQLSTATE '45000'} as an SQLTransientConnectionException): not "away".
     */
    public static boolean away(SQLException s) {
        String state = s.getSQLState();
        if (state != null && !state.isEmpty()) {
            return state.startsWith("08");
        }
        if (s instanceof SQLTransientConnectionException || s instanceof SQLNonTransientConnectionException
                || s instanceof SQLRecoverableException || s instanceof SQLTimeoutException) {
            return true;
        }
        String m = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("acquisition timeout");
    }
}
