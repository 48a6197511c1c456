package io.rulescaler.bench;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: 20 stub clusters on the shipped default rules, a cpu sample for each every 100 ms and a
 * HighLoad alert for each every 2 s (the previous one resolved), for -Dsoak.minutes (20); reports decision rows per
 * cluster-hour against the evaluations those rows stand for, and the rows by verdict and reason. The cpu of each
 * cluster swings between 90 % and 10 % every 3 minutes (phase shifted by cluster), so outcomes change during the run.
 * Run: bench/soak.sh [minutes]
 */
@QuarkusTest
class SoakBench {

    static final int CLUSTERS = 20;

    @Inject
    EntityManager em;

    @Test
    void decisionRowsPerClusterHour() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "20"));
        String prefix = unique("soak");
        List<String> clusters = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            String c = prefix + "-" + i;
            cluster(c, 1, 10, 2, "");
            clusters.add(c);
        }
        String webhook = token("webhook");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + RestAssured.port;
        AtomicLong posted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        timer.scheduleAtFixedRate(() -> {
            StringBuilder body = new StringBuilder("{\"samples\":[");
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < CLUSTERS; i++) {
                boolean hot = ((int) ((elapsed + i * 9) / 180)) % 2 == 0;
                body.append(i == 0 ? "" : ",").append("{\"cluster\":\"").append(clusters.get(i)).append("\",\"metric\":\"cpu\",\"value\":")
                        .append(hot ? 90 : 10).append('}');
            }
            post(http, base + "/api/v1/samples", webhook, body.append("]}").toString(), posted, failed);
        }, 0, 100, TimeUnit.MILLISECONDS);
        AtomicLong round = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            long r = round.incrementAndGet();
            for (String c : clusters) {
                post(http, base + "/api/v1/alerts/prometheus", webhook, alerts(c, c + "-" + r, r > 1 ? c + "-" + (r - 1) : null), posted, failed);
            }
        }, 0, 2, TimeUnit.SECONDS);
        Thread.sleep((long) (minutes * 60_000));
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        double hours = (System.nanoTime() - start) / 3.6e12;

        List<Object[]> byOutcome = em.createNativeQuery("SELECT verdict, SUBSTRING_INDEX(verdict_reason, ' ', 2), COUNT(*), SUM(repeats)"
                + " FROM decision WHERE cluster_name LIKE ?1 GROUP BY 1, 2 ORDER BY 3 DESC").setParameter(1, prefix + "-%").getResultList();
        long rows = 0;
        long evaluations = 0;
        for (Object[] o : byOutcome) {
            rows += ((Number) o[2]).longValue();
            evaluations += ((Number) o[3]).longValue();
        }
        System.out.printf(Locale.ROOT, "BENCH soak clusters=%d minutes=%.1f posts=%d failed=%d decision_rows=%d decided_evaluations=%d%n",
                CLUSTERS, hours * 60, posted.get(), failed.get(), rows, evaluations);
        System.out.printf(Locale.ROOT, "BENCH soak rows_per_cluster_hour=%.0f decided_evaluations_per_cluster_hour=%.0f evaluations_per_row=%.1f%n",
                rows / (CLUSTERS * hours), evaluations / (CLUSTERS * hours), rows == 0 ? 0.0 : (double) evaluations / rows);
        for (Object[] o : byOutcome) {
            System.out.printf(Locale.ROOT, "BENCH soak outcome verdict=%s reason=\"%s\" rows=%s evaluations=%s%n", o[0], o[1], o[2], o[3]);
        }
    }

    private static String alerts(String cluster, String firing, String resolved) {
        String one = """
                {"status":"%s","labels":{"alertname":"HighLoad","cluster":"%s"},"annotations":{},"startsAt":"2026-01-05T08:00:00Z",\
                "endsAt":"%s","generatorURL":"http://prometheus:9090/graph","fingerprint":"%s"}""";
        String alerts = one.formatted("firing", cluster, "0001-01-01T00:00:00Z", firing)
                + (resolved == null ? "" : "," + one.formatted("resolved", cluster, "2026-01-05T08:05:00Z", resolved));
        return """
                {"receiver":"rulescaler","status":"firing","alerts":[%s],"groupLabels":{"alertname":"HighLoad"},\
                "commonLabels":{"alertname":"HighLoad","cluster":"%s"},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",\
                "version":"4","groupKey":"{}:{alertname=\\"HighLoad\\"}","truncatedAlerts":0}""".formatted(alerts, cluster);
    }

    private static void post(HttpClient http, String url, String token, String body, AtomicLong posted, AtomicLong failed) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            (r.statusCode() < 300 ? posted : failed).incrementAndGet();
        } catch (Exception e) {
            failed.incrementAndGet();
        }
    }
}
