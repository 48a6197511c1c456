package io.rulescaler.orchestration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Configuration the end-to-end story needs at application start, without starting anything (so
 * every test class keeps sharing one application): a {@code byon} profile {@code e2e-byon} whose
 * hosts file the story writes later, and the RFC 2136 server (port and TSIG secret reserved here;
 * the story starts BIND with them). The SSH key is the default one under the data folder.
 */
public class EndToEndConfig implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target/e2e").toAbsolutePath();
    static final Path HOSTS = DIR.resolve("byon-hosts.yaml");
    static final String ZONE = "example.test";
    private static int dnsPort;
    private static String dnsSecret;

    static synchronized int dnsPort() {
        return dnsPort;
    }

    static synchronized String dnsSecret() {
        return dnsSecret;
    }

    @Override
    public synchronized Map<String, String> start() {
        if (dnsSecret == null) {
            try {
                // bound by BIND only later: take it from below the ephemeral range, like the Prometheus ports
                dnsPort = io.rulescaler.signal.PrometheusStack.reservedPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            dnsSecret = Base64.getEncoder().encodeToString(key);
        }
        return Map.of(
                "rulescaler.compute.profiles.e2e-byon.api", "byon",
                "rulescaler.compute.profiles.e2e-byon.hosts-file", HOSTS.toString(),
                "rulescaler.dns.server", "127.0.0.1",
                "rulescaler.dns.port", Integer.toString(dnsPort),
                "rulescaler.dns.zone", ZONE,
                "rulescaler.dns.tsig-key-name", io.rulescaler.testing.BindServer.KEY_NAME,
                "rulescaler.dns.tsig-secret", dnsSecret);
    }

    @Override
    public void stop() {
        // nothing was started
    }
}
