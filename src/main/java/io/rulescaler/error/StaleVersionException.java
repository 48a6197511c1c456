package io.rulescaler.error;

/** The caller expected a version of the thing that is not the current one (optimistic concurrency). */
public final class StaleVersionException extends DomainException {

    public StaleVersionException(String detail) {
        super(null, detail, null);
    }
}
