package io.rulescaler.orchestration.chain;

import io.rulescaler.cluster.ClusterSpec;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How chains read a cluster's parameters: {@code ${params.app.warUrl}} (required) or
 * {@code ${params.app.version:-latest}} (with a default), one syntax for the parser that checks
 * chain files, the check when a cluster is applied, and the task that resolves them.
 */
public final class ChainParameters {

    /** The prefix of a parameter variable. */
    public static final String PREFIX = "params.";
    private static final Pattern NAME = Pattern.compile(ClusterSpec.PARAMETER_PATTERN);

    private ChainParameters() {
    }

    /** A parameter variable taken apart: its name and default (null when it has none). */
    public record Reference(String name, String fallback) {
    }

    /** The reference in a variable body ("params.x" or "params.x:-d"), or null when it is not a parameter. */
    public static Reference parse(String variable) {
        if (!variable.startsWith(PREFIX)) {
            return null;
        }
        String rest = variable.substring(PREFIX.length());
        int d = rest.indexOf(":-");
        return d < 0 ? new Reference(rest, null) : new Reference(rest.substring(0, d), rest.substring(d + 2));
    }

    /** Whether the name is one a cluster can define. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Adds the names {@code value} reads without a default to {@code into}. */
    static void required(String value, Set<String> into) {
        Matcher m = ChainParser.VARIABLE_PATTERN.matcher(value);
        while (m.find()) {
            Reference r = parse(m.group(1));
            if (r != null && r.fallback() == null) {
                into.add(r.name());
            }
        }
    }

    /**
     * What {@code chain} reads without a default that {@code spec} does not define, each as an error
     * at the first line of {@code content} reading it; {@code use} says what the cluster uses it for.
     */
    public static java.util.List<ChainError> missing(Chain chain, String content, ClusterSpec spec, String use) {
        java.util.List<ChainError> out = new java.util.ArrayList<>();
        for (String name : chain.requiredParameters()) {
            if (!spec.parametersOrEmpty().containsKey(name)) {
                out.add(new ChainError(chain.file(), lineOf(content, name), "params." + name, "cluster '" + spec.name()
                        + "' uses this chain for " + use + " but does not define parameter '" + name
                        + "'; add it to the cluster's parameters or write ${params." + name + ":-default}"));
            }
        }
        return out;
    }

    /** The first line of {@code content} that reads {@code ${params.<name>}} (1 when none does). */
    static int lineOf(String content, String name) {
        String[] lines = content == null ? new String[0] : content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("${" + PREFIX + name + "}")) {
                return i + 1;
            }
        }
        return 1;
    }

    /** The value of a reference: the run's parameter, else the cluster's, else its default, else empty. */
    public static String resolve(Reference r, Map<String, String> run, Map<String, String> cluster) {
        String v = run.get(r.name());
        if (v == null) {
            v = cluster.get(r.name());
        }
        return v != null ? v : r.fallback() != null ? r.fallback() : "";
    }
}
