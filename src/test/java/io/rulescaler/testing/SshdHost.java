package io.rulescaler.testing;

import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OpenSSH server on a loopback port, started for a test class with its own host key and
 * authorized_keys (the shared test client key), logging in as the user running the tests.
 * Use: {@code @RegisterExtension static SshdHost host = new SshdHost();} then {@link #address()}.
 */
public final class SshdHost implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final String listen;

    private static Path clientKey;
    private static boolean puppetPrepared;

    private Path dir;
    private int port;
    private Process process;

    /** The client private key (ECDSA, PEM) every test sshd accepts; created once per JVM. */
    public static synchronized Path clientKey() {
        if (clientKey == null) {
            RealParts.require("ssh-keygen", "openssh-client");
            try {
                Path keys = Files.createTempDirectory("rulescaler-ssh-client");
                Path key = keys.resolve("id_ecdsa");
                run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-m", "PEM", "-N", "", "-C", "rulescaler-test", "-f", key.toString());
                clientKey = key;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return clientKey;
    }

    /** Settings for a connector that logs in with the test key and records host keys in {@code knownHosts}. */
    public static SshSettings settings(Path knownHosts) {
        return new SshSettings(System.getProperty("user.name"), 22, clientKey(), knownHosts,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 8);
    }

    /** A connector for tests (close it after use). */
    public static SshConnector connector(Path knownHosts) {
        return new SshConnector(settings(knownHosts));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts sshd; called by JUnit, or by hand for hosts made inside a test. */
    /** A host listening on 127.0.0.1. */
    public SshdHost() {
        this("127.0.0.1");
    }

    /** A host listening on another loopback address (127.0.0.2 …), so several "machines" differ by address. */
    public SshdHost(String listenAddress) {
        this.listen = listenAddress;
    }

    /** The address sshd listens on. */
    public String host() {
        return listen;
    }

    public SshdHost start() throws IOException, InterruptedException {
        Path sshd = RealParts.require("sshd", "openssh-server");
        preparePuppet();
        dir = Files.createTempDirectory("rulescaler-sshd");
        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = dir.resolve("ssh_host_ecdsa_key");
        run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", hostKey.toString());
        Files.copy(Path.of(clientKey() + ".pub"), dir.resolve("authorized_keys"));
        port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + listen,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "MaxSessions 64",
                "MaxStartups 64",
                "LogLevel ERROR",
                "") + "\n");
        process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString(), "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(listen, port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not listen on port " + port);
    }

    public int port() {
        return port;
    }

    /** The address as a node would carry it: {@code 127.0.0.1:<port>}. */
    public String address() {
        return listen + ":" + port;
    }

    /** The server's public host key line ({@code type base64 comment}). */
    public String hostPublicKey() throws IOException {
        return Files.readString(dir.resolve("ssh_host_ecdsa_key.pub")).trim();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    /** A free TCP port, not handed out before in this class loader ({@link FreePorts}). */
    public static int freePort() throws IOException {
        return FreePorts.next();
    }

    /** Deletes a folder and everything in it, ignoring what is already gone. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort in tests
        }
    }

    /**
     * Every test node of this host is the same machine and user, so their {@code puppet apply} runs share
     * one vardir; on a fresh machine two concurrent first runs race to create it ("Could not set
     * 'directory' on ensure: File exists @ dir_s_mkdir - /var/cache/puppet/lib"). One empty apply first
     * creates it. Real nodes are separate machines and do not share it.
     */
    private static synchronized void preparePuppet() {
        if (puppetPrepared || !Files.isExecutable(Path.of("/usr/bin/puppet"))) {
            return;
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/puppet", "apply", "-e", "").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            puppetPrepared = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            // the tests that run puppet report what is wrong with it themselves
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
