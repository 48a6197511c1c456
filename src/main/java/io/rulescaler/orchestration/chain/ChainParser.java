package io.rulescaler.orchestration.chain;

import io.rulescaler.action.ActionParameter;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.format.SafeYaml;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one chain file into a {@link Chain}, collecting every problem with its line and field
 * rather than stopping at the first, because a person fixes a file in one pass. Each step is
 * checked against the action it names: the action must exist and its params must fit what the
 * action declares ({@link StepParamsCheck}).
 */
public final class ChainParser {

    /** Variables a parameter may use; {@code outputs.*} names outputs of earlier steps. */
    public static final Set<String> CLUSTER_VARIABLES = Set.of("cluster.name", "cluster.provider", "cluster.dnsBaseName",
            "cluster.targetSize", "cluster.previousSize", "operation.id", "operation.kind", "operation.reason",
            "task.id", "step.name");
    public static final Set<String> NODE_VARIABLES = Set.of("node.id", "node.name", "node.zone", "node.index",
            "node.address", "node.providerId");
    public static final Pattern VARIABLE_PATTERN = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern STEP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Set<String> STEP_KEYS = Set.of("name", "action", "scope", "nodes", "params", "timeout", "retry",
            "undo", "on-failure", "parallelism", "node-state");
    private static final Set<String> TRIGGERS = Set.of("rule", "manual", "scale");
    private static final Set<String> UNDO_KEYS = Set.of("action", "params", "timeout", "node-state");

    private final String file;
    private final Map<String, List<ActionParameter>> actions;
    private final List<ChainError> errors = new ArrayList<>();

    private ChainParser(String file, Map<String, List<ActionParameter>> actions) {
        this.file = file;
        this.actions = actions;
    }

