package io.rulescaler.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.BuiltInActions;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.SshdHost;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The remote-configuration actions are CDI beans the runner can find by type, built from the shipped configuration. */
@QuarkusTest
class RemoteActionBeansTest {

    @Inject
    @Any
    Instance<Action> actions;

    @Inject
    SshConnector ssh;

    @Test
    void everyRemoteActionIsRegisteredUnderItsChainName() {
        Set<String> types = actions.stream().map(Action::type).collect(Collectors.toSet());
        for (String type : Set.of("OSConfiguration", "DistributeScript", "FabricTask", "RegisterLoadBalancer",
                "DrainLoadBalancer", "DeregisterLoadBalancer", "RegisterDns", "RemoveDns")) {
            assertTrue(types.contains(type), type + " missing from " + types);
        }
    }

    @Inject
    ActionRegistry registry;

    @Test
    void everyActionClassIsNamedAsItsChainNameAndDeclaresItsParameters() {
        for (Action a : actions) {
            assertEquals(a.type(), ClientProxy.unwrap(a).getClass().getSimpleName(), "an action class is named as chains name it");
        }
        assertEquals(BuiltInActions.parameters(), registry.parameters(), "the registry holds exactly the beans of this build");
        assertTrue(registry.find("DrainNode").isEmpty(), "no action is known that this build lacks");
    }

    @Test
    void failuresAreCountedInTheServiceMetrics() throws Exception {
        Action register = actions.stream().filter(a -> a.type().equals("RegisterLoadBalancer")).findFirst().orElseThrow();
        ClusterSpec cluster = RecordingTaskContext.cluster("metrics-lb", null, new ClusterSpec.LoadBalancer(
                "haproxy", "be_web", "127.0.0.1:" + SshdHost.freePort(), 8080, null));
        RecordingTaskContext ctx = new RecordingTaskContext(cluster)
                .node(new TaskContext.TargetNode(1, "metrics-lb-1", 1, "a", "127.0.0.1", "p"));
        assertThrows(ActionException.class, () -> register.run(ctx));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("rulescaler_remote_failures_total{")
                && l.contains("source=\"lb\"") && l.contains("kind=\"unavailable\"")), metrics);
    }

    @Test
    void sshConnectorUsesTheDataFolder() {
        assertEquals("root", ssh.settings().defaultUser());
        assertEquals("table ssh_host_key", ssh.knownHosts().describe(), "host keys are shared through the database by default");
        assertTrue(ssh.settings().knownHosts().endsWith(Path.of("ssh", "known_hosts")), ssh.settings().knownHosts().toString());
        assertTrue(ssh.settings().privateKey().endsWith(Path.of("ssh", "id")), ssh.settings().privateKey().toString());
    }
}
