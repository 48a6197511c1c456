package io.rulescaler.orchestration.chain;

/** One problem in a chain file, located so a person can fix it: file, line, field and what is wrong. */
public record ChainError(String file, int line, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + message;
    }
}
