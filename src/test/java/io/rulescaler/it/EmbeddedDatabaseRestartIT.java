package io.rulescaler.it;

import static io.rulescaler.it.DatabaseOutage.await;
import static io.rulescaler.it.DatabaseOutage.call;
import static io.rulescaler.it.DatabaseOutage.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on its embedded database, whose mariadbd is killed with SIGKILL (as the OOM killer does)
 * during webhook traffic and a scale-out: the service notices, readiness turns DOWN, mariadbd is started again on
 * the same data folder and port, and the service carries on without a restart. Every delivery answered 2xx is
 * stored, the others were answered 503 problem+json with Retry-After (never 500), the scale-out completes, the
 * cluster's rule session decides again, and the restart is logged and counted.
 */
class EmbeddedDatabaseRestartIT {

    @Test
    void aKilledMariadbdIsStartedAgainAndTheServiceCarriesOn() throws Exception {
        Path work = DatabaseOutage.work("restart");
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Files.writeString(clusters.resolve("web.yaml"), """
                name: web
                provider: stub
                size: {min: 1, max: 40, desired: 1}
                guard: {scaleOutCooldownSeconds: 0}
                """);
        try (ServiceProcess s = ServiceProcess.start(work, DatabaseOutage.env(work, clusters), Duration.ofSeconds(180))) {
            int port = DatabaseOutage.port(s);
            String webhook = DatabaseOutage.token(s, "am", "webhook");
            ProcessHandle first = DatabaseOutage.mariadbd(s);
            long opsBefore = count(port, "SELECT COUNT(*) FROM operation WHERE cluster_name = 'web'");

            DatabaseOutage.Traffic traffic = new DatabaseOutage.Traffic(s, webhook, "web", "restart-", 4);
            try {
                await("deliveries stored before the kill", Duration.ofSeconds(60), () -> traffic.stored.size() >= 40);
                HttpResponse<String> scale = call(s, "POST", "/api/v1/operations", DatabaseOutage.ADMIN, "application/json",
                        "{\"cluster\":\"web\",\"type\":\"scale\",\"targetSize\":25,\"reason\":\"restart test\"}", Duration.ofSeconds(20));
                assertEquals(202, scale.statusCode(), scale.body());
                await("the scale-out to run", Duration.ofSeconds(60), () -> {
                    try {
                        return count(port, "SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id"
                                + " WHERE k.name = 'web' AND n.state = 'ACTIVE'") > 1;
                    } catch (Exception e) {
                        return false;
                    }
                });

                assertEquals(1, count(port, "SELECT COUNT(*) FROM operation WHERE active_cluster = 'web'"),
                        "the scale-out still runs when mariadbd is killed");
                first.destroyForcibly();
                first.onExit().get(10, TimeUnit.SECONDS);
                StringBuilder down = new StringBuilder();
                await("readiness DOWN", Duration.ofSeconds(15), () -> {
                    try {
                        HttpResponse<String> r = call(s, "GET", "/q/health/ready", null, null, null, Duration.ofSeconds(5));
                        if (r.statusCode() == 503) {
                            down.append(r.body());
                            return true;
                        }
                    } catch (Exception e) {
                        // try again
                    }
                    return false;
                });
                assertTrue(down.toString().contains("embedded database"), down.toString());
                await("readiness UP again", Duration.ofSeconds(90), () -> {
                    try {
                        return call(s, "GET", "/q/health/ready", null, null, null, Duration.ofSeconds(5)).statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
                int storedAtRestart = traffic.stored.size();
                await("deliveries stored after the restart", Duration.ofSeconds(60), () -> traffic.stored.size() >= storedAtRestart + 40);
            } finally {
                traffic.close();
            }

            ProcessHandle second = DatabaseOutage.mariadbd(s);
            assertNotEquals(first.pid(), second.pid(), "a new mariadbd");
            assertEquals(port, DatabaseOutage.port(s), "the same port: the datasource URL stays valid");
            assertEquals(List.of(), traffic.unexpected, "every delivery answered 2xx or 503 problem+json with Retry-After");
            assertEquals(0, traffic.count(500), "never 500");
            String missing = traffic.stored.stream().filter(fp -> {
                try {
                    return count(port, "SELECT COUNT(*) FROM alert_event WHERE fingerprint = '" + fp + "'") != 1;
                } catch (Exception e) {
                    return true;
                }
            }).limit(10).toList().toString();
            assertEquals("[]", missing, "every delivery answered 2xx is stored (of " + traffic.stored.size() + ")");

            await("the scale-out to complete", Duration.ofSeconds(120), () -> {
                try {
                    return count(port, "SELECT COUNT(*) FROM node n JOIN cluster k ON k.id = n.cluster_id"
                            + " WHERE k.name = 'web' AND n.state = 'ACTIVE'") == 25
                            && count(port, "SELECT COUNT(*) FROM operation WHERE active_cluster = 'web'") == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(opsBefore + 1, count(port, "SELECT COUNT(*) FROM operation WHERE cluster_name = 'web' AND state = 'SUCCEEDED'"),
                    "the one scale-out succeeded");

            // the cluster's session runs again (its lease taken again): a HighLoad alert is decided
            assertEquals(200, call(s, "POST", "/api/v1/alerts/prometheus", webhook, "application/json",
                    DatabaseOutage.payload("web", "HighLoad", List.of("after-restart")), Duration.ofSeconds(20)).statusCode());
            await("a decision on the alert sent after the restart", Duration.ofSeconds(60), () -> {
                try {
                    return count(port, "SELECT COUNT(*) FROM decision WHERE cluster_name = 'web' AND facts_json LIKE '%after-restart%'") == 1;
                } catch (Exception e) {
                    return false;
                }
            });

            HttpResponse<String> health = call(s, "GET", "/q/health/ready", null, null, null, Duration.ofSeconds(10));
            assertTrue(health.body().contains("\"restarts\": 1") || health.body().contains("\"restarts\":1"), health.body());
            String metrics = call(s, "GET", "/q/metrics", null, null, null, Duration.ofSeconds(10)).body();
            assertTrue(metrics.contains("rulescaler_embedded_database_restarts_total 1.0"), "restart counted");
            String log = s.output();
            assertTrue(log.contains("exited unexpectedly") && log.contains("embedded MariaDB started again"), log);
            System.out.printf("deliveries: %s; stored %d%n", traffic.statuses, traffic.stored.size());
        }
    }
}
