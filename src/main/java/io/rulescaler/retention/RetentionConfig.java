package io.rulescaler.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long history rows are kept before the scheduled purge deletes them. */
@ConfigMapping(prefix = "rulescaler.retention")
public interface RetentionConfig {

    /** Run the purge at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often the purge runs. */
    @WithDefault("10m")
    Duration interval();

    /** Most rows deleted per statement (and transaction); the purge repeats until a batch comes back short. */
    @WithDefault("1000")
    int batchSize();

    /** Age after which decisions are deleted; the newest decision of each cluster and those of running operations stay. */
    @WithDefault("30d")
    Duration decisions();

    /** Age after which received alerts are deleted; an alert that still fires (no resolved row) stays. */
    @WithDefault("7d")
    Duration alertEvents();

    /** Age after which stored session signals are deleted; never less than {@code rulescaler.sessions.replay-window}. */
    @WithDefault("1h")
    Duration signals();

    /** Age after which a node's heartbeat vitals history is deleted (its latest vitals stay on the node). */
    @WithDefault("6h")
    Duration vitals();
}
