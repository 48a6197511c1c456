package io.rulescaler.action.compute;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionOutputs;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.ComputeProvider;
import io.rulescaler.provider.ComputeProviders;
import io.rulescaler.provider.Machine;
import io.rulescaler.provider.ProviderException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the machine of a node through the cluster's compute provider profile (any jclouds
 * provider, named DeployEC2Node after the original tool). Retry-safe: the machine is tagged with
 * the node, operation and task ids, and a machine already tagged for the node is adopted.
 */
@ApplicationScoped
public class DeployEC2Node implements Action {

    /** None: the machine comes from the cluster's node template and provider profile. */
    public static final List<ActionParameter> PARAMETERS = List.of();

    private final ComputeProviders providers;

    public DeployEC2Node(ComputeProviders providers) {
        this.providers = providers;
    }

    @Override
    public String type() {
        return "DeployEC2Node";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        try {
            return deploy(ctx);
        } catch (ProviderException e) {
            throw ActionException.of(e);
        }
    }

    private ActionResult deploy(TaskContext ctx) throws ActionException, ProviderException {
        TaskContext.TargetNode node = ctx.node().orElseThrow(() ->
                new ActionException("DeployEC2Node is node-scoped; set 'scope: node' on the step", false));
        String profile = ctx.cluster().profileOr(node.profile());
        ClusterSpec.NodeTemplate template = ctx.cluster().templateFor(profile);
        ComputeProvider provider = providers.get(profile);
        Optional<Machine> existing = TaggedMachines.find(provider, ctx.cluster().name(), node);
        Machine m;
        if (existing.isPresent()) {
            m = existing.get();
            ctx.log().line("adopted machine " + m.providerId() + " (" + m.name() + ") already tagged for node "
                    + node.name() + " by operation " + m.tags().get(Machine.TAG_OPERATION) + " task "
                    + m.tags().get(Machine.TAG_TASK) + "; not creating a second one");
        } else {
            Map<String, String> tags = new LinkedHashMap<>();
            if (template != null && template.tags() != null) {
                tags.putAll(template.tags());
            }
            tags.put(Machine.TAG_CLUSTER, ctx.cluster().name());
            tags.put(Machine.TAG_NODE, node.name());
            tags.put(Machine.TAG_NODE_ID, Long.toString(node.id()));
            tags.put(Machine.TAG_OPERATION, Long.toString(ctx.operationId()));
            tags.put(Machine.TAG_TASK, Long.toString(ctx.taskId()));
            if (node.zone() != null) {
                tags.put(Machine.TAG_ZONE, node.zone());
            }
            ctx.log().line("creating machine " + node.name() + " on profile " + provider.profile()
                    + (node.zone() == null ? "" : " in zone " + node.zone()));
            m = provider.create(ctx.cluster().name(), node.name(), node.zone(), template, tags);
            ctx.log().line("created machine " + m.providerId() + " address " + m.address() + " status " + m.status());
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ActionOutputs.NODE_PROVIDER_ID, m.providerId());
        if (m.address() != null) {
            out.put(ActionOutputs.NODE_ADDRESS, m.address());
        }
        return ActionResult.ok((existing.isPresent() ? "adopted " : "created ") + m.providerId(), out);
    }
}
