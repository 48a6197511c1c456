package io.rulescaler.signal;

import io.quarkus.security.identity.SecurityIdentity;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotPermittedException;
import io.rulescaler.security.Roles;
import io.rulescaler.security.TokenIdentityProvider;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A node's heartbeat with its vitals: recorded on the node row and in its vitals history, and
 * inserted into its cluster's session. A {@code node} token may post only its own node's heartbeat.
 */
@Path("/api/v1/nodes/{id}/heartbeat")
public class HeartbeatResource {

    private final HeartbeatService service;
    private final SignalRouter router;
    private final CapacityMetrics metrics;
    private final SecurityIdentity identity;
    private final SignalConfig config;
    private final java.time.Clock clock;

    public HeartbeatResource(HeartbeatService service, SignalRouter router, CapacityMetrics metrics, SecurityIdentity identity,
                             SignalConfig config, java.time.Clock clock) {
        this.service = service;
        this.router = router;
        this.metrics = metrics;
        this.identity = identity;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Body: vitals in percent (cpu, memory, disk) and load average, and the watched units as the agent
     * saw them; cluster is needed when id is a node name.
     */
    public record Vitals(String cluster, String at, Double cpu, Double memory, Double load, Double disk, List<Unit> units) {
    }

    /**
     * One watched unit: its systemd state, restarts so far, the last journal lines when it failed, and
     * systemd's {@code Result} ({@code success}, {@code oom-kill}, {@code timeout}, {@code exit-code}, ...: how
     * it last stopped, so limit kills show).
     */
    public record Unit(String name, String state, Integer restarts, String journal, String result) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.WEBHOOK, Roles.NODE})
    @Operation(summary = "Heartbeat of a node (id, or name with \"cluster\" in the body) with vitals; a node token posts only its own")
    public Response beat(@PathParam("id") String id, Vitals v) {
        if (identity.hasRole(Roles.NODE) && !id.equals(identity.getAttribute(TokenIdentityProvider.NODE_ATTRIBUTE))) {
            throw new NotPermittedException("a node token may post only its own node's heartbeat (node " + identity.getAttribute(TokenIdentityProvider.NODE_ATTRIBUTE) + ")", "id");
        }
        Vitals body = v == null ? new Vitals(null, null, null, null, null, null, null) : v;
        if (identity.hasRole(Roles.NODE) && body.cluster() != null) {
            throw new InvalidInputException("a node token posts by the node's numeric id; leave out \"cluster\"", "cluster");
        }
        check(body.cpu(), "cpu", 0, 100);
        check(body.memory(), "memory", 0, 100);
        check(body.disk(), "disk", 0, 100);
        check(body.load(), "load", 0, 1_000_000);
        List<Unit> units = body.units() == null ? List.of() : body.units();
        if (units.size() > 16) {
            throw new InvalidInputException("at most 16 units per heartbeat", "units");
        }
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u == null || u.name() == null || !u.name().matches("[A-Za-z0-9@._:-]{1,128}")) {
                throw new InvalidInputException("units[" + i + "].name must be a systemd unit name", "units[" + i + "].name");
            }
            if (u.result() != null && !u.result().matches("[a-z-]{1,32}")) {
                throw new InvalidInputException("units[" + i + "].result must be a systemd result like oom-kill", "units[" + i + "].result");
            }
            if (u.restarts() != null && u.restarts() < 0) {
                throw new InvalidInputException("units[" + i + "].restarts must not be negative", "units[" + i + "].restarts");
            }
        }
        Instant at = body.at() == null ? null : SignalTime.within(AlertValidation.parse(body.at(), "at"), clock.instant(), config, "at");
        HeartbeatService.Beat b = service.record(id, body.cluster(), at, body);
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
