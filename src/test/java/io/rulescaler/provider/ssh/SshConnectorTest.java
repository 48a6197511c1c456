package io.rulescaler.provider.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.SshdHost;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The SSH connector against a real OpenSSH server on loopback. */
class SshConnectorTest {

    @RegisterExtension
    static SshdHost host = new SshdHost();

    @TempDir
    Path temp;

    @Test
    void runsCommandStreamsOutputAndRecordsHostKeyOnFirstContact() throws Exception {
        Path knownHosts = temp.resolve("known_hosts");
        try (SshConnector ssh = SshdHost.connector(knownHosts)) {
            SshTarget target = ssh.target(host.address(), null);
            RecordingTaskContext ctx = new RecordingTaskContext(RecordingTaskContext.cluster("ssh-a", null, null));
            LineLogStream out = new LineLogStream(ctx.log(), "[n1] ");
            SshConnector.ExecResult result = ssh.exec(target, "echo one; echo two >&2; exit 3", null, out, Duration.ofSeconds(20));
            out.close();

            assertEquals(3, result.exitStatus());
            assertTrue(ctx.logText().contains("[n1] one"), ctx.logText());
            assertTrue(ctx.logText().contains("[n1] two"), ctx.logText());
            String[] hostKey = host.hostPublicKey().split(" ");
            assertEquals(List.of(hostKey[0] + " " + hostKey[1]), ssh.knownHosts().keysOf("[127.0.0.1]:" + host.port()));

            ssh.exec(target, "true", null, OutputStreamSink.INSTANCE, Duration.ofSeconds(20));
            assertEquals(1, Files.readAllLines(knownHosts).size(), "a known host is not recorded twice");
        }
    }

    @Test
    void refusesHostWhoseKeyChangedAndRunsNothing() throws Exception {
        Path other = temp.resolve("other_key");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString()).start().waitFor();
        String[] otherKey = Files.readString(Path.of(other + ".pub")).trim().split(" ");
        Path knownHosts = temp.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " " + otherKey[0] + " " + otherKey[1] + "\n");
        Path marker = temp.resolve("ran");
        try (SshConnector ssh = SshdHost.connector(knownHosts)) {
            SshFailure failure = assertThrows(SshFailure.class, () -> ssh.exec(ssh.target(host.address(), null),
                    "touch " + marker, null, OutputStreamSink.INSTANCE, Duration.ofSeconds(20)));
            assertEquals(SshFailure.Kind.HOST_KEY_CHANGED, failure.kind());
            assertTrue(failure.getMessage().contains("[127.0.0.1]:" + host.port()), failure.getMessage());
            assertFalse(failure.kind().retryable());
        }
        assertFalse(Files.exists(marker), "no command may run on a host whose key changed");
    }

    @Test
    void refusedKeyIsAnAuthenticationFailure() throws Exception {
        Path stranger = temp.resolve("stranger");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-m", "PEM", "-N", "", "-f", stranger.toString()).start().waitFor();
        SshSettings base = SshdHost.settings(temp.resolve("known_hosts"));
        SshSettings settings = new SshSettings(base.defaultUser(), 22, stranger, base.knownHosts(),
                base.connectTimeout(), base.commandTimeout(), 2);
        try (SshConnector ssh = new SshConnector(settings)) {
            SshFailure failure = assertThrows(SshFailure.class, () -> ssh.exec(ssh.target(host.address(), null),
                    "true", null, OutputStreamSink.INSTANCE, Duration.ofSeconds(20)));
            assertEquals(SshFailure.Kind.AUTH, failure.kind(), failure.getMessage());
        }
    }

    @Test
    void commandTimeoutClosesTheCommand() throws Exception {
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            SshFailure failure = assertThrows(SshFailure.class, () -> ssh.exec(ssh.target(host.address(), null),
                    "sleep 30", null, OutputStreamSink.INSTANCE, Duration.ofMillis(700)));
            assertEquals(SshFailure.Kind.COMMAND_TIMEOUT, failure.kind());
            assertTrue(failure.kind().retryable());
        }
    }

    @Test
    void cancellationClosesARunningCommand() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Path marker = temp.resolve("finished");
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException ignored) {
                    // the test ends anyway
                }
                cancelled.set(true);
            }).start();
            SshFailure failure = assertThrows(SshFailure.class, () -> ssh.exec(ssh.target(host.address(), null),
                    "sleep 20; touch " + marker, null, OutputStreamSink.INSTANCE, Duration.ofSeconds(60), cancelled::get));
            assertEquals(SshFailure.Kind.CANCELLED, failure.kind());
            assertFalse(failure.kind().retryable());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void connectFailureOnClosedPort() throws Exception {
        int closed = SshdHost.freePort();
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            SshFailure failure = assertThrows(SshFailure.class, () -> ssh.exec(ssh.target("127.0.0.1:" + closed, null),
                    "true", null, OutputStreamSink.INSTANCE, Duration.ofSeconds(5)));
            assertEquals(SshFailure.Kind.CONNECT, failure.kind());
        }
    }

    @Test
    void uploadsFolderAndFeedsStdin() throws Exception {
        Path local = Files.createDirectories(temp.resolve("local/sub"));
        Files.writeString(local.resolve("file.txt"), "hello puppet\n");
        Path remote = temp.resolve("remote");
        try (SshConnector ssh = SshdHost.connector(temp.resolve("known_hosts"))) {
            SshTarget target = ssh.target(host.address(), null);
            ssh.upload(target, temp.resolve("local"), remote.toString(), OutputStreamSink.INSTANCE, Duration.ofSeconds(20));
            assertEquals("hello puppet\n", Files.readString(remote.resolve("sub/file.txt")));

            Path piped = temp.resolve("piped.txt");
            ssh.exec(target, "cat > " + piped, new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)),
                    OutputStreamSink.INSTANCE, Duration.ofSeconds(20));
            assertEquals("from stdin", Files.readString(piped));
        }
    }

    @Test
    void boundsConcurrentSessions() throws Exception {
        Path journal = temp.resolve("journal");
        SshSettings base = SshdHost.settings(temp.resolve("known_hosts"));
        SshSettings two = new SshSettings(base.defaultUser(), 22, base.privateKey(), base.knownHosts(),
                base.connectTimeout(), base.commandTimeout(), 2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (SshConnector ssh = new SshConnector(two)) {
            SshTarget target = ssh.target(host.address(), null);
            List<Future<SshConnector.ExecResult>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runs.add(pool.submit(() -> ssh.exec(target, "echo + >> " + journal + "; sleep 0.4; echo - >> " + journal,
                        null, OutputStreamSink.INSTANCE, Duration.ofSeconds(30))));
            }
            for (Future<SshConnector.ExecResult> run : runs) {
                assertEquals(0, run.get().exitStatus());
            }
        } finally {
            pool.shutdownNow();
        }
        int open = 0;
        int most = 0;
        for (String line : Files.readAllLines(journal)) {
            open += line.equals("+") ? 1 : -1;
            most = Math.max(most, open);
        }
        assertEquals(12, Files.readAllLines(journal).size());
        assertTrue(most <= 2, "at most two sessions at once, saw " + most);
    }

    /** Discards output. */
    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }
    }
}
