package io.rulescaler.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for an AWS endpoint (AWS cannot be reached from tests): it replays recorded XML answers
 * from src/test/resources/aws/... per call, in the order queued, and keeps every request for the test to
 * inspect. A call is named by its Query API {@code Action} (ELBv2) or by {@code METHOD /path} (REST APIs
 * such as Route 53).
 */
public final class RecordedAwsResponder implements AutoCloseable {

    /** One request as received. */
    public record Request(String call, Map<String, String> form, String body, String authorization) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new HashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private record Answer(int status, String resource) {
    }

    private final String resources;

    /** {@code resources}: classpath folder of the recorded answers, e.g. {@code /aws/elbv2/}. */
    public RecordedAwsResponder(String resources) throws IOException {
        this.resources = resources;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Queues the recorded file to answer the next call of {@code action} (the last one queued repeats). */
    public RecordedAwsResponder replay(String action, int status, String resource) {
        answers.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Answer(status, resource));
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String call = form.containsKey("Action") ? form.get("Action")
                : exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().replaceAll("/$", "");
        requests.add(new Request(call, form, body, exchange.getRequestHeaders().getFirst("Authorization")));
        Deque<Answer> queue = answers.get(call);
        Answer answer = queue == null || queue.isEmpty() ? null : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes;
        int status;
        if (answer == null) {
            status = 400;
            bytes = ("<ErrorResponse><Error><Type>Sender</Type><Code>NotRecorded</Code><Message>no recorded answer for "
                    + call + "</Message></Error><RequestId>0</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
        } else {
            status = answer.status();
            try (InputStream in = getClass().getResourceAsStream(resources + answer.resource())) {
                bytes = in.readAllBytes();
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "recorded");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
