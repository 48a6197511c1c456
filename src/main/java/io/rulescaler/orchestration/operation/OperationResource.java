package io.rulescaler.orchestration.operation;

import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotPermittedException;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Operations over REST: list, show with progress (tasks and node lines a page at a time), task logs, start (scale, replace, teardown), cancel. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationResource {

    private final OperationService service;

    public OperationResource(OperationService service) {
        this.service = service;
    }

    /** Body of POST /api/v1/operations. */
    public record StartRequest(String cluster, String type, Integer targetSize, String node, String reason) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<OperationView> list(@QueryParam("cluster") String cluster, @QueryParam("state") String state,
                                    @QueryParam("limit") @DefaultValue("100") int limit) {
        return service.list(cluster, state, limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    public OperationView get(@PathParam("id") long id, @QueryParam("offset") @DefaultValue("0") int offset,
                             @QueryParam("limit") @DefaultValue("" + OperationViews.DEFAULT_PAGE) int limit) {
        return service.get(id, true, offset, limit);
    }

    @GET
    @Path("{id}/tasks/{task}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    public String log(@PathParam("id") long id, @PathParam("task") long task) {
        return service.log(id, task);
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    public Response cancel(@PathParam("id") long id, @Context SecurityContext sec) {
        return Response.accepted(service.cancel(id, sec.getUserPrincipal().getName())).build();
    }

    /**
     * Starts work on a cluster: {@code type=scale} with {@code targetSize} (admins only: bounds are
     * checked but the guard is skipped; queued as a scale request; 202 with its outcome), {@code type=replace} with {@code node}, or {@code type=teardown} (201).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Response start(StartRequest body, @Context SecurityContext sec, @Context UriInfo uri) {
        if (body == null || body.cluster() == null || body.cluster().isBlank()) {
            throw new InvalidInputException("cluster is required", "cluster");
        }
        String by = sec.getUserPrincipal().getName();
        String type = body.type() == null ? "" : body.type();
        switch (type) {
            case "scale" -> {
                // the direct route skips the guard (cooldowns, step, stabilisation) like force does:
                // admins only; operators scale through POST /api/v1/clusters/{name}/scale
                if (!sec.isUserInRole(Roles.ADMIN)) {
                    throw new NotPermittedException("type=scale skips the guard and needs an admin token; "
                            + "operators scale with POST /api/v1/clusters/" + body.cluster() + "/scale", "type");
                }
                if (body.targetSize() == null || body.targetSize() < 0) {
                    throw new InvalidInputException("targetSize (0 or more) is required for type=scale", "targetSize");
                }
                return Response.accepted(service.requestScale(body.cluster(), body.targetSize(), body.reason(), by)).build();
            }
            case "replace", "teardown" -> {
                OperationView op = service.start(body.cluster(), "replace".equals(type) ? Kind.REPLACE : Kind.TEARDOWN,
                        body.node(), body.reason(), by);
                return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(op.id())).build()).entity(op).build();
            }
            default -> throw new InvalidInputException("type must be one of scale, replace, teardown", "type");
        }
    }
}
