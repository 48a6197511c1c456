package io.rulescaler.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Warns at start when the database is a Galera node and this instance's sessions read without
 * causality checks ({@code wsrep_sync_wait} lacking bits 1 and 2): when a failover spreads one
 * instance's connections over two nodes, a read on one may then miss a write just committed on the
 * other (a claimed task that looks unclaimed, a lease that looks free), and a task runs twice.
 * The JDBC URL sets it for every connection the driver opens, failovers included (docs/scaling.md). It
 * also warns about {@code createDatabaseIfNotExist=true} on a Galera URL: the driver then sends DDL on every
 * new connection, which fails the schema's transactions in flight on that node (docs/scaling.md).
 */
@ApplicationScoped
public class GaleraCheck {

    private static final Logger LOG = Logger.getLogger(GaleraCheck.class);
    /** READ (1) and UPDATE/DELETE (2): reads and conditional writes see every commit of the cluster. */
    static final int CAUSAL = 3;

    private final AgroalDataSource dataSource;

    public GaleraCheck(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent ev) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@global.wsrep_on, @@session.wsrep_sync_wait")) {
            if (rs.next()) {
                warnings(rs.getBoolean(1), rs.getInt(2), c.getMetaData().getURL()).forEach(LOG::warn);
            }
        } catch (SQLException notGalera) {
            LOG.debugf("no Galera settings to check (%s)", notGalera.getMessage()); // a server built without wsrep
        }
    }

    /** What an operator should change, for a server with {@code wsrepOn} and {@code syncWait}, reached by {@code url}. */
    static List<String> warnings(boolean wsrepOn, int syncWait, String url) {
        List<String> w = new ArrayList<>();
        if (!wsrepOn) {
            return w;
        }
        if ((syncWait & CAUSAL) != CAUSAL) {
            w.add(String.format("the database is a Galera node and wsrep_sync_wait=%d: add sessionVariables=wsrep_sync_wait=%d to"
                    + " the JDBC URL (RULESCALER_DB_URL), or after a failover a task may run twice (docs/scaling.md)", syncWait, CAUSAL));
        }
        if (url != null && url.toLowerCase(Locale.ROOT).contains("createdatabaseifnotexist=true")) {
            w.add("the database is a Galera node and the JDBC URL has createDatabaseIfNotExist=true: the driver then runs"
                    + " CREATE DATABASE on every new connection, and on Galera that DDL fails every transaction of the schema in"
                    + " flight on the node; create the database once and remove the option (docs/scaling.md)");
        }
        return w;
    }
}
