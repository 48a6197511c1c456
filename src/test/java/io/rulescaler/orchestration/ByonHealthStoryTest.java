package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Health checks and replacement with real parts: a {@code byon} cluster of test sshd hosts
 * (127.0.0.11-15) at size 2 behind a real HAProxy, each host with a Tomcat stand-in (an HTTP server
 * answering {@code /} and {@code /health}); the agent Puppet installed runs on each host over SSH and
 * posts real heartbeats with the node's own token. Then: a stopped app is found by the HTTP probe, the
 * node leaves HAProxy at once and is replaced surge-first; a silent agent leads to the same through the
 * heartbeat path; two nodes failing while the cluster is paused are replaced in one operation
 * (maxReplacing 2); the per-hour cap (4) stops the fifth replacement, mails, and {@code /why} says so; the
 * held-back node, healthy again, goes back into HAProxy.
 */
@QuarkusTest
@QuarkusTestResource(EndToEndConfig.class)
class ByonHealthStoryTest {

    private static final int HOSTS = 5;

    @Inject
    SshConnector ssh;

    private final Map<Integer, TinyHttpServer> apps = new ConcurrentHashMap<>();
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private int appPort;
    private Path roots;

    @Test
    void unhealthyByonNodesLeaveHaproxyAndAreReplacedSurgeFirstUntilTheHourlyCap() throws Exception {
        RealParts.require("puppet", "puppet");
        RealParts.require("curl", "curl");
        String c = Ops.unique("hstory");
        roots = EndToEndConfig.DIR.resolve("roots-" + c);
        appPort = SshdHost.freePort();
        List<SshdHost> hosts = new ArrayList<>();
        ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
        try (HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer artifacts = new TinyHttpServer().answer("/app.war", 200, "the-war").answer("/health", 200, "UP")) {
            StringBuilder list = new StringBuilder();
            for (int i = 1; i <= HOSTS; i++) {
                SshdHost h = new SshdHost(ip(i)).start();
                hosts.add(h);
                startApp(i);
                list.append("- {host: ").append(ip(i)).append(", port: ").append(h.port()).append(", zone: a}\n");
            }
            Files.createDirectories(EndToEndConfig.DIR);
            Path key = ssh.settings().privateKey();
            Files.createDirectories(key.getParent());
            Files.copy(SshdHost.clientKey(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(EndToEndConfig.HOSTS, list.toString());
            String service = "http://127.0.0.1:" + RestAssured.port;
            for (String shipped : List.of("scale-out", "replace")) {
                ByonStage.writeChain(shipped, "e2e-h-" + shipped, roots, artifacts.url("/app.war"), artifacts.url("/health"), service);
            }
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
            // a rule set that decides nothing: the shipped "heartbeats lost" rule would add a node beside each replacement
            String rules = "quiet-" + c;
            asAdmin().contentType("text/plain").body("package io.rulescaler.rules.quiet;\nimport io.rulescaler.capacity.fact.*;\n"
                    + "rule \"quiet\"\nwhen\n    ClusterView()\nthen\nend\n").put("/api/v1/rules/" + rules + "/quiet.drl")
                    .then().statusCode(200);
            asAdmin().contentType("application/yaml").body("""
                    name: %s
                    provider: e2e-byon
                    template: {zones: [a]}
                    size: {min: 0, max: 5}
                    ruleSet: %s
                    chains: {scaleOut: e2e-h-scale-out, replace: e2e-h-replace}
                    loadBalancer: {type: haproxy, backend: be_web, address: "%s", port: %d, drainSeconds: 1}
                    recipients: [ops-%s@example.com]
                    parameters: {app.warUrl: "%s"}
                    health:
                      http: {path: /health, port: %d, intervalSeconds: 1, timeoutSeconds: 2, unhealthyAfter: 2, healthyAfter: 1}
                      heartbeat: {lostAfterSeconds: 20}
                      graceSeconds: 5
                      maxReplacing: 2
                      maxReplacementsPerHour: 4
                    """.formatted(c, rules, haproxy.apiAddress(), appPort, c, artifacts.url("/app.war"), appPort))
                    .put("/api/v1/clusters/" + c).then().statusCode(201);
            JsonPath first = Ops.await(Ops.scale(c, 2).getLong("operationId"), Duration.ofSeconds(120));
            assertEquals("succeeded", first.getString("state"), first.prettify());
            String n1 = c + "-1";
            String n2 = c + "-2";
            Path env1 = roots.resolve(n1 + "/etc/rulescaler/agent.env");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env1)), "the token file is 0600");
            assertTrue(Files.isExecutable(roots.resolve(n1 + "/usr/local/bin/rulescaler-agent")), "Puppet installed the agent");

            // the agents run on their hosts, every 2 s, and their heartbeats arrive as vitals
            agents.scheduleWithFixedDelay(() -> runAgents(c), 0, 2, TimeUnit.SECONDS);
            waitFor(() -> hasVitals(c, n1) && hasVitals(c, n2), "heartbeats of both agents");
            assertEquals(hostsOf(c, Set.of(n1, n2)), responses(haproxy, 8), "both nodes behind HAProxy");

            // 1. the app on n1's host stops: the HTTP probe finds it, n1 leaves HAProxy and is replaced surge-first
            int host1 = hostNumber(node(c, n1));
            apps.remove(host1).close();
            JsonPath op1 = awaitReplacement(c, 1);
            String n3 = c + "-3";
            assertReplaced(c, n1, List.of(n3), "HTTP probe failed", op1);
            startApp(host1);
            assertEquals(hostsOf(c, Set.of(n2, n3)), responses(haproxy, 8), "HAProxy sends to n2 and the replacement");
            assertNotEquals(0, runAgent(c, n1), "the destroyed node's agent is turned away: its token was revoked");

            // 2. n2's agent falls silent: the heartbeat path marks it unhealthy and it is replaced the same way
            silenced.add(n2);
            JsonPath op2 = awaitReplacement(c, 2);
            String n4 = c + "-4";
            assertReplaced(c, n2, List.of(n4), "no heartbeat", op2);
            assertEquals(hostsOf(c, Set.of(n3, n4)), responses(haproxy, 8));

            // 3. both apps fail while the cluster is paused: /why says why they wait; on resume one operation replaces both
            asAdmin().post("/api/v1/clusters/" + c + "/pause").then().statusCode(200);
            int host3 = hostNumber(node(c, n3));
            int host4 = hostNumber(node(c, n4));
            apps.remove(host3).close();
            apps.remove(host4).close();
            waitFor(() -> health(c).getList("unhealthy").size() == 2, "n3 and n4 unhealthy");
            waitFor(() -> String.valueOf(health(c).getString("replacingStopped")).contains("paused"), "/why: paused");
            waitFor(() -> health(c).getList("nodes", Map.class).stream().allMatch(n -> Boolean.TRUE.equals(n.get("outOfLoadBalancer"))),
                    "both out of HAProxy");
            asAdmin().post("/api/v1/clusters/" + c + "/resume").then().statusCode(200);
            JsonPath op3 = awaitReplacement(c, 3);
            assertEquals(2, op3.<Map<String, Object>>getList("nodes").stream().filter(n -> "removed".equals(n.get("role"))).count(),
                    "one operation replaced both (maxReplacing 2): " + op3.prettify());
            assertReplaced(c, n3, List.of(c + "-5", c + "-6"), "HTTP probe failed", op3);
            assertReplaced(c, n4, List.of(c + "-5", c + "-6"), "HTTP probe failed", op3);
            startApp(host3);
            startApp(host4);

            // 4. the fifth replacement is past the cap (4 per hour): n5 stays unhealthy, out of HAProxy, mail and /why say why
            String n5 = c + "-5";
            String n6 = c + "-6";
            assertEquals(hostsOf(c, Set.of(n5, n6)), responses(haproxy, 8));
            int host5 = hostNumber(node(c, n5));
            apps.remove(host5).close();
            waitFor(() -> String.valueOf(health(c).getString("replacingStopped")).contains("maxReplacementsPerHour is 4"),
                    "/why: the cap stops replacing");
            JsonPath h = health(c);
            assertEquals(List.of(n5), h.getList("unhealthy"), h.prettify());
            assertEquals(4, h.getInt("replacedLastHour"), h.prettify());
            assertTrue(why(c).getString("text").contains("Unhealthy nodes wait: replacements stopped"), why(c).getString("text"));
            assertTrue(ScaleOutAndInOnStubTest.mailsWithSubject("ops-" + c + "@example.com", "unhealthy nodes are no longer replaced")
                    .size() >= 1);
            assertEquals(3, replaceOperations(c).size(), "no fourth replace operation");
            waitFor(() -> history(c, n5).stream().anyMatch(e -> String.valueOf(e.get("reason")).contains("taken out of the load balancer")),
                    "n5 taken out of HAProxy");
            assertEquals(hostsOf(c, Set.of(n6)), responses(haproxy, 6), "only n6 takes traffic");

            // 5. n5's app is back before any replacement started: n5 is active again and back in HAProxy
            startApp(host5);
            waitFor(() -> "active".equals(node(c, n5).get("state")), "n5 active again");
            waitFor(() -> history(c, n5).stream().anyMatch(e -> String.valueOf(e.get("reason")).contains("put back into the load balancer")),
                    "n5 put back");
            assertEquals(hostsOf(c, Set.of(n5, n6)), responses(haproxy, 8), "n5 takes traffic again");
            assertEquals(3, replaceOperations(c).size());
        } finally {
            agents.shutdownNow();
            apps.values().forEach(TinyHttpServer::close);
            hosts.forEach(SshdHost::close);
        }
    }

    /** Waits for the n-th replace operation of the cluster and its end. */
    private JsonPath awaitReplacement(String c, int n) {
        waitFor(() -> replaceOperations(c).size() >= n, "replace operation " + n);
        long id = replaceOperations(c).stream().mapToLong(o -> ((Number) o.get("id")).longValue()).sorted().skip(n - 1).findFirst()
                .orElseThrow();
        JsonPath op = Ops.await(id, Duration.ofSeconds(180));
        assertEquals("succeeded", op.getString("state"), op.prettify());
        assertEquals("health", op.getString("source"));
        return op;
    }

    /**
     * The old node was unhealthy for {@code cause}, left HAProxy before it drained, one of {@code successors}
     * was active (in HAProxy) before the old node drained and was destroyed, and a HEALTH decision started it.
     */
    private void assertReplaced(String c, String old, List<String> successors, String cause, JsonPath op) {
        List<Map<String, Object>> h = history(c, old);
        assertEquals("terminated", node(c, old).get("state"));
        assertTrue(h.stream().anyMatch(e -> "unhealthy".equals(e.get("to")) && String.valueOf(e.get("reason")).contains(cause)),
                h.toString());
        Instant out = h.stream().filter(e -> String.valueOf(e.get("reason")).contains("taken out of the load balancer"))
                .map(e -> Instant.parse(String.valueOf(e.get("at")))).findFirst()
                .orElseThrow(() -> new AssertionError("not taken out of the load balancer: " + h));
        Instant draining = at(h, "draining");
        assertTrue(!out.isAfter(draining), "out of HAProxy before the replacement drained it: " + h);
        Instant successorActive = successors.stream().map(s -> at(history(c, s), "active")).min(Instant::compareTo).orElseThrow();
        assertTrue(!successorActive.isAfter(draining) && successorActive.isBefore(at(h, "terminated")),
                "surge-first: the replacement active before " + old + " drains and is destroyed: " + h);
        assertTrue(op.getString("reason").contains(old), op.getString("reason"));
        List<Map<String, Object>> decisions = asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertTrue(decisions.stream().anyMatch(d -> "HEALTH".equals(d.get("source"))
                && ((Number) d.get("id")).longValue() == op.getLong("decisionId")), decisions.toString());
    }

    private static String ip(int i) {
        return "127.0.0." + (10 + i);
    }

    /** Starts (again) the Tomcat stand-in of host i; a port just freed may take a moment to bind again. */
    private void startApp(int i) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                apps.put(i, new TinyHttpServer(ip(i), appPort).answer("/", 200, "host" + i).answer("/health", 200, "UP"));
                return;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                Ops.sleep(200);
            }
        }
    }

    /** One agent run per live node that is not silenced, on the node's host over SSH. */
    private void runAgents(String c) {
        try {
            for (Map<String, Object> n : Ops.nodes(c)) {
                String name = (String) n.get("name");
                if (("active".equals(n.get("state")) || "unhealthy".equals(n.get("state"))) && !silenced.contains(name)) {
                    runAgent(c, name);
                }
            }
        } catch (Throwable e) {
            System.out.println("agent round failed: " + e);
        }
    }

    /** Runs the agent Puppet installed for the node on the node's host, over SSH; its exit status. */
    private int runAgent(String c, String name) throws Exception {
        Path root = roots.resolve(name);
        if (!Files.exists(root.resolve("etc/rulescaler/agent.env"))) {
            return -1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String address = String.valueOf(node(c, name).get("address"));
        int status = ssh.exec(ssh.target(address, null), "RULESCALER_AGENT_ROOT='" + root + "' RULESCALER_AGENT_FAKE_UNITS=1 sh '"
                + root.resolve("usr/local/bin/rulescaler-agent") + "'", null, out, Duration.ofSeconds(30)).exitStatus();
        if (status != 0) {
            System.out.println("agent of " + name + " exit=" + status + " " + out);
        }
        return status;
    }

    private static boolean hasVitals(String c, String name) {
        return node(c, name).get("vitals") != null;
    }

    private static Map<String, Object> node(String c, String name) {
        return Ops.nodes(c).stream().filter(n -> name.equals(n.get("name"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> history(String c, String name) {
        return asAdmin().get("/api/v1/clusters/" + c + "/nodes/" + name).then().statusCode(200).extract().jsonPath().getList("history");
    }

    private static JsonPath why(String c) {
        return asAdmin().get("/api/v1/clusters/" + c + "/why").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath health(String c) {
        JsonPath why = why(c);
        assertTrue(why.get("health") != null, "no health in /why: " + why.prettify());
        return new JsonPath(why.prettify()).setRootPath("health");
    }

    private static List<Map<String, Object>> replaceOperations(String c) {
        List<Map<String, Object>> ops = asAdmin().queryParam("cluster", c).get("/api/v1/operations").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return ops.stream().filter(o -> "replace".equals(o.get("kind"))).toList();
    }

    private static Instant at(List<Map<String, Object>> history, String to) {
        return history.stream().filter(e -> to.equals(e.get("to"))).map(e -> Instant.parse(String.valueOf(e.get("at"))))
                .findFirst().orElseThrow(() -> new AssertionError("no change to " + to + " in " + history));
    }

    /** "200 hostN" for each node's byon host, as HAProxy answers when it sends to that node. */
    private static Set<String> hostsOf(String c, Set<String> names) {
        return Ops.nodes(c).stream().filter(n -> names.contains(n.get("name"))).map(n -> "200 host" + hostNumber(n))
                .collect(Collectors.toSet());
    }

    private static int hostNumber(Map<String, Object> node) {
        String address = (String) node.get("address");
        return Integer.parseInt(address.substring("127.0.0.".length(), address.indexOf(':'))) - 10;
    }

    private static Set<String> responses(HaproxyInstance haproxy, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(haproxy.get("/"));
        }
        return seen;
    }

    private static void waitFor(BooleanSupplier done, String what) {
        Instant end = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(end)) {
            if (done.getAsBoolean()) {
                return;
            }
            Ops.sleep(250);
        }
        throw new AssertionError("not seen within two minutes: " + what);
    }
}
