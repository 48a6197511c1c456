package io.rulescaler.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.dns.RegisterDns;
import io.rulescaler.action.dns.RemoveDns;
import io.rulescaler.action.lb.DeregisterLoadBalancer;
import io.rulescaler.action.lb.DrainLoadBalancer;
import io.rulescaler.action.lb.RegisterLoadBalancer;
import io.rulescaler.action.puppet.OSConfiguration;
import io.rulescaler.action.script.DistributeScript;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.dns.DnsRegistrars;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancers;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.BindServer;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.RemoteTestConfig;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote steps of a scale-out to 3 and the scale-in back to 2, run in chain order by hand (the
 * orchestrator is not involved): three real sshd hosts, Puppet, the shipped scripts, a real HAProxy and BIND.
 */
class RemoteChainScenarioTest {

    @RegisterExtension
    static SshdHost h1 = new SshdHost();
    @RegisterExtension
    static SshdHost h2 = new SshdHost();
    @RegisterExtension
    static SshdHost h3 = new SshdHost();

    @TempDir
    Path temp;

    @Test
    void scaleOutToThreeThenBackToTwo() throws Exception {
        RealParts.require("puppet", "puppet");
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"));
                HaproxyInstance haproxy = new HaproxyInstance(false);
                BindServer bind = new BindServer("example.test");
                TinyHttpServer app1 = new TinyHttpServer().answer("/", 200, "n1").answer("/health", 200, "UP");
                TinyHttpServer app2 = new TinyHttpServer().answer("/", 200, "n2").answer("/health", 200, "UP");
                TinyHttpServer app3 = new TinyHttpServer().answer("/", 200, "n3").answer("/health", 200, "UP")
                        .answer("/app.war", 200, "the-war")) {
            ClusterSpec cluster = RecordingTaskContext.cluster("story", "web.example.test",
                    new ClusterSpec.LoadBalancer("haproxy", "be_web", haproxy.apiAddress(), 8080, 5));
            TargetNode n1 = new TargetNode(1, "story-1", 1, "a", h1.address(), "p1");
            TargetNode n2 = new TargetNode(2, "story-2", 2, "b", h2.address(), "p2");
            TargetNode n3 = new TargetNode(3, "story-3", 3, "a", h3.address(), "p3");
            LoadBalancers balancers = RemoteTestConfig.balancers();
            DnsRegistrars dns = RemoteTestConfig.dns(bind.port(), bind.secret());
            String root = temp.resolve("{node}").toString();

            // the cluster at size 2
            new RegisterLoadBalancer(balancers).run(new RecordingTaskContext(cluster).node(n1).param("port", "" + app1.port()));
            new RegisterLoadBalancer(balancers).run(new RecordingTaskContext(cluster).node(n2).param("port", "" + app2.port()));

            // scale-out: Puppet on the new node, cluster update everywhere, load balancer, DNS
            new OSConfiguration(ssh, RemoteTestConfig.puppet(Path.of("puppet"), temp.resolve("remote"))).run(new RecordingTaskContext(cluster).node(n3).peer(n1).peer(n2)
                    .param("root", temp.resolve("story-3").toString()).param("manageSystem", "false")
                    .param("fact.app_war_url", app3.url("/app.war")).param("fact.app_health_url", app3.url("/health")));
            assertEquals("the-war", Files.readString(temp.resolve("story-3/var/lib/tomcat10/webapps/ROOT.war")));
            new DistributeScript(ssh, RemoteTestConfig.scripts("fabric-scripts")).run(new RecordingTaskContext(cluster).peer(n1).peer(n2).peer(n3)
                    .param("script", "cluster-update.sh").param("targets", "all").param("root", root).param("manageSystem", "false"));
            for (String node : List.of("story-1", "story-2", "story-3")) {
                assertEquals(3, Files.readAllLines(temp.resolve(node + "/etc/rulescaler/members")).size(), node);
            }
            new RegisterLoadBalancer(balancers).run(new RecordingTaskContext(cluster).node(n3).param("port", "" + app3.port()));
            assertEquals(Set.of("200 n1", "200 n2", "200 n3"), responses(haproxy, 9), "traffic reaches all three");
            ActionResult named = new RegisterDns(dns).run(new RecordingTaskContext(cluster).node(n3));
            assertEquals("3.a.web.example.test", named.outputs().get("dns.name"));
            assertEquals(List.of("127.0.0.1"), bind.dig("3.a.web.example.test", "A"));

            // scale-in of story-3: drain, deregister, DNS removed, the others updated
            new DrainLoadBalancer(balancers, Clock.systemUTC()).run(new RecordingTaskContext(cluster).node(n3)
                    .param("port", "" + app3.port()));
            int before = app3.hits("/");
            assertEquals(Set.of("200 n1", "200 n2"), responses(haproxy, 6));
            assertEquals(before, app3.hits("/"), "a drained node gets no new connections");
            new DeregisterLoadBalancer(balancers).run(new RecordingTaskContext(cluster).node(n3));
            LoadBalancer lb = balancers.forSpec(cluster.loadBalancer()).orElseThrow();
            assertEquals(List.of("story-1", "story-2"), lb.members().stream().map(LoadBalancer.MemberStatus::name).toList());
            new RemoveDns(dns).run(new RecordingTaskContext(cluster).node(n3));
            assertEquals(List.of(), bind.dig("3.a.web.example.test", "A"));
            new DistributeScript(ssh, RemoteTestConfig.scripts("fabric-scripts")).run(new RecordingTaskContext(cluster).peer(n1).peer(n2)
                    .param("script", "cluster-update.sh").param("targets", "all").param("root", root).param("manageSystem", "false"));
            assertEquals(2, Files.readAllLines(temp.resolve("story-1/etc/rulescaler/members")).size());
            assertEquals(2, Files.readAllLines(temp.resolve("story-2/etc/rulescaler/members")).size());
        }
    }

    private static Set<String> responses(HaproxyInstance haproxy, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(haproxy.get("/"));
        }
        return seen;
    }
}
