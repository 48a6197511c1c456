package io.rulescaler.error;

/** The request clashes with the current state: the thing already exists, is busy, or cannot move that way. */
public final class ConflictException extends DomainException {

    public ConflictException(String detail) {
        super(null, detail, null);
    }

    public ConflictException(String detail, String field) {
        super(null, detail, field);
    }
}
