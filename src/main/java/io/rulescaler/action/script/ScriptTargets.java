package io.rulescaler.action.script;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
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

    private ScriptTargets() {
    }

    static List<TargetNode> select(TaskContext context) throws ActionException {
        String mode = context.params().getOrDefault("targets", context.node().isPresent() ? "node" : "all");
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

    static Map<String, String> environment(TaskContext context, TargetNode host) throws ActionException {
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
        String root = context.params().getOrDefault("root", "");
        env.put("RS_ROOT", host == null ? root : root.replace("{node}", host.name()));
        env.put("RS_MANAGE_SYSTEM", String.valueOf(!"false".equalsIgnoreCase(context.params().getOrDefault("manageSystem", "true"))));
        var lb = context.cluster().loadBalancer();
        env.put("RS_LB", lb == null || lb.address() == null ? "" : lb.address());
        for (Map.Entry<String, String> param : context.params().entrySet()) {
            if (param.getKey().startsWith("env.")) {
                String name = param.getKey().substring(4);
                if (!name.matches("[A-Z_][A-Z0-9_]{0,63}")) {
                    throw new ActionException("parameter " + param.getKey() + ": variable names are upper case letters, digits and '_'", false);
                }
                env.put(name, param.getValue());
            }
        }
        return env;
    }

    static int intParam(TaskContext context, String name, int fallback, int min, int max) throws ActionException {
        String value = context.params().get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ActionException("parameter " + name + " must be a whole number from " + min + " to " + max + ", was " + value, false);
        }
    }
}
