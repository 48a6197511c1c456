package bench.stack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How an idle instance gives memory back (see {@link IdleMemory}). */
@ConfigMapping(prefix = "bench.jvm")
public interface IdleMemoryConfig {

    /**
     * With the G1 collector: after this long without a collection, run a concurrent one, which
     * uncommits the heap the start grew (rule compile, Hibernate boot). 0 leaves the JVM's settings
     * alone (this one and the free ratio); a {@code -XX:G1PeriodicGCInterval} on the command line always wins.
     */
    @WithDefault("30s")
    Duration idleGcInterval();

    /** The share of the heap kept free after a collection, in per cent (the JVM's own defaults are 40 and 70). */
    FreeRatio heapFreeRatio();

    /** A band of free heap, in per cent; {@code -XX:MinHeapFreeRatio} / {@code -XX:MaxHeapFreeRatio} on the command line win. */
    interface FreeRatio {
        /** Below this much free heap after a collection, the heap grows. */
        @WithDefault("10")
        int min();

        /** Above this much free heap after a collection, the heap gives memory back. */
        @WithDefault("30")
        int max();
    }
}
