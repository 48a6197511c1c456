package io.rulescaler.capacity;

import io.quarkus.security.identity.SecurityIdentity;
import io.rulescaler.capacity.decision.DecisionService;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.handoff.HealthReports;
import io.rulescaler.error.GuardRefusedException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotPermittedException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for a cluster's decisions: the audit trail, "why" in words, and manual scaling through the guard. */
@Path("/api/v1/clusters/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

    private final DecisionService decisions;
    private final ClusterSessions sessions;
    private final ClusterService clusters;
    private final SecurityIdentity identity;
    private final HealthReports health;

    public CapacityResource(DecisionService decisions, ClusterSessions sessions, ClusterService clusters, SecurityIdentity identity,
                            HealthReports health) {
        this.decisions = decisions;
        this.sessions = sessions;
        this.clusters = clusters;
        this.identity = identity;
        this.health = health;
    }

    @GET
    @Path("decisions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Decisions of a cluster, newest first; from/to (ISO-8601) filter by time, page/size page")
    public List<DecisionView> list(@PathParam("name") String name, @QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        clusters.get(name);
        if (page < 0) {
            throw new InvalidInputException("page must be 0 or more", "page");
        }
        if (size < 1 || size > 500) {
            throw new InvalidInputException("size must be between 1 and 500", "size");
        }
        return decisions.list(name, instant(from, "from"), instant(to, "to"), page, size);
    }

    @GET
    @Path("why")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The last evaluation of the cluster's rules in words, including why nothing happened, and the "
            + "latest round of its health checks (probes per node, unhealthy nodes, replacement caps, why replacing stopped)")
    public Why why(@PathParam("name") String name) {
        return sessions.why(name).withHealth(health.latest(name).orElse(null));
    }

    @POST
    @Path("scale")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Scale by hand: {target|delta, reason, force}; through the guard; force (admin) skips cooldowns, never min/max")
    public Response scale(@PathParam("name") String name, ScaleRequest body) {
        if (body == null) {
            throw new InvalidInputException("send {\"target\": 5, \"reason\": \"...\"} or {\"delta\": -1, \"reason\": \"...\"}", null);
        }
        if ((body.target() == null) == (body.delta() == null)) {
            throw new InvalidInputException("give exactly one of target and delta", body.target() == null ? "target" : "delta");
        }
        if (body.target() != null && (body.target() < 0 || body.target() > 10_000)) {
            throw new InvalidInputException("target must be between 0 and 10000", "target");
        }
        if (body.delta() != null && (body.delta() == 0 || Math.abs(body.delta()) > 10_000)) {
            throw new InvalidInputException("delta must be a non-zero change of at most 10000 nodes", "delta");
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 1000) {
            throw new InvalidInputException("say why in 1-1000 characters", "reason");
        }
        boolean force = Boolean.TRUE.equals(body.force());
        if (force && !identity.hasRole(Roles.ADMIN)) {
            throw new NotPermittedException("force needs an admin token", "force");
        }
        DecisionView d = decisions.manual(name, body.target(), body.delta(), body.reason(), force, identity.getPrincipal().getName());
        if ("refused".equals(d.verdict())) {
            throw new GuardRefusedException(d.why(), d);
        }
        return Response.status(d.scaleRequestId() != null ? 202 : 200).entity(d).build();
    }

    /** Body of a manual scale call. */
    public record ScaleRequest(Integer target, Integer delta, String reason, Boolean force) {
    }

    private static Instant instant(String s, String field) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + " must be an ISO-8601 instant like 2026-01-05T08:00:00Z", field);
        }
    }
}
