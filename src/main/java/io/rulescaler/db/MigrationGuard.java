package io.rulescaler.db;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.StartupEvent;
import io.rulescaler.boot.InstanceId;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

/**
 * Makes Flyway's migrations run once on a Galera cluster when several instances start together: Flyway's
 * own lock there is a row lock that each DDL statement's implicit commit releases, and locks only on one
 * node anyway. Before Flyway runs, the instance inserts the one row of {@code migration_guard} (a primary
 * key, so Galera certifies it cluster-wide: a second instance gets a duplicate key or loses certification,
 * on any node); the others wait until the holder deletes it after migrating, then run Flyway, which finds
 * the schema current. A row older than {@link #STALE} (its holder died while migrating) is taken over.
 * The table is created before Flyway's first run, so Flyway baselines the otherwise empty schema at
 * version 0 ({@code quarkus.flyway.baseline-on-migrate}, application.properties) and then runs every
 * migration. See docs/scaling.md.
 */
@Singleton
public class MigrationGuard implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(MigrationGuard.class);
    /** How old a holder's row may get before it is taken as left by an instance that died while migrating. */
    static final Duration STALE = Duration.ofMinutes(10);
    /** How long an instance waits for another one's migrations before it gives up starting. */
    static final Duration WAIT = STALE.plusMinutes(2);
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS migration_guard (id TINYINT NOT NULL PRIMARY KEY,"
            + " holder VARCHAR(255) NOT NULL, taken_at DATETIME(6) NOT NULL) ENGINE=InnoDB";
    private static final int DUPLICATE_KEY = 1062;

    private final String holder;
    private volatile DataSource held;
    /** The guard is taken for the first Flyway of this process only (the one that migrates at start). */
    private boolean taken;

    public MigrationGuard(InstanceId instance) {
        this.holder = instance.value() + "/" + ProcessHandle.current().pid();
    }

    @Override
    public synchronized void customize(FluentConfiguration configuration) {
        if (!taken) {
            taken = true;
            acquire(configuration.getDataSource());
        }
        Callback[] before = configuration.getCallbacks();
        Callback[] all = Arrays.copyOf(before, before.length + 1);
        all[before.length] = new Release();
        configuration.callbacks(all);
    }

    /** Takes the guard, waiting while another live instance holds it. */
    void acquire(DataSource ds) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String waitingFor = null;
        while (true) {
            String other;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(TABLE);
                if (take(c)) {
                    held = ds;
                    LOG.debugf("migration guard taken holder=%s", holder);
                    return;
                }
                other = currentHolder(c);
                int stale = s.executeUpdate("DELETE FROM migration_guard WHERE id = 1 AND taken_at < NOW(6) - INTERVAL "
                        + STALE.toSeconds() + " SECOND");
                if (stale > 0) {
                    LOG.warnf("migration guard of %s older than %s: taken as left by an instance that died while migrating", other, STALE);
                    continue;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot take the migration guard (table migration_guard): " + e.getMessage(), e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("instance " + other + " has been migrating the database for more than " + WAIT
                        + "; if it is not running any more, DELETE FROM migration_guard and start again");
            }
            if (other != null && !other.equals(waitingFor)) {
                LOG.infof("waiting for instance %s to finish migrating the database", other);
                waitingFor = other;
            }
            sleep();
        }
    }

    /** Inserts the row; false when another instance has it (duplicate key, or a lost race with one on another node). */
    private boolean take(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_guard (id, holder, taken_at) VALUES (1, ?, NOW(6))")) {
            ps.setString(1, holder);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == DUPLICATE_KEY || LostRace.is(e)) {
                return false;
            }
            throw e;
        }
    }

    private static String currentHolder(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT holder FROM migration_guard WHERE id = 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Gives the guard up (after the migrations, or at the latest once the instance started). */
    void release() {
        DataSource ds = held;
        if (ds == null) {
            return;
        }
        held = null;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM migration_guard WHERE id = 1 AND holder = ?")) {
            ps.setString(1, holder);
            ps.executeUpdate();
            LOG.debugf("migration guard released holder=%s", holder);
        } catch (SQLException e) {
            LOG.warnf("migration guard not released holder=%s problem=%s (others take it over after %s)", holder, e.toString(), STALE);
        }
    }

    void onStart(@Observes StartupEvent ev) {
        release(); // Flyway stopped before migrating (nothing to do, or an error): never keep others waiting
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another instance's migrations", e);
        }
    }

    /** Releases the guard when Flyway's migrate is over, successful or not. */
    private final class Release implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE || event == Event.AFTER_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            release();
        }

        @Override
        public String getCallbackName() {
            return "migration-guard-release";
        }
    }
}
