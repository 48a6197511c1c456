package io.rulescaler.orchestration.task;

import io.rulescaler.action.TaskLog;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * A task's captured output, bounded: beyond the limit the first half and the latest half are
 * kept with a marker between, so both how it started and how it ended survive.
 */
final class BoundedLog implements TaskLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
    private final int limit;
    private final Clock clock;
    private final StringBuilder head = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private long dropped;

    BoundedLog(int limit, Clock clock) {
        this.limit = Math.max(256, limit);
        this.clock = clock;
    }

    @Override
    public synchronized void line(String text) {
        append(TIME.format(clock.instant()) + " " + text + "\n");
    }

    @Override
    public synchronized void append(CharSequence output) {
        int half = limit / 2;
        if (head.length() < half) {
            int take = Math.min(half - head.length(), output.length());
            head.append(output, 0, take);
            output = output.subSequence(take, output.length());
        }
        if (output.length() == 0) {
            return;
        }
        tail.append(output);
        if (tail.length() > half) {
            int cut = tail.length() - half;
            dropped += cut;
            tail.delete(0, cut);
        }
    }

    @Override
    public synchronized String toString() {
        return dropped == 0 ? head.toString() + tail
                : head + "\n... " + dropped + " characters left out ...\n" + tail;
    }
}
