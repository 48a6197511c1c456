package io.rulescaler.action;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step parameter an action declares, so that a chain naming a parameter the action does not
 * know, missing a required one or giving a value of the wrong type is refused when the chain loads
 * instead of when a task runs. Build one with the factories and refine it with the fluent methods:
 * {@code ActionParameter.integer("port", "member port").between(1, 65535)}.
 *
 * <p>A value containing a placeholder ({@code ${...}}) is accepted at load as it stands; it is
 * checked after substitution, when the task runs ({@link StepParams}).
 *
 * @param name        the key in a step's {@code params}; for {@link Type#MAP} the prefix of {@code <name>.<key>}
 * @param type        what the value must look like
 * @param required    the step must give it
 * @param defaultValue the value when the step does not give it (null: none)
 * @param description one line for the docs and for error messages
 * @param min         smallest allowed whole number ({@link Type#INT})
 * @param max         largest allowed whole number ({@link Type#INT})
 * @param choices     the allowed values ({@link Type#STRING}; empty: any)
 * @param keyPattern  what the {@code <key>} of a {@link Type#MAP} entry must match (null: anything)
 */
public record ActionParameter(String name, Type type, boolean required, String defaultValue, String description,
                              long min, long max, List<String> choices, String keyPattern) {

    /** The name of the catch-all declared by {@link #anyOther(String)}. */
    public static final String ANY_OTHER = "*";

    /** What a value must look like. Values are YAML scalars; the type says how they are read. */
    public enum Type {
        /** Any text, or one of {@link #choices()}. */
        STRING("text"),
        /** A whole number within {@link #min()}..{@link #max()}. */
        INT("whole number"),
        /** {@code true} or {@code false}. */
        BOOL("true|false"),
        /** Words separated by spaces. */
        LIST("words"),
        /** Any number of entries {@code <name>.<key>: value}, each key matching {@link #keyPattern()}. */
        MAP("map");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ActionParameter {
        choices = List.copyOf(choices);
    }

    public static ActionParameter string(String name, String description) {
        return new ActionParameter(name, Type.STRING, false, null, description, 0, 0, List.of(), null);
    }

    public static ActionParameter integer(String name, String description) {
        return new ActionParameter(name, Type.INT, false, null, description, Integer.MIN_VALUE, Integer.MAX_VALUE, List.of(), null);
    }

    public static ActionParameter bool(String name, String description) {
        return new ActionParameter(name, Type.BOOL, false, null, description, 0, 0, List.of(), null);
    }

    public static ActionParameter words(String name, String description) {
        return new ActionParameter(name, Type.LIST, false, null, description, 0, 0, List.of(), null);
    }

    /** Entries {@code <prefix>.<key>: value}; {@code keyPattern} says what a key may be. */
    public static ActionParameter map(String prefix, String keyPattern, String description) {
        return new ActionParameter(prefix, Type.MAP, false, null, description, 0, 0, List.of(), keyPattern);
    }

    /** Accepts every name no other declaration matches, as text (for actions that hand all params on). */
    public static ActionParameter anyOther(String description) {
        return new ActionParameter(ANY_OTHER, Type.STRING, false, null, description, 0, 0, List.of(), null);
    }

    /** This parameter, required. */
    public ActionParameter mandatory() {
        return new ActionParameter(name, type, true, defaultValue, description, min, max, choices, keyPattern);
    }

    /** This parameter with a default. */
    public ActionParameter orElse(String value) {
        return new ActionParameter(name, type, required, value, description, min, max, choices, keyPattern);
    }

    /** This whole-number parameter within {@code from..to}. */
    public ActionParameter between(long from, long to) {
        return new ActionParameter(name, type, required, defaultValue, description, from, to, choices, keyPattern);
    }

    /** This text parameter limited to {@code values}. */
    public ActionParameter oneOf(String... values) {
        return new ActionParameter(name, type, required, defaultValue, description, min, max, List.of(values), keyPattern);
    }

    /** Whether a step's param key is this declaration's. */
    public boolean matches(String key) {
        return type == Type.MAP ? key.startsWith(name + ".") && key.length() > name.length() + 1 : key.equals(name);
    }

    /** Why {@code value} (given under {@code key}) does not fit; empty when it does. Placeholders are not checked. */
    public Optional<String> problem(String key, String value) {
        if (type == Type.MAP && keyPattern != null && !Pattern.matches(keyPattern, key.substring(name.length() + 1))) {
            return Optional.of("must have a key matching " + keyPattern + " after '" + name + ".', was '"
                    + key.substring(name.length() + 1) + "'");
        }
        if (value == null || value.contains("${")) {
            return Optional.empty();
        }
        return switch (type) {
            case INT -> {
                try {
                    long n = Long.parseLong(value.trim());
                    yield n < min || n > max ? Optional.of("must be a whole number from " + min + " to " + max + ", was " + value)
                            : Optional.empty();
                } catch (NumberFormatException e) {
                    yield Optional.of("must be a whole number" + range() + ", was '" + value + "'");
                }
            }
            case BOOL -> value.trim().equalsIgnoreCase("true") || value.trim().equalsIgnoreCase("false") ? Optional.empty()
                    : Optional.of("must be true or false, was '" + value + "'");
            case STRING -> choices.isEmpty() || choices.contains(value.trim()) ? Optional.empty()
                    : Optional.of("must be one of " + String.join(", ", choices) + ", was '" + value + "'");
            case LIST, MAP -> Optional.empty();
        };
    }

    /** Short form for error messages, e.g. {@code port (whole number 1..65535)} or {@code script (text, required)}. */
    public String summary() {
        String shown = type == Type.MAP ? name + ".<key>" : name.equals(ANY_OTHER) ? "any other name" : name;
        String kind = !choices.isEmpty() ? String.join("|", choices)
                : type == Type.INT && !openRange() ? type.label() + " " + min + ".." + max : type.label();
        return shown + " (" + kind + (required ? ", required" : "") + (defaultValue != null ? ", default " + defaultValue : "") + ")";
    }

    private String range() {
        return openRange() ? "" : " from " + min + " to " + max;
    }

    private boolean openRange() {
        return min == Integer.MIN_VALUE && max == Integer.MAX_VALUE;
    }

    @Override
    public String toString() {
        return summary();
    }
}
