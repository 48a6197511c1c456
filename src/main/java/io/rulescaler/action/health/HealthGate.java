package io.rulescaler.action.health;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionOutputs;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.cluster.ClusterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until a node passes the cluster's {@code health.http} check {@code healthyAfter} times in a
 * row, within {@code seconds}; a rolling redeploy puts it between reconfiguring a node and putting
 * it back into its load balancer. Without a declared HTTP check the earlier steps' success is the
 * verdict. On success it outputs {@code node.specVersion} (when given), which the orchestrator
 * copies onto the node: the node now runs that spec version.
 */
@ApplicationScoped
public class HealthGate implements Action {

    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.integer("seconds", "how long the node has to pass the check").between(1, 86_400).orElse("120"),
            ActionParameter.integer("specVersion", "the cluster spec version the node runs once it passes").between(1, Integer.MAX_VALUE),
            ActionParameter.integer("passes", "passes in a row needed (default: the check's healthyAfter)").between(1, 100));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String type() {
        return "HealthGate";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        StepParams params = StepParams.of(ctx, PARAMETERS);
        TaskContext.TargetNode node = ctx.node().orElseThrow(() -> new ActionException("HealthGate runs for a node (scope: node)", false));
        Map<String, String> outputs = new LinkedHashMap<>();
        params.integer("specVersion").ifPresent(v -> outputs.put(ActionOutputs.NODE_SPEC_VERSION, Integer.toString(v)));
        ClusterSpec.HttpCheck check = ctx.cluster().health() == null ? null : ctx.cluster().health().http();
        if (check == null) {
            ctx.log().line("no health.http check declared for cluster " + ctx.cluster().name()
                    + ": the node's earlier steps succeeded, so it passes");
            return ActionResult.ok("passed (no HTTP check declared; the step results decide)", outputs);
        }
        URI uri = uri(check, node);
        int needed = params.integer("passes", check.passesToPass());
        long deadline = System.nanoTime() + params.integer("seconds", 120) * 1_000_000_000L;
        long pause = Math.min(1000L, check.interval() * 1000L);
        int inRow = 0;
        String last = "not probed yet";
        while (true) {
            if (ctx.cancelled()) {
                throw new ActionException("cancelled while waiting for " + uri + " (last: " + last + ")", false);
            }
            last = probe(uri, check);
            inRow = last == null ? inRow + 1 : 0;
            ctx.log().line("probe " + uri + ": " + (last == null ? "passed (" + inRow + " of " + needed + " in a row)" : last));
            if (inRow >= needed) {
                return ActionResult.ok(node.name() + " passed " + uri + " " + needed + " time(s) in a row", outputs);
            }
            if (System.nanoTime() + pause * 1_000_000L > deadline) {
                throw new ActionException("health gate: " + node.name() + " did not pass " + uri + " " + needed
                        + " time(s) in a row within " + params.integer("seconds", 120) + " s (last: "
                        + (last == null ? "passed" : last) + ")", false);
            }
            Thread.sleep(pause);
        }
    }

    private static URI uri(ClusterSpec.HttpCheck check, TaskContext.TargetNode node) throws ActionException {
        String host = check.host() != null ? check.host() : node.address();
        if (host == null || host.isBlank()) {
            throw new ActionException("health gate: node " + node.name() + " has no address to probe", false);
        }
        if (host.matches("[^:\\[\\]]+:\\d+")) {
            host = host.substring(0, host.indexOf(':')); // a byon address names the SSH port; the check has its own
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        try {
            return URI.create("http://" + hostPart + ":" + check.port() + check.path().replace("{node}", node.name()));
        } catch (IllegalArgumentException e) {
            throw new ActionException("health gate: bad health URL: " + e.getMessage(), false);
        }
    }

    /** Null when the node answered below 400 in time, else what went wrong. */
    private String probe(URI uri, ClusterSpec.HttpCheck check) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(check.timeout())).GET().build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status < 400 ? null : "answered " + status;
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
    }
}
