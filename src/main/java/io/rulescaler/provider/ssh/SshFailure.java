package io.rulescaler.provider.ssh;

import java.io.IOException;

/** A failed SSH exchange, with a {@link Kind} callers branch on (retry a timeout, never a changed host key). */
public class SshFailure extends IOException {

    /** What went wrong. */
    public enum Kind {
        /** TCP connect or SSH handshake failed or timed out. */
        CONNECT(true),
        /** The server refused our key. */
        AUTH(false),
        /** The host presented a key different from the one recorded on first contact. */
        HOST_KEY_CHANGED(false),
        /** The remote command did not finish in time (it was closed). */
        COMMAND_TIMEOUT(true),
        /** Too many sessions open; no slot became free in time. */
        BUSY(true),
        /** The operation was cancelled while the command ran; it was closed. */
        CANCELLED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public SshFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
