package io.rulescaler.signal;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Alert;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The webhook's group commit: deliveries that queue up while the writer is busy are stored in one
 * transaction; the writer is held here so that a known set of deliveries forms one group.
 */
@QuarkusTest
public class AlertGroupCommitTest {

    @Inject
    AlertWriter writer;

    @Inject
    ClusterSessions sessions;

    @Inject
    EntityManager em;

    @Inject
    AlertIntake intake;

    @Inject
    UnconfirmedAlerts unconfirmed;

    @Inject
    SignalConfig signalConfig;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    CompletableFuture<HttpResponse<String>> post(String webhook, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/alerts/prometheus"))
                .header("Authorization", "Bearer " + webhook).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the bodies while the writer is held, waits until all queued, then lets the writer take them as one group. */
    List<HttpResponse<String>> asOneGroup(String webhook, List<String> bodies) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        writer.hold();
        try {
            int before = writer.queued();
            bodies.forEach(b -> calls.add(post(webhook, b)));
            await("deliveries queued", Duration.ofSeconds(20), () -> writer.queued() == before + bodies.size());
        } finally {
            writer.release();
        }
        List<HttpResponse<String>> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            out.add(c.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    int rows(String fingerprintPrefix) {
        return ((Number) em.createNativeQuery("select count(*) from alert_event where fingerprint like ?1")
                .setParameter(1, fingerprintPrefix + "%").getSingleResult()).intValue();
    }

    void trigger(String name, String condition) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("CREATE TRIGGER " + name
                + " BEFORE INSERT ON alert_event FOR EACH ROW IF " + condition
                + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test trigger'; END IF").executeUpdate());
    }

    void dropTrigger(String name) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DROP TRIGGER IF EXISTS " + name).executeUpdate());
    }

    static String twoAlerts(String cluster, String fp1, String fp2) {
        String one = AlertWebhookTest.payload(cluster, "firing", fp1, "Other");
        String item2 = AlertWebhookTest.payload(cluster, "firing", fp2, "Other");
        item2 = item2.substring(item2.indexOf("\"alerts\":[") + 10, item2.indexOf("}],") + 1);
        return one.replace("}],\"groupLabels\"", "}," + item2 + "],\"groupLabels\"");
    }

    @Test
    void databaseFailureAnswers503ToEveryDeliveryOfTheGroupAndStoresNothing() throws Exception {
        String c = unique("gc-fail");
        cluster(c, 1, 10, 1, "paused: true");
        String webhook = token("webhook");
        String prefix = "gcf" + Long.toHexString(System.nanoTime());
        String trig = "t_" + prefix;
        trigger(trig, "NEW.fingerprint LIKE '" + prefix + "%'");
        try {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bodies.add(twoAlerts(c, prefix + "-" + i + "a", prefix + "-" + i + "b"));
            }
            List<HttpResponse<String>> answers = asOneGroup(webhook, bodies);
            for (HttpResponse<String> r : answers) {
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("Alerts not stored"), r.body());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            }
            assertEquals(0, rows(prefix), "nothing of a failed group is kept");
        } finally {
            dropTrigger(trig);
        }
        // Alertmanager retries: now everything is stored
        List<HttpResponse<String>> retry = asOneGroup(webhook, List.of(twoAlerts(c, prefix + "-0a", prefix + "-0b"),
                twoAlerts(c, prefix + "-1a", prefix + "-1b")));
        retry.forEach(r -> assertEquals(200, r.statusCode(), r.body()));
        assertEquals(4, rows(prefix));
    }

    @Test
    void oneBadDeliveryFailsAloneAndIsNotHalfWritten() throws Exception {
        String c = unique("gc-poison");
        cluster(c, 1, 10, 1, "paused: true");
        String webhook = token("webhook");
        String prefix = "gcp" + Long.toHexString(System.nanoTime());
        String trig = "t_" + prefix;
        trigger(trig, "NEW.fingerprint = '" + prefix + "-bad'");
        try {
            List<HttpResponse<String>> answers = asOneGroup(webhook, List.of(
                    AlertWebhookTest.payload(c, "firing", prefix + "-ok1", "Other"),
                    twoAlerts(c, prefix + "-good-neighbour", prefix + "-bad"),
                    AlertWebhookTest.payload(c, "firing", prefix + "-ok2", "Other")));
            assertEquals(200, answers.get(0).statusCode(), answers.get(0).body());
            assertEquals(503, answers.get(1).statusCode(), answers.get(1).body());
            assertEquals(200, answers.get(2).statusCode(), answers.get(2).body());
            assertEquals(2, rows(prefix), "the two good deliveries are stored");
            assertEquals(0, rows(prefix + "-good-neighbour"), "the failed delivery's other alert is not kept either");
        } finally {
            dropTrigger(trig);
        }
    }

    @Test
    void duplicatesInOneGroupCountOnceAndDecideOnce() throws Exception {
        String c = unique("gc-dup");
        cluster(c, 1, 10, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String webhook = token("webhook");
        String fp = "gcd" + Long.toHexString(System.nanoTime());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add(AlertWebhookTest.payload(c, "firing", fp, "HighLoad"));
        }
        List<HttpResponse<String>> answers = asOneGroup(webhook, bodies);
        int fresh = 0;
        int duplicates = 0;
        for (HttpResponse<String> r : answers) {
            assertEquals(200, r.statusCode(), r.body());
            fresh += r.body().contains("\"new\":1") ? 1 : 0;
            duplicates += r.body().contains("\"duplicates\":1") ? 1 : 0;
        }
        assertEquals(1, fresh, "exactly one delivery stored the alert");
        assertEquals(4, duplicates);
        assertEquals(1, rows(fp));
        await("the alert decision", Duration.ofSeconds(20), () -> decisions(c) >= 1);
        Thread.sleep(300);
        assertEquals(1, decisions(c), "one alert, one decision");
        assertEquals(1, sessions.facts(c).get(10, TimeUnit.SECONDS).stream().filter(o -> o instanceof Alert).count());
        // a group holding the firing and the resolved alert: both stored, the alert leaves the session
        List<HttpResponse<String>> both = asOneGroup(webhook, List.of(AlertWebhookTest.payload(c, "firing", fp, "HighLoad"),
                AlertWebhookTest.payload(c, "resolved", fp, "HighLoad")));
        assertTrue(both.get(0).body().contains("\"duplicates\":1"), both.get(0).body());
        assertTrue(both.get(1).body().contains("\"new\":1"), both.get(1).body());
        await("the alert retracted", Duration.ofSeconds(20), () -> {
            try {
                return sessions.facts(c).get(10, TimeUnit.SECONDS).stream().noneMatch(o -> o instanceof Alert);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(2, rows(fp));
    }

    @Test
    void aDeliveryBiggerThanOneStatementIsStoredWholeAndDeduplicatedAcrossStatements() throws Exception {
        String c = unique("gc-big");
        cluster(c, 1, 10, 1, "paused: true");
        String fp = "gcb" + Long.toHexString(System.nanoTime());
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            // alert 5500 repeats alert 0, in another INSERT of the same transaction; 6000 rows would pass MariaDB's placeholder limit in one statement
            int n = i == 5500 ? 0 : i;
            alerts.append(i == 0 ? "" : ",").append("""
                    {"status":"firing","labels":{"alertname":"Other","cluster":"%s"},"startsAt":"2026-01-05T08:00:00Z","fingerprint":"%s-%d"}"""
                    .formatted(c, fp, n));
        }
        String body = "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"rulescaler\",\"alerts\":[" + alerts + "]}";
        HttpResponse<String> r = post(token("webhook"), body).get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"new\":5999") && r.body().contains("\"duplicates\":1"), r.body());
        assertEquals(5999, rows(fp + "-"));
    }

    /**
     * A store whose connection died after the node had committed it (and replicated it) is run again, by the
     * driver on the next node or by the writer's retry: it then finds the delivery's own rows. They are still
     * this delivery's new alerts (the stored time is its own), so they reach the session and are decided, once;
     * the same alert in another delivery stays a duplicate.
     */
    @Test
    void aStoreRunAgainAfterItsCommitWentThroughStillHandsItsAlertsOver() throws Exception {
        String c = unique("gc-again");
        cluster(c, 1, 10, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String fp = "gca" + Long.toHexString(System.nanoTime());
        String body = AlertWebhookTest.payload(c, "firing", fp, "HighLoad");
        AlertIntake.Delivery d = new AlertIntake.Delivery(json.readValue(body, AlertmanagerPayload.class), java.time.Instant.now());
        // the first run's commit went through, but no answer came back: the row is there, no session got the alert
        try (java.sql.Connection conn = dataSource.getConnection()) {
            assertEquals(1, AlertTable.insertIgnore(conn, AlertRows.of(List.of(d), java.util.Set.of(c), signalConfig.alertClusterLabel())
                    .all()).size());
        }
        assertEquals(1, intake.store(List.of(d)).get(0).size(), "run again, the delivery's own alert is still new");
        await("the alert decision", Duration.ofSeconds(20), () -> decisions(c) >= 1);
        AlertIntake.Delivery resent = new AlertIntake.Delivery(d.payload(), d.receivedAt().plusMillis(5));
        assertTrue(intake.store(List.of(resent)).get(0).isEmpty(), "another delivery of the alert is a duplicate");
        intake.store(List.of(d));
        sessions.evaluateAll().get(20, TimeUnit.SECONDS);
        Thread.sleep(300);
        assertEquals(1, decisions(c), "handed over twice, decided once");
        assertEquals(1, rows(fp));
    }

    /**
     * A delivery answered 503 after its store had committed (the connection died during the commit): checked
     * again once the database answers, its stored alert reaches the session and is decided; a delivery that was
     * not stored is simply dropped from the check (Alertmanager sends it again).
     */
    @Test
    void aDeliveryAnswered503WhoseStoreHadCommittedStillReachesItsSession() throws Exception {
        String c = unique("gc-unconfirmed");
        cluster(c, 1, 10, 2, "guard: {scaleOutCooldownSeconds: 0}");
        String fp = "gcu" + Long.toHexString(System.nanoTime());
        AlertIntake.Delivery stored = new AlertIntake.Delivery(json.readValue(AlertWebhookTest.payload(c, "firing", fp, "HighLoad"),
                AlertmanagerPayload.class), java.time.Instant.now());
        AlertIntake.Delivery lost = new AlertIntake.Delivery(json.readValue(AlertWebhookTest.payload(c, "firing", fp + "-lost", "HighLoad"),
                AlertmanagerPayload.class), java.time.Instant.now());
        try (java.sql.Connection conn = dataSource.getConnection()) {
            AlertTable.insertIgnore(conn, AlertRows.of(List.of(stored), java.util.Set.of(c), signalConfig.alertClusterLabel()).all());
        }
        unconfirmed.add(stored);
        unconfirmed.add(lost);
        unconfirmed.check();
        assertEquals(0, unconfirmed.waiting(), "the database answered for both");
        await("the stored alert decided", Duration.ofSeconds(20), () -> decisions(c) >= 1);
        assertEquals(0, rows(fp + "-lost"), "the check stores nothing itself");
        sessions.evaluateAll().get(20, TimeUnit.SECONDS);
        Thread.sleep(300);
        assertEquals(1, decisions(c));
    }

    int decisions(String cluster) {
        return ((Number) em.createNativeQuery("select count(*) from decision where cluster_name = ?1")
                .setParameter(1, cluster).getSingleResult()).intValue();
    }
}
