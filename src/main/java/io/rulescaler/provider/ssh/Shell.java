package io.rulescaler.provider.ssh;

import java.util.Map;
import java.util.regex.Pattern;

/** POSIX shell quoting for remote command lines, so parameters never become shell syntax. */
public final class Shell {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Shell() {
    }

    /** Single-quotes a word ({@code it's} becomes {@code 'it'\''s'}). */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code NAME='value' NAME2='value2' } for a command prefix; rejects names that are not shell variable names. */
    public static String env(Map<String, String> variables) {
        StringBuilder out = new StringBuilder();
        variables.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a shell variable name: " + name);
            }
            out.append(name).append('=').append(quote(value == null ? "" : value)).append(' ');
        });
        return out.toString();
    }
}
