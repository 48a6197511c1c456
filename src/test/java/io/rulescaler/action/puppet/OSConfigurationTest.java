package io.rulescaler.action.puppet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.testing.RealParts;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.SshdHost;
import io.rulescaler.testing.TinyHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Puppet modules applied for real by the OSConfiguration action over SSH (to a test sshd on
 * loopback, i.e. this machine) into a scratch root, with packages and services left alone.
 */
class OSConfigurationTest {

    @RegisterExtension
    static SshdHost host = new SshdHost();

    static TinyHttpServer web;
    static SshConnector ssh;
    static final byte[] WAR = "PK\u0003\u0004 pretend war".getBytes();

    @TempDir
    Path temp;

    @BeforeAll
    static void start(@TempDir Path shared) throws IOException {
        RealParts.require("puppet", "puppet");
        web = new TinyHttpServer().answer("/app.war", 200, WAR).answer("/health", 200, "UP").answer("/sick", 500, "DOWN");
        ssh = SshdHost.connector(shared.resolve("known_hosts"));
    }

    @AfterAll
    static void stop() {
        ssh.close();
        web.close();
    }

    private PuppetConfig config(Path puppetDir, Path remote) {
        return new PuppetConfig() {
            public String directory() { return puppetDir.toString(); }
            public String remoteDirectory() { return remote.toString(); }
            public String command() { return "puppet apply"; }
            public Optional<String> extraArguments() { return Optional.empty(); }
        };
    }

    private RecordingTaskContext context(Path root) {
        ClusterSpec cluster = RecordingTaskContext.cluster("pp-web", "web.example.test",
                new ClusterSpec.LoadBalancer("haproxy", "be_web", "127.0.0.1:9999", 8080, 30));
        return new RecordingTaskContext(cluster)
                .node(new TargetNode(7, "pp-web-3", 3, "zone-a", host.address(), "byon-3"))
                .peer(new TargetNode(5, "pp-web-1", 1, "zone-a", "10.1.0.1:22", "byon-1"))
                .peer(new TargetNode(6, "pp-web-2", 2, "zone-b", "root@10.1.0.2", "byon-2"))
                .param("root", root.toString())
                .param("manageSystem", "false");
    }

    @Test
    void appliesShippedModulesIntoScratchRootAndIsIdempotent() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path remote = temp.resolve("remote");
        OSConfiguration action = new OSConfiguration(ssh, config(Path.of("puppet"), remote));
        RecordingTaskContext ctx = context(root)
                .param("fact.tomcat_http_port", "8181")
                .param("fact.tomcat_heap_mb", "768")
                .param("fact.tomcat_memory_max", "2G")
                .param("fact.app_war_url", web.url("/app.war"))
                .param("fact.app_health_url", web.url("/health"));

        ActionResult first = action.run(ctx);

        assertEquals("2", first.outputs().get("puppet.exitCode"), ctx.logText());
        String node = Files.readString(root.resolve("etc/rulescaler/node.conf"));
        assertTrue(node.contains("cluster=pp-web\n"), node);
        assertTrue(node.contains("node=pp-web-3\n"), node);
        assertTrue(node.contains("index=3\n"), node);
        assertTrue(node.contains("zone=zone-a\n"), node);
        assertTrue(node.contains("load_balancer=127.0.0.1:9999\n"), node);
        assertTrue(node.contains("peers=10.1.0.1,10.1.0.2\n"), node);
        assertTrue(Files.readString(root.resolve("etc/sysctl.d/60-rulescaler.conf")).contains("net.core.somaxconn = 1024"));
        assertEquals("Etc/UTC\n", Files.readString(root.resolve("etc/timezone")));
        assertEquals(Path.of("/usr/share/zoneinfo/Etc/UTC"), Files.readSymbolicLink(root.resolve("etc/localtime")));
        assertTrue(Files.readString(root.resolve("etc/chrony/conf.d/rulescaler.conf")).startsWith("server 0.debian.pool.ntp.org iburst"));

