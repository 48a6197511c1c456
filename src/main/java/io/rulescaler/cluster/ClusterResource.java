package io.rulescaler.cluster;

import io.rulescaler.error.InvalidInputException;
import io.rulescaler.security.Roles;
import io.rulescaler.web.IfMatch;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** REST for cluster specs: CRUD, declarative apply and the paused / dry-run switches. */
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    public static final String YAML = "application/yaml";
    private final ClusterService service;
    private final ClusterSpecParser parser;

    public ClusterResource(ClusterService service, ClusterSpecParser parser) {
        this.service = service;
        this.parser = parser;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List clusters")
    public List<ClusterView> list() {
        return service.list();
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get one cluster; the ETag header carries its version")
    public Response get(@PathParam("name") String name) {
        ClusterView v = service.get(name);
        return Response.ok(v).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(v.version()))).build();
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YAML, "text/yaml"})
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a cluster from a JSON or YAML spec")
    @RequestBody(content = @Content(schema = @Schema(implementation = ClusterSpec.class)))
    public Response create(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, UriInfo uri) {
        ClusterSpec spec = parser.parse(body, isYaml(contentType), "request body");
        ClusterView v = service.create(spec);
        return Response.created(uri.getAbsolutePathBuilder().path(v.name()).build())
                .tag(String.valueOf(v.version())).entity(v).build();
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "text/yaml"})
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Apply a spec (create or replace); If-Match makes it conditional; the answer lists the changes")
    @RequestBody(content = @Content(schema = @Schema(implementation = ClusterSpec.class)))
    public Response apply(@PathParam("name") String name, String body,
                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        OptionalLong expected = IfMatch.parse(ifMatch);
        ClusterSpec spec = parser.parse(body, isYaml(contentType), "request body", name);
        ApplyResult r = service.apply(spec, expected);
        return Response.status(ApplyResult.CREATED.equals(r.outcome()) ? 201 : 200)
                .tag(String.valueOf(r.cluster().version())).entity(r).build();
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a cluster that has no live nodes")
    public Response delete(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        service.delete(name, IfMatch.parse(ifMatch));
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pause: rules keep evaluating, no decision becomes an operation")
    public ApplyResult pause(@PathParam("name") String name) {
        return service.modify(name, OptionalLong.empty(), s -> s.withFlags(true, s.dryRun()));
    }

    @POST
    @Path("{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resume a paused cluster")
    public ApplyResult resume(@PathParam("name") String name) {
        return service.modify(name, OptionalLong.empty(), s -> s.withFlags(false, s.dryRun()));
    }

    @PUT
    @Path("{name}/dry-run")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Turn dry-run on or off: {\"enabled\": true}")
    public ApplyResult dryRun(@PathParam("name") String name, DryRunRequest request) {
        if (request == null || request.enabled() == null) {
            throw new InvalidInputException("send {\"enabled\": true} or {\"enabled\": false}", "enabled");
        }
        return service.modify(name, OptionalLong.empty(), s -> s.withFlags(s.paused(), request.enabled()));
    }

    /** Body of the dry-run switch. */
    public record DryRunRequest(Boolean enabled) {
    }

    static boolean isYaml(String contentType) {
        return contentType != null && contentType.toLowerCase().contains("yaml");
    }

}
