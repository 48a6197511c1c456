package io.rulescaler.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How an idle instance gives memory back (see {@link IdleMemory}). */
@ConfigMapping(prefix = "rulescaler.jvm")
public interface IdleMemoryConfig {

    /**
     * With the G1 collector: after this long without a collection, run a concurrent one, which
     * uncommits the heap the start grew (rule compile, Hibernate boot). 0 leaves the JVM's setting
     * alone; a {@code -XX:G1PeriodicGCInterval} on the command line always wins.
     */
    @WithDefault("30s")
    Duration idleGcInterval();
}
