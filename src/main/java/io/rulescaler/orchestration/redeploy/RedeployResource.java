package io.rulescaler.orchestration.redeploy;

import io.rulescaler.error.InvalidInputException;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for rolling redeploys of a cluster: start one, list them with their state. */
@Path("/api/v1/clusters/{name}/redeploy")
@Produces(MediaType.APPLICATION_JSON)
public class RedeployResource {

    private final RedeployService service;

    public RedeployResource(RedeployService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Roll new parameters out batch by batch: {parameters?, strategy: in-place|replace, batchSize | "
            + "batchPercent, maxUnavailable, healthGateSeconds, onFailure: rollback|pause, reason}; 202 with the redeploy and its "
            + "operation id; 409 while an operation or redeploy runs")
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = RedeployInput.class)))
    public Response start(@PathParam("name") String name, String body, @Context SecurityContext sec) {
        RedeployView r = service.start(name, RedeployInput.parse(body), sec.getUserPrincipal().getName());
        return Response.accepted(r).location(URI.create("/api/v1/operations/" + r.operationId())).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The cluster's redeploys, newest first: state (running, succeeded, rolling-back, rolled-back, paused, "
            + "rollback-failed), spec versions, parameters before and after, operations")
    public List<RedeployView> list(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be between 1 and 500", "limit");
        }
        return service.list(name, limit);
    }
}
