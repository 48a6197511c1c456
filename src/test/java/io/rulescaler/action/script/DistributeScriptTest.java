package io.rulescaler.action.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** DistributeScript running the shipped scripts (and failing ones) for real over SSH on three test sshd hosts. */
class DistributeScriptTest {

    @RegisterExtension
    static SshdHost h1 = new SshdHost();
    @RegisterExtension
    static SshdHost h2 = new SshdHost();
    @RegisterExtension
    static SshdHost h3 = new SshdHost();

    static SshConnector ssh;

    @TempDir
    Path temp;

    @BeforeAll
    static void connect(@TempDir Path shared) {
        ssh = SshdHost.connector(shared.resolve("known_hosts"));
    }

    @AfterAll
    static void close() {
        ssh.close();
    }

    static ScriptsConfig scripts(String dir) {
        return new ScriptsConfig() {
            public String directory() { return dir; }
            public int parallelism() { return 4; }
            public String fabricPython() { return "/usr/bin/python3"; }
        };
    }

    /** The new node n3 plus its peers n1 and n2, each a separate sshd. */
    RecordingTaskContext scaleOutContext() {
        return new RecordingTaskContext(RecordingTaskContext.cluster("ds-web", null, null))
                .node(new TargetNode(3, "n3", 3, "a", h3.address(), "p3"))
                .peer(new TargetNode(1, "n1", 1, "a", h1.address(), "p1"))
                .peer(new TargetNode(2, "n2", 2, "b", h2.address(), "p2"))
                .param("root", temp.resolve("{node}").toString())
                .param("manageSystem", "false");
    }

    @Test
    void clusterUpdateWritesMemberAndPeerListsOnEveryNode() throws Exception {
        DistributeScript action = new DistributeScript(ssh, scripts("fabric-scripts"));
        RecordingTaskContext ctx = scaleOutContext().param("script", "cluster-update.sh").param("targets", "all");

        ActionResult result = action.run(ctx);

        assertEquals("3", result.outputs().get("script.succeeded"), ctx.logText());
        for (String node : List.of("n1", "n2", "n3")) {
            Path dir = temp.resolve(node).resolve("etc/rulescaler");
            assertEquals(3, Files.readAllLines(dir.resolve("members")).size());
            assertEquals(2, Files.readAllLines(dir.resolve("peers")).size(), node + " lists the others, not itself");
            String env = Files.readString(dir.resolve("cluster.env"));
            assertTrue(env.contains("RS_NODE=" + node + "\n"), env);
            assertTrue(env.contains("RS_CLUSTER=ds-web\n"), env);
            assertEquals("0", result.outputs().get("script." + node + ".exit"));
            assertTrue(ctx.logText().contains("[" + node + "] cluster-update: node=" + node + " members=3 changed=1"), ctx.logText());
        }
    }

    @Test
    void tomcatConfigureAndAppDeployOnTheNewNode() throws Exception {
        DistributeScript action = new DistributeScript(ssh, scripts("fabric-scripts"));
        RecordingTaskContext tomcat = scaleOutContext().param("script", "tomcat-configure.sh")
                .param("env.TOMCAT_HTTP_PORT", "8282").param("env.TOMCAT_HEAP_MB", "300");
        action.run(tomcat);
        Path root = temp.resolve("n3");
        assertTrue(Files.readString(root.resolve("etc/tomcat10/server.xml")).contains("<Connector port=\"8282\""));
        assertTrue(Files.readString(root.resolve("etc/default/tomcat10")).contains("-Xms300m -Xmx300m"));
        assertFalse(Files.exists(temp.resolve("n1")), "targets defaults to the task's node only");

        try (TinyHttpServer web = new TinyHttpServer().answer("/app.war", 200, "war-bytes").answer("/health", 200, "UP")
                .answer("/down", 503, "no")) {
            RecordingTaskContext deploy = scaleOutContext().param("script", "app-deploy.sh")
                    .param("env.APP_URL", web.url("/app.war")).param("env.APP_HEALTH_URL", web.url("/health"))
                    .param("env.APP_NAME", "shop");
            action.run(deploy);
            assertEquals("war-bytes", Files.readString(root.resolve("var/lib/tomcat10/webapps/shop.war")));
            assertEquals(1, web.hits("/health"));
            assertTrue(deploy.logText().contains("[n3] app-deploy: deployed shop.war sha256="), deploy.logText());

            ActionException failure = assertThrows(ActionException.class, () -> action.run(scaleOutContext()
                    .param("script", "app-deploy.sh").param("env.APP_URL", web.url("/app.war"))
                    .param("env.APP_HEALTH_URL", web.url("/down")).param("env.APP_HEALTH_TRIES", "2")
                    .param("env.APP_HEALTH_SLEEP", "0")));
            assertTrue(failure.getMessage().contains("n3: exit 1: app-deploy: " + web.url("/down") + " did not answer after 2 tries"),
                    failure.getMessage());
        }
    }

