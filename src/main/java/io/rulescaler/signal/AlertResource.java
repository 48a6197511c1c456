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
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Alertmanager webhook: stores the alerts (group commit with concurrent deliveries, see
 * {@link AlertWriter}), answers 200 once they are committed, then hands the new ones to their
 * clusters' sessions (here, or through the inbox to the instance that owns the session, see
 * {@link SignalRouter}). A database failure answers 503 (Alertmanager retries), a malformed body 4xx.
 * Runs on a worker thread, which waits for the commit (its own group's or another thread's).
 */
@Path("/api/v1/alerts/prometheus")
public class AlertResource {

    private final AlertWriter writer;
    private final WebhookLog log;

    public AlertResource(AlertWriter writer, WebhookLog log) {
        this.writer = writer;
        this.log = log;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    @Operation(summary = "Alertmanager webhook (payload version 4); configure http_config.authorization with a webhook token")
    public Map<String, Object> receive(AlertmanagerPayload payload) {
        AlertValidation.validate(payload);
        List<AlertIntake.Received> fresh = writer.store(payload);
        int unmatched = 0;
        for (AlertIntake.Received r : fresh) {
            if (!r.matched()) {
                unmatched++;
            }
        }
        log.delivery(payload, fresh.size(), unmatched);
        return Map.of("received", payload.alerts().size(), "new", fresh.size(),
                "duplicates", payload.alerts().size() - fresh.size(), "unmatched", unmatched);
    }
}
