package io.rulescaler.signal;

import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Status of the PromQL poller's queries: last run, last success, last error, stale or not. */
@Path("/api/v1/signals/poller")
@Produces(MediaType.APPLICATION_JSON)
public class PollerResource {

    private final PromQlPoller poller;

    public PollerResource(PromQlPoller poller) {
        this.poller = poller;
    }

    /** One query's status. */
    public record View(String cluster, String query, Instant lastRun, Instant lastSuccess, String lastError, boolean stale, int lastPoints) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "PromQL poller status per cluster query")
    public List<View> list() {
        return poller.status().stream()
                .map(s -> new View(s.cluster, s.query, s.lastRun, s.lastSuccess, s.lastError, s.stale, s.lastPoints))
                .sorted(Comparator.comparing(View::cluster).thenComparing(View::query)).toList();
    }
}
