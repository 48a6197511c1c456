package io.rulescaler.signal;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian package) on a free loopback port, scraping a tiny target whose
 * metrics the test sets (system property {@value #METRICS}), with a HighLoad alerting rule and
 * two Alertmanager addresses reserved for the test to start ({@link #startAlertmanagers}).
 * Registered for the whole test run (it only reserves ports at boot, so the application is not
 * restarted for the class that uses it); the processes start on first use.
 */
public class PrometheusStack implements QuarkusTestResourceLifecycleManager {

    public static final String METRICS = "rulescaler.test.demo-metrics";
    static final String AM_PORTS = "rulescaler.test.am-ports";
    static final String PROM_PORT = "rulescaler.test.prometheus-port";
    static final List<Process> PROCESSES = new ArrayList<>();
    private static boolean started;
    private static boolean alertmanagersStarted;

    private static final java.util.Set<Integer> RESERVED = new java.util.HashSet<>();

    /**
     * A port chosen at boot but bound only later, when the stack starts. It comes from below the
     * kernel's ephemeral range (32768+), so no port 0 bind or outgoing connection in between can
     * take it, as one did when these came from the ephemeral range.
     */
    public static synchronized int reservedPort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + random.nextInt(10_000);
            if (RESERVED.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                RESERVED.add(port);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000-29999");
    }

    static int freePort() throws IOException {
        return io.rulescaler.testing.FreePorts.next();
    }

    /**
     * Reserves the ports only (no process yet), so the service boots with the poller's URL and
     * every test class keeps sharing one application; {@link #ensurePrometheus()} starts it.
     */
    @Override
    public Map<String, String> start() {
        try {
            if (System.getProperty(PROM_PORT) == null) {
                System.setProperty(PROM_PORT, String.valueOf(reservedPort()));
                System.setProperty(AM_PORTS, reservedPort() + "," + reservedPort());
            }
            return Map.of("rulescaler.signal.poller.prometheus-url", "http://127.0.0.1:" + System.getProperty(PROM_PORT));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the scrape target and Prometheus once per test JVM. */
    public static synchronized void ensurePrometheus() throws IOException {
        if (started) {
            return;
        }
        Path dir = Files.createTempDirectory("prom-stack");
        System.setProperty(METRICS, "");
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", ex -> {
            byte[] body = System.getProperty(METRICS, "").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        target.start();
        String[] am = System.getProperty(AM_PORTS).split(",");
        int prom = Integer.parseInt(System.getProperty(PROM_PORT));
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: demo
                    interval: 1s
                    rules:
                      - alert: HighLoad
                        expr: demo_load > 5
                        labels: {severity: page}
                        annotations: {summary: "demo load is high"}
                """);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [%s]
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['127.0.0.1:%s', '127.0.0.1:%s']}]
                scrape_configs:
                  - job_name: demo
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(dir.resolve("rules.yml"), am[0], am[1], target.getAddress().getPort()));
        Process p = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prom,
                "--rules.alert.resend-delay=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PROCESSES.add(p);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            PROCESSES.forEach(Process::destroy);
            target.stop(0);
        }));
        waitHttp("http://127.0.0.1:" + prom + "/-/ready", Duration.ofSeconds(30));
        started = true;
    }

    /** Starts two clustered Alertmanager peers posting to {@code webhookUrl} with a bearer token. */
    public static synchronized void startAlertmanagers(String webhookUrl, String token) throws IOException {
        if (alertmanagersStarted) {
            return; // one pair per test JVM; they post to the one shared application
        }
        alertmanagersStarted = true;
        String[] ports = System.getProperty(AM_PORTS).split(",");
        int c1 = freePort();
        int c2 = freePort();
        Path d = Files.createTempDirectory("alertmanagers");
        Files.writeString(d.resolve("am.yml"), """
                route:
                  receiver: rulescaler
                  group_by: [alertname, cluster]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: rulescaler
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                        http_config:
                          authorization:
                            credentials: %s
                """.formatted(webhookUrl, token));
        int[][] peers = {{Integer.parseInt(ports[0]), c1, c2}, {Integer.parseInt(ports[1]), c2, c1}};
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder("/usr/bin/prometheus-alertmanager", "--config.file=" + d.resolve("am.yml"),
                    "--storage.path=" + d.resolve("data" + i), "--web.listen-address=127.0.0.1:" + peers[i][0],
                    "--cluster.listen-address=127.0.0.1:" + peers[i][1], "--cluster.advertise-address=127.0.0.1:" + peers[i][1],
                    "--cluster.peer=127.0.0.1:" + peers[i][2], "--cluster.gossip-interval=50ms",
                    "--cluster.settle-timeout=3s", "--cluster.peer-timeout=0s")
                    .redirectErrorStream(true).redirectOutput(d.resolve("am" + i + ".log").toFile()).start();
            PROCESSES.add(p);
        }
        for (int i = 0; i < 2; i++) {
            waitHttp("http://127.0.0.1:" + peers[i][0] + "/-/ready", Duration.ofSeconds(30));
        }
    }

    static void waitHttp(String url, Duration timeout) throws IOException {
        java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException(url + " did not become ready in " + timeout);
    }

    @Override
    public void stop() {
        // the processes belong to the test JVM and end with it (shutdown hook)
    }
}
