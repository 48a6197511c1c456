package io.rulescaler.error;

/** The input itself is wrong (missing, malformed, out of its range), so nothing was done with it. */
public final class InvalidInputException extends DomainException {

    public InvalidInputException(String detail, String field) {
        super(null, detail, field);
    }

    /** With a more telling short name than "Invalid request", e.g. "Unknown field" or "Malformed YAML". */
    public InvalidInputException(String title, String detail, String field) {
        super(title, detail, field);
    }

    /** With further members a client can use (for example the names that would have been accepted). */
    public InvalidInputException(String title, String detail, String field, java.util.Map<String, Object> extensions) {
        super(title, detail, field, extensions);
    }
}
