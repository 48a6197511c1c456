package io.rulescaler.error;

/** The thing the caller names (cluster, node, operation, token, ...) does not exist. */
public final class NotFoundException extends DomainException {

    public NotFoundException(String detail, String field) {
        super(null, detail, field);
    }

    public NotFoundException(String title, String detail, String field) {
        super(title, detail, field);
    }

    /** "cluster 'web' does not exist". */
    public static NotFoundException of(String what, String name) {
        return new NotFoundException(what + " '" + name + "' does not exist", null);
    }
}
