package io.rulescaler.provider.ssh;

/** Where the lines of a remote command's output go (a task's log), so the SSH helpers need not know what a task is. */
public interface LineSink {

    /** Appends one line (a newline is added). */
    void line(String text);
}
