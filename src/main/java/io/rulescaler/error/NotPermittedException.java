package io.rulescaler.error;

/** The caller's role may not do this particular thing, although it may use the endpoint. */
public final class NotPermittedException extends DomainException {

    public NotPermittedException(String detail, String field) {
        super(null, detail, field);
    }
}
