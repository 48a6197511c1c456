package io.rulescaler.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the service behaves while its database is away: how long a request waits for a connection before it answers
 * 503, what Retry-After it suggests, and how often the embedded database is started again before the service gives up.
 */
@ConfigMapping(prefix = "rulescaler.database")
public interface DatabaseConfig {

    /**
     * Longest wait for a database connection before a request answers 503 (the pool's acquisition timeout and
     * validation timeout in application.properties follow it; the webhook's store is bounded by it too).
     */
    @WithDefault("2s")
    Duration connectionWait();

    /** The Retry-After a 503 suggests while the database is away. */
    @WithDefault("5s")
    Duration retryAfter();

    /** Restarts of the embedded database. */
    Restart restart();

    /** After {@link #maxFailures()} exits or failed starts within {@link #window()}, the embedded database is not started again. */
    interface Restart {

        @WithDefault("5")
        int maxFailures();

        @WithDefault("10m")
        Duration window();
    }
}
