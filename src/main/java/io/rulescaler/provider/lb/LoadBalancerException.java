package io.rulescaler.provider.lb;

/** A load balancer refused or could not be reached; {@code retryable} says whether trying again can help. */
public class LoadBalancerException extends Exception {

    private final boolean retryable;

    public LoadBalancerException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
