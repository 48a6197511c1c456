package io.rulescaler.cluster.deployable;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterView;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Shows the deployable types in force, the clusters that use each and the errors of the last load. */
@Path("/api/v1/deployables")
@Produces(MediaType.APPLICATION_JSON)
public class DeployableResource {

    private final DeployableCatalog catalog;
    private final ClusterService clusters;

    public DeployableResource(DeployableCatalog catalog, ClusterService clusters) {
        this.catalog = catalog;
        this.clusters = clusters;
    }

    /** One deployable: its file, profiles, defaults, users and problems; {@code variants} only when asked for by name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeployableView(String name, String file, String description, List<String> profiles,
                                 Map<String, String> parameters, ClusterSpec.Chains chains, List<String> clusters,
                                 List<DeployableCatalog.LoadError> errors, Map<String, ClusterSpec.NodeTemplate> variants) {
    }

    /** Every deployable in force, the folder they come from and every file that failed to load. */
    public record Catalog(String directory, List<DeployableView> deployables, List<DeployableCatalog.LoadError> errors) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List deployable types with the clusters that use each and the errors of the last load")
    public Catalog list() {
        List<ClusterView> all = clusters.list();
        return new Catalog(catalog.directory().toString(),
                catalog.all().values().stream().map(e -> view(e, all, false)).toList(), catalog.errors());
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One deployable type with its variant per provider profile")
    public DeployableView get(@PathParam("name") String name) {
        DeployableCatalog.Entry e = catalog.find(name).orElseThrow(() -> new NotFoundException("no deployable '" + name
                + "' in " + catalog.directory() + " (known: " + catalog.names() + ")", null));
        return view(e, clusters.list(), true);
    }

    @POST
    @Path("reload")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Read the deployables folder again now (it is also looked at every few seconds)")
    public DeployableCatalog.LoadReport reload() {
        return catalog.reload();
    }

    private DeployableView view(DeployableCatalog.Entry e, List<ClusterView> all, boolean withVariants) {
        Deployable d = e.deployable();
        List<String> users = all.stream().filter(c -> d.name().equals(c.spec().deployable())).map(ClusterView::name).toList();
        List<DeployableCatalog.LoadError> problems = catalog.errors().stream().filter(x -> x.file().equals(e.file())).toList();
        return new DeployableView(d.name(), e.file(), d.description(), List.copyOf(new java.util.TreeSet<>(d.profiles().keySet())),
                d.parametersOrEmpty(), d.chains(), users, problems, withVariants ? d.profiles() : null);
    }
}
