package io.rulescaler.capacity.chart;

import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.rulescaler.error.InvalidInputException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The data behind the console's capacity chart, so the page draws it without knowing the tables. */
@Path("/api/v1/clusters/{name}/capacity")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityChartResource {

    private final CapacityChartQuery query;
    private final ClusterService clusters;
    private final Clock clock;

    public CapacityChartResource(CapacityChartQuery query, ClusterService clusters, Clock clock) {
        this.query = query;
        this.clusters = clusters;
        this.clock = clock;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Capacity over a window (1h, 6h, 24h, 7d): desired and active nodes as steps, decisions, alert bands, "
            + "sampled metrics, last vitals per node")
    public CapacityChart chart(@PathParam("name") String name, @QueryParam("window") @DefaultValue("1h") String window) {
        ChartWindow w = ChartWindow.of(window);
        if (w == null) {
            throw new InvalidInputException("window must be one of 1h, 6h, 24h, 7d (got '" + window + "')", "window");
        }
        ClusterSpec spec = clusters.get(name).spec();
        return query.chart(name, w, clock.instant(), spec.size().min(), spec.size().max());
    }
}
