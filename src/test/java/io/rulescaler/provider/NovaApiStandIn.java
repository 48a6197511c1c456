package io.rulescaler.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * STAND-IN for OpenStack Keystone v2.0 and Nova v2 (no OpenStack can be reached from here): a
 * real HTTP server on a loopback port answering {@code METHOD path} with JSON documents in the
 * format of the OpenStack API reference, recording every request line; unknown routes get 404.
 */
final class NovaApiStandIn implements AutoCloseable {

    static final String TENANT = "3cfd1bb8e5a04f5a8b0bd7d1ab37bc94";
    private final HttpServer server;
    private final Map<String, String[]> routes = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    NovaApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
        route("POST /v2.0/tokens", 200, """
                {"access": {
                  "token": {"id": "gAAAAABexampletoken", "expires": "2099-01-01T00:00:00Z",
                            "tenant": {"id": "%s", "name": "ops", "enabled": true}},
                  "user": {"id": "f3c46bb2b5e64b4c8a8c0e3e3e1f1a1a", "name": "rulescaler", "roles": [{"name": "member"}]},
                  "serviceCatalog": [{"type": "compute", "name": "nova", "endpoints": [
                    {"region": "RegionOne", "publicURL": "%s/v2/%s", "internalURL": "%s/v2/%s", "adminURL": "%s/v2/%s",
                     "versionId": "2", "versionInfo": "%s/v2/", "versionList": "%s/"}]}]}}
                """.formatted(TENANT, base(), TENANT, base(), TENANT, base(), TENANT, base(), base()));
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Keystone's address, the profile's endpoint. */
    String keystone() {
        return base() + "/v2.0/";
    }

    NovaApiStandIn route(String methodAndPath, int status, String json) {
        routes.put(methodAndPath.replace("{tenant}", TENANT), new String[] {String.valueOf(status), json});
        return this;
    }

    /** Request lines ({@code METHOD path}) in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The last body sent with {@code METHOD path} ({@code {tenant}} is filled in), or null. */
    String body(String methodAndPath) {
        return bodies.get(methodAndPath.replace("{tenant}", TENANT));
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        bodies.put(line, body);
        requests.add(line);
        String[] r = routes.get(line);
        byte[] out = (r == null ? "{\"itemNotFound\": {\"message\": \"no route " + line + "\", \"code\": 404}}" : r[1])
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(r == null ? 404 : Integer.parseInt(r[0]), out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
