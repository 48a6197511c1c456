package io.rulescaler.error;

import java.time.Duration;

/** Something the service depends on (its database, a provider) is away; the same request may work later. */
public final class UnavailableException extends DomainException {

    /** The wait suggested to the client when the thrower names none. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final Duration retryAfter;

    public UnavailableException(String title, String detail) {
        this(title, detail, null, DEFAULT_RETRY_AFTER);
    }

    public UnavailableException(String title, String detail, String field) {
        this(title, detail, field, DEFAULT_RETRY_AFTER);
    }

    public UnavailableException(String title, String detail, String field, Duration retryAfter) {
        super(title, detail, field);
        this.retryAfter = retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
    }

    /** How long the client had better wait before it tries again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
