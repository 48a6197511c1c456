package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database is away" (503, retry) and which are the server's answer or a bug. */
class DatabaseAwayTest {

    @Test
    void connectionFailuresAndPoolTimeoutsAreAwayWhereverWrapped() {
        assertNotNull(DatabaseAway.causeOf(new SQLNonTransientConnectionException("Socket error", "08000")));
        assertNotNull(DatabaseAway.causeOf(new PersistenceException("alerts not stored",
                new SQLException("Sorry, acquisition timeout!"))), "Agroal's acquisition timeout has no state");
        assertNotNull(DatabaseAway.causeOf(new GenericJDBCException("Unable to acquire JDBC Connection",
                new SQLException("Acquisition timeout while waiting for new connection"))));
        assertNotNull(DatabaseAway.causeOf(new RuntimeException(new JDBCConnectionException("lost",
                new SQLException("Connection reset", "08S01")))));
        assertNotNull(DatabaseAway.causeOf(new SQLTransientConnectionException("no state")));
    }

    @Test
    void theServersOwnAnswersAreNotAway() {
        // MariaDB's driver reports a SIGNAL SQLSTATE '45000' (a trigger refusing a row) as a transient connection exception
        assertNull(DatabaseAway.causeOf(new SQLTransientConnectionException("refused by test trigger", "45000")));
        assertNull(DatabaseAway.causeOf(new SQLIntegrityConstraintViolationException("Duplicate entry", "23000")));
        assertNull(DatabaseAway.causeOf(new IllegalStateException("a bug")));
    }
}
