package io.rulescaler.signal;

import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A node's heartbeat with its vitals: recorded on the node row and inserted into its cluster's session. */
@Path("/api/v1/nodes/{id}/heartbeat")
public class HeartbeatResource {

    private final HeartbeatService service;
    private final SignalRouter router;
    private final CapacityMetrics metrics;
    private final SignalConfig config;
    private final java.time.Clock clock;

    public HeartbeatResource(HeartbeatService service, SignalRouter router, CapacityMetrics metrics, SignalConfig config,
                             java.time.Clock clock) {
        this.service = service;
        this.router = router;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** Body: vitals in percent (cpu, memory) and load average; cluster is needed when id is a node name. */
    public record Vitals(String cluster, String at, Double cpu, Double memory, Double load) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    @Operation(summary = "Heartbeat of a node (id, or name with \"cluster\" in the body) with vitals")
    public Response beat(@PathParam("id") String id, Vitals v) {
        Vitals body = v == null ? new Vitals(null, null, null, null, null) : v;
        check(body.cpu(), "cpu", 0, 100);
        check(body.memory(), "memory", 0, 100);
        check(body.load(), "load", 0, 1_000_000);
        Instant at = body.at() == null ? null : SignalTime.within(AlertIntake.parse(body.at(), "at"), clock.instant(), config, "at");
        HeartbeatService.Beat b = service.record(id, body.cluster(), at);
        Heartbeat hb = new Heartbeat(b.node(), b.cluster(), b.at(), body.cpu(), body.memory(), body.load());
        router.heartbeat(hb);
        metrics.heartbeat();
        return Response.accepted(Map.of("node", b.node(), "cluster", b.cluster(), "at", b.at().toString())).build();
    }

    private static void check(Double x, String field, double min, double max) {
        if (x != null && (x.isNaN() || x < min || x > max)) {
            throw new InvalidInputException(field + " must be between " + (int) min + " and " + (int) max, field);
        }
    }
}
