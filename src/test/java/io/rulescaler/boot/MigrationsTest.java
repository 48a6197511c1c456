package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rulescaler.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same Flyway migrations run on Debian's MariaDB 10.11 and the embedded MariaDB 11.x. */
class MigrationsTest {

    static String serverUrl(String which) {
        if (which.equals("embedded-11")) {
            String url = TestDatabases.embeddedUrl("rulescaler_migrations", "target/test-mariadb-plain/data");
            return url.substring(0, url.lastIndexOf('/') + 1);
        }
        String url = TestDatabases.systemServerUrl();
        boolean reachable;
        try (Connection c = DriverManager.getConnection(url, "root", "")) {
            reachable = c.isValid(2);
        } catch (SQLException e) {
            reachable = false;
        }
        if (System.getenv("CI") == null) {
            assumeTrue(reachable, "no MariaDB at " + url + " (CI requires one; .ci/run starts it)");
        }
        assertTrue(reachable, "CI needs Debian's MariaDB at " + url);
        return url;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded-11", "debian-10.11"})
    void migrationsApplyFromScratchAndAgain(String which) throws Exception {
        String server = serverUrl(which);
        TestDatabases.recreate(server, "rulescaler_migrations");
        String url = server + "rulescaler_migrations";
        Flyway flyway = Flyway.configure().dataSource(url, "root", "").locations("classpath:db/migration").load();
        MigrateResult first = flyway.migrate();
        assertTrue(first.migrationsExecuted >= 2, "executed " + first.migrationsExecuted);
        assertEquals(0, flyway.migrate().migrationsExecuted, "a second migrate must find nothing to do");
        assertEquals(0, flyway.validateWithResult().invalidMigrations.size());

        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            String version;
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            assertTrue(which.startsWith("embedded") ? version.startsWith("11.") : version.startsWith("10.11"), version);
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("cluster", "node", "node_state_change", "api_token", "scale_request")), tables.toString());
            s.executeUpdate("INSERT INTO cluster (name, spec_json, created_at, updated_at) VALUES ('m\u00e9', '{\"n\":\"\u2603\"}', NOW(6), NOW(6))");
            try (ResultSet rs = s.executeQuery("SELECT spec_json FROM cluster WHERE name = 'm\u00e9'")) {
                rs.next();
                assertEquals("{\"n\":\"\u2603\"}", rs.getString(1), "utf8mb4 round trip");
            }
        }
    }
}
