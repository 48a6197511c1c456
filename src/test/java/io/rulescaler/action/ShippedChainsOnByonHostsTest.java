package io.rulescaler.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.compute.DeployEC2Node;
import io.rulescaler.action.compute.DestroyNode;
import io.rulescaler.action.dns.RegisterDns;
import io.rulescaler.action.dns.RemoveDns;
import io.rulescaler.action.lb.DeregisterLoadBalancer;
import io.rulescaler.action.lb.DrainLoadBalancer;
import io.rulescaler.action.lb.RegisterLoadBalancer;
import io.rulescaler.action.puppet.OSConfiguration;
import io.rulescaler.action.script.DistributeScript;
import io.rulescaler.boot.StorageConfig;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainParser;
import io.rulescaler.provider.ComputeConfig;
import io.rulescaler.provider.ComputeProviders;
import io.rulescaler.provider.Machine;
import io.rulescaler.provider.dns.DnsRegistrars;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancers;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.BindServer;
import io.rulescaler.testing.BuiltInActions;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.RemoteTestConfig;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code actions/scale-out.yaml} and {@code actions/scale-in.yaml}, parsed and run step
 * by step with their own parameters (the orchestrator is not involved) against a {@code byon}
 * profile of three real sshd hosts, Puppet, the shipped scripts, a real HAProxy and BIND. The only
 * parameters the test adds are the scratch root, manageSystem=false, the WAR/health URLs of a local
 * HTTP server and the per-node application port (every test host is 127.0.0.1). The Email step is
 * not run here (ScaleOutAndInOnStubTest proves it through the orchestrator).
 */
class ShippedChainsOnByonHostsTest {

    @RegisterExtension
    static SshdHost h1 = new SshdHost();
    @RegisterExtension
    static SshdHost h2 = new SshdHost();
    @RegisterExtension
    static SshdHost h3 = new SshdHost();

    @TempDir
    Path temp;

