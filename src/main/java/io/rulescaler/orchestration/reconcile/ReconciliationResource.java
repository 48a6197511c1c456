package io.rulescaler.orchestration.reconcile;

import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for a cluster's reconciliation with its provider: the last report, and running one now. */
@Path("/api/v1/clusters/{name}/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciler reconciler;

    public ReconciliationResource(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The last reconciliation of the cluster's nodes with its provider: failed, adopted and unknown machines")
    public ReconciliationView last(@PathParam("name") String cluster) {
        return reconciler.last(cluster);
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Reconcile the cluster's nodes with its provider now; unknown machines are reported, never destroyed")
    public ReconciliationView now(@PathParam("name") String cluster) {
        return reconciler.reconcile(cluster);
    }
}
