package io.rulescaler.error;

/** The service's own work failed in a way the caller cannot fix; the log has the cause. */
public final class InternalFailureException extends DomainException {

    public InternalFailureException(String title, String detail) {
        super(title, detail, null);
    }
}