    /** The outcome: a chain when {@code errors} is empty. */
    public record Result(Chain chain, List<ChainError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Parses {@code content}; {@code defaultName} (the file name without .yaml) names the chain unless it says
     * otherwise; {@code actions} are the action types that exist, each with the parameters it declares.
     */
    public static Result parse(String file, String defaultName, String content, Map<String, List<ActionParameter>> actions) {
        ChainParser p = new ChainParser(file, actions);
        Chain chain = p.read(defaultName, content);
        List<ChainError> sorted = p.errors.stream().sorted(java.util.Comparator.comparingInt(ChainError::line)).toList();
        return new Result(p.errors.isEmpty() ? chain : null, sorted);
    }

    private Chain read(String defaultName, String content) {
        Node root;
        try {
            root = new Yaml(SafeYaml.loaderOptions()).compose(new StringReader(content));
        } catch (RuntimeException e) {
            int line = e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null
                    ? m.getProblemMark().getLine() + 1 : 1;
            error(line, "(file)", "not valid YAML: " + firstLine(e.getMessage()));
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            error(1, "(file)", "a chain file is a mapping with 'steps' (and optionally 'name', 'description')");
            return null;
        }
        Map<String, NodeTuple> top = entries(map, "", Set.of("name", "description", "steps", "triggers", "cooldown"));
        String name = scalar(top, "name", "", defaultName);
        if (!STEP_NAME.matcher(name).matches()) {
            error(line(top.get("name"), map), "name", "must be 1-64 lowercase letters, digits or '-'");
        }
        String description = scalar(top, "description", "", null);
        Set<String> triggers = triggers(top.get("triggers"));
        long cooldown = top.containsKey("cooldown") ? millis(top, "cooldown", "", 0) / 1000 : Chain.DEFAULT_COOLDOWN_SECONDS;
        NodeTuple stepsTuple = top.get("steps");
        List<Chain.Step> steps = new ArrayList<>();
        if (stepsTuple == null || !(stepsTuple.getValueNode() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            error(stepsTuple == null ? 1 : line(stepsTuple), "steps", "a chain needs a non-empty list of steps");
        } else {
            Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Chain.Step s = step(seq.getValue().get(i), "steps[" + i + "]");
                if (s != null) {
                    if (!names.add(s.name())) {
                        error(seq.getValue().get(i).getStartMark().getLine() + 1, "steps[" + i + "].name",
                                "step name '" + s.name() + "' is used twice");
                    }
                    steps.add(s);
                }
            }
        }
        return new Chain(name, description, file, List.copyOf(steps), triggers, cooldown);
    }

    /** {@code triggers: [rule, manual, scale]}; manual and scale when absent ({@link Chain#DEFAULT_TRIGGERS}). */
    private Set<String> triggers(NodeTuple t) {
        if (t == null) {
            return Chain.DEFAULT_TRIGGERS;
        }
        if (!(t.getValueNode() instanceof SequenceNode seq)) {
            error(line(t), "triggers", "triggers is a list of rule, manual and scale, e.g. [rule, manual]");
            return Chain.DEFAULT_TRIGGERS;
        }
        Set<String> out = new java.util.TreeSet<>();
        for (Node n : seq.getValue()) {
            String v = n instanceof ScalarNode s ? s.getValue() : "?";
            if (!TRIGGERS.contains(v)) {
                error(n.getStartMark().getLine() + 1, "triggers", "'" + v + "' is not one of rule, manual, scale");
            } else {
                out.add(v);
            }
        }
        return Set.copyOf(out);
    }

    private Chain.Step step(Node node, String path) {
        if (!(node instanceof MappingNode map)) {
            error(node.getStartMark().getLine() + 1, path, "a step is a mapping with at least 'name' and 'action'");
            return null;
        }
        Map<String, NodeTuple> e = entries(map, path + ".", STEP_KEYS);
        String name = scalar(e, "name", path + ".", null);
        if (name == null) {
            error(line(null, map), path + ".name", "is required");
            name = "?";
        } else if (!STEP_NAME.matcher(name).matches()) {
            error(line(e.get("name")), path + ".name", "must be 1-64 lowercase letters, digits or '-'");
        }
        String action = action(e, path + ".", map);
        Chain.Scope scope = enumValue(e, "scope", path + ".", Chain.Scope.class, Chain.Scope.NODE);
        Chain.NodeFilter nodes = enumValue(e, "nodes", path + ".", Chain.NodeFilter.class, Chain.NodeFilter.ALL);
        Map<String, String> params = params(e.get("params"), path + ".params", scope);
        checkParams(action, e.get("params"), line(e.get("action"), map), path + ".params");
        long timeout = seconds(e, "timeout", path + ".", 300);
        Chain.Retry retry = retry(e.get("retry"), path + ".retry");
        Chain.OnFailure onFailure = enumValue(e, "on-failure", path + ".", Chain.OnFailure.class, Chain.OnFailure.ROLLBACK);
        int parallelism = integer(e, "parallelism", path + ".", 0, 0, 10_000);
        String[] states = nodeStates(e.get("node-state"), path + ".node-state", scope);
        Chain.Undo undo = null;
        NodeTuple u = e.get("undo");
        if (u != null) {
            if (u.getValueNode() instanceof MappingNode um) {
                Map<String, NodeTuple> ue = entries(um, path + ".undo.", UNDO_KEYS);
                String undoAction = action(ue, path + ".undo.", um);
                checkParams(undoAction, ue.get("params"), line(ue.get("action"), um), path + ".undo.params");
                String[] undoStates = nodeStates(ue.get("node-state"), path + ".undo.node-state", scope);
                undo = new Chain.Undo(undoAction, params(ue.get("params"), path + ".undo.params", scope),
                        seconds(ue, "timeout", path + ".undo.", timeout), undoStates[0], undoStates[1]);
            } else {
                error(line(u), path + ".undo", "undo is a mapping with 'action' (and optionally 'params', 'timeout')");
            }
        }
        return new Chain.Step(name, action, scope, nodes, params, timeout, retry, undo, onFailure, parallelism,
                states[0], states[1]);
    }

    private String action(Map<String, NodeTuple> e, String prefix, MappingNode map) {
        String action = scalar(e, "action", prefix, null);
        if (action == null) {
            error(line(null, map), prefix + "action", "is required");
            return "?";
        }
        if (!actions.containsKey(action)) {
            error(line(e.get("action")), prefix + "action", "unknown action '" + action + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(actions.keySet())) + ")");
        }
        return action;
    }

    private void checkParams(String action, NodeTuple params, int actionLine, String path) {
        List<ActionParameter> declared = actions.get(action);
        if (declared != null) {
            errors.addAll(StepParamsCheck.check(file, action, declared, params, actionLine, path));
        }
    }

    private String[] nodeStates(NodeTuple t, String path, Chain.Scope scope) {
        if (t == null) {
            return new String[] {null, null};
        }
        if (!(t.getValueNode() instanceof MappingNode m)) {
            error(line(t), path, "node-state is a mapping with 'start' and/or 'success'");
            return new String[] {null, null};
        }
        if (scope != Chain.Scope.NODE) {
            error(line(t), path, "only node-scoped steps can change node state");
        }
        Map<String, NodeTuple> e = entries(m, path + ".", Set.of("start", "success"));
        return new String[] {nodeState(e, "start", path), nodeState(e, "success", path)};
    }

