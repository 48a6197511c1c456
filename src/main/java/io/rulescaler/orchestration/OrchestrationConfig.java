package io.rulescaler.orchestration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How operations are planned and how this instance's workers run their tasks. */
@ConfigMapping(prefix = "rulescaler.orchestration")
public interface OrchestrationConfig {

    /** Folder of chain files ({@code *.yaml}); reloaded when a file changes. */
    @WithDefault("actions")
    String chainsDirectory();

    /** Whether this instance runs workers, the janitor and the scale-request intake at all. */
    @WithDefault("true")
    boolean enabled();

    /** Worker threads of this instance: at most this many tasks run here at once. */
    @WithDefault("8")
    int workers();

    /** How long a claimed task stays leased without renewal before the janitor re-queues it. */
    @WithDefault("30s")
    Duration lease();

    /** How often idle workers look for READY tasks (they look at once after finishing one). */
    @WithDefault("250ms")
    Duration pollInterval();

    /** How often the janitor looks for expired leases and stuck operations. */
    @WithDefault("5s")
    Duration janitorInterval();

    /** How often pending scale requests are turned into operations. */
    @WithDefault("1s")
    Duration intakeInterval();

    /** How often chain files are checked for changes. */
    @WithDefault("5s")
    Duration chainReloadInterval();

    /** Largest captured log of one task attempt, in characters; beyond it the head and tail are kept. */
    @WithDefault("65536")
    int logLimit();
}
