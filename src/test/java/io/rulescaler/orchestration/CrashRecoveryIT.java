package io.rulescaler.orchestration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of the packaged service: a 20-node scale-out on a deliberately slow (test-only
 * fault-injecting) stub provider, the service killed with SIGKILL mid-chain, started again on the
 * same database (Debian's MariaDB on 127.0.0.1:3306) and data folder: exactly 20 nodes, every
 * chain completed, no orphan and no duplicate machine (checked through the provider's tags).
 */
class CrashRecoveryIT {

    private static final String TOKEN = "crash-admin-token";
    private final List<Process> started = new ArrayList<>();
    private String database;

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        if (database != null) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                 var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    @Test
    void killNineMidChainThenRestartFinishesWithExactlyTwentyMachines() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-it-");
        String db = "rulescaler_crash_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        database = db;
        int port = freePort();
        Process first = start(work, db, port, 1);
        String cluster = "crash";
        given(port).contentType("application/yaml").body("""
                name: crash
                provider: stub-slow
                template: {image: debian-12, minCores: 1, zones: [a, b]}
                layout: {a: 1, b: 1}
                size: {min: 0, max: 50}
                """).put("/api/v1/clusters/" + cluster).then().statusCode(201);
        JsonPath accepted = given(port).contentType("application/json")
                .body(Map.of("cluster", cluster, "type", "scale", "targetSize", 20)).post("/api/v1/operations")
                .then().statusCode(202).extract().jsonPath();
        assertEquals("ACCEPTED", accepted.getString("status"), accepted.prettify());
        long op = accepted.getLong("operationId");

        // wait until the chain is well under way, then kill -9 while a machine exists whose deploy task
        // has not finished: the re-run must adopt that machine instead of making a second one. The
        // machine must be fresh (absent at a poll less than 1.5 s ago), so its task still has most of
        // the 3 s injected after creation to go; comparing counts alone raced with a batch finishing.
        // Then wait 0.8 s more: a stub machine is listed while jclouds is still creating it, before
        // the stub journal has it, and a kill at that instant loses the machine altogether.
        Instant deadline = Instant.now().plusSeconds(120);
        Set<String> seen = new java.util.HashSet<>();
        Instant previousPoll = null;
        int doneAtKill;
        while (true) {
            Instant poll = Instant.now();
            // only RUNNING machines: the stub lists a machine while jclouds is still creating it
            List<Map<String, Object>> machinesNow = machines(port, cluster).stream()
                    .filter(m -> "RUNNING".equals(m.get("status"))).toList();
            JsonPath p = given(port).get("/api/v1/operations/" + op).then().statusCode(200).extract().jsonPath();
            doneAtKill = p.getInt("progress.done");
            Set<String> deployed = p.<Map<String, Object>>getList("tasks").stream()
                    .filter(t -> "deploy".equals(t.get("step")) && "succeeded".equals(t.get("state")))
                    .map(t -> String.valueOf(t.get("node"))).collect(Collectors.toSet());
            boolean recent = previousPoll != null && Duration.between(previousPoll, Instant.now()).toMillis() < 1500;
            boolean fresh = machinesNow.stream().anyMatch(m -> !seen.contains(String.valueOf(m.get("providerId")))
                    && !deployed.contains(String.valueOf(((Map<?, ?>) m.get("tags")).get("rulescaler-node"))));
            machinesNow.forEach(m -> seen.add(String.valueOf(m.get("providerId"))));
            previousPoll = poll;
            // doneAtKill >= 8: the first wave (8 workers) fully recorded, so this is a second-wave machine;
            // earlier, the first wave's batched outcomes could commit between this poll and the kill
            if (doneAtKill >= 8 && recent && fresh) {
                Thread.sleep(800);
                break;
            }
            assertTrue(Instant.now().isBefore(deadline), "the chain never got under way: " + p.prettify());
            Thread.sleep(50);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
        first.waitFor();
        int total = 20 * 2 + 2;
        assertTrue(doneAtKill < total, "killed mid-chain (" + doneAtKill + " of " + total + " tasks done)");

        start(work, db, port, 2);
        JsonPath end = null;
        deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            end = given(port).get("/api/v1/operations/" + op).then().statusCode(200).extract().jsonPath();
            if (Set.of("succeeded", "failed", "cancelled").contains(end.getString("state"))) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals("succeeded", end.getString("state"), end.prettify());
        assertEquals(total, end.getInt("progress.total"));
        assertEquals(total, end.getInt("progress.succeeded"), "every chain completed");
        List<Map<String, Object>> tasks = end.getList("tasks");
        List<Map<String, Object>> rerun = tasks.stream().filter(t -> ((Integer) t.get("attempt")) >= 2).toList();
        assertTrue(!rerun.isEmpty(), "some task was re-run after the crash");
        String logs = rerun.stream().map(t -> given(port).get("/api/v1/operations/" + op + "/tasks/" + t.get("id") + "/log")
                .then().statusCode(200).extract().asString()).collect(Collectors.joining("\n"));
        assertTrue(logs.contains("expired") && logs.contains("adopted machine"),
                "re-run tasks show the expired lease and adopt the machine made before the crash:\n" + logs);

        List<Map<String, Object>> nodes = given(port).get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(20, nodes.size(), "exactly 20 nodes");
        assertTrue(nodes.stream().allMatch(n -> "active".equals(n.get("state"))), nodes.toString());

        List<Map<String, Object>> mine = machines(port, cluster);
        assertEquals(20, mine.size(), "no duplicate, no orphan: one machine per node");
        Set<String> taggedNodeIds = mine.stream().map(m -> String.valueOf(((Map<?, ?>) m.get("tags")).get("rulescaler-node-id")))
                .collect(Collectors.toSet());
        Set<String> nodeIds = nodes.stream().map(n -> String.valueOf(n.get("id"))).collect(Collectors.toSet());
        assertEquals(nodeIds, taggedNodeIds, "every machine belongs to a node and every node has its machine");
        Set<String> providerIds = mine.stream().map(m -> String.valueOf(m.get("providerId"))).collect(Collectors.toSet());
        assertEquals(providerIds, nodes.stream().map(n -> String.valueOf(n.get("providerId"))).collect(Collectors.toSet()));
    }

    private static List<Map<String, Object>> machines(int port, String cluster) {
        List<Map<String, Object>> all = given(port).get("/api/v1/providers/stub-slow/machines").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(m -> cluster.equals(((Map<?, ?>) m.get("tags")).get("rulescaler-cluster"))).toList();
    }

    private Process start(Path work, String db, int port, int n) throws Exception {
        String jar = System.getProperty("quarkus.app.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:3306/" + db + "?createDatabaseIfNotExist=true",
                "-Dquarkus.datasource.username=root",
                "-Dquarkus.datasource.password=",
                "-Drulescaler.storage.data-dir=" + work.resolve("data"),
                "-Drulescaler.clusters.directory=" + work.resolve("no-clusters"),
                "-Drulescaler.security.initial-admin-token=" + TOKEN,
                "-Drulescaler.orchestration.chains-directory=" + Path.of("actions").toAbsolutePath(),
                "-Drulescaler.actions.local-script.directory=" + Path.of("fabric-scripts").toAbsolutePath(),
                "-Drulescaler.orchestration.lease=3s",
                "-Drulescaler.orchestration.janitor-interval=1s",
                "-Drulescaler.compute.profiles.stub-slow.api=stub",
                "-Drulescaler.compute.profiles.stub-slow.fault-delay=6s", // 3 s after each machine exists: room to kill there even on a loaded machine
                "-jar", jar));
        File log = work.resolve("service-" + n + ".log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        started.add(p);
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            assertTrue(p.isAlive(), "service exited; see " + log + "\n" + tail(log.toPath()));
            try {
                if (given(port).get("/api/v1/operations").statusCode() == 200) {
                    return p;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("service did not come up; see " + log + "\n" + tail(log.toPath()));
    }

    private static RequestSpecification given(int port) {
        return io.restassured.RestAssured.given().port(port).header("Authorization", "Bearer " + TOKEN)
                .config(io.rulescaler.testing.Api.CONFIG);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() throws IOException {
        return io.rulescaler.testing.FreePorts.next();
    }
}
