package io.rulescaler.bench;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rulescaler.signal.AlertWebhookTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: Alertmanager webhook received → decision stored (p50/p99, from the
 * service's own timestamps in alert_event and decision), and webhook throughput in deliveries/s of
 * {@value #ALERTS_PER_DELIVERY} alerts (as Alertmanager groups them) against two floors in the same
 * run: a bare endpoint doing the same auth and JSON parsing and storing nothing, and a committing
 * one that also stores each delivery with one INSERT and one commit. Run: bench/capacity-webhook.sh
 */
@QuarkusTest
class CapacityWebhookBench {

    static final int LATENCY_ALERTS = 300;
    static final int THROUGHPUT_POSTS = 3000;
    /** Concurrent senders in the throughput part (-Dbench.threads; Alertmanager posts one group per goroutine). */
    static final int THREADS = Integer.getInteger("bench.threads", 4);
    static final int THROUGHPUT_ROUNDS = 5;
    /** Alerts in one delivery of the throughput part (-Dbench.alerts): Alertmanager sends a group's alerts together. */
    static final int ALERTS_PER_DELIVERY = 8;
    static final int ALERTS = Integer.getInteger("bench.alerts", ALERTS_PER_DELIVERY);
    /** The JIT's compile time counter: the warm-up lasts until compiling no longer takes a share of the CPU. */
    static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /** Two warm-up rounds in a row in which the JIT compiled for less than this share of their time end the warm-up. */
    static final double JIT_SETTLED = 0.03;

    int warmUpRounds;
    /** CPU of the JVM, the senders and the database server, for CPU per delivery (null until the throughput part). */
    static CpuMeter cpu;

    @Inject
    EntityManager em;

    @Test
    void webhookToDecisionLatencyAndThroughputRatio() throws Exception {
        String webhook = token("webhook");
        // HTTP/1.1 as Alertmanager speaks it (Go's client does not upgrade plain http to h2c; the JDK
        // client would, and then every thread's posts share one HTTP/2 connection and one event loop)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + RestAssured.port;
        // first a dry-run cluster: decided and stored the same way, but no operation runs; then, as
        // measured since the first version, a cluster whose every decision scales out, so the
        // orchestrator deploys stub machines on the same two cores while the alerts come in. The
        // difference is how much of the tail is the orchestrator's work competing for the CPU.
        if (!"throughput".equals(System.getProperty("bench.only"))) {
            latency("dry-run", "guard: {scaleOutCooldownSeconds: 0}\ndryRun: true", http, base, webhook);
            latency("acting", "guard: {scaleOutCooldownSeconds: 0}", http, base, webhook);
        }
        if ("latency".equals(System.getProperty("bench.only"))) {
            return;
        }
        String paused = unique("benchp");
        cluster(paused, 1, 10, 1, "paused: true");
        // bare and real alternate, so a slow spell of the machine hits both; the median of the
        // per-round ratios is reported, with every round, because the bare endpoint alone swings
        List<Double> ratios = new ArrayList<>();
        List<Double> floorRatios = new ArrayList<>();
        List<String> rounds = new ArrayList<>();
        List<CpuMeter.PerDelivery> floorCpu = new ArrayList<>();
        List<CpuMeter.PerDelivery> realCpu = new ArrayList<>();
        cpu = new CpuMeter(CpuMeter.dbPid((String) em.createNativeQuery("SELECT @@pid_file").getSingleResult()));
        warmUp(http, base, webhook, paused);
        for (int round = 0; round < THROUGHPUT_ROUNDS; round++) {
            long t0 = System.currentTimeMillis();
            long jit0 = JIT.getTotalCompilationTime();
            Map<String, Long> s0 = dbStatements();
            CpuMeter.Reading c0 = cpu.read();
            double bare = throughput(http, base + "/bench/bare-webhook", webhook, paused);
            CpuMeter.Reading c1 = cpu.read();
            long t1 = System.currentTimeMillis();
            Map<String, Long> s1 = dbStatements();
            CpuMeter.Reading c1b = cpu.read();
            double floor = throughput(http, base + "/bench/committing-webhook", webhook, paused);
            CpuMeter.Reading c2 = cpu.read();
            long t2 = System.currentTimeMillis();
            Map<String, Long> s2 = dbStatements();
            CpuMeter.Reading c2b = cpu.read();
            jdk.jfr.Recording jfr = profile();
            double real = throughput(http, base + "/api/v1/alerts/prometheus", webhook, paused);
            if (jfr != null) {
                jfr.dump(java.nio.file.Path.of(System.getProperty("bench.jfr") + "-" + round + ".jfr"));
                jfr.close();
            }
            CpuMeter.Reading c3 = cpu.read();
            Map<String, Long> s3 = dbStatements();
            CpuMeter.PerDelivery bareCpu = CpuMeter.perDelivery(c0, c1, THROUGHPUT_POSTS);
            floorCpu.add(CpuMeter.perDelivery(c1b, c2, THROUGHPUT_POSTS));
            realCpu.add(CpuMeter.perDelivery(c2b, c3, THROUGHPUT_POSTS));
            System.out.printf("BENCH-ROUND %d CPU ms per delivery (senders excluded): bare %s | committing %s | real %s%n", round, bareCpu,
                    floorCpu.get(round), realCpu.get(round));
            System.out.printf("BENCH-ROUND %d bare %d-%d ms committing %d-%d ms real %d-%d ms (epoch ms, to match a profile)%n",
                    round, t0, t1, t1, t2, t2, System.currentTimeMillis());
            System.out.printf("BENCH-ROUND %d database statements per post: bare %s committing %s real %s%n", round, perPost(s0, s1),
                    perPost(s1, s2), perPost(s2, s3));
            System.out.printf("BENCH-ROUND %d JIT compiling %.1f%% of the round's time%n", round, 100 * compiling(jit0, t0));
            ratios.add(real / bare);
            floorRatios.add(real / floor);
            rounds.add(String.format("%.0f/%.0f/%.0f", real, floor, bare));
        }
        RestAssured.given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("rulescaler_rule_evaluations_seconds_count") && l.contains(paused))
                .forEach(l -> System.out.println("BENCH " + l + " (deliveries to it: " + THROUGHPUT_POSTS * (THROUGHPUT_ROUNDS + warmUpRounds) + ")"));
        System.out.printf("BENCH webhook deliveries/s per round (real/committing/bare)=%s (posts=%d alerts/post=%d threads=%d)%n",
                rounds, THROUGHPUT_POSTS, ALERTS, THREADS);
        System.out.println("BENCH webhook throughput ÷ committing floor " + spread(floorRatios));
        System.out.println("BENCH webhook throughput ÷ bare (non-durable, information) " + spread(ratios));
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < floorCpu.size(); i++) {
            cpuRatios.add(floorCpu.get(i).total() / realCpu.get(i).total());
        }
        System.out.printf("BENCH CPU ms per delivery, service + database%s: committing %s, real %s; committing ÷ real %s%n",
                cpu.seesDb() ? "" : " (database server not found: service only)", spreadMs(floorCpu), spreadMs(realCpu), spread(cpuRatios));
        System.out.printf("BENCH load average at the end: %s%n", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    /** With -Dbench.jfr=PREFIX, a JFR recording (settings "profile") of the real webhook's part of each measured round, in PREFIX-ROUND.jfr. */
    static jdk.jfr.Recording profile() throws Exception {
        if (System.getProperty("bench.jfr") == null) {
            return null;
        }
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    static String spreadMs(List<CpuMeter.PerDelivery> perDelivery) {
        List<Double> total = new ArrayList<>(perDelivery.stream().map(CpuMeter.PerDelivery::total).toList());
        List<Double> db = new ArrayList<>(perDelivery.stream().map(CpuMeter.PerDelivery::db).toList());
        Collections.sort(db);
        return spread(total) + String.format(" (of it db median %.3f)", db.get(db.size() / 2));
    }

    static String spread(List<Double> ratios) {
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        return String.format("median=%.2f min=%.2f max=%.2f", sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /**
     * Uncounted rounds of both endpoints until the JIT has settled: at least {@code -Dbench.warmup}
     * (default 2), then on until two rounds in a row in which compiling took under 3 % of the time, at most
     * {@code -Dbench.warmup.max} (default 20). With one warm-up round the compiler threads still
     * took a fifth of the CPU in the measured rounds (2026-12-06), which both endpoints' rounds pay, so
     * the ratio was pulled towards 1, and rounds sped up as they went.
     */
    void warmUp(HttpClient http, String base, String webhook, String paused) throws Exception {
        int min = Integer.getInteger("bench.warmup", 2);
        int max = Math.max(min, Integer.getInteger("bench.warmup.max", 20));
        double share = 1;
        int settled = 0; // rounds in a row under JIT_SETTLED: the JIT still recompiles in bursts after a quiet round
        while (warmUpRounds < max && (warmUpRounds < min || settled < 2)) {
            long t0 = System.currentTimeMillis();
            long jit0 = JIT.getTotalCompilationTime();
            throughput(http, base + "/bench/bare-webhook", webhook, paused);
            throughput(http, base + "/bench/committing-webhook", webhook, paused);
            throughput(http, base + "/api/v1/alerts/prometheus", webhook, paused);
            share = compiling(jit0, t0);
            settled = share < JIT_SETTLED ? settled + 1 : 0;
            warmUpRounds++;
        }
        System.out.printf("BENCH warm-up: %d rounds, JIT compiling %.1f%% of the last one's time%s%n", warmUpRounds, share * 100,
                settled < 2 ? " (not settled: the ratio below is measured on a JVM still compiling)" : "");
    }

    /** The share of the time since {@code startMillis} the JIT spent compiling (its counter then: {@code jitMillis}). */
    static double compiling(long jitMillis, long startMillis) {
        return (JIT.getTotalCompilationTime() - jitMillis) / (double) Math.max(1, System.currentTimeMillis() - startMillis);
    }

    /** The server's statement counters (all clients: the service's background work is in them too). */
    Map<String, Long> dbStatements() {
        Map<String, Long> out = new TreeMap<>();
        List<Object[]> rows = em.createNativeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN"
                + " ('Questions','Com_select','Com_insert','Com_update','Com_commit','Com_set_option','Handler_write','Handler_read_key',"
                + "'Handler_commit','Bytes_received','Bytes_sent')").getResultList();
        for (Object[] r : rows) {
            out.put(((String) r[0]).replace("Com_", ""), Long.parseLong(r[1].toString()));
        }
        return out;
    }

    static String perPost(Map<String, Long> from, Map<String, Long> to) {
        StringBuilder sb = new StringBuilder();
        to.forEach((k, v) -> sb.append(String.format("%s=%.2f ", k, (v - from.getOrDefault(k, 0L)) / (double) THROUGHPUT_POSTS)));
        return sb.toString().trim();
    }

    private void latency(String label, String extra, HttpClient http, String base, String webhook) throws Exception {
        String c = unique("bench");
        cluster(c, 1, 10_000, 1, extra);
        List<String> fps = new ArrayList<>();
        for (int i = 0; i < LATENCY_ALERTS; i++) {
            String fp = "b" + Long.toHexString(System.nanoTime());
            fps.add(fp);
            post(http, base + "/api/v1/alerts/prometheus", webhook, AlertWebhookTest.payload(c, "firing", fp, "HighLoad"));
            Thread.sleep(10);
        }
        await("all decisions", Duration.ofSeconds(120), () -> ((Number) em.createNativeQuery(
                "select count(*) from decision where cluster_name = ?1").setParameter(1, c).getSingleResult()).intValue() >= LATENCY_ALERTS);
        List<Object[]> rows = em.createNativeQuery("select a.received_at, d.decided_at, a.fingerprint from alert_event a join decision d"
                + " on d.cluster_name = a.cluster_name and d.facts_json like concat('%\"fingerprint\":\"', a.fingerprint, '\"%')"
                + " where a.cluster_name = ?1").setParameter(1, c).getResultList();
        List<Double> ms = new ArrayList<>();
        List<String> slowest = new ArrayList<>();
        for (Object[] r : rows) {
            ms.add((instant(r[1]) - instant(r[0])) / 1000.0);
        }
        // where the slowest alerts were in the posting order (a tail at the start is the cluster's cold first evaluations)
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(ms.get(b), ms.get(a)));
        for (int i = 0; i < Math.min(5, order.size()); i++) {
            slowest.add("#" + fps.indexOf((String) rows.get(order.get(i))[2]) + "=" + Math.round(ms.get(order.get(i))) + "ms");
        }
        Collections.sort(ms);
        System.out.printf("BENCH webhook->decision (%s) n=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", label, ms.size(),
                ms.get(ms.size() / 2), ms.get((int) Math.floor(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
        System.out.println("BENCH webhook->decision (" + label + ") slowest (position in posting order)=" + slowest);

        String metrics = RestAssured.given().get("/q/metrics").asString();
        metrics.lines().filter(l -> l.startsWith("rulescaler_rule_evaluations_seconds") && l.contains(c))
                .forEach(l -> System.out.println("BENCH " + l));
    }

    static long instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.getTime() * 1000 + (t.getNanos() / 1000) % 1000;
        }
        java.time.LocalDateTime l = (java.time.LocalDateTime) o;
        java.time.Instant i = l.toInstant(java.time.ZoneOffset.UTC);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    static double throughput(HttpClient http, String url, String token, String cluster) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong n = new AtomicLong();
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            fs.add(pool.submit(() -> {
                try {
                    while (n.incrementAndGet() <= THROUGHPUT_POSTS) {
                        post(http, url, token, group(cluster, "t" + System.nanoTime() + "-" + Thread.currentThread().getId(), ALERTS));
                    }
                } finally {
                    if (cpu != null) {
                        cpu.senderDone();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return THROUGHPUT_POSTS / ((System.nanoTime() - start) / 1e9);
    }

    /** A delivery of {@code n} firing alerts of one group, as Alertmanager sends them (labels differ by instance). */
    static String group(String cluster, String fingerprintPrefix, int n) {
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < n; i++) {
            alerts.append(i == 0 ? "" : ",").append("""
                    {"status":"firing","labels":{"alertname":"Other","cluster":"%1$s","severity":"page","instance":"10.0.0.%3$d:9100"},\
                    "annotations":{"summary":"load is high"},"startsAt":"2026-01-05T08:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z",\
                    "generatorURL":"http://prometheus:9090/graph?g0.expr=load+%%3E+1&g0.tab=1","fingerprint":"%2$s-%3$d"}""".formatted(
                    cluster, fingerprintPrefix, i));
        }
        return """
                {"receiver":"rulescaler","status":"firing","alerts":[%2$s],"groupLabels":{"alertname":"Other"},\
                "commonLabels":{"alertname":"Other","cluster":"%1$s","severity":"page"},"commonAnnotations":{"summary":"load is high"},\
                "externalURL":"http://alertmanager:9093","version":"4","groupKey":"{}:{alertname=\\"Other\\"}","truncatedAlerts":0}
                """.formatted(cluster, alerts);
    }

    static void post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
    }
}
