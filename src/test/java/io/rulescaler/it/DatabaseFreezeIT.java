package io.rulescaler.it;

import static io.rulescaler.it.DatabaseOutage.await;
import static io.rulescaler.it.DatabaseOutage.call;
import static io.rulescaler.it.DatabaseOutage.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on its embedded database under webhook load from a real Alertmanager (Debian package), while
 * its mariadbd is frozen for 20 s (SIGSTOP, then SIGCONT): webhook deliveries sent during the freeze are answered —
 * not left hanging until the database is back — with 503 problem+json and Retry-After, never 500; Alertmanager retries,
 * and afterwards every alert it was given is stored and decided once.
 */
class DatabaseFreezeIT {

    private static final Duration FREEZE = Duration.ofSeconds(20);

    @Test
    void aFrozenDatabaseAnswers503WithRetryAfterAndLosesNoAlert() throws Exception {
        Path alertmanager = RealParts.require("prometheus-alertmanager", "prometheus-alertmanager");
        Path work = DatabaseOutage.work("freeze");
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        // dry run: every HighLoad alert is one accepted decision, and nothing is built
        Files.writeString(clusters.resolve("frz.yaml"), """
                name: frz
                provider: stub
                size: {min: 1, max: 1000, desired: 1}
                guard: {scaleOutCooldownSeconds: 0}
                dryRun: true
                """);
        List<Process> started = new ArrayList<>();
        try (ServiceProcess s = ServiceProcess.start(work, DatabaseOutage.env(work, clusters), Duration.ofSeconds(180))) {
            int port = DatabaseOutage.port(s);
            String webhook = DatabaseOutage.token(s, "am", "webhook");
            int amPort = freePort();
            Files.writeString(work.resolve("am.yml"), """
                    route:
                      receiver: rulescaler
                      group_by: ['...']
                      group_wait: 100ms
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: rulescaler
                        webhook_configs:
                          - url: %s/api/v1/alerts/prometheus
                            send_resolved: false
                            http_config:
                              authorization:
                                credentials: %s
                    """.formatted(s.baseUrl(), webhook));
            started.add(new ProcessBuilder(alertmanager.toString(), "--config.file=" + work.resolve("am.yml"),
                    "--storage.path=" + work.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort,
                    "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start());
            String am = "http://127.0.0.1:" + amPort;
            await("Alertmanager ready", Duration.ofSeconds(30), () -> {
                try {
                    return DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(am + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });

            // load: two new alerts every 250 ms, each its own group, so each its own delivery
            AtomicInteger given = new AtomicInteger();
            List<String> pushFailures = new CopyOnWriteArrayList<>();
            AtomicBoolean pushing = new AtomicBoolean(true);
            Thread pusher = new Thread(() -> {
                while (pushing.get()) {
                    int a = given.incrementAndGet();
                    int b = given.incrementAndGet();
                    String body = "[" + alert(a) + "," + alert(b) + "]";
                    try {
                        HttpResponse<String> r = DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts"))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            pushFailures.add(r.statusCode() + " " + r.body());
                        }
                        Thread.sleep(250);
                    } catch (Exception e) {
                        pushFailures.add(e.toString());
                    }
                }
            }, "alertmanager-load");
            pusher.start();

            List<String> probes = new ArrayList<>();
            Instant thawed;
            try {
                await("alerts stored before the freeze", Duration.ofSeconds(60), () -> stored(port) >= 10);
                ProcessHandle mariadbd = DatabaseOutage.mariadbd(s);
                signal("STOP", mariadbd.pid());
                Instant frozen = Instant.now();
                try {
                    // deliveries of our own while frozen: each must be answered, and not by waiting for the thaw
                    int n = 0;
                    while (Duration.between(frozen, Instant.now()).compareTo(FREEZE.minusSeconds(8)) < 0) {
                        HttpResponse<String> r = call(s, "POST", "/api/v1/alerts/prometheus", webhook, "application/json",
                                DatabaseOutage.payload("frz", "Probe", List.of("freeze-probe-" + n++)), Duration.ofSeconds(60));
                        boolean beforeThaw = Duration.between(frozen, Instant.now()).compareTo(FREEZE) < 0;
                        probes.add(r.statusCode() + " retry-after=" + r.headers().firstValue("Retry-After").orElse("none")
                                + " type=" + r.headers().firstValue("Content-Type").orElse("none")
                                + (beforeThaw ? "" : " answered only after the thaw") + " " + r.body());
                    }
                    long left = FREEZE.minus(Duration.between(frozen, Instant.now())).toMillis();
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                } finally {
                    signal("CONT", mariadbd.pid());
                    thawed = Instant.now();
                }
                Thread.sleep(3000);
            } finally {
                pushing.set(false);
                pusher.join(30_000);
            }

            assertEquals(List.of(), pushFailures, "Alertmanager took every alert");
            assertTrue(!probes.isEmpty(), "deliveries were sent during the freeze");
            for (String p : probes) {
                assertTrue(p.startsWith("503 retry-after=") && !p.contains("retry-after=none")
                        && p.contains("type=application/problem+json") && !p.contains("answered only after the thaw"),
                        "during the freeze a delivery is answered 503 problem+json with Retry-After: " + p);
            }
            int total = given.get();
            await("every alert Alertmanager was given stored (" + total + ")", Duration.ofSeconds(120), () -> stored(port) == total);
            try {
                await("every alert decided", Duration.ofSeconds(120), () -> {
                    try {
                        return count(port, "SELECT COUNT(*) FROM session_alert_decided WHERE cluster_name = 'frz'") == total;
                    } catch (Exception e) {
                        return false;
                    }
                });
            } catch (AssertionError e) {
                DatabaseOutage.printThreads(s);
                throw new AssertionError(e.getMessage() + ": " + count(port, "SELECT COUNT(*) FROM session_alert_decided"
                        + " WHERE cluster_name = 'frz'") + " of " + total, e);
            }
            Thread.sleep(2000); // a second decision on any alert would show by now
            assertEquals(total, count(port, "SELECT COUNT(*) FROM decision WHERE cluster_name = 'frz'"
                    + " AND rule_name = 'alert HighLoad: scale out by N'"), "one decision per alert");
            assertEquals(0, count(port, "SELECT COUNT(*) FROM (SELECT fingerprint FROM alert_event WHERE cluster_name = 'frz'"
                    + " AND alert_name = 'FreezeHighLoad' GROUP BY fingerprint HAVING COUNT(*) > 1) d"), "each alert stored once");
            String failed = metric(am, "alertmanager_notifications_failed_total{integration=\"webhook\"");
            System.out.printf("alerts %d, probes during the freeze %d (%s), Alertmanager failed notifications %s, thawed at %s%n",
                    total, probes.size(), probes.isEmpty() ? "" : probes.get(0), failed, thawed);
            assertTrue(!failed.isEmpty() && Double.parseDouble(failed) > 0, "Alertmanager saw its deliveries refused and retried them");
            assertTrue(!s.output().contains("Internal error"), "no 500 in the log");
        } finally {
            for (Process p : started) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static String alert(int n) {
        Instant now = Instant.now();
        return """
                {"labels":{"alertname":"FreezeHighLoad","cluster":"frz","n":"%d"},"startsAt":"%s","endsAt":"%s"}"""
                .formatted(n, now, now.plus(Duration.ofHours(1)));
    }

    private static long stored(int port) {
        try {
            return count(port, "SELECT COUNT(DISTINCT fingerprint) FROM alert_event WHERE cluster_name = 'frz'"
                    + " AND alert_name = 'FreezeHighLoad'");
        } catch (Exception e) {
            return -1;
        }
    }

    private static String metric(String am, String prefix) throws Exception {
        String body = DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(am + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        return "";
    }

    private static void signal(String sig, long pid) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        assertEquals(0, rc, "kill -" + sig + " " + pid);
    }

    private static int freePort() throws Exception {
        return io.rulescaler.testing.FreePorts.next();
    }
}
