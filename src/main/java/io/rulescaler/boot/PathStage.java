package io.rulescaler.boot;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event marking where an alert is on its way from the webhook to its first task (webhook received, alert
 * committed, evaluation, decision committed, intake, operation committed, worker began); off unless a recording
 * enables {@code io.rulescaler.PathStage}, so the production path pays one disabled-event check per stage
 * (bench/handoff-latency.sh enables it to time each stage).
 */
@Name(PathStage.NAME)
@Label("Alert path stage")
@Category("rulescaler")
@Description("A stage of an alert's way from the webhook to its first task")
@StackTrace(false)
@Enabled(false)
public final class PathStage extends Event {

    /** The event's name, for a recording that enables it. */
    public static final String NAME = "io.rulescaler.PathStage";

    @Label("Stage")
    String stage;

    @Label("Cluster")
    String cluster;

    /** Marks that {@code stage} was reached now for {@code cluster} (null when not known there); nothing when not recorded. */
    public static void mark(String stage, String cluster) {
        PathStage e = new PathStage();
        if (e.isEnabled()) {
            e.stage = stage;
            e.cluster = cluster;
            e.commit();
        }
    }
}
