package io.rulescaler.capacity;

import io.quarkus.security.identity.SecurityIdentity;
import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.ChainRunService.RunView;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.error.GuardRefusedException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** REST for running any chain by hand through the chain guard, and for listing a chain's runs. */
@Path("/api/v1/clusters/{name}/chains/{chain}/runs")
@Produces(MediaType.APPLICATION_JSON)
public class ChainRunResource {

    private final ChainRunService runs;
    private final ClusterService clusters;
    private final SecurityIdentity identity;

    public ChainRunResource(ChainRunService runs, ClusterService clusters, SecurityIdentity identity) {
        this.runs = runs;
        this.clusters = clusters;
        this.identity = identity;
    }

    /** Body of a manual chain run. */
    public record RunRequest(String node, Map<String, String> parameters, String reason) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Run a chain by hand: {node?, parameters?, reason}; the chain must allow 'manual'; same guard as rules "
            + "(cooldown, one run per chain and node, active node, dry run); 202 with the run, 409 with the refusal")
    public Response start(@PathParam("name") String name, @PathParam("chain") String chain, RunRequest body) {
        if (body == null) {
            throw new InvalidInputException("send {\"reason\": \"...\"} and optionally \"node\" and \"parameters\"", null);
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 1000) {
            throw new InvalidInputException("say why in 1-1000 characters", "reason");
        }
        if (body.node() != null && (body.node().isBlank() || body.node().length() > 128)) {
            throw new InvalidInputException("node is the name of one of the cluster's nodes (1-128 characters)", "node");
        }
        Map<String, String> params = body.parameters() == null ? Map.of() : body.parameters();
        if (params.size() > 64) {
            throw new InvalidInputException("at most 64 parameters", "parameters");
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().matches(ClusterSpec.PARAMETER_PATTERN)) {
                throw new InvalidInputException("parameter name '" + e.getKey() + "' must be 1-128 letters, digits, '.', '_' "
                        + "or '-', starting with a letter", "parameters." + e.getKey());
            }
            if (e.getValue() == null || e.getValue().length() > 16_384) {
                throw new InvalidInputException("parameter '" + e.getKey() + "' needs a value of at most 16384 characters",
                        "parameters." + e.getKey());
            }
        }
        clusters.get(name);
        RunView run = runs.manual(name, chain, body.node(), params, body.reason(), identity.getPrincipal().getName());
        if ("refused".equals(run.verdict())) {
            throw new GuardRefusedException(run.why(), run);
        }
        return Response.status(202).location(URI.create("/api/v1/clusters/" + name + "/chains/" + chain + "/runs"))
                .entity(run).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Runs of the chain for this cluster, newest first: who asked, the guard's verdict and why, "
            + "the operation it became and how that ended; chain '*' lists the runs of every chain")
    public List<RunView> list(@PathParam("name") String name, @PathParam("chain") String chain,
                              @QueryParam("limit") @DefaultValue("50") int limit) {
        clusters.get(name);
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be between 1 and 500", "limit");
        }
        return runs.list(name, "*".equals(chain) ? null : chain, limit);
    }
}