        String serverXml = Files.readString(root.resolve("etc/tomcat10/server.xml"));
        assertTrue(serverXml.contains("<Connector port=\"8181\""), serverXml);
        String defaults = Files.readString(root.resolve("etc/default/tomcat10"));
        assertTrue(defaults.contains("-Xms768m -Xmx768m"), defaults);
        String unit = Files.readString(root.resolve("etc/systemd/system/tomcat10.service"));
        String limits = Files.readString(root.resolve("etc/systemd/system/tomcat10.service.d/rulescaler-limits.conf"));
        assertTrue(limits.contains("\nMemoryMax=2G\n"), limits);
        assertTrue(limits.contains("\nCPUQuota=200%\n"), limits);
        assertTrue(limits.contains("\nRestart=on-failure\n"), limits);
        assertTrue(limits.contains("\nRuntimeMaxSec=infinity\n"), limits);
        assertTrue(unit.contains("\nUser=tomcat\n"), unit);
        assertTrue(unit.contains("ExecStart=/bin/sh /usr/libexec/tomcat10/tomcat-start.sh"), unit);

        assertArrayEquals(WAR, Files.readAllBytes(root.resolve("var/lib/tomcat10/webapps/ROOT.war")));
        assertTrue(web.hits("/health") > 0, "the app module waits for the health URL");
        assertTrue(Files.readString(root.resolve("etc/default/prometheus-node-exporter")).contains("--collector.systemd"));
        assertTrue(Files.readString(root.resolve("var/lib/prometheus/node-exporter/rulescaler.prom"))
                .contains("rulescaler_node_info{cluster=\"pp-web\",node=\"pp-web-3\",role=\"app\"} 1"));
        assertTrue(ctx.logText().contains("[pp-web-3] Notice: Applied catalog"), ctx.logText());
        try (Stream<Path> left = Files.list(remote)) {
            assertEquals(0, left.count(), "the task's copy of puppet/ is removed after the run");
        }

