package io.rulescaler.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Token management for admins; a new token's secret is shown only in the create response. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Body of a token request. */
    public record NewToken(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,128}", message = "must be 1-128 letters, digits, '.', '_' or '-'") String name,
            @NotNull @Pattern(regexp = "viewer|operator|admin|webhook", message = "must be viewer, operator, admin or webhook") String role) {
    }

    @GET
    @Operation(summary = "List tokens (names and roles, never secrets)")
    public List<TokenService.TokenView> list() {
        return tokens.views();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a token; the secret appears only in this response")
    public Response issue(@Valid @NotNull NewToken request) {
        return Response.status(201).entity(tokens.issue(request.name(), request.role())).build();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Revoke a token")
    public Response revoke(@PathParam("name") String name) {
        tokens.revoke(name);
        return Response.noContent().build();
    }
}