    private String nodeState(Map<String, NodeTuple> e, String key, String path) {
        String v = scalar(e, key, path + ".", null);
        if (v == null) {
            return null;
        }
        try {
            return NodeState.valueOf(v.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException ex) {
            error(line(e.get(key)), path + "." + key, "'" + v + "' is not a node state (requested, provisioning, configuring, "
                    + "active, draining, terminating, terminated, failed)");
            return null;
        }
    }

    private Map<String, String> params(NodeTuple t, String path, Chain.Scope scope) {
        Map<String, String> out = new LinkedHashMap<>();
        if (t == null) {
            return out;
        }
        if (!(t.getValueNode() instanceof MappingNode m)) {
            error(line(t), path, "params is a mapping of names to values");
            return out;
        }
        for (NodeTuple p : m.getValue()) {
            String key = p.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
            if (!(p.getValueNode() instanceof ScalarNode v)) {
                error(line(p), path + "." + key, "a parameter value is a single string, number or boolean");
                continue;
            }
            Matcher mm = VARIABLE_PATTERN.matcher(v.getValue());
            while (mm.find()) {
                String var = mm.group(1);
                boolean ok = CLUSTER_VARIABLES.contains(var) || var.startsWith("outputs.") && var.length() > 8
                        || NODE_VARIABLES.contains(var) && scope == Chain.Scope.NODE;
                ChainParameters.Reference param = ChainParameters.parse(var);
                if (param != null) {
                    if (!ChainParameters.validName(param.name())) {
                        error(line(p), path + "." + key, "${" + var + "}: '" + param.name() + "' is not a parameter name "
                                + "(letters, digits, '.', '_', '-', starting with a letter)");
                    }
                } else if (!ok) {
                    error(line(p), path + "." + key, NODE_VARIABLES.contains(var)
                            ? "${" + var + "} is only known in node-scoped steps"
                            : "unknown variable ${" + var + "}; use cluster.*, node.*, operation.*, task.id, step.name, outputs.* or params.*");
                }
            }
            out.put(key, v.getValue());
        }
        return out;
    }

    private Chain.Retry retry(NodeTuple t, String path) {
        if (t == null) {
            return Chain.Retry.NONE;
        }
        if (!(t.getValueNode() instanceof MappingNode m)) {
            error(line(t), path, "retry is a mapping with 'attempts' and 'backoff'");
            return Chain.Retry.NONE;
        }
        Map<String, NodeTuple> e = entries(m, path + ".", Set.of("attempts", "backoff"));
        int attempts = integer(e, "attempts", path + ".", 1, 1, 100);
        long backoff = millis(e, "backoff", path + ".", 1000);
        return new Chain.Retry(attempts, backoff);
    }

    private Map<String, NodeTuple> entries(MappingNode map, String prefix, Set<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (!allowed.contains(key)) {
                error(line(t), prefix + key, "unknown field; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            } else if (out.containsKey(key)) {
                error(line(t), prefix + key, "duplicate key: '" + key + "' is given twice");
            } else {
                out.put(key, t);
            }
        }
        return out;
    }

    private String scalar(Map<String, NodeTuple> e, String key, String prefix, String dflt) {
        NodeTuple t = e.get(key);
        if (t == null) {
            return dflt;
        }
        if (t.getValueNode() instanceof ScalarNode s) {
            return s.getValue();
        }
        error(line(t), prefix + key, "must be a single value");
        return dflt;
    }

    private <E extends Enum<E>> E enumValue(Map<String, NodeTuple> e, String key, String prefix, Class<E> type, E dflt) {
        String v = scalar(e, key, prefix, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase()).toList();
            error(line(e.get(key)), prefix + key, "'" + v + "' is not one of " + String.join(", ", allowed));
            return dflt;
        }
    }

    private int integer(Map<String, NodeTuple> e, String key, String prefix, int dflt, int min, int max) {
        String v = scalar(e, key, prefix, null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                error(line(e.get(key)), prefix + key, "must be between " + min + " and " + max);
                return dflt;
            }
            return n;
        } catch (NumberFormatException ex) {
            error(line(e.get(key)), prefix + key, v.trim().matches("-?\\d+") ? "must be between " + min + " and " + max
                    : "'" + v + "' is not a whole number");
            return dflt;
        }
    }

    private long seconds(Map<String, NodeTuple> e, String key, String prefix, long dflt) {
        long ms = millis(e, key, prefix, dflt * 1000);
        return Math.max(1, (ms + 999) / 1000);
    }

    private long millis(Map<String, NodeTuple> e, String key, String prefix, long dflt) {
        String v = scalar(e, key, prefix, null);
        if (v == null) {
            return dflt;
        }
        Long ms = parseDuration(v);
        if (ms == null || ms < 0 || ms > 86_400_000L) {
            error(line(e.get(key)), prefix + key, "'" + v + "' is not a duration like 500ms, 30s, 10m or 1h (at most 24h)");
            return dflt;
        }
        return ms;
    }

    /** Milliseconds of "250ms", "30s", "10m", "1h" or a bare number of seconds; null when unreadable. */
    static Long parseDuration(String v) {
        Matcher m = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h)?\\s*").matcher(v);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    private void error(int line, String field, String message) {
        errors.add(new ChainError(file, line, field, message));
    }

    private static int line(NodeTuple t) {
        return t.getKeyNode().getStartMark().getLine() + 1;
    }

    private static int line(NodeTuple t, Node fallback) {
        return t != null ? line(t) : fallback.getStartMark().getLine() + 1;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
