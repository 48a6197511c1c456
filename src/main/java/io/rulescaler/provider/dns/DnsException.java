package io.rulescaler.provider.dns;

/** A DNS update was refused or could not be sent; {@code retryable} says whether trying again can help. */
public class DnsException extends Exception {

    private final boolean retryable;

    public DnsException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
