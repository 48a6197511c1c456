package io.rulescaler.it;

import static io.rulescaler.it.DatabaseOutage.await;
import static io.rulescaler.it.DatabaseOutage.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.ServiceProcess;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as an operator runs it: a rule file dropped into the rules folder asks for the shipped chain
 * {@code notify} when a HighLoad alert fires; a real Alertmanager (Debian package) delivers the same alert again and
 * again (repeat_interval 1 s) and the on-call's SMTP server (GreenMail) receives exactly one mail for ten deliveries.
 */
class RuleNotifyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDroppedRuleMailsOnceForTenDeliveriesOfOneAlert() throws Exception {
        Path alertmanager = RealParts.require("prometheus-alertmanager", "prometheus-alertmanager");
        Path work = DatabaseOutage.work("notify");
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Path rules = Files.createDirectories(work.resolve("rules"));
        Files.writeString(clusters.resolve("shop.yaml"), """
                name: shop
                provider: stub
                size: {min: 0, max: 2, desired: 0}
                ruleSet: paging
                recipients: [oncall@example.org]
                """);
        GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Process am = null;
        Map<String, String> env = new HashMap<>(DatabaseOutage.env(work, clusters));
        env.put("RULESCALER_RULES_DIR", rules.toString());
        env.put("RULESCALER_MAIL_MOCK", "false");
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        env.put("QUARKUS_MAILER_TLS", "false");
        try (ServiceProcess s = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            // the rule file, dropped in while the service runs: the folder is watched
            Files.createDirectories(rules.resolve("paging"));
            Files.writeString(rules.resolve("paging/page.drl"), """
                    package my.rules;
                    import io.rulescaler.capacity.fact.*;

                    rule "HighLoad: page the on-call"
                    when
                        $a : Alert( name == "HighLoad" )
                    then
                        insert( new RunChain( "notify", "alert HighLoad fires on " + $a.label( "instance" ) ) );
                    end
                    """);
            await("the rule set 'paging' compiled", Duration.ofSeconds(60), () -> ruleSetReady(s, "paging"));

            String webhook = DatabaseOutage.token(s, "am", "webhook");
            int amPort = freePort();
            Files.writeString(work.resolve("am.yml"), """
                    route:
                      receiver: rulescaler
                      group_by: [alertname, cluster]
                      group_wait: 100ms
                      group_interval: 1s
                      repeat_interval: 1s
                    receivers:
                      - name: rulescaler
                        webhook_configs:
                          - url: %s/api/v1/alerts/prometheus
                            send_resolved: false
                            http_config:
                              authorization:
                                credentials: %s
                    """.formatted(s.baseUrl(), webhook));
            am = new ProcessBuilder(alertmanager.toString(), "--config.file=" + work.resolve("am.yml"),
                    "--storage.path=" + work.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start();
            String amUrl = "http://127.0.0.1:" + amPort;
            await("Alertmanager ready", Duration.ofSeconds(30), () -> status(amUrl + "/-/ready") == 200);

            // the same alert (same labels and start) posted ten times, and re-sent by Alertmanager every second
            String startsAt = Instant.now().minusSeconds(5).toString();
            String endsAt = Instant.now().plusSeconds(600).toString();
            String alert = """
                    [{"labels": {"alertname": "HighLoad", "cluster": "shop", "instance": "web-1"},
                      "annotations": {"summary": "load is high"}, "startsAt": "%s", "endsAt": "%s"}]""".formatted(startsAt, endsAt);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            await("ten deliveries to the service", Duration.ofSeconds(60), () -> webhookDeliveries(amUrl) >= 10);
            Instant delivered = Instant.now();
            // an evaluation of the cluster after the tenth delivery (ticks come every 10 s at the latest)
            await("an evaluation after the last delivery", Duration.ofSeconds(60), () -> {
                JsonNode why = get(s, "/api/v1/clusters/shop/why");
                return why.hasNonNull("evaluatedAt") && Instant.parse(why.get("evaluatedAt").asText()).isAfter(delivered);
            });
            await("the notice run to succeed", Duration.ofSeconds(60),
                    () -> "succeeded".equals(get(s, "/api/v1/clusters/shop/chains/notify/runs").path(0).path("status").asText()));
            await("the mail", Duration.ofSeconds(30), () -> smtp.getReceivedMessages().length >= 1);

            JsonNode runs = get(s, "/api/v1/clusters/shop/chains/*/runs");
            assertEquals(1, runs.size(), "one request for ten deliveries of one alert: " + runs);
            assertEquals("HighLoad: page the on-call", runs.get(0).get("rule").asText());
            assertEquals("accepted", runs.get(0).get("verdict").asText());
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertEquals(1, mails.length, "exactly one mail");
            assertEquals("oncall@example.org", mails[0].getAllRecipients()[0].toString());
            assertTrue(mails[0].getSubject().contains("alert HighLoad fires on web-1"), mails[0].getSubject());
            String body = mails[0].getContent().toString();
            assertTrue(body.contains("Alert") && body.contains("HighLoad"), "the matched alert in the mail: " + body);
            assertTrue(webhookDeliveries(amUrl) >= 10);
        } finally {
            if (am != null) {
                am.destroy();
                am.waitFor();
            }
            smtp.stop();
        }
    }

    private static boolean ruleSetReady(ServiceProcess s, String set) {
        for (JsonNode n : get(s, "/api/v1/rules").path("ruleSets")) {
            if (set.equals(n.path("ruleSet").asText())) {
                return "ok".equals(n.path("status").asText());
            }
        }
        return false;
    }

    private static JsonNode get(ServiceProcess s, String path) {
        try {
            HttpResponse<String> r = call(s, "GET", path, DatabaseOutage.ADMIN, null, null, Duration.ofSeconds(20));
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static int status(String url) {
        try {
            return DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Webhook notifications Alertmanager sent and the service answered 2xx (its own counter). */
    private static long webhookDeliveries(String amUrl) {
        try {
            String metrics = DatabaseOutage.HTTP.send(HttpRequest.newBuilder(URI.create(amUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long sent = 0;
            long failed = 0;
            Matcher m = Pattern.compile("(?m)^alertmanager_notifications(_failed)?_total\\{([^}]*)} ([0-9.e+]+)$").matcher(metrics);
            while (m.find()) {
                if (m.group(2).contains("integration=\"webhook\"")) {
                    long v = (long) Double.parseDouble(m.group(3));
                    if (m.group(1) == null) {
                        sent += v;
                    } else {
                        failed += v;
                    }
                }
            }
            return sent - failed;
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws Exception {
        return io.rulescaler.testing.FreePorts.next();
    }
}
