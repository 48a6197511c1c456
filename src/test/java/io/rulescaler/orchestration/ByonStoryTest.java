package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.rulescaler.signal.PrometheusStack;
import io.rulescaler.testing.Api;
import io.rulescaler.testing.BindServer;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import io.rulescaler.provider.ssh.SshConnector;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole story through the running service: a {@code byon} cluster of three test sshd hosts
 * (127.0.0.1-3) at size 2 behind a real HAProxy with DNS names in a real BIND; real Prometheus and
 * Alertmanager fire HighLoad; the default rule scales to 3 and the orchestrator runs the shipped
 * scale-out chain (Puppet into a scratch root, Tomcat configuration, application from a URL with a
 * health check, load balancer, DNS, member lists everywhere, mail); then an operator scales back to
 * 2 with the shipped scale-in chain (drain, deregister, DNS removed, host released, mail).
 * The chains run are the shipped files with only the scratch root, manageSystem=false and the WAR
 * and health URLs changed (written as e2e-scale-out / e2e-scale-in).
 */
@QuarkusTest
@QuarkusTestResource(EndToEndConfig.class)
class ByonStoryTest {

    @Inject
    SshConnector ssh;

    @Test
    void alertScalesOutToThreeThenOperatorScalesBackToTwo() throws Exception {
        RealParts.require("puppet", "puppet");
        RealParts.require("prometheus", "prometheus");
        RealParts.require("prometheus-alertmanager", "prometheus-alertmanager");
        String c = Ops.unique("story");
        Path roots = EndToEndConfig.DIR.resolve("roots-" + c);
        List<SshdHost> hosts = new ArrayList<>();
        List<TinyHttpServer> apps = new ArrayList<>();
        int appPort = SshdHost.freePort();
        try (BindServer bind = new BindServer(EndToEndConfig.ZONE, EndToEndConfig.dnsPort(), EndToEndConfig.dnsSecret());
                HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer artifacts = new TinyHttpServer().answer("/app.war", 200, "the-war")) {
            StringBuilder list = new StringBuilder();
            String[] zones = {"a", "b", "a"};
            for (int i = 1; i <= 3; i++) {
                SshdHost h = new SshdHost("127.0.0." + i).start();
                hosts.add(h);
                apps.add(new TinyHttpServer("127.0.0." + i, appPort).answer("/", 200, "host" + i).answer("/health", 200, "UP"));
                list.append("- {host: 127.0.0.").append(i).append(", port: ").append(h.port()).append(", zone: ")
                        .append(zones[i - 1]).append("}\n");
            }
            Files.createDirectories(EndToEndConfig.DIR);
            Path key = ssh.settings().privateKey(); // <data-dir>/ssh/id, the shipped default
            Files.createDirectories(key.getParent());
            Files.copy(SshdHost.clientKey(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(EndToEndConfig.HOSTS, list.toString());
            writeChain("scale-out", "e2e-scale-out", roots, artifacts.url("/app.war"), "http://127.0.0.1:" + appPort + "/health");
            writeChain("scale-in", "e2e-scale-in", roots, artifacts.url("/app.war"), "http://127.0.0.1:" + appPort + "/health");
            asAdmin().post("/api/v1/chains/reload").then().statusCode(200);

            String base = c + "." + EndToEndConfig.ZONE;
            asAdmin().contentType("application/yaml").body("""
                    name: %s
                    provider: e2e-byon
                    template: {zones: [a, b]}
                    layout: {a: 2, b: 1}
                    size: {min: 1, max: 3}
                    guard: {scaleOutCooldownSeconds: 0, scaleInCooldownSeconds: 0, scaleInStabilisationSeconds: 0}
                    chains: {scaleOut: e2e-scale-out, scaleIn: e2e-scale-in}
                    loadBalancer: {type: haproxy, backend: be_web, address: "%s", port: %d, drainSeconds: 3}
                    dnsBaseName: %s
                    recipients: [ops-%s@example.com]
                    parameters: {app.warUrl: "%s"}
                    """.formatted(c, haproxy.apiAddress(), appPort, base, c, artifacts.url("/app.war"))).log().ifValidationFails().put("/api/v1/clusters/" + c).then().statusCode(201);

            // size 2 through the same chain
            JsonPath first = Ops.scale(c, 2);
            JsonPath op1 = Ops.await(first.getLong("operationId"), Duration.ofSeconds(60));
            assertEquals("succeeded", op1.getString("state"), op1.prettify());
            Set<String> firstTwo = Ops.nodes(c).stream().map(n -> "200 host" + hostNumber(n)).collect(Collectors.toSet());
            assertEquals(2, firstTwo.size());
            assertEquals(firstTwo, responses(haproxy, 8), "two byon hosts behind HAProxy");

            // Prometheus fires HighLoad for the cluster; the default rule decides 2 -> 3
            PrometheusStack.ensurePrometheus();
            PrometheusStack.startAlertmanagers("http://127.0.0.1:" + RestAssured.port + "/api/v1/alerts/prometheus",
                    token("webhook"));
            System.setProperty(PrometheusStack.METRICS, "demo_load{cluster=\"" + c + "\",scale_by=\"1\"} 9\n");
            long outId = awaitValue("the alert's scale-out", Duration.ofSeconds(60), () -> operations(c).stream()
                    .filter(o -> "scale-out".equals(o.get("kind")) && ((Number) o.get("id")).longValue() != first.getLong("operationId"))
                    .map(o -> ((Number) o.get("id")).longValue()).findFirst().orElse(null));
            System.setProperty(PrometheusStack.METRICS, "demo_load{cluster=\"" + c + "\"} 1\n");
            JsonPath out = Ops.await(outId, Duration.ofSeconds(90));
            assertEquals("succeeded", out.getString("state"), out.prettify());
            assertEquals(3, out.getInt("targetSize"));
            JsonPath decisions = asAdmin().get("/api/v1/clusters/" + c + "/decisions").then().statusCode(200).extract().jsonPath();
            assertTrue(decisions.getList("rule").contains("alert HighLoad: scale out by N"), decisions.prettify());

            Map<String, Object> added = Ops.nodes(c).stream().filter(n -> (c + "-3").equals(n.get("name"))).findFirst().orElseThrow();
            int third = hostNumber(added);
            assertTrue(firstTwo.size() == 2 && !firstTwo.contains("200 host" + third), "the free byon host was allocated: " + added);
            assertEquals("127.0.0." + third + ":" + hosts.get(third - 1).port(), added.get("address"));
            assertEquals("the-war", Files.readString(roots.resolve(c + "-3/var/lib/tomcat10/webapps/ROOT.war")), "app deployed");
            assertTrue(Files.isSymbolicLink(roots.resolve(c + "-3/etc/localtime")), "Puppet configured the new host");
            assertTrue(Files.readString(roots.resolve(c + "-3/etc/default/tomcat10")).contains("-Xmx1024m"), "Tomcat configured");
            for (int i = 1; i <= 3; i++) {
                assertEquals(3, Files.readAllLines(roots.resolve(c + "-" + i + "/etc/rulescaler/members")).size(), c + "-" + i);
            }
            assertTrue(responses(haproxy, 12).contains("200 host" + third), "HAProxy sends traffic to the new host");
            String name = "3." + added.get("zone") + "." + base;
            assertEquals(List.of("127.0.0." + third), bind.dig(name, "A"), name + " resolves");
            String subjects = subjects("ops-" + c + "@example.com", 4);
            assertTrue(subjects.contains(c + ": scale-out " + outId + " succeeded"), subjects);

            // an operator scales back to 2
            String operator = token("operator");
            JsonPath in = Api.as(operator).contentType("application/json").body(Map.of("target", 2, "reason", "load is back"))
                    .post("/api/v1/clusters/" + c + "/scale").then().statusCode(202).extract().jsonPath();
            long inId = awaitValue("the manual scale-in", Duration.ofSeconds(30), () -> operations(c).stream()
                    .filter(o -> "scale-in".equals(o.get("kind"))).map(o -> ((Number) o.get("id")).longValue()).findFirst().orElse(null));
            JsonPath opIn = Ops.await(inId, Duration.ofSeconds(90));
            assertEquals("succeeded", opIn.getString("state"), opIn.prettify() + in.prettify());
            String removed = opIn.<Map<String, Object>>getList("nodes").stream().map(n -> (String) n.get("node")).findFirst().orElseThrow();
            Map<String, Object> gone = Ops.nodes(c).stream().filter(n -> removed.equals(n.get("name"))).findFirst().orElseThrow();
            assertEquals("terminated", gone.get("state"));
            int idx = Integer.parseInt(removed.substring(removed.lastIndexOf('-') + 1));
            assertEquals(List.of(), bind.dig(idx + "." + gone.get("zone") + "." + base, "A"), "DNS record removed");
            Set<String> after = responses(haproxy, 10);
            assertEquals(2, after.size(), after.toString());
            assertTrue(!after.contains("200 host" + hostNumber(gone)), "the removed host gets no traffic: " + after);
            assertEquals(2, Ops.machines("e2e-byon", c).size(), "the host is released in byon");
            for (int i = 1; i <= 3; i++) {
                if (i != idx) {
                    assertEquals(2, Files.readAllLines(roots.resolve(c + "-" + i + "/etc/rulescaler/members")).size());
                }
            }
            subjects = subjects("ops-" + c + "@example.com", 6);
            assertTrue(subjects.contains(c + ": scale-in " + inId + " succeeded"), subjects);
        } finally {
            hosts.forEach(SshdHost::close);
            apps.forEach(TinyHttpServer::close);
        }
    }

    private static void writeChain(String shipped, String name, Path roots, String war, String health) throws Exception {
        ByonStage.writeChain(shipped, name, roots, war, health, null);
    }

    /** N of the node's byon host 127.0.0.N. */
    private static int hostNumber(Map<String, Object> node) {
        String address = (String) node.get("address");
        return Integer.parseInt(address.substring("127.0.0.".length(), address.indexOf(':')));
    }

    private static List<Map<String, Object>> operations(String c) {
        return asAdmin().get("/api/v1/operations?cluster=" + c).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static <T> T awaitValue(String what, Duration max, Supplier<T> probe) {
        Instant end = Instant.now().plus(max);
        while (Instant.now().isBefore(end)) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Ops.sleep(250);
        }
        throw new AssertionError(what + " did not happen within " + max);
    }

    private static String subjects(String to, int atLeast) throws Exception {
        List<MimeMessage> mails = ScaleOutAndInOnStubTest.mailsFor(to, atLeast);
        return mails.stream().map(ScaleOutAndInOnStubTest::subject).collect(Collectors.joining(" | "));
    }

    private static String token(String role) {
        return asAdmin().contentType("application/json").body(Map.of("name", Ops.unique("story-" + role), "role", role))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    private static Set<String> responses(HaproxyInstance haproxy, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(haproxy.get("/"));
        }
        return seen;
    }
}
