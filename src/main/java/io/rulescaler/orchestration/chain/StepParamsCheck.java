package io.rulescaler.orchestration.chain;

import io.rulescaler.action.ActionParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks one step's {@code params} against the parameters its action declares, when the chain
 * loads: unknown names, missing required ones and values of the wrong type, each located at its
 * line and naming the action's known parameters. A value with a placeholder ({@code ${...}}) is
 * accepted here as text; its type is checked after substitution when the task runs.
 */
final class StepParamsCheck {

    private StepParamsCheck() {
    }

    /**
     * @param params     the step's {@code params} entry (null when absent)
     * @param actionLine the line of the step's {@code action:}, where a missing parameter is reported
     * @param path       the field path of the params, e.g. {@code steps[2].params}
     */
    static List<ChainError> check(String file, String action, List<ActionParameter> declared, NodeTuple params,
            int actionLine, String path) {
        List<ChainError> out = new ArrayList<>();
        String known = known(action, declared);
        List<String> given = new ArrayList<>();
        if (params != null && params.getValueNode() instanceof MappingNode m) {
            for (NodeTuple p : m.getValue()) {
                if (!(p.getKeyNode() instanceof ScalarNode k) || !(p.getValueNode() instanceof ScalarNode v)) {
                    continue; // reported by the parser
                }
                String key = k.getValue();
                int line = k.getStartMark().getLine() + 1;
                given.add(key);
                Optional<ActionParameter> d = declaration(declared, key);
                if (d.isEmpty()) {
                    out.add(new ChainError(file, line, path + "." + key, "unknown parameter '" + key + "' of " + action + "; " + known));
                } else {
                    d.get().problem(key, v.getValue()).ifPresent(problem -> out.add(new ChainError(file, line, path + "." + key,
                            "parameter '" + key + "' of " + action + " " + problem + "; " + known)));
                }
            }
        }
        for (ActionParameter d : declared) {
            if (d.required() && d.defaultValue() == null && given.stream().noneMatch(d::matches)) {
                out.add(new ChainError(file, actionLine, path + "." + d.name(), action + " needs parameter '" + d.name()
                        + "' (" + d.description() + "); " + known));
            }
        }
        return out;
    }

    /** The declaration a key belongs to: by exact name or map prefix first, else the catch-all. */
    private static Optional<ActionParameter> declaration(List<ActionParameter> declared, String key) {
        return declared.stream().filter(d -> !d.name().equals(ActionParameter.ANY_OTHER) && d.matches(key)).findFirst()
                .or(() -> declared.stream().filter(d -> d.name().equals(ActionParameter.ANY_OTHER)).findFirst());
    }

    private static String known(String action, List<ActionParameter> declared) {
        return declared.isEmpty() ? action + " takes no parameters"
                : "known parameters of " + action + ": " + declared.stream().map(ActionParameter::summary).collect(Collectors.joining(", "));
    }
}
