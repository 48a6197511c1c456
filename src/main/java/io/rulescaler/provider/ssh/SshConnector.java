package io.rulescaler.provider.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.SshException;
import org.jboss.logging.Logger;

/**
 * Runs commands on nodes over SSH with key authentication, host keys checked against a
 * {@link HostKeyStore}, connect and command timeouts, and a cap on concurrent sessions.
 * One connector (one Apache MINA SSHD client) serves the whole instance.
 */
public final class SshConnector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SshConnector.class);

    /** What a finished command reports. */
    public record ExecResult(int exitStatus) {
        public boolean succeeded() {
            return exitStatus == 0;
        }
    }

    /** Sessions whose host key did not match (kept outside the session, whose attributes go when it closes). */
    private final Map<ClientSession, String> mismatches = Collections.synchronizedMap(new WeakHashMap<>());

    private static final long CANCEL_POLL_MILLIS = 500;

    private final SshSettings settings;
    private final HostKeyStore knownHosts;
    private final Semaphore sessions;
    /** Started on the first connection, not at start: the client and its threads cost start time and memory. */
    private SshClient client;
    private boolean closed;
    private volatile List<KeyPair> identities;

    /** A connector that records host keys in the known_hosts file named by the settings. */
    public SshConnector(SshSettings settings) {
        this(settings, new KnownHostsFile(settings.knownHosts()));
    }

    public SshConnector(SshSettings settings, HostKeyStore hostKeys) {
        this.settings = settings;
        this.knownHosts = hostKeys;
        this.sessions = new Semaphore(Math.max(1, settings.maxSessions()), true);
    }

    private synchronized SshClient client() {
        if (closed) {
            throw new IllegalStateException("the SSH connector is closed");
        }
        if (client == null) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(this::verifyServerKey);
            c.start();
            client = c;
        }
        return client;
    }

    public SshSettings settings() {
        return settings;
    }

    public HostKeyStore knownHosts() {
        return knownHosts;
    }

    /** Parses a node address with this connector's default user and port. */
    public SshTarget target(String address, String user) {
        return SshTarget.parse(address, user == null || user.isBlank() ? settings.defaultUser() : user,
                settings.defaultPort());
    }

    /**
     * Runs {@code command} (through the login shell) with stdout and stderr both sent to {@code output};
     * {@code stdin} may be null. A command still running after {@code timeout} is closed and reported.
     */
    public ExecResult exec(SshTarget target, String command, InputStream stdin, OutputStream output, Duration timeout)
            throws SshFailure {
        return exec(target, command, stdin, output, timeout, () -> false);
    }

    /** As {@link #exec(SshTarget, String, InputStream, OutputStream, Duration)}, closing the command once {@code cancelled} says so. */
    public ExecResult exec(SshTarget target, String command, InputStream stdin, OutputStream output, Duration timeout,
            BooleanSupplier cancelled) throws SshFailure {
        Duration limit = timeout == null ? settings.commandTimeout() : timeout;
        acquire(target);
        try (ClientSession session = open(target)) {
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(output);
                channel.setErr(output);
                if (stdin != null) {
                    channel.setIn(stdin);
                }
                channel.open().verify(settings.connectTimeout().toMillis());
                long deadline = System.nanoTime() + limit.toNanos();
                Set<ClientChannelEvent> events;
                do {
                    long slice = Math.min(CANCEL_POLL_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), slice);
                    if (events.contains(ClientChannelEvent.TIMEOUT) && cancelled.getAsBoolean()) {
                        throw new SshFailure(SshFailure.Kind.CANCELLED,
                                "command on " + target + " stopped: operation cancelled: " + abbreviate(command), null);
                    }
                } while (events.contains(ClientChannelEvent.TIMEOUT) && System.nanoTime() < deadline);
                if (events.contains(ClientChannelEvent.TIMEOUT) || !events.contains(ClientChannelEvent.EXIT_STATUS)
                        && !events.contains(ClientChannelEvent.CLOSED)) {
                    throw new SshFailure(SshFailure.Kind.COMMAND_TIMEOUT,
                            "command on " + target + " did not finish within " + limit + ": " + abbreviate(command), null);
                }
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), settings.connectTimeout().toMillis());
                Integer status = channel.getExitStatus();
                if (status == null) {
                    String signal = channel.getExitSignal();
                    throw new SshFailure(SshFailure.Kind.CONNECT,
                            "command on " + target + " ended without exit status" + (signal == null ? "" : " (signal " + signal + ")"), null);
                }
                output.flush();
                return new ExecResult(status);
            }
        } catch (SshFailure e) {
            throw e;
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONNECT,
                    "SSH to " + target + " failed: " + e.getMessage(), e);
        } finally {
            sessions.release();
        }
    }

    /**
     * Copies a local folder to {@code remoteDir} on the target (replacing what was there), as a tar stream
     * unpacked by the remote {@code tar}; only {@code tar} is needed on the node.
     */
    public void upload(SshTarget target, Path localDir, String remoteDir, OutputStream output, Duration timeout)
            throws SshFailure {
        if (!Files.isDirectory(localDir)) {
            throw new IllegalArgumentException("not a folder: " + localDir.toAbsolutePath());
        }
        Process tar;
        try {
            tar = new ProcessBuilder("tar", "-C", localDir.toAbsolutePath().toString(), "-czf", "-", ".")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONNECT,
                    "cannot run local tar: " + e.getMessage(), e);
        }
        String dir = Shell.quote(remoteDir);
        try {
            ExecResult result = exec(target, "rm -rf " + dir + " && mkdir -p " + dir + " && tar -xzf - -C " + dir,
                    tar.getInputStream(), output, timeout);
            if (!result.succeeded()) {
                throw new SshFailure(SshFailure.Kind.CONNECT,
                        "unpacking " + localDir + " into " + remoteDir + " on " + target + " exited " + result.exitStatus(), null);
            }
        } finally {
            tar.destroy();
        }
    }

    private ClientSession open(SshTarget target) throws IOException {
        long connectMillis = settings.connectTimeout().toMillis();
        ClientSession session;
        try {
            session = client().connect(target.user(), target.host(), target.port()).verify(connectMillis).getSession();
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.CONNECT,
                    "cannot connect to " + target + ": " + e.getMessage(), e);
        }
        try {
            for (KeyPair pair : identities()) {
                session.addPublicKeyIdentity(pair);
            }
            session.auth().verify(connectMillis);
            return session;
        } catch (IOException | RuntimeException e) {
            String mismatch = mismatches.remove(session);
            session.close(true);
            if (mismatch != null) {
                throw new SshFailure(SshFailure.Kind.HOST_KEY_CHANGED, mismatch, e);
            }
            if (e instanceof SshException && e.getMessage() != null && e.getMessage().toLowerCase().contains("no more authentication methods")) {
                throw new SshFailure(SshFailure.Kind.AUTH,
                        target + " refused key " + settings.privateKey() + ": " + e.getMessage(), e);
            }
            throw new SshFailure(SshFailure.Kind.CONNECT,
                    "SSH handshake with " + target + " failed: " + e.getMessage(), e);
        }
    }

    private boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String host;
        int port;
        if (session.getConnectAddress() instanceof InetSocketAddress address) {
            host = address.getHostString();
            port = address.getPort();
        } else if (remote instanceof InetSocketAddress address) {
            host = address.getHostString();
            port = address.getPort();
        } else {
            return false;
        }
        String name = port == 22 ? host : "[" + host + "]:" + port;
        HostKeyStore.Verdict verdict = knownHosts.verify(name, key);
        switch (verdict) {
            case RECORDED -> LOG.infof("ssh host key recorded host=%s fingerprint=%s file=%s", name,
                    KnownHostsFile.fingerprint(key), knownHosts.describe());
            case MATCHED -> LOG.debugf("ssh host key matched host=%s", name);
            case CHANGED -> {
                String message = "host key of " + name + " changed: presented " + KnownHostsFile.fingerprint(key)
                        + " but " + knownHosts.describe() + " records another key; if the host was rebuilt, remove it there";
                LOG.warnf("ssh host key mismatch host=%s fingerprint=%s", name, KnownHostsFile.fingerprint(key));
                mismatches.put(session, message);
                return false;
            }
        }
        return true;
    }

    private List<KeyPair> identities() throws IOException {
        List<KeyPair> loaded = identities;
        if (loaded == null) {
            Path key = settings.privateKey();
            if (key == null || !Files.isReadable(key)) {
                throw new SshFailure(SshFailure.Kind.AUTH,
                        "SSH private key " + key + " is missing or unreadable (rulescaler.ssh.private-key)", null);
            }
            loaded = new ArrayList<>();
            try {
                for (KeyPair pair : new FileKeyPairProvider(key).loadKeys(null)) {
                    loaded.add(pair);
                }
            } catch (Exception e) {
                throw new SshFailure(SshFailure.Kind.AUTH,
                        "cannot read SSH private key " + key + ": " + e.getMessage(), e);
            }
            identities = loaded;
        }
        return loaded;
    }

    private void acquire(SshTarget target) throws SshFailure {
        try {
            if (!sessions.tryAcquire(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SshFailure(SshFailure.Kind.BUSY,
                        "no free SSH session slot for " + target + " (rulescaler.ssh.max-sessions=" + settings.maxSessions() + ")", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailure(SshFailure.Kind.BUSY,
                    "interrupted while waiting for an SSH session slot", e);
        }
    }

    private static String abbreviate(String command) {
        return command.length() <= 120 ? command : command.substring(0, 117) + "...";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.stop();
        }
    }
}
