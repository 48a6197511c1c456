package io.rulescaler.action;

import io.rulescaler.provider.ProviderException;

/** A failed action, with a message that says what to fix; {@code retryable} tells the runner whether to retry. */
public class ActionException extends Exception {

    private final boolean retryable;

    public ActionException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ActionException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A provider's failure as the task's failure: the same message, the same advice on retrying. */
    public static ActionException of(ProviderException e) {
        return new ActionException(e.getMessage(), e.retryable(), e);
    }

    public boolean retryable() {
        return retryable;
    }
}
