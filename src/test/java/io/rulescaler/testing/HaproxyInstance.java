package io.rulescaler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy on loopback for a test: one HTTP frontend whose default backend {@code be_web} starts
 * empty (servers are added through the runtime API), and the runtime API on a TCP port or a unix socket.
 */
public final class HaproxyInstance implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final int frontendPort;
    private final String apiAddress;

    public HaproxyInstance(boolean unixSocket) throws IOException, InterruptedException {
        Path haproxy = RealParts.require("haproxy", "haproxy");
        dir = Files.createTempDirectory("rulescaler-haproxy");
        frontendPort = SshdHost.freePort();
        apiAddress = unixSocket ? "unix:" + dir.resolve("admin.sock") : "127.0.0.1:" + SshdHost.freePort();
        String socket = unixSocket ? dir.resolve("admin.sock") + " mode 600" : "ipv4@" + apiAddress;
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  stats socket " + socket + " level admin",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 10s",
                "  timeout server 10s",
                "frontend fe",
                "  bind 127.0.0.1:" + frontendPort,
                "  default_backend be_web",
                "backend be_web",
                "  balance roundrobin",
                ""));
        process = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", frontendPort), 200);
                if (!unixSocket || Files.exists(dir.resolve("admin.sock"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("haproxy did not start");
    }

    /** The runtime API address as a cluster spec's loadBalancer.address carries it. */
    public String apiAddress() {
        return apiAddress;
    }

    /** GET {@code path} through the frontend on a fresh connection; returns "status body". */
    public String get(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", frontendPort)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(9, 12);
            int body = response.indexOf("\r\n\r\n");
            return status + " " + (body < 0 ? "" : response.substring(body + 4).trim());
        }
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
