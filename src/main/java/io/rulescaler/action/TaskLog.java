package io.rulescaler.action;

/** Bounded, stored output of one task. */
public interface TaskLog {

    /** Appends one line (a newline is added). */
    void line(String text);

    /** Appends raw output from a process or remote command. */
    void append(CharSequence output);
}
