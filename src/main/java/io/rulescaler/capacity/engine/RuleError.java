package io.rulescaler.capacity.engine;

/** One compile error of a rule file, where it is and what is wrong, as editors and CI expect it. */
public record RuleError(String file, int line, int column, String message) {

    /** {@code file:line:column: message}, the shape compilers print. */
    public String format() {
        return file + ":" + Math.max(line, 0) + ":" + Math.max(column, 0) + ": " + message;
    }
}
