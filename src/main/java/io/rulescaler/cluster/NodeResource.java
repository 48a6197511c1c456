package io.rulescaler.cluster;

import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
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

    @GET
    @Path("{node}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One node with its history of state changes")
    public NodeView get(@PathParam("name") String cluster, @PathParam("node") String node) {
        return service.get(cluster, node);
    }
}
