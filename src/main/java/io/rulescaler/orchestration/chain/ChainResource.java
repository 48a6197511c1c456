package io.rulescaler.orchestration.chain;

import io.rulescaler.action.ActionRegistry;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/** Shows the chains in force, which actions each lacks in this build, and the errors of the last load. */
@Path("/api/v1/chains")
@Produces(MediaType.APPLICATION_JSON)
public class ChainResource {

    private final ChainCatalog catalog;
    private final ActionRegistry actions;

    public ChainResource(ChainCatalog catalog, ActionRegistry actions) {
        this.catalog = catalog;
        this.actions = actions;
    }

    /** A chain with the actions this build cannot run. */
    public record ChainView(String name, String file, String description, int steps, Set<String> unavailableActions) {
    }

    /** All chains, available actions and chain-file errors. */
    public record Catalog(List<ChainView> chains, Set<String> availableActions, List<ChainError> errors) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Catalog list() {
        return new Catalog(catalog.all().values().stream().map(c -> new ChainView(c.name(), c.file(), c.description(),
                c.steps().size(), actions.missing(c.actionTypes()))).toList(), actions.available(), catalog.errors());
    }

    @POST
    @Path("reload")
    @RolesAllowed(Roles.ADMIN)
    public ChainCatalog.LoadReport reload() {
        return catalog.reload();
    }
}
