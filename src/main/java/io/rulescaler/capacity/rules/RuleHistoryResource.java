package io.rulescaler.capacity.rules;

import io.rulescaler.error.InvalidInputException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for the history of DRL uploads, because code put into the service through the API must be traceable. */
@Path("/api/v1/rules/history")
@Produces(MediaType.APPLICATION_JSON)
public class RuleHistoryResource {

    private final RuleUploads uploads;

    public RuleHistoryResource(RuleUploads uploads) {
        this.uploads = uploads;
    }

    @GET
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "DRL files written through the API, newest first: who (token name), file, SHA-256 digest, size, time")
    public List<RuleUploads.Upload> history(@QueryParam("limit") @DefaultValue("100") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1000) {
            throw new InvalidInputException("limit must be a whole number from 1 to 1000", "limit");
        }
        return uploads.history(n);
    }
}
