package io.rulescaler.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.agroal.pool.wrapper.ConnectionWrapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The service's pool closes the physical connection of a connection it condemned as it comes back (as
 * Agroal does after any failed commit, a Galera certification failure included), and leaves the others
 * pooled. The burst on a real Galera cluster is {@code GaleraPoolChurnIT}.
 */
@QuarkusTest
class FlushedConnectionCloserTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theDefaultPoolHasTheCloser() {
        assertTrue(dataSource.getPoolInterceptors().stream().anyMatch(FlushedConnectionCloser.class::isInstance),
                "interceptors: " + dataSource.getPoolInterceptors());
    }

    @Test
    void aFlushedConnectionIsClosedAsItComesBackAndAHealthyOneStaysOpen() throws Exception {
        AtomicReference<Connection> flushed = new AtomicReference<>();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                flushed.set(c.unwrap(org.mariadb.jdbc.Connection.class));
                // what Agroal's LocalXAResource.commit does when the commit fails
                assertInstanceOf(ConnectionWrapper.class, c).getHandler().setFlushOnly();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(flushed.get().isClosed(), "the condemned connection's socket is closed when the transaction ends");

        AtomicReference<Connection> kept = new AtomicReference<>();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                kept.set(c.unwrap(org.mariadb.jdbc.Connection.class));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(kept.get().isClosed(), "a connection that committed stays open in the pool");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1") && c.isValid(2), "the pool still hands out working connections");
        }
    }
}
