package io.rulescaler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.script.DistributeScript;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshSettings;
import io.rulescaler.provider.ssh.SshTarget;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.RemoteTestConfig;
import io.rulescaler.testing.SshdHost;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Not a test (Surefire does not pick up *Bench): how fast SSH commands and DistributeScript fan-out run
 * against local sshd hosts. Run: bench/remote-ssh-fanout.sh
 */
class SshFanOutBench {

    @Test
    void run() throws Exception {
        Path temp = Files.createTempDirectory("rulescaler-bench");
        List<SshdHost> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                hosts.add(new SshdHost().start());
            }
            SshSettings base = SshdHost.settings(temp.resolve("known_hosts"));
            try (SshConnector ssh = new SshConnector(new SshSettings(base.defaultUser(), 22, base.privateKey(),
                    base.knownHosts(), base.connectTimeout(), Duration.ofMinutes(2), 16))) {
                SshTarget one = ssh.target(hosts.get(0).address(), null);
                for (int i = 0; i < 10; i++) {
                    ssh.exec(one, "true", null, OutputStream.nullOutputStream(), null);
                }
                int n = 100;
                int failedSequential = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (!ssh.exec(one, "true", null, OutputStream.nullOutputStream(), null).succeeded()) {
                        failedSequential++;
                    }
                }
                double sequentialMs = (System.nanoTime() - t0) / 1e6 / n;

                ExecutorService pool = Executors.newFixedThreadPool(16);
                int m = 400;
                long t1 = System.nanoTime();
                List<Future<SshConnector.ExecResult>> futures = new ArrayList<>();
                for (int i = 0; i < m; i++) {
                    SshTarget t = ssh.target(hosts.get(i % hosts.size()).address(), null);
                    futures.add(pool.submit(() -> ssh.exec(t, "true", null, OutputStream.nullOutputStream(), null)));
                }
                int failedParallel = 0;
                for (Future<SshConnector.ExecResult> f : futures) {
                    if (!f.get().succeeded()) {
                        failedParallel++;
                    }
                }
                double parallelPerSecond = m / ((System.nanoTime() - t1) / 1e9);
                pool.shutdown();

                DistributeScript action = new DistributeScript(ssh, RemoteTestConfig.scripts("fabric-scripts"));
                RecordingTaskContext ctx = new RecordingTaskContext(RecordingTaskContext.cluster("bench", null, null));
                for (int i = 0; i < hosts.size(); i++) {
                    ctx.peer(new TargetNode(i + 1, "b" + (i + 1), i + 1, "a", hosts.get(i).address(), "p"));
                }
                ctx.param("script", "cluster-update.sh").param("targets", "all").param("parallelism", "8")
                        .param("root", temp.resolve("{node}").toString()).param("manageSystem", "false");
                String firstRun = action.run(ctx).message();
                int rounds = 10;
                long t2 = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    action.run(ctx);
                }
                double fanOutMs = (System.nanoTime() - t2) / 1e6 / rounds;

                // a benchmark of commands that did not run measures nothing: check they did
                assertEquals(0, failedSequential, "sequential commands that failed");
                assertEquals(0, failedParallel, "parallel commands that failed");
                for (int i = 0; i < hosts.size(); i++) {
                    Path members = temp.resolve("b" + (i + 1)).resolve("etc/rulescaler/members");
                    assertEquals(hosts.size(), Files.readAllLines(members).size(), members + " after " + firstRun);
                }
                System.out.printf("BENCH ssh-exec-sequential-ms-per-command=%.1f%n", sequentialMs);
                System.out.printf("BENCH ssh-exec-parallel-16-sessions-8-hosts-commands-per-second=%.0f%n", parallelPerSecond);
                System.out.printf("BENCH distribute-script-cluster-update-8-hosts-parallelism-8-ms=%.0f%n", fanOutMs);
            }
        } finally {
            hosts.forEach(SshdHost::close);
            SshdHost.deleteTree(temp);
        }
    }
}