    @Test
    void failFastStopsStartingHostsAfterTheFirstFailure() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("scripts"));
        Files.writeString(dir.resolve("mark.sh"), "touch \"$MARKS/$RS_NODE\"\n[ \"$RS_NODE\" = n1 ] && exit 7\necho fine\n");
        DistributeScript action = new DistributeScript(ssh, scripts(dir.toString()));
        Path marks = Files.createDirectories(temp.resolve("marks"));

        ActionException failure = assertThrows(ActionException.class, () -> action.run(scaleOutContext()
                .param("script", "mark.sh").param("targets", "all").param("parallelism", "1")
                .param("env.MARKS", marks.toString())));

        assertTrue(failure.getMessage().contains("failed on 1 of 3 hosts (tolerated 0, 1 not started): n1: exit 7"), failure.getMessage());
        assertTrue(Files.exists(marks.resolve("n3")));
        assertTrue(Files.exists(marks.resolve("n1")));
        assertFalse(Files.exists(marks.resolve("n2")), "no host starts after a failure when failing fast");
    }

    @Test
    void toleratedFailuresStillSucceedWithPerHostResults() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("scripts"));
        Files.writeString(dir.resolve("mark.sh"), "[ \"$RS_NODE\" = n1 ] && exit 7\necho fine on $RS_NODE\n");
        DistributeScript action = new DistributeScript(ssh, scripts(dir.toString()));

        ActionResult result = action.run(scaleOutContext().param("script", "mark.sh").param("targets", "peers")
                .param("tolerateFailures", "1"));

        assertEquals("7", result.outputs().get("script.n1.exit"));
        assertEquals("0", result.outputs().get("script.n2.exit"));
        assertEquals("1", result.outputs().get("script.succeeded"));
        assertEquals("n1", result.outputs().get("script.failed"));
        assertFalse(result.outputs().containsKey("script.n3.exit"), "targets=peers leaves the node itself out");
    }

    @Test
    void parallelismBoundsHostsRunningAtOnce() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("scripts"));
        Path journal = temp.resolve("journal");
        Files.writeString(dir.resolve("slow.sh"), "echo + >> \"$J\"; sleep 0.4; echo - >> \"$J\"\n");
        DistributeScript action = new DistributeScript(ssh, scripts(dir.toString()));
        action.run(scaleOutContext().param("script", "slow.sh").param("targets", "all").param("parallelism", "2")
                .param("env.J", journal.toString()));
        int open = 0;
        int most = 0;
        for (String line : Files.readAllLines(journal)) {
            open += line.equals("+") ? 1 : -1;
            most = Math.max(most, open);
        }
        assertEquals(6, Files.readAllLines(journal).size());
        assertTrue(most <= 2, "never more than two hosts at once, saw " + most);
    }

    @Test
    void hostsRunInParallel() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("scripts"));
        Path barrier = temp.resolve("barrier");
        Files.writeString(dir.resolve("barrier.sh"), "echo x >> \"$B\"\n"
                + "for i in $(seq 300); do [ \"$(wc -l < \"$B\")\" -ge 3 ] && exit 0; sleep 0.1; done\nexit 1\n");
        DistributeScript action = new DistributeScript(ssh, scripts(dir.toString()));
        ActionResult result = action.run(scaleOutContext().param("script", "barrier.sh").param("targets", "all")
                .param("parallelism", "3").param("env.B", barrier.toString()));
        assertEquals("3", result.outputs().get("script.succeeded"), "each host waited for the other two: they ran together");
    }

    @Test
    void rejectsScriptsOutsideTheFolderAndBadParameters() {
        DistributeScript action = new DistributeScript(ssh, scripts("fabric-scripts"));
        ActionException outside = assertThrows(ActionException.class,
                () -> action.run(scaleOutContext().param("script", "../pom.xml")));
        assertTrue(outside.getMessage().contains("inside"), outside.getMessage());
        ActionException targets = assertThrows(ActionException.class,
                () -> action.run(scaleOutContext().param("script", "cluster-update.sh").param("targets", "everyone")));
        assertTrue(targets.getMessage().contains("parameter targets"), targets.getMessage());
        ActionException parallel = assertThrows(ActionException.class,
                () -> action.run(scaleOutContext().param("script", "cluster-update.sh").param("parallelism", "0")));
        assertTrue(parallel.getMessage().contains("parameter parallelism"), parallel.getMessage());
    }
}
