package io.rulescaler.action.puppet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code puppet apply --detailed-exitcodes} reported: the exit code (0 nothing to do, 2 changes,
 * 4 failures, 6 changes and failures, 1 catalog could not be compiled) and the resources named in its errors.
 */
public final class PuppetOutcome {

    private static final Pattern RESOURCE = Pattern.compile("([A-Z][\\w:]*\\[[^\\]]*\\])");
    private static final int MAX_ERRORS = 20;

    private final Set<String> failedResources = new LinkedHashSet<>();
    private final List<String> errors = new ArrayList<>();

    /** Feeds one output line (safe to call from the SSH reader thread). */
    public synchronized void accept(String rawLine) {
        String line = rawLine.replaceAll("\u001B\\[[0-9;]*m", "").trim();
        if (!line.startsWith("Error: ") || line.startsWith("Error: Facter:")) {
            return;
        }
        String text = line.substring("Error: ".length());
        if (errors.size() < MAX_ERRORS) {
            errors.add(text);
        }
        if (text.startsWith("/Stage[")) {
            String path = resourcePath(text);
            Matcher m = RESOURCE.matcher(path.substring(path.indexOf('/', 1) + 1));
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                failedResources.add(last);
            }
        }
    }

    /** The part before the first ": " outside brackets, e.g. {@code /Stage[main]/Base/File[/etc/x]/ensure}. */
    private static String resourcePath(String text) {
        int depth = 0;
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == ':' && depth == 0 && text.charAt(i + 1) == ' ') {
                return text.substring(0, i);
            }
        }
        return text;
    }

    /** True for the exit codes that mean the node is configured (0 and 2). */
    public static boolean succeeded(int exitCode) {
        return exitCode == 0 || exitCode == 2;
    }

    public synchronized Set<String> failedResources() {
        return new LinkedHashSet<>(failedResources);
    }

    public synchronized List<String> errors() {
        return new ArrayList<>(errors);
    }

    /** One message for a failed run: the failing resources, else the first errors. */
    public synchronized String describeFailure(String node, int exitCode) {
        StringBuilder out = new StringBuilder("puppet apply on ").append(node).append(" failed (exit ").append(exitCode)
                .append(exitCode == 1 ? ": catalog not compiled" : "").append(")");
        if (!failedResources.isEmpty()) {
            out.append("; failed resources: ").append(String.join(", ", failedResources));
        }
        if (!errors.isEmpty()) {
            out.append("; first error: ").append(errors.get(0));
        }
        return out.toString();
    }
}
