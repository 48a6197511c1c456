package io.rulescaler.boot;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event spanning one round of a background job (a scheduled round, the janitor, the intake poll, the inbox
 * poll, the task dispatcher's claim, the lease heartbeat); off unless a recording enables {@code io.rulescaler.Round},
 * so a round pays one disabled-event check (bench/handoff-latency.sh enables it to see which rounds ran beside the
 * slowest alerts).
 */
@Name(Round.NAME)
@Label("Background round")
@Category("rulescaler")
@Description("One round of a background job")
@StackTrace(false)
@Enabled(false)
public final class Round extends Event {

    /** The event's name, for a recording that enables it. */
    public static final String NAME = "io.rulescaler.Round";

    @Label("Job")
    String job;

    /** Begins a round of {@code job}; call {@link #done()} when it is over (nothing is recorded unless enabled). */
    public static Round begin(String job) {
        Round e = new Round();
        if (e.isEnabled()) {
            e.job = job;
            e.begin();
        }
        return e;
    }

    /** Ends the round begun by {@link #begin(String)}. */
    public void done() {
        if (job != null) {
            commit();
        }
    }
}
