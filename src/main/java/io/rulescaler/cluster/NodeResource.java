package io.rulescaler.cluster;

import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.rulescaler.error.InvalidInputException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for the nodes of a cluster and their state history. */
@Path("/api/v1/clusters/{name}/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    private final NodeService service;

    public NodeResource(NodeService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List a cluster's nodes with their lifecycle state")
    public List<NodeView> list(@PathParam("name") String cluster) {
        return service.list(cluster);
    }

    /** Body of PUT …/protection. */
    public record Protection(@com.fasterxml.jackson.annotation.JsonProperty("protected") Boolean on, String reason) {
    }

    @PUT
    @Path("{node}/protection")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Protect a node from scale-in, or lift its protection ({\"protected\": true, \"reason\": \"...\"})")
    public NodeView protect(@PathParam("name") String cluster, @PathParam("node") String node, Protection body) {
        if (body == null || body.on() == null) {
            throw new InvalidInputException("send {\"protected\": true|false, \"reason\": \"...\"}", "protected");
        }
        if (body.reason() != null && body.reason().length() > 1000) {
            throw new InvalidInputException("reason must be at most 1000 characters", "reason");
        }
        return service.protect(cluster, node, body.on(), body.reason());
    }

    @GET
    @Path("{node}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One node with its history of state changes")
    public NodeView get(@PathParam("name") String cluster, @PathParam("node") String node) {
        return service.get(cluster, node);
    }
}
