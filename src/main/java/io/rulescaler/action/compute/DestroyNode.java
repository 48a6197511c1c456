package io.rulescaler.action.compute;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext;
import io.rulescaler.provider.ComputeProvider;
import io.rulescaler.provider.ComputeProviders;
import io.rulescaler.provider.Machine;
import io.rulescaler.provider.ProviderException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Destroys every machine of a node: the one the node record names and any machine tagged for the
 * node (so a duplicate left by a crash is cleaned too). Retry-safe: nothing left is success.
 */
@ApplicationScoped
public class DestroyNode implements Action {

    /** None: the node record and the machines' tags say what to destroy. */
    public static final List<ActionParameter> PARAMETERS = List.of();

    private final ComputeProviders providers;

    public DestroyNode(ComputeProviders providers) {
        this.providers = providers;
    }

    @Override
    public String type() {
        return "DestroyNode";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        try {
            return destroy(ctx);
        } catch (ProviderException e) {
            throw ActionException.of(e);
        }
    }

    private ActionResult destroy(TaskContext ctx) throws ActionException, ProviderException {
        TaskContext.TargetNode node = ctx.node().orElseThrow(() ->
                new ActionException("DestroyNode is node-scoped; set 'scope: node' on the step", false));
        ComputeProvider provider = providers.get(ctx.cluster().profileOr(node.profile()));
        int destroyed = 0;
        if (node.providerId() != null) {
            ctx.log().line("destroying machine " + node.providerId() + " of node " + node.name());
            provider.destroy(node.providerId());
            destroyed++;
        }
        for (int i = 0; i < 10; i++) {
            Optional<Machine> tagged = TaggedMachines.find(provider, ctx.cluster().name(), node);
            if (tagged.isEmpty()) {
                return ActionResult.ok(destroyed == 0 ? "no machine existed for " + node.name() : "destroyed " + destroyed + " machine(s)");
            }
            ctx.log().line("destroying machine " + tagged.get().providerId() + " tagged for node " + node.name());
            provider.destroy(tagged.get().providerId());
            destroyed++;
        }
        throw new ActionException("machines tagged for node " + node.name() + " keep appearing; check the provider", true);
    }
}
