package io.rulescaler.bench;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rulescaler.signal.AlertWebhookTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: Alertmanager webhook received → first task of the resulting operation
 * started, on an acting stub cluster with cooldowns at 0, from the service's own timestamps
 * (alert_event.received_at, decision.decided_at, operation.created_at, task.started_at). Each
 * alert waits until the operation of the one before has ended, so what is measured is the
 * hand-off, not a queue behind a running operation. Also reports each stage of the way from the
 * service's JFR stage marks, and the floor (a bare INSERT and commit on the same database), see
 * {@link PathStages}. Run: bench/handoff-latency.sh
 */
@QuarkusTest
class HandoffLatencyBench {

    static final int ALERTS = Integer.getInteger("bench.alerts", 41);
    /** Pause between one alert's operation ending and the next alert, plus up to a second at random (any phase of a poll). */
    static final int SPACING_MS = Integer.getInteger("bench.spacing-ms", 500);
    /** Alerts after the measured ones, with the database's general log on, whose statements are counted (not timed). */
    static final int COUNTED = Integer.getInteger("bench.counted-alerts", 5);
    /**
     * Alerts posted back to back (each as soon as the one before has its first task done), after the cold phase and
     * before a second measured phase ("warm", same size and spacing as the cold one, on a cluster of its own); not in
     * the statistics. 0: the cold phase only, as before.
     */
    static final int WARMUP = Integer.getInteger("bench.warmup", 0);
    /** How many of each measured phase's slowest alerts {@link PathTail} explains (BENCH-TAIL lines). */
    static final int TAIL = Integer.getInteger("bench.tail", 3);

