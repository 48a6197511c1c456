package io.rulescaler.action.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.SshdHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipped fabfile run by the real {@code fab} (Fabric 2) against two test sshd hosts. */
class FabricTaskTest {

    @RegisterExtension
    static SshdHost h1 = new SshdHost();
    @RegisterExtension
    static SshdHost h2 = new SshdHost();

    @TempDir
    Path temp;

    @org.junit.jupiter.api.BeforeAll
    static void needsFabric() {
        RealParts.require("fab", "fabric");
    }

    RecordingTaskContext context() {
        return new RecordingTaskContext(RecordingTaskContext.cluster("fab-web", null, null))
                .node(new TargetNode(2, "f2", 2, "a", h2.address(), "p2"))
                .peer(new TargetNode(1, "f1", 1, "a", h1.address(), "p1"))
                .param("task", "members")
                .param("targets", "all")
                .param("arg.root", temp.toString());
    }

    @Test
    void runsTheFabfileTaskOnEveryHost() throws Exception {
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            FabricTask action = new FabricTask(ssh, DistributeScriptTest.scripts("fabric-scripts"));
            RecordingTaskContext ctx = context();
            action.run(ctx);

            assertEquals(List.of("127.0.0.1", "127.0.0.1"), Files.readAllLines(temp.resolve("etc/rulescaler/fabric-members")));
            List<String> runs = Files.readAllLines(temp.resolve("fabric-runs.log"));
            assertEquals(2, runs.size(), String.join("\n", runs));
            assertTrue(runs.stream().anyMatch(l -> l.endsWith(" " + h1.port())), "Fabric reached sshd " + h1.port() + ": " + runs);
            assertTrue(runs.stream().anyMatch(l -> l.endsWith(" " + h2.port())), "Fabric reached sshd " + h2.port() + ": " + runs);
            assertTrue(ctx.logText().contains("[fab] members: 127.0.0.1:" + h1.port() + " has 2 members"), ctx.logText());
        }
    }

    @Test
    void failingTaskFailsTheStep() throws Exception {
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            FabricTask action = new FabricTask(ssh, DistributeScriptTest.scripts("fabric-scripts"));
            ActionException failure = assertThrows(ActionException.class, () -> action.run(context()
                    .param("task", "restart").param("arg.service", "no-such-unit-rulescaler")));
            assertTrue(failure.getMessage().startsWith("fab restart failed (exit 1)"), failure.getMessage());
        }
    }

    @Test
    void hostWithChangedKeyIsRefusedBeforeFabricRuns() throws Exception {
        Path other = temp.resolve("other");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString()).start().waitFor();
        String[] key = Files.readString(Path.of(other + ".pub")).trim().split(" ");
        Files.writeString(temp.resolve("known_hosts"), "[127.0.0.1]:" + h1.port() + " " + key[0] + " " + key[1] + "\n");
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            FabricTask action = new FabricTask(ssh, DistributeScriptTest.scripts("fabric-scripts"));
            ActionException failure = assertThrows(ActionException.class, () -> action.run(context()));
            assertTrue(failure.getMessage().contains("host key of [127.0.0.1]:" + h1.port() + " changed"), failure.getMessage());
            assertFalse(failure.retryable());
        }
        assertFalse(Files.exists(temp.resolve("fabric-runs.log")), "Fabric did not run anywhere");
    }

    @Test
    void fabricItselfRejectsHostsMissingFromKnownHosts() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty_known_hosts"), "");
        ProcessBuilder fab = new ProcessBuilder("/usr/bin/python3", "-c", FabricTask.STRICT_FAB,
                "-r", "fabric-scripts/fabfiles", "-c", "cluster", "-i", SshdHost.clientKey().toString(),
                "-H", System.getProperty("user.name") + "@127.0.0.1:" + h1.port(), "members", "--root=" + temp)
                .redirectErrorStream(true);
        fab.environment().put("RULESCALER_KNOWN_HOSTS", empty.toString());
        Process process = fab.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(1, process.waitFor(), output);
        assertTrue(output.contains("not found in known_hosts"), output);
        assertFalse(Files.exists(temp.resolve("fabric-runs.log")), "nothing ran on an unverified host");
    }
}
