package io.rulescaler.action.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancers;
import io.rulescaler.testing.HaproxyInstance;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.RemoteTestConfig;
import io.rulescaler.testing.TinyHttpServer;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Register, drain and deregister through the actions against a real HAProxy's runtime API, with real backends. */
class HaproxyLoadBalancerActionsTest {

    static RecordingTaskContext context(HaproxyInstance haproxy, TargetNode node, int port, Integer drainSeconds) {
        ClusterSpec cluster = RecordingTaskContext.cluster("lb-web", null,
                new ClusterSpec.LoadBalancer("haproxy", "be_web", haproxy.apiAddress(), port, drainSeconds));
        return new RecordingTaskContext(cluster).node(node);
    }

    @ParameterizedTest(name = "runtime API over {0}")
    @ValueSource(strings = {"tcp", "unix"})
    void registeredNodeGetsTrafficDrainedGetsNoNewConnectionsDeregisteredIsGone(String api) throws Exception {
        LoadBalancers balancers = RemoteTestConfig.balancers();
        RegisterLoadBalancer register = new RegisterLoadBalancer(balancers);
        DrainLoadBalancer drain = new DrainLoadBalancer(balancers, Clock.systemUTC());
        DeregisterLoadBalancer deregister = new DeregisterLoadBalancer(balancers);
        try (HaproxyInstance haproxy = new HaproxyInstance(api.equals("unix"));
                TinyHttpServer a = new TinyHttpServer().answer("/", 200, "from-a");
                TinyHttpServer b = new TinyHttpServer().answer("/", 200, "from-b")) {
            TargetNode nodeA = new TargetNode(1, "lb-web-1", 1, "z", "127.0.0.1:22", "p1");
            TargetNode nodeB = new TargetNode(2, "lb-web-2", 2, "z", "127.0.0.1", "p2");
            assertEquals("503", haproxy.get("/").substring(0, 3), "the backend starts empty");

            ActionResult registered = register.run(context(haproxy, nodeA, a.port(), null));
            assertEquals("127.0.0.1:" + a.port(), registered.outputs().get("lb.address"));
            assertEquals("200 from-a", haproxy.get("/"));
            register.run(context(haproxy, nodeA, a.port(), null));
            register.run(context(haproxy, nodeB, b.port(), null));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(haproxy.get("/"));
            }
            assertEquals(Set.of("200 from-a", "200 from-b"), seen, "traffic reaches both registered nodes");

            ActionResult drained = drain.run(context(haproxy, nodeA, a.port(), 5));
            assertEquals("true", drained.outputs().get("lb.drained"));
            int before = a.hits("/");
            for (int i = 0; i < 6; i++) {
                assertEquals("200 from-b", haproxy.get("/"));
            }
            assertEquals(before, a.hits("/"), "no new connection reaches a drained node");
            LoadBalancer lb = balancers.forSpec(context(haproxy, nodeA, a.port(), null).cluster().loadBalancer()).orElseThrow();
            assertEquals("DRAIN", lb.members().stream().filter(m -> m.name().equals("lb-web-1")).findFirst().orElseThrow().state());

            deregister.run(context(haproxy, nodeA, a.port(), null));
            List<String> names = lb.members().stream().map(LoadBalancer.MemberStatus::name).toList();
            assertEquals(List.of("lb-web-2"), names);
            deregister.run(context(haproxy, nodeA, a.port(), null));
            assertEquals(List.of("lb-web-2"), lb.members().stream().map(LoadBalancer.MemberStatus::name).toList(),
                    "deregistering an absent node is a no-op");
        }
    }

    @Test
    void healthTakesANodeOutAndPutsItBackIntoTraffic() throws Exception {
        LoadBalancers balancers = RemoteTestConfig.balancers();
        LoadBalancerMembership membership = new LoadBalancerMembership(balancers);
        try (HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer a = new TinyHttpServer().answer("/", 200, "from-a");
                TinyHttpServer b = new TinyHttpServer().answer("/", 200, "from-b")) {
            RegisterLoadBalancer register = new RegisterLoadBalancer(balancers);
            register.run(context(haproxy, new TargetNode(1, "lb-web-1", 1, "z", "127.0.0.1:22", "p1"), a.port(), null));
            register.run(context(haproxy, new TargetNode(2, "lb-web-2", 2, "z", "127.0.0.1", "p2"), b.port(), null));
            ClusterSpec spec = context(haproxy, null, a.port(), null).cluster(); // node 1's port, as the prober sees it
            LoadBalancerMembership.Node node1 = new LoadBalancerMembership.Node("lb-web-1", "127.0.0.1:2222", "p1");

            assertEquals("lb-web-1 at 127.0.0.1:" + a.port(), membership.takeOut(spec, node1).orElseThrow());
            for (int i = 0; i < 6; i++) {
                assertEquals("200 from-b", haproxy.get("/"), "a node taken out gets no new connection");
            }
            membership.putBack(spec, node1);
            LoadBalancer lb = balancers.forSpec(spec.loadBalancer()).orElseThrow();
            String state = lb.members().stream().filter(m -> m.name().equals("lb-web-1")).findFirst().orElseThrow().state();
            assertFalse(state.contains("DRAIN"), "put back: no longer draining, was " + state);
            int before = a.hits("/");
            for (int i = 0; i < 6; i++) {
                haproxy.get("/");
            }
            assertTrue(a.hits("/") > before, "the node put back takes traffic again");
            assertTrue(membership.takeOut(RecordingTaskContext.cluster("lb-none", null, null), node1).isEmpty(),
                    "no load balancer: nothing to do");
        }
    }

    @Test
    void drainWaitsForOpenConnectionsToEnd() throws Exception {
        LoadBalancers balancers = RemoteTestConfig.balancers();
        try (HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer a = new TinyHttpServer().answer("/slow", 200, "slow-done").delay("/slow", 3000)) {
            TargetNode node = new TargetNode(1, "lb-slow-1", 1, "z", "127.0.0.1", "p1");
            new RegisterLoadBalancer(balancers).run(context(haproxy, node, a.port(), null));
            LoadBalancer lb = balancers.forSpec(context(haproxy, node, a.port(), null).cluster().loadBalancer()).orElseThrow();
            LoadBalancer.Member member = new LoadBalancer.Member("lb-slow-1", "127.0.0.1", a.port());
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return haproxy.get("/slow");
                } catch (Exception e) {
                    return e.toString();
                }
            });
            for (int i = 0; i < 500 && lb.activeConnections(member) == 0; i++) {
                Thread.sleep(20);
            }
            assertEquals(1, lb.activeConnections(member), "the slow request is open");

            RecordingTaskContext ctx = context(haproxy, node, a.port(), 10);
            ActionResult drained = new DrainLoadBalancer(balancers, Clock.systemUTC()).run(ctx);

            assertTrue(slow.isDone(), "drain returned only after the open request finished");
            assertEquals("200 slow-done", slow.get(), "the open request was not cut off");
            assertEquals("true", drained.outputs().get("lb.drained"));
            assertTrue(ctx.logText().contains("lb-slow-1 has 1 open connections"), ctx.logText());
        }
    }

    @Test
    void drainGivesUpAfterTheTimeoutWithoutFailing() throws Exception {
        LoadBalancers balancers = RemoteTestConfig.balancers();
        try (HaproxyInstance haproxy = new HaproxyInstance(false);
                TinyHttpServer a = new TinyHttpServer().answer("/slow", 200, "late").delay("/slow", 8000)) {
            TargetNode node = new TargetNode(1, "lb-stuck-1", 1, "z", "127.0.0.1", "p1");
            new RegisterLoadBalancer(balancers).run(context(haproxy, node, a.port(), null));
            LoadBalancer lb = balancers.forSpec(context(haproxy, node, a.port(), null).cluster().loadBalancer()).orElseThrow();
            CompletableFuture.runAsync(() -> {
                try {
                    haproxy.get("/slow");
                } catch (Exception ignored) {
                    // the request's fate is not what this test checks
                }
            });
            for (int i = 0; i < 500 && lb.activeConnections(new LoadBalancer.Member("lb-stuck-1", "127.0.0.1", a.port())) == 0; i++) {
                Thread.sleep(20);
            }
            ActionResult drained = new DrainLoadBalancer(balancers, Clock.systemUTC()).run(context(haproxy, node, a.port(), 1));
            assertEquals("false", drained.outputs().get("lb.drained"));
            assertEquals("1", drained.outputs().get("lb.remainingConnections"));
            assertTrue(drained.message().contains("timed out after 1s with 1 connections open"), drained.message());
        }
    }

    @Test
    void unreachableRuntimeApiIsARetryableFailure() throws Exception {
        ClusterSpec cluster = RecordingTaskContext.cluster("lb-down", null,
                new ClusterSpec.LoadBalancer("haproxy", "be_web", "127.0.0.1:" + io.rulescaler.testing.SshdHost.freePort(), 8080, null));
        RecordingTaskContext ctx = new RecordingTaskContext(cluster).node(new TargetNode(1, "n1", 1, "z", "127.0.0.1", "p"));
        ActionException failure = assertThrows(ActionException.class, () -> new RegisterLoadBalancer(RemoteTestConfig.balancers()).run(ctx));
        assertTrue(failure.retryable());
        assertTrue(failure.getMessage().contains("unreachable"), failure.getMessage());
        assertFalse(failure.getMessage().isBlank());
    }

    @Test
    void clusterWithoutLoadBalancerSkips() throws Exception {
        RecordingTaskContext ctx = new RecordingTaskContext(RecordingTaskContext.cluster("lb-none", null, null))
                .node(new TargetNode(1, "n1", 1, "z", "127.0.0.1", "p"));
        assertEquals("cluster has no load balancer; nothing to register", new RegisterLoadBalancer(RemoteTestConfig.balancers()).run(ctx).message());
    }
}
