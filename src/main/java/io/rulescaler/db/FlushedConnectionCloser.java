package io.rulescaler.db;

import io.agroal.api.AgroalPoolInterceptor;
import io.agroal.pool.ConnectionHandler;
import io.agroal.pool.wrapper.ConnectionWrapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Closes the physical connection of a pooled connection that the pool has condemned, as it comes back,
 * instead of leaving it open until Agroal's housekeeping thread gets round to it (docs/scaling.md,
 * "Certification failures with one writer, and the writer running out of connections").
 *
 * <p>Why: Agroal 3.0.1's {@code LocalXAResource.commit} flushes the connection of every failed commit
 * whatever the error (a Galera certification failure, error 1213 at {@code COMMIT}, included; the
 * connection itself is fine). The pool takes the connection out of its count at once, then queues the
 * physical close as a low-priority task on its single housekeeping thread, where every connection
 * creation runs first ({@code PriorityScheduledExecutor.executeNow}). While commits keep failing, each
 * failure also asks for a new connection, the thread is busy creating them, and the closes wait: the
 * service held up to 273 open sockets to the writer with a pool of 32 and exhausted its
 * {@code max_connections}. Agroal (3.0.1 to 3.2.1) gives the close priority only with {@code flush-on-close} (AG-276),
 * which would close every connection on every return. The pool's own close later finds the connection
 * closed, which Connector/J ignores.
 */
@ApplicationScoped
public class FlushedConnectionCloser implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(FlushedConnectionCloser.class);

    @Override
    public void onConnectionReturn(Connection connection) {
        // Agroal hands interceptors a detached wrapper of its handler; a handler that is no longer
        // acquirable (state FLUSH) is removed from the pool right after this call
        if (connection instanceof ConnectionWrapper wrapper && !wrapper.getHandler().isAcquirable()) {
            close(wrapper.getHandler());
        }
    }

    private static void close(ConnectionHandler handler) {
        try {
            handler.rawConnection().close();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("closing a flushed connection: %s", e);
        }
    }
}
