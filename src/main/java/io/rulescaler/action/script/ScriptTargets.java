package io.rulescaler.action.script;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.NodeTargets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which nodes a script step runs on ({@code targets}: {@code node}, {@code peers} or {@code all}) and the
 * environment every script gets: {@code RS_CLUSTER, RS_NODE, RS_NODE_INDEX, RS_ZONE, RS_ADDRESS, RS_MEMBERS,
 * RS_PEERS, RS_ROOT, RS_MANAGE_SYSTEM, RS_LB} plus each {@code env.NAME} step parameter as {@code NAME}.
 * A {@code {node}} in the {@code root} parameter becomes the node's name (several nodes on one machine).
 */
final class ScriptTargets {

    static final ActionParameter TARGETS = ActionParameter.string("targets",
            "where the step runs (default: node in a node-scoped step, else all)").oneOf("node", "peers", "all");
    static final ActionParameter ENV = ActionParameter.map("env", "[A-Z_][A-Z0-9_]{0,63}",
            "env.NAME: value is passed as the variable NAME");

    private ScriptTargets() {
    }

    static List<TargetNode> select(TaskContext context, StepParams params) throws ActionException {
        String mode = params.text("targets").orElse(context.node().isPresent() ? "node" : "all");
        List<TargetNode> nodes = new ArrayList<>();
        switch (mode) {
            case "node" -> nodes.add(NodeTargets.requireNode(context, "targets=node"));
            case "peers" -> nodes.addAll(context.peers());
            case "all" -> {
                context.node().ifPresent(nodes::add);
                nodes.addAll(context.peers());
            }
            default -> throw new ActionException("parameter targets must be node, peers or all, was " + mode, false);
        }
        return nodes;
    }

    /** Every live node of the cluster as the task sees it: its node (if any) and the peers. */
    static List<TargetNode> members(TaskContext context) {
        List<TargetNode> all = new ArrayList<>();
        context.node().ifPresent(all::add);
        all.addAll(context.peers());
        return all;
    }

    static Map<String, String> environment(TaskContext context, TargetNode host, StepParams params) throws ActionException {
        List<TargetNode> members = members(context);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RS_CLUSTER", context.cluster().name());
        env.put("RS_MEMBERS", members.stream().map(NodeTargets::host).collect(Collectors.joining(",")));
        env.put("RS_MEMBER_NAMES", members.stream().map(TargetNode::name).collect(Collectors.joining(",")));
        if (host != null) {
            env.put("RS_NODE", host.name());
            env.put("RS_NODE_INDEX", String.valueOf(host.index()));
            env.put("RS_ZONE", host.zone() == null ? "" : host.zone());
            env.put("RS_ADDRESS", NodeTargets.host(host));
            env.put("RS_PEERS", members.stream().filter(n -> n.id() != host.id()).map(NodeTargets::host)
                    .collect(Collectors.joining(",")));
        }
        String root = params.text("root").orElse("");
        env.put("RS_ROOT", host == null ? root : root.replace("{node}", host.name()));
        env.put("RS_MANAGE_SYSTEM", String.valueOf(params.bool("manageSystem")));
        var lb = context.cluster().loadBalancer();
        env.put("RS_LB", lb == null || lb.address() == null ? "" : lb.address());
        env.putAll(params.map("env"));
        return env;
    }
}
