package io.rulescaler.provider.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a remote command's byte stream into whole lines written to a {@link LineSink} (a task's log) as they arrive,
 * each with a prefix (the host) so parallel output stays readable; it also keeps the last lines for error messages.
 */
public final class LineLogStream extends OutputStream {

    private static final int MAX_LINE = 8192;
    private static final int TAIL = 200;

    private final LineSink log;
    private final String prefix;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<String> tail = new ArrayList<>();

    private final java.util.function.Consumer<String> listener;

    public LineLogStream(LineSink log, String prefix) {
        this(log, prefix, line -> { });
    }

    /** Also hands every complete line (without prefix) to {@code listener}, e.g. to parse tool output. */
    public LineLogStream(LineSink log, String prefix, java.util.function.Consumer<String> listener) {
        this.log = log;
        this.prefix = prefix == null ? "" : prefix;
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (b != '\r') {
            buffer.write(b);
            if (buffer.size() >= MAX_LINE) {
                emit();
            }
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        // lines are written as soon as they are complete
    }

    @Override
    public synchronized void close() {
        if (buffer.size() > 0) {
            emit();
        }
    }

    /** The last lines seen (at most 200), oldest first. */
    public synchronized List<String> lines() {
        return Collections.unmodifiableList(new ArrayList<>(tail));
    }

    private void emit() {
        String line = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        if (tail.size() == TAIL) {
            tail.remove(0);
        }
        tail.add(line);
        listener.accept(line);
        synchronized (log) {
            log.line(prefix + line);
        }
    }
}
