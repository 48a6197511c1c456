package io.rulescaler.provider;

/**
 * A failed provider call (compute profile, host list, machine journal) with a message that says what to fix, so the
 * provider layer reports failures without knowing who called it; {@code retryable} tells the caller whether trying
 * again can help. Actions turn it into an {@code ActionException} with the same message and advice.
 */
public class ProviderException extends Exception {

    private final boolean retryable;

    public ProviderException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
