package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A rolling redeploy with real parts: a {@code byon} cluster of four test sshd hosts (127.0.0.1-4)
 * behind a real HAProxy, configured by the shipped chains (Puppet into a scratch root, Tomcat
 * configuration, the WAR from {@code app.warUrl}). Each host's application answers with the WAR its
 * node has deployed, and the cluster's health check fails for a node whose WAR is the broken one.
 * A broken version fails the health gate of the first batch and is rolled back to version 1; then
 * version 2 goes out in batches of 2; a client loop against HAProxy sees no failed request throughout.
 */
@QuarkusTest
@QuarkusTestResource(EndToEndConfig.class)
class RedeployByonStoryTest {

    @Inject
    SshConnector ssh;

    @Test
    void fourHostsMoveToVersionTwoWhileHaproxyServesAndABrokenVersionRollsBack() throws Exception {
        RealParts.require("puppet", "puppet");
        String c = Ops.unique("rdstory");
        Path roots = EndToEndConfig.DIR.resolve("roots-" + c);
        List<SshdHost> hosts = new ArrayList<>();
        List<HttpServer> apps = new ArrayList<>();
        Map<Integer, String> nodeOfHost = new ConcurrentHashMap<>();
        int appPort = SshdHost.freePort();
        HttpServer health = server("127.0.0.1", 0, ex -> {
            String node = ex.getRequestURI().getPath().substring("/health/".length());
            String war = war(roots, node);
            answer(ex, war == null ? 503 : war.contains("broken") ? 500 : 200, war == null ? "no war" : war);
        });
        try (HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer artifacts = new TinyHttpServer().answer("/app-1.war", 200, "war-1")
                        .answer("/app-2.war", 200, "war-2").answer("/app-broken.war", 200, "war-broken")) {
            StringBuilder list = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                int host = i;
                SshdHost h = new SshdHost("127.0.0." + i).start();
                hosts.add(h);
                apps.add(server("127.0.0." + i, appPort, ex -> {
                    if (ex.getRequestURI().getPath().equals("/health")) {
                        answer(ex, 200, "UP");
                        return;
                    }
                    String node = nodeOfHost.get(host);
                    String war = node == null ? null : war(roots, node);
                    answer(ex, 200, "host" + host + " " + (war == null ? "-" : war));
                }));
                list.append("- {host: 127.0.0.").append(i).append(", port: ").append(h.port()).append(", zone: ")
                        .append(i % 2 == 1 ? "a" : "b").append("}\n");
            }
            Files.createDirectories(EndToEndConfig.DIR);
            Path key = ssh.settings().privateKey();
            Files.createDirectories(key.getParent());
            Files.copy(SshdHost.clientKey(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(EndToEndConfig.HOSTS, list.toString());
            writeChain("scale-out", "rd-scale-out", roots, "http://127.0.0.1:" + appPort + "/health");
            writeChain("scale-in", "rd-scale-in", roots, "http://127.0.0.1:" + appPort + "/health");
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
            asAdmin().contentType("application/yaml").body("""
                    name: %s
                    provider: e2e-byon
                    template: {zones: [a, b]}
                    layout: {a: 1, b: 1}
                    size: {min: 1, max: 4}
                    chains: {scaleOut: rd-scale-out, scaleIn: rd-scale-in}
                    loadBalancer: {type: haproxy, backend: be_web, address: "%s", port: %d, drainSeconds: 1}
                    parameters: {app.warUrl: "%s"}
                    health:
                      http: {path: "/health/{node}", port: %d, host: 127.0.0.1, intervalSeconds: 1, unhealthyAfter: 100,
                             healthyAfter: 2}
                      graceSeconds: 0
                    """.formatted(c, haproxy.apiAddress(), appPort, artifacts.url("/app-1.war"), health.getAddress().getPort()))
                    .put("/api/v1/clusters/" + c).then().statusCode(201);
            JsonPath out = Ops.await(Ops.scale(c, 4).getLong("operationId"), Duration.ofSeconds(180));
            assertEquals("succeeded", out.getString("state"), out.prettify());
            for (Map<String, Object> n : Ops.nodes(c)) {
                String address = (String) n.get("address");
                nodeOfHost.put(Integer.parseInt(address.substring("127.0.0.".length(), address.indexOf(':'))), (String) n.get("name"));
            }
            assertEquals(Set.of("200 host1 war-1", "200 host2 war-1", "200 host3 war-1", "200 host4 war-1"), responses(haproxy, 16));

            try (ClientLoop loop = new ClientLoop(haproxy)) {
                // a broken version: the first batch fails its health gate and goes back to version 1
                JsonPath bad = redeploy(c, Map.of("parameters", Map.of("app.warUrl", artifacts.url("/app-broken.war")),
                        "batchSize", 2, "healthGateSeconds", 8));
                JsonPath failed = Ops.await(bad.getLong("operationId"), Duration.ofSeconds(300));
                assertEquals("failed", failed.getString("state"), failed.prettify());
                assertTrue(failed.getString("error").contains("health gate"), failed.getString("error"));
                Long rollbackId = awaitRollback(c);
                JsonPath rollback = Ops.await(rollbackId, Duration.ofSeconds(300));
                assertEquals("succeeded", rollback.getString("state"), rollback.prettify());
                assertEquals("rolled-back", latest(c).getString("state"));
                assertEquals(artifacts.url("/app-1.war"), cluster(c).getString("spec.parameters.'app.warUrl'"));
                assertEquals(Set.of("200 host1 war-1", "200 host2 war-1", "200 host3 war-1", "200 host4 war-1"),
                        responses(haproxy, 16), "every host serves version 1 again");

                // version 2 in batches of 2
                JsonPath good = redeploy(c, Map.of("parameters", Map.of("app.warUrl", artifacts.url("/app-2.war")),
                        "batchSize", 2, "healthGateSeconds", 60));
                JsonPath done = Ops.await(good.getLong("operationId"), Duration.ofSeconds(300));
                assertEquals("succeeded", done.getString("state"), done.prettify());
                assertEquals(2, done.getInt("batches.done"));
                assertEquals(Set.of("200 host1 war-2", "200 host2 war-2", "200 host3 war-2", "200 host4 war-2"),
                        responses(haproxy, 16), "every host serves version 2");
                JsonPath view = cluster(c);
                assertEquals(0, view.getInt("nodesOnOlderSpec"));
                assertTrue(Ops.nodes(c).stream().allMatch(n -> Integer.valueOf(view.getInt("specVersion")).equals(n.get("specVersion"))));
                loop.stop();
                assertTrue(loop.requests.get() > 20, "the client loop ran: " + loop.requests.get());
                assertEquals(List.of(), loop.failures, "no request through HAProxy failed during the redeploys");
            }
        } finally {
            hosts.forEach(SshdHost::close);
            apps.forEach(s -> s.stop(0));
            health.stop(0);
        }
    }

    /** GETs HAProxy's frontend every 20 ms on its own thread (at most 30 000 times), counting failures. */
    private static final class ClientLoop implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        ClientLoop(HaproxyInstance haproxy) {
            thread = new Thread(() -> {
                while (running.get() && requests.get() < 30_000) {
                    try {
                        String r = haproxy.get("/");
                        if (!r.startsWith("200 ")) {
                            failures.add(r);
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                    requests.incrementAndGet();
                    Ops.sleep(20);
                }
            }, "redeploy-client-loop");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    private static Long awaitRollback(String c) {
        for (int i = 0; i < 600; i++) {
            Object id = latest(c).get("rollbackOperationId");
            if (id != null) {
                return ((Number) id).longValue();
            }
            Ops.sleep(100);
        }
        throw new AssertionError("no rollback started: " + latest(c).prettify());
    }

    private static JsonPath redeploy(String c, Map<String, Object> body) {
        return asAdmin().contentType("application/json").body(body).post("/api/v1/clusters/" + c + "/redeploy")
                .then().statusCode(202).extract().jsonPath();
    }

    private static JsonPath cluster(String c) {
        return asAdmin().get("/api/v1/clusters/" + c).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath latest(String c) {
        return new JsonPath(asAdmin().get("/api/v1/clusters/" + c + "/redeploy").then().statusCode(200).extract()
                .jsonPath().prettify()).setRootPath("[0]");
    }

    private static String war(Path roots, String node) {
        try {
            return Files.readString(roots.resolve(node + "/var/lib/tomcat10/webapps/ROOT.war")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private static HttpServer server(String address, int port, Handler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        s.createContext("/", ex -> {
            try (ex) {
                handler.handle(ex);
            }
        });
        s.setExecutor(Executors.newFixedThreadPool(4));
        s.start();
        return s;
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** The shipped chain with a scratch root, manageSystem=false and a local health URL; the WAR stays ${params.app.warUrl}. */
    @SuppressWarnings("unchecked")
    private static void writeChain(String shipped, String name, Path roots, String health) throws Exception {
        Yaml yaml = new Yaml();
        Map<String, Object> chain = yaml.load(Files.readString(Path.of("actions", shipped + ".yaml")));
        chain.put("name", name);
        for (Map<String, Object> step : (List<Map<String, Object>>) chain.get("steps")) {
            String action = (String) step.get("action");
            if (action.equals("OSConfiguration") || action.equals("DistributeScript") || action.equals("HandOverNodeToken")) {
                Map<String, Object> params = (Map<String, Object>) step.computeIfAbsent("params", k -> new java.util.LinkedHashMap<>());
                params.put("root", roots.resolve("{node}").toString());
                if (!action.equals("HandOverNodeToken")) {
                    params.put("manageSystem", "false");
                }
                params.replaceAll((k, v) -> k.endsWith("health_url") || k.equals("env.APP_HEALTH_URL") ? health : v);
            }
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(OrchestrationTestResources.CHAINS.resolve(name + ".yaml"), new Yaml(o).dump(chain));
    }

    private static Set<String> responses(HaproxyInstance haproxy, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(haproxy.get("/"));
        }
        return seen;
    }
}