        ActionResult second = action.run(context(root)
                .param("fact.tomcat_http_port", "8181")
                .param("fact.tomcat_heap_mb", "768")
                .param("fact.tomcat_memory_max", "2G")
                .param("fact.app_war_url", web.url("/app.war"))
                .param("fact.app_health_url", web.url("/health")));
        assertEquals("0", second.outputs().get("puppet.exitCode"), "a second run changes nothing");
    }

    @Test
    void tomcatUnitLimitsComeFromTheClustersParameters() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        OSConfiguration action = new OSConfiguration(ssh, config(Path.of("puppet"), temp.resolve("remote")));
        ActionResult result = action.run(withParameters(root, Map.of("tomcat.cpuQuota", "150%", "tomcat.memoryMax", "768M",
                "tomcat.restart", "always", "tomcat.restartSec", "2", "tomcat.restartBurst", "3",
                "tomcat.restartIntervalSec", "120", "tomcat.runtimeMaxSec", "86400")));

        assertEquals("2", result.outputs().get("puppet.exitCode"));
        String limits = Files.readString(root.resolve("etc/systemd/system/tomcat10.service.d/rulescaler-limits.conf"));
        for (String line : List.of("CPUQuota=150%", "MemoryMax=768M", "Restart=always", "RestartSec=2", "StartLimitBurst=3",
                "StartLimitIntervalSec=120", "RuntimeMaxSec=86400")) {
            assertTrue(limits.contains("\n" + line + "\n"), line + " in " + limits);
        }
        assertTrue(limits.indexOf("[Unit]") < limits.indexOf("StartLimitBurst") && limits.indexOf("[Service]") < limits.indexOf("CPUQuota"),
                "start limits in [Unit], the rest in [Service]: " + limits);

        ActionException bad = assertThrows(ActionException.class,
                () -> action.run(withParameters(root, Map.of("tomcat.memoryMax", "lots"))));
        assertTrue(bad.getMessage().contains("memory_max"), "a bad limit fails the task naming it: " + bad.getMessage());
    }

    private RecordingTaskContext withParameters(Path root, Map<String, String> parameters) {
        ClusterSpec spec = RecordingTaskContext.cluster("pp-web", "web.example.test", null);
        ClusterSpec withParams = new ClusterSpec(spec.name(), null, spec.provider(), null, null, spec.size(), null, null, null,
                null, spec.dnsBaseName(), null, null, null, null, null, null, parameters);
        return new RecordingTaskContext(withParams)
                .node(new TargetNode(7, "pp-web-3", 3, "zone-a", host.address(), "byon-3"))
                .param("root", root.toString())
                .param("manageSystem", "false");
    }

    @Test
    void failingResourceFailsTheTaskNamingIt() throws Exception {
        Path puppet = copyOfShippedPuppet();
        Files.writeString(puppet.resolve("manifests/broken.pp"), String.join("\n",
                "$r = $facts['rulescaler_root']",
                "file { \"${r}/before.txt\": content => \"ok\\n\" }",
                "exec { 'fail on purpose': command => '/bin/false', require => File[\"${r}/before.txt\"] }",
                "file { \"${r}/after.txt\": content => \"never\\n\", require => Exec['fail on purpose'] }",
                ""));
        Path root = Files.createDirectories(temp.resolve("root"));
        OSConfiguration action = new OSConfiguration(ssh, config(puppet, temp.resolve("remote")));

        ActionException failure = assertThrows(ActionException.class,
                () -> action.run(context(root).param("manifest", "manifests/broken.pp")));

        assertTrue(failure.getMessage().contains("exit 6"), failure.getMessage());
        assertTrue(failure.getMessage().contains("failed resources: Exec[fail on purpose]"), failure.getMessage());
        assertTrue(failure.retryable());
        assertTrue(Files.exists(root.resolve("before.txt")));
        assertFalse(Files.exists(root.resolve("after.txt")), "resources after the failure are skipped");
    }

    @Test
    void appThatNeverAnswersFailsOnItsHealthWait() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        OSConfiguration action = new OSConfiguration(ssh, config(Path.of("puppet"), temp.resolve("remote")));
        ActionException failure = assertThrows(ActionException.class, () -> action.run(context(root)
                .param("fact.app_war_url", web.url("/app.war"))
                .param("fact.app_health_url", web.url("/sick"))
                .param("fact.app_health_tries", "2")
                .param("fact.app_health_sleep", "0")));
        assertTrue(failure.getMessage().contains("Exec[app ROOT answers]"), failure.getMessage());
        assertTrue(web.hits("/sick") >= 2, "the health URL was tried as often as configured");
    }

    @Test
    void manifestThatDoesNotCompileFailsForGood() throws Exception {
        Path puppet = copyOfShippedPuppet();
        Files.writeString(puppet.resolve("manifests/typo.pp"), "file { 'typo-target': ensure => \n");
        OSConfiguration action = new OSConfiguration(ssh, config(puppet, temp.resolve("remote")));
        ActionException failure = assertThrows(ActionException.class,
                () -> action.run(context(temp).param("manifest", "manifests/typo.pp")));
        assertTrue(failure.getMessage().contains("exit 1: catalog not compiled"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Syntax error"), failure.getMessage());
        assertFalse(failure.retryable());
    }

    @Test
    void refusesManifestOutsideThePuppetFolder() {
        OSConfiguration action = new OSConfiguration(ssh, config(Path.of("puppet"), temp.resolve("remote")));
        ActionException failure = assertThrows(ActionException.class,
                () -> action.run(context(temp).param("manifest", "../etc/evil.pp")));
        assertTrue(failure.getMessage().contains("parameter manifest"), failure.getMessage());
    }

    private Path copyOfShippedPuppet() throws IOException {
        Path target = temp.resolve("puppet-copy");
        Path source = Path.of("puppet");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }
}
