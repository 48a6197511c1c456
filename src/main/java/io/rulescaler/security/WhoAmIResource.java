package io.rulescaler.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Tells a caller which token it holds and what it may do, so the console can hide what the role may not do. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    private final SecurityIdentity identity;

    public WhoAmIResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The token's name, its role and the roles that role implies. */
    public record Me(String name, String role, List<String> roles) {
    }

    @GET
    @Authenticated
    @Operation(summary = "The calling token's name, role and implied roles")
    public Me me() {
        String role = identity.getAttribute("token.role");
        List<String> roles = Roles.ALL.stream().filter(identity::hasRole).toList();
        return new Me(identity.getPrincipal().getName(), role, roles);
    }
}
