package io.rulescaler.bench;

import io.rulescaler.security.Roles;
import io.rulescaler.signal.AlertValidation;
import io.rulescaler.signal.AlertmanagerPayload;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Test-only baseline for the webhook benchmark: the same auth, JSON parsing and checks, no storage, no rules. */
@Path("/bench/bare-webhook")
public class BareWebhookResource {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    public Map<String, Object> receive(AlertmanagerPayload payload) {
        AlertValidation.validate(payload);
        return Map.of("received", payload.alerts().size());
    }
}
