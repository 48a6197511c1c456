package io.rulescaler.signal;

import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Alertmanager webhook: stores the alerts (group commit with concurrent deliveries, see
 * {@link AlertWriter}), answers 200 once they are committed, then hands the new ones to their
 * clusters' sessions (here, or through the inbox to the instance that owns the session, see
 * {@link SignalRouter}). A database failure answers 503 (Alertmanager retries), a malformed body 4xx.
 * Non-blocking: the request waits for the commit without holding a thread.
 */
@Path("/api/v1/alerts/prometheus")
public class AlertResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AlertResource.class);

    private final AlertWriter writer;

    public AlertResource(AlertWriter writer) {
        this.writer = writer;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    @Operation(summary = "Alertmanager webhook (payload version 4); configure http_config.authorization with a webhook token")
    public CompletionStage<Map<String, Object>> receive(AlertmanagerPayload payload) {
        AlertIntake.validate(payload);
        return writer.store(payload).thenApply(fresh -> handOver(payload, fresh));
    }

    private Map<String, Object> handOver(AlertmanagerPayload payload, List<AlertIntake.Received> fresh) {
        int unmatched = 0;
        for (AlertIntake.Received r : fresh) {
            if (!r.matched()) {
                unmatched++;
            }
        }
        LOG.infof("alertmanager webhook receiver=%s status=%s alerts=%d new=%d duplicates=%d unmatched=%d",
                payload.receiver(), payload.status(), payload.alerts().size(), fresh.size(),
                payload.alerts().size() - fresh.size(), unmatched);
        return Map.of("received", payload.alerts().size(), "new", fresh.size(),
                "duplicates", payload.alerts().size() - fresh.size(), "unmatched", unmatched);
    }
}
