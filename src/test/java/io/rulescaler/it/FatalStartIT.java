package io.rulescaler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.FreePorts;
import io.rulescaler.testing.ServiceProcess;
import io.rulescaler.testing.ServiceProcess.Exited;
import io.rulescaler.testing.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started with a fatal misconfiguration, as an operator could make it: it exits with
 * a non-zero code and its console names the cause, every time. The console is asynchronous; before the
 * exit waited for it (boot.LogDrainAtExit) a failed start often left an empty console: 6 of 8 starts
 * against a closed database port printed nothing at all, which is why that case runs three times here.
 */
class FatalStartIT {

    Path work;

    @BeforeEach
    void workDir() throws Exception {
        work = Files.createDirectories(Path.of("target/it-work").toAbsolutePath().resolve("fatal-start-" + System.nanoTime()));
    }

    /** A port nothing listens on, and that no other test server of this JVM is handed. */
    static int closedPort() throws Exception {
        return FreePorts.next();
    }

    Map<String, String> env(String dbUrl) {
        return Map.of("RULESCALER_DB_URL", dbUrl,
                "RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", work.resolve("no-clusters").toString());
    }

    static void assertNamesCause(Exited run, String... words) {
        assertNotEquals(0, run.code(), "a failed start exits with a non-zero code:\n" + run.output());
        for (String w : words) {
            assertTrue(run.output().contains(w), "the console names the cause (" + w + "); it was:\n" + run.output());
        }
    }

    @Test
    void aDatabaseOnAClosedPortIsNamedOnTheConsoleEveryTime() throws Exception {
        int port = closedPort();
        for (int start = 1; start <= 3; start++) {
            Exited run = ServiceProcess.runToExit(work, env("jdbc:mariadb://127.0.0.1:" + port + "/rulescaler"),
                    Duration.ofSeconds(180));
            System.out.printf("start %d against closed port %d: exit %d, %d lines%n", start, port, run.code(),
                    run.output().lines().count());
            assertNamesCause(run, "127.0.0.1:" + port, "Connection refused");
            assertTrue(run.output().lines().anyMatch(l -> l.contains("ERROR") && l.contains("exit code=1")
                            && l.contains("cannot take the migration guard") && l.contains("127.0.0.1:" + port)),
                    "the last line names the exit code and the cause in our own words:\n" + run.output());
        }
    }

    @Test
    void aBadRulescalerValueIsNamedWithItsKeyAndValue() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(env("jdbc:mariadb://127.0.0.1:" + closedPort() + "/rulescaler"));
        env.put("RULESCALER_CAPACITY_RULES_AT_START", "sometimes");
        Exited run = ServiceProcess.runToExit(work, env, Duration.ofSeconds(180));
        assertNamesCause(run, "rulescaler.capacity.rules-at-start", "\"sometimes\"");
    }

    @Test
    void anHttpPortInUseIsNamed() throws Exception {
        String database = "rulescaler_fatal_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        TestDatabases.recreate("jdbc:mariadb://127.0.0.1:3306/", database);
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> env = new java.util.HashMap<>(env("jdbc:mariadb://127.0.0.1:3306/" + database));
            env.put("QUARKUS_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            Exited run = ServiceProcess.runToExit(work, env, Duration.ofSeconds(240));
            assertNamesCause(run, "Port " + taken.getLocalPort() + " seems to be in use");
            assertEquals(1, run.output().lines().filter(l -> l.contains("exit code=1")).count(),
                    "one last line with the exit code:\n" + run.output());
        } finally {
            try (var c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                 var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + database + "`");
            }
        }
    }
}
