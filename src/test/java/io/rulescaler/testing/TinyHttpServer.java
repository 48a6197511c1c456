package io.rulescaler.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a loopback port serving fixed answers per path and counting requests; for WARs, health checks and backends. */
public final class TinyHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();

    public TinyHttpServer() throws IOException {
        this(InetAddress.getLoopbackAddress().getHostAddress(), 0);
    }

    /** A server on a given loopback address and port (0: any free port). */
    public TinyHttpServer(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    /** Answers {@code path} with {@code status} and {@code body}. */
    public TinyHttpServer answer(String path, int status, String body) {
        return answer(path, status, body.getBytes(StandardCharsets.UTF_8));
    }

    public TinyHttpServer answer(String path, int status, byte[] body) {
        statuses.put(path, status);
        bodies.put(path, body);
        return this;
    }

    /** Makes answers on {@code path} wait {@code millis} first (a long request for drain tests). */
    public TinyHttpServer delay(String path, long millis) {
        delays.put(path, millis);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** How many requests reached {@code path}. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Long delay = delays.get(path);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Integer status = statuses.get(path);
        byte[] body = bodies.getOrDefault(path, "not found\n".getBytes(StandardCharsets.UTF_8));
        int code = status == null ? 404 : status;
        exchange.getResponseHeaders().add("Last-Modified", "Tue, 24 Nov 2026 20:00:00 GMT");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(code, -1);
        } else {
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