    @Test
    void scaleOutToThreeAndBackToTwoWithTheShippedChains() throws Exception {
        RealParts.require("puppet", "puppet");
        Path hostsFile = temp.resolve("hosts.yaml");
        Files.writeString(hostsFile, "- {host: 127.0.0.1, port: " + h1.port() + ", zone: a}\n"
                + "- {host: 127.0.0.1, port: " + h2.port() + ", zone: b}\n"
                + "- {host: 127.0.0.1, port: " + h3.port() + ", zone: a}\n");
        ComputeProviders providers = new ComputeProviders(byon("lab", hostsFile), storage(temp.resolve("data")));
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"));
                HaproxyInstance haproxy = new HaproxyInstance(false);
                BindServer bind = new BindServer("example.test");
                TinyHttpServer app1 = new TinyHttpServer().answer("/", 200, "n1").answer("/health", 200, "UP");
                TinyHttpServer app2 = new TinyHttpServer().answer("/", 200, "n2").answer("/health", 200, "UP");
                TinyHttpServer app3 = new TinyHttpServer().answer("/", 200, "n3").answer("/health", 200, "UP")
                        .answer("/app.war", 200, "the-war")) {
            ClusterSpec spec = RecordingTaskContext.cluster("story", "web.example.test",
                    new ClusterSpec.LoadBalancer("haproxy", "be_web", haproxy.apiAddress(), 8080, 5));
            spec = new ClusterSpec(spec.name(), spec.description(), "lab", spec.template(), spec.layout(), spec.size(),
                    spec.guard(), spec.ruleSet(), spec.chains(), spec.loadBalancer(), spec.dnsBaseName(), spec.recipients(),
                    spec.scaling(), spec.paused(), spec.dryRun());
            LoadBalancers balancers = RemoteTestConfig.balancers();
            DnsRegistrars dns = RemoteTestConfig.dns(bind.port(), bind.secret());
            Map<String, Action> actions = new LinkedHashMap<>();
            for (Action a : List.of(new DeployEC2Node(providers), new DestroyNode(providers),
                    new OSConfiguration(ssh, RemoteTestConfig.puppet(Path.of("puppet"), temp.resolve("remote"))),
                    new DistributeScript(ssh, RemoteTestConfig.scripts("fabric-scripts")),
                    new RegisterLoadBalancer(balancers), new DeregisterLoadBalancer(balancers),
                    new DrainLoadBalancer(balancers, Clock.systemUTC()), new RegisterDns(dns), new RemoveDns(dns))) {
                actions.put(a.type(), a);
            }
            Map<String, String> appPorts = new LinkedHashMap<>();
            // the cluster at size 2: two hosts allocated from byon and behind the load balancer
            List<TargetNode> live = new ArrayList<>();
            TinyHttpServer[] apps = {app1, app2};
            for (int i = 1; i <= 2; i++) {
                Machine m = providers.get("lab").create("story", "story-" + i, null, null,
                        Map.of(Machine.TAG_NODE_ID, "" + i, Machine.TAG_NODE, "story-" + i));
                TargetNode n = new TargetNode(i, "story-" + i, i, m.zone(), m.address(), m.providerId());
                live.add(n);
                appPorts.put(n.name(), "" + apps[i - 1].port());
                actions.get("RegisterLoadBalancer").run(new RecordingTaskContext(spec).node(n).param("port", "" + apps[i - 1].port()));
            }
            TargetNode added = new TargetNode(3, "story-3", 3, "a", null, null);
            appPorts.put("story-3", "" + app3.port());
            Map<String, String> extra = Map.of("root", temp.resolve("{node}").toString(), "manageSystem", "false",
                    "fact.app_war_url", app3.url("/app.war"), "fact.app_health_url", app3.url("/health"),
                    "env.APP_URL", app3.url("/app.war"), "env.APP_HEALTH_URL", app3.url("/health"));

            Chain out = chain("scale-out", actions.keySet());
            List<String> ran = new ArrayList<>();
            for (Chain.Step s : out.steps()) {
                // the agent token needs the service's token store (NodeAgentOnStubTest covers it)
                if (s.action().equals("Email") || s.action().equals("HandOverNodeToken")) {
                    continue;
                }
                if (s.scope() == Chain.Scope.NODE) {
                    RecordingTaskContext ctx = context(spec, s, extra, appPorts.get(added.name())).node(added);
                    live.stream().forEach(ctx::peer);
                    ActionResult r = actions.get(s.action()).run(ctx);
                    if (r.outputs().containsKey(ActionOutputs.NODE_ADDRESS)) {
                        added = new TargetNode(3, "story-3", 3, "a", r.outputs().get(ActionOutputs.NODE_ADDRESS),
                                r.outputs().get(ActionOutputs.NODE_PROVIDER_ID));
                    }
                } else {
                    RecordingTaskContext ctx = context(spec, s, extra, null);
                    live.forEach(ctx::peer);
                    ctx.peer(added);
                    actions.get(s.action()).run(ctx);
                }
                ran.add(s.name());
            }
            assertEquals(List.of("deploy", "os-configuration", "configure-tomcat", "deploy-application",
                    "register-load-balancer", "register-dns", "update-cluster"), ran);
            assertEquals("127.0.0.1:" + h3.port(), added.address(), "the third byon host was allocated");
            assertEquals("the-war", Files.readString(temp.resolve("story-3/var/lib/tomcat10/webapps/ROOT.war")));
            assertTrue(Files.isSymbolicLink(temp.resolve("story-3/etc/localtime")), "Puppet's base module ran under the node's root");
            assertTrue(Files.notExists(temp.resolve("{node}")), "root's {node} is the node's name for Puppet too");
            assertTrue(Files.readString(temp.resolve("story-3/etc/default/tomcat10")).contains("-Xmx1024m"),
                    "the chain's TOMCAT_HEAP_MB reached tomcat-configure.sh");
            for (String node : List.of("story-1", "story-2", "story-3")) {
                assertEquals(3, Files.readAllLines(temp.resolve(node + "/etc/rulescaler/members")).size(), node);
            }
            assertEquals(Set.of("200 n1", "200 n2", "200 n3"), responses(haproxy, 9), "traffic reaches all three");
            assertEquals(List.of("127.0.0.1"), bind.dig("3.a.web.example.test", "A"));
            assertEquals(3, providers.get("lab").list().size());

            // scale-in of story-3 with the shipped scale-in chain
            Chain in = chain("scale-in", actions.keySet());
            ran.clear();
            for (Chain.Step s : in.steps()) {
                if (s.action().equals("Email")) {
                    continue;
                }
                RecordingTaskContext ctx = context(spec, s, extra, appPorts.get(added.name()));
                live.forEach(ctx::peer);
                if (s.scope() == Chain.Scope.NODE) {
                    ctx.node(added).timeout(Duration.ofSeconds(30));
                }
                actions.get(s.action()).run(ctx);
                ran.add(s.name());
                if (s.name().equals("drain")) {
                    int before = app3.hits("/");
                    assertEquals(Set.of("200 n1", "200 n2"), responses(haproxy, 6));
                    assertEquals(before, app3.hits("/"), "a drained node gets no new connections");
                }
            }
            assertEquals(List.of("drain", "deregister-load-balancer", "remove-dns", "destroy", "update-cluster"), ran);
            LoadBalancer lb = balancers.forSpec(spec.loadBalancer()).orElseThrow();
            assertEquals(List.of("story-1", "story-2"), lb.members().stream().map(LoadBalancer.MemberStatus::name).toList());
            assertEquals(List.of(), bind.dig("3.a.web.example.test", "A"));
            assertEquals(2, Files.readAllLines(temp.resolve("story-1/etc/rulescaler/members")).size());
            assertEquals(Optional.empty(), providers.get("lab").findByTag(Machine.TAG_NODE_ID, "3"), "host released in byon");
            assertEquals(2, providers.get("lab").list().size());
        }
    }

    private static RecordingTaskContext context(ClusterSpec spec, Chain.Step s, Map<String, String> extra, String port) {
        RecordingTaskContext ctx = new RecordingTaskContext(spec);
        s.params().forEach((k, v) -> ctx.param(k, v.replace("${cluster.name}", spec.name())));
        extra.forEach((k, v) -> {
            if (s.params().containsKey(k) || k.equals("root") || k.equals("manageSystem")) {
                ctx.param(k, v);
            }
        });
        if (port != null && s.action().contains("LoadBalancer")) {
            ctx.param("port", port);
        }
        return ctx;
    }

    private static Chain chain(String name, Set<String> known) throws Exception {
        assertTrue(BuiltInActions.parameters().keySet().containsAll(known), known.toString());
        ChainParser.Result r = ChainParser.parse("actions/" + name + ".yaml", name,
                Files.readString(Path.of("actions", name + ".yaml")), BuiltInActions.parameters());
        assertTrue(r.ok(), r.errors().toString());
        return r.chain();
    }

    private static Set<String> responses(HaproxyInstance haproxy, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(haproxy.get("/"));
        }
        return seen;
    }

    private static StorageConfig storage(Path dir) {
        return () -> dir.toString();
    }

    private static ComputeConfig byon(String name, Path hosts) {
        ComputeConfig.Profile p = new ComputeConfig.Profile() {
            public String api() { return "byon"; }
            public Optional<String> identity() { return Optional.empty(); }
            public Optional<String> credential() { return Optional.empty(); }
            public Optional<String> endpoint() { return Optional.empty(); }
            public Map<String, String> jclouds() { return Map.of(); }
            public Optional<String> hostsFile() { return Optional.of(hosts.toString()); }
            public Duration callTimeout() { return Duration.ofMinutes(1); }
            public Duration faultDelay() { return Duration.ZERO; }
            public int faultFailFirst() { return 0; }
            public String faultKind() { return "capacity"; }
            public Optional<String> faultAlwaysFail() { return Optional.empty(); }
            public boolean faultListFails() { return false; }
        };
        return () -> Map.of(name, p);
    }
}
