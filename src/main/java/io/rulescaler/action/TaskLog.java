package io.rulescaler.action;

import io.rulescaler.provider.ssh.LineSink;

/** Bounded, stored output of one task. */
public interface TaskLog extends LineSink {

    /** Appends one line (a newline is added). */
    @Override
    void line(String text);

    /** Appends raw output from a process or remote command. */
    void append(CharSequence output);
}
