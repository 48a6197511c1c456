package io.rulescaler.action;

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

    public boolean retryable() {
        return retryable;
    }
}
