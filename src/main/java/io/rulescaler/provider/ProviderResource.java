package io.rulescaler.provider;

import io.rulescaler.error.NotFoundException;
import io.rulescaler.error.UnavailableException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What a provider profile reports, with tags: the ground truth for orphans and duplicates. */
@Path("/api/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private final ComputeProviders providers;

    public ProviderResource(ComputeProviders providers) {
        this.providers = providers;
    }

    @GET
    @Path("{profile}/machines")
    @RolesAllowed(Roles.VIEWER)
    public List<Machine> machines(@PathParam("profile") String profile) {
        try {
            return providers.get(profile).list();
        } catch (ProviderException e) {
            throw e.retryable() ? new UnavailableException("Provider unavailable", e.getMessage(), "profile")
                    : new NotFoundException("Provider unavailable", e.getMessage(), "profile");
        }
    }
}