    @Inject
    EntityManager em;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void webhookToFirstTaskStarted() throws Exception {
        String webhook = token("webhook");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = "http://127.0.0.1:" + RestAssured.port + "/api/v1/alerts/prometheus";
        // one cluster per phase, so the measured phases start from the same cluster size (the warm-up grows its own)
        List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("cold", ALERTS, SPACING_MS, unique("handoff")));
        if (WARMUP > 0) {
            phases.add(new Phase("warm-up", WARMUP, 0, unique("handoff-wu")));
            phases.add(new Phase("warm", ALERTS, SPACING_MS, unique("handoff-w")));
        }
        phases.add(new Phase("counted", COUNTED, SPACING_MS, phases.get(phases.size() - 1).cluster()));
        for (Phase p : phases) {
            if (!"counted".equals(p.name())) {
                cluster(p.cluster(), 0, 10_000, 0, "guard: {scaleOutCooldownSeconds: 0, scaleInCooldownSeconds: 0}");
            }
        }
        Random random = new Random(17);
        PathStages.floor(dataSource, 200);
        PathStages stages = new PathStages(new PathTail(TAIL));
        Map<String, List<long[]>> rows = new java.util.LinkedHashMap<>(); // per phase: received, decided, created, first task started (claimed), its worker began (µs)
        Map<String, Integer> notTaken = new java.util.LinkedHashMap<>();
        Map<String, long[]> firsts = new java.util.LinkedHashMap<>(); // each phase's first alert (a cluster's first: its session is built)
        java.sql.Connection own = null; // the counted alerts' polls run on it, and its statements are left out of the count
        long ownId = -1;
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (Phase phase : phases) {
            String c = phase.cluster();
            stages.phase(phase.name());
            if ("counted".equals(phase.name())) {
                own = dataSource.getConnection();
                ownId = PathStages.connectionId(own);
                PathStages.generalLog(dataSource, true);
            }
            boolean measured = !"counted".equals(phase.name()) && !"warm-up".equals(phase.name());
            for (int i = 0; i < phase.alerts(); i++) {
                java.sql.Connection polling = own;
                String fp = "h" + Long.toHexString(System.nanoTime());
                stages.posting(c);
                CapacityWebhookBench.post(http, url, webhook, AlertWebhookTest.payload(c, "firing", fp, "HighLoad"));
                long[] row = new long[5];
                boolean[] taken = new boolean[1];
                java.util.concurrent.Callable<Boolean> done = () -> poll(polling, c, fp, row, taken);
                // on its own connection without a transaction: a pooled connection taken outside one cannot join one
                await("the operation of " + phase.name() + " alert " + i, Duration.ofSeconds(60),
                        () -> polling != null ? unchecked(done) : QuarkusTransaction.requiringNew().call(done));
                boolean first = taken[0] && !firsts.containsKey(phase.name());
                stages.keep(measured && taken[0] && !first ? phase.name() : null); // each phase's first is reported apart (below)
                if (!taken[0]) {
                    notTaken.merge(phase.name(), 1, Integer::sum);
                } else if (first) {
                    firsts.put(phase.name(), row);
                } else {
                    rows.computeIfAbsent(phase.name(), k -> new ArrayList<>()).add(row);
                }
                if ("counted".equals(phase.name()) && taken[0]) {
                    counts.add(PathStages.statements(dataSource, row[0], row[4], ownId));
                }
                if (phase.spacingMs() > 0) {
                    Thread.sleep(phase.spacingMs() + random.nextInt(1000));
                }
            }
        }
        // what the numbers measure must hold: some alerts became operations, and each one's steps came in order
        org.junit.jupiter.api.Assertions.assertFalse(rows.getOrDefault("cold", List.of()).isEmpty(),
                "no alert became an operation with a started task");
        for (List<long[]> phaseRows : rows.values()) {
            for (long[] r : phaseRows) {
                org.junit.jupiter.api.Assertions.assertTrue(r[0] <= r[1] && r[1] <= r[2] && r[2] <= r[3],
                        "received <= decided <= operation created <= first task started, got " + java.util.Arrays.toString(r));
            }
        }
        // the JVM's first alert to become an operation (cold query plans and code paths) is reported apart, as the
        // webhook latency benchmark does: it is paid once per start, not per alert; so is each later phase's first
        firsts.forEach((name, f) -> System.out.printf("BENCH first alert of %s (not in the percentiles): decision stored %.1f ms,"
                + " operation created %.1f ms, first task started %.1f ms, worker began %.1f ms%n",
                "cold".equals(name) ? "the JVM" : "phase " + name + " (its cluster's first)",
                (f[1] - f[0]) / 1000.0, (f[2] - f[0]) / 1000.0, (f[3] - f[0]) / 1000.0, (f[4] - f[0]) / 1000.0));
        for (Phase phase : phases) {
            List<long[]> phaseRows = rows.getOrDefault(phase.name(), List.of());
            if (phaseRows.isEmpty() || "counted".equals(phase.name())) {
                continue;
            }
            String tag = "[" + phase.name() + "] ";
            if ("warm-up".equals(phase.name())) { // not in the statistics: how the latency fell while the JVM compiled the path
                int k = Math.min(40, phaseRows.size());
                report(tag + "first " + k + " back to back: webhook->first task's worker began", phaseRows.subList(0, k), 4, 0);
                report(tag + "last " + k + " back to back: webhook->first task's worker began",
                        phaseRows.subList(phaseRows.size() - k, phaseRows.size()), 4, 0);
                continue;
            }
            for (long[] r : phaseRows) {
                System.out.printf("BENCH-ALERT %s decided %.1f created %.1f started %.1f worker %.1f%n", tag, (r[1] - r[0]) / 1000.0,
                        (r[2] - r[0]) / 1000.0, (r[3] - r[0]) / 1000.0, (r[4] - r[0]) / 1000.0);
            }
            int nt = notTaken.getOrDefault(phase.name(), 0);
            report(tag + "webhook->decision stored", phaseRows, 1, nt);
            report(tag + "webhook->operation created", phaseRows, 2, nt);
            report(tag + "webhook->first task started", phaseRows, 3, nt);
            report(tag + "webhook->first task's worker began (its log's first line, ms precision)", phaseRows, 4, nt);
        }
        stages.report();
        stages.close();
        PathStages.generalLog(dataSource, false);
        if (own != null) {
            own.close();
        }
        PathStages.reportStatements(counts);
        PathStages.floor(dataSource, 200);
    }

    /** A part of the run: its alerts, the pause after each one's operation ended, its own cluster. */
    record Phase(String name, int alerts, int spacingMs, String cluster) {
    }

    /**
     * Whether the alert's request was decided and, if accepted, its operation's first task began; fills {@code row}
     * (received, decided, created, first task started, its worker began; µs) and {@code taken} when it did.
     */
    boolean poll(java.sql.Connection polling, String c, String fp, long[] row, boolean[] taken) throws Exception {
        List<Object[]> r = query(polling, "SELECT a.received_at, d.decided_at, s.status, o.created_at,"
                + " (SELECT MIN(t.started_at) FROM task t WHERE t.operation_id = o.id), o.state,"
                + " (SELECT l.text FROM task t JOIN task_log l ON l.task_id = t.id WHERE t.operation_id = o.id"
                + " AND l.text REGEXP '^[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3} attempt'" // not the janitor's note of an expired lease
                + " ORDER BY t.started_at, t.id, l.id LIMIT 1)"
                + " FROM alert_event a JOIN decision d ON d.cluster_name = a.cluster_name"
                + " AND d.facts_json LIKE CONCAT('%\"fingerprint\":\"', a.fingerprint, '\"%')"
                + " LEFT JOIN scale_request s ON s.id = d.scale_request_id LEFT JOIN operation o ON o.id = s.operation_id"
                + " WHERE a.cluster_name = ?1 AND a.fingerprint = ?2 ORDER BY d.id LIMIT 1", c, fp);
        if (r.isEmpty() || r.get(0)[2] == null || "PENDING".equals(r.get(0)[2])) {
            return false;
        }
        Object[] x = r.get(0);
        if (!"ACCEPTED".equals(x[2])) {
            return true; // rejected or superseded: no operation to wait for
        }
        if (x[4] == null || "RUNNING".equals(x[5]) || "ROLLING_BACK".equals(x[5]) || "CANCELLING".equals(x[5])) {
            return false;
        }
        row[0] = CapacityWebhookBench.instant(x[0]);
        row[1] = CapacityWebhookBench.instant(x[1]);
        row[2] = CapacityWebhookBench.instant(x[3]);
        row[3] = CapacityWebhookBench.instant(x[4]);
        row[4] = workerBegan(row[0], (String) x[6]);
        taken[0] = true;
        return true;
    }

    static boolean unchecked(java.util.concurrent.Callable<Boolean> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bench's poll: through the entity manager, or on its own connection (autocommit, plain JDBC) when given one. */
    @SuppressWarnings("unchecked")
    List<Object[]> query(java.sql.Connection own, String sql, String cluster, String fingerprint) throws java.sql.SQLException {
        if (own == null) {
            return em.createNativeQuery(sql, Object[].class).setParameter(1, cluster).setParameter(2, fingerprint).getResultList();
        }
        try (java.sql.PreparedStatement p = own.prepareStatement(sql.replace("?1", "?").replace("?2", "?"))) {
            p.setString(1, cluster);
            p.setString(2, fingerprint);
            List<Object[]> out = new ArrayList<>();
            try (java.sql.ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Object[] x = new Object[r.getMetaData().getColumnCount()];
                    for (int k = 0; k < x.length; k++) {
                        x[k] = r.getObject(k + 1);
                    }
                    out.add(x);
                }
            }
            return out;
        }
    }

    /**
     * When the worker began the attempt: the time of day (UTC, to the millisecond) on the first line of the
     * task's log ("HH:mm:ss.SSS attempt 1 of ..."), on the day the alert was received; -1 µs before the claim
     * would be a contradiction, so a day boundary between the two is not handled.
     */
    static long workerBegan(long receivedMicros, String log) {
        java.time.LocalDate day = java.time.Instant.ofEpochSecond(receivedMicros / 1_000_000).atZone(java.time.ZoneOffset.UTC).toLocalDate();
        java.time.Instant i = java.time.LocalTime.parse(log.substring(0, 12)).atDate(day).toInstant(java.time.ZoneOffset.UTC);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    static void report(String what, List<long[]> rows, int column, int notTaken) {
        List<Double> ms = new ArrayList<>();
        for (long[] r : rows) {
            ms.add((r[column] - r[0]) / 1000.0);
        }
        Collections.sort(ms);
        System.out.printf("BENCH %s (acting stub cluster, cooldowns 0) n=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f"
                        + " (alerts whose request was not taken: %d)%n", what, ms.size(), rank(ms, 0.50), rank(ms, 0.90),
                rank(ms, 0.99), ms.get(ms.size() - 1), notTaken);
    }

    /** Nearest-rank percentile of sorted values. */
    static double rank(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
