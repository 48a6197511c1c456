package io.rulescaler.error;

/** Something the service depends on (its database, a provider) is away; the same request may work later. */
public final class UnavailableException extends DomainException {

    public UnavailableException(String title, String detail) {
        super(title, detail, null);
    }

    public UnavailableException(String title, String detail, String field) {
        super(title, detail, field);
    }
}
