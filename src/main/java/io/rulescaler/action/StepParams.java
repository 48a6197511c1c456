package io.rulescaler.action;

import io.rulescaler.action.ActionParameter.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A task's step parameters read by the types its action declared, so an action never parses a raw
 * string itself: {@code StepParams.of(context, PARAMETERS).integer("port")}. Values arrive here
 * after placeholder substitution, so this is where a templated value meets its type check; a value
 * that does not fit fails the task for good with "parameter NAME must be ...". Reading a name the
 * action did not declare is a programming error ({@link IllegalArgumentException}).
 */
public final class StepParams {

    private final Map<String, String> values;
    private final List<ActionParameter> declared;

    private StepParams(Map<String, String> values, List<ActionParameter> declared) {
        this.values = values;
        this.declared = declared;
    }

    public static StepParams of(TaskContext context, List<ActionParameter> declared) {
        return new StepParams(context.params(), declared);
    }

    /** The text value, else the declared default; empty when neither or blank. */
    public Optional<String> text(String name) throws ActionException {
        ActionParameter p = declaration(name, Type.STRING, Type.LIST);
        return checked(p, name, value(p, name));
    }

    /** The text value, else the declared default; fails the task when neither is there. */
    public String require(String name) throws ActionException {
        return text(name).orElseThrow(() -> new ActionException("parameter " + name + " is required", false));
    }

    /** The whole number, else the declared default; empty when neither. */
    public Optional<Integer> integer(String name) throws ActionException {
        ActionParameter p = declaration(name, Type.INT);
        Optional<String> v = checked(p, name, value(p, name));
        return v.map(s -> Integer.parseInt(s.trim()));
    }

    /** The whole number, else the declared default, else {@code fallback} (a configured value). */
    public int integer(String name, int fallback) throws ActionException {
        return integer(name).orElse(fallback);
    }

    /** The flag, else the declared default, else false. */
    public boolean bool(String name) throws ActionException {
        ActionParameter p = declaration(name, Type.BOOL);
        return checked(p, name, value(p, name)).map(s -> Boolean.parseBoolean(s.trim())).orElse(false);
    }

    /** The words of a list parameter (none when absent). */
    public List<String> words(String name) throws ActionException {
        ActionParameter p = declaration(name, Type.LIST);
        return value(p, name).map(s -> Arrays.asList(s.trim().split("\\s+"))).orElse(List.of());
    }

    /** The entries {@code <name>.<key>} of a map parameter, by key (without the prefix), sorted. */
    public Map<String, String> map(String name) throws ActionException {
        ActionParameter p = declaration(name, Type.MAP);
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (p.matches(e.getKey())) {
                Optional<String> problem = p.problem(e.getKey(), e.getValue());
                if (problem.isPresent()) {
                    throw new ActionException("parameter " + e.getKey() + " " + problem.get(), false);
                }
                out.put(e.getKey().substring(name.length() + 1), e.getValue());
            }
        }
        return out;
    }

    /** Every parameter as given, for an action that hands them all on (see {@link ActionParameter#anyOther}). */
    public Map<String, String> all() {
        return values;
    }

    private Optional<String> value(ActionParameter p, String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            v = p.defaultValue();
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }

    private static Optional<String> checked(ActionParameter p, String name, Optional<String> value) throws ActionException {
        if (value.isPresent()) {
            Optional<String> problem = p.problem(name, value.get());
            if (problem.isPresent()) {
                throw new ActionException("parameter " + name + " " + problem.get(), false);
            }
        }
        return value;
    }

    private ActionParameter declaration(String name, Type... types) {
        for (ActionParameter p : declared) {
            if (p.name().equals(name) && List.of(types).contains(p.type())) {
                return p;
            }
        }
        throw new IllegalArgumentException("parameter " + name + " of type " + List.of(types) + " is not declared: " + declared);
    }
}
