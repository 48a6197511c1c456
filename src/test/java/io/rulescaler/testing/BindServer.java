package io.rulescaler.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND ({@code named -g}) on a loopback port for a test, authoritative for one dynamic zone that
 * accepts RFC 2136 updates signed with a fresh TSIG key (hmac-sha256).
 */
public final class BindServer implements AutoCloseable {

    public static final String KEY_NAME = "rulescaler-test";

    private final Path dir;
    private final Process process;
    private final int port;
    private final String zone;
    private final String secret;

    public BindServer(String zone) throws IOException, InterruptedException {
        this(zone, 0, null);
    }

    /** A server on a port and with a TSIG secret chosen beforehand (0 and null: chosen here). */
    public BindServer(String zone, int fixedPort, String fixedSecret) throws IOException, InterruptedException {
        this.zone = zone;
        Path named = RealParts.require("named", "bind9");
        RealParts.require("dig", "bind9-dnsutils");
        dir = Files.createTempDirectory("rulescaler-bind");
        port = fixedPort > 0 ? fixedPort : SshdHost.freePort();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = fixedSecret != null ? fixedSecret : Base64.getEncoder().encodeToString(key);
        Files.writeString(dir.resolve(zone + ".zone"), String.join("\n",
                "$TTL 60",
                "@ IN SOA ns." + zone + ". admin." + zone + ". ( 1 60 60 600 60 )",
                "@ IN NS ns." + zone + ".",
                "ns IN A 127.0.0.1",
                ""));
        Path conf = dir.resolve("named.conf");
        Files.writeString(conf, String.join("\n",
                "options {",
                "  directory \"" + dir + "\";",
                "  pid-file \"" + dir.resolve("named.pid") + "\";",
                "  session-keyfile \"" + dir.resolve("session.key") + "\";",
                "  managed-keys-directory \"" + dir + "\";",
                "  listen-on port " + port + " { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  recursion no;",
                "  dnssec-validation no;",
                "  allow-query { any; };",
                "};",
                "controls { };",
                "key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + secret + "\"; };",
                "zone \"" + zone + "\" { type primary; file \"" + dir.resolve(zone + ".zone") + "\";",
                "  allow-update { key \"" + KEY_NAME + "\"; }; };",
                ""));
        process = new ProcessBuilder(named.toString(), "-g", "-4", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("named exited: " + Files.readString(dir.resolve("named.log")));
            }
            // not "running": named prints "running on Linux ..." first thing, before it has loaded the
            // zone, and an update then gets SERVFAIL (seen under load)
            if (Files.readString(dir.resolve("named.log")).contains("all zones loaded")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("named did not start: " + Files.readString(dir.resolve("named.log")));
    }

    public int port() {
        return port;
    }

    public String zone() {
        return zone;
    }

    public String secret() {
        return secret;
    }

    /** Asks this server with {@code dig} (a client independent of the code under test); the answers, one per line. */
    public List<String> dig(String name, String type) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dig", "+short", "+tcp", "@127.0.0.1", "-p", String.valueOf(port), name, type)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IOException("dig failed: " + out);
        }
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        SshdHost.deleteTree(dir);
    }
}
