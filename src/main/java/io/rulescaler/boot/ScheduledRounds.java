package io.rulescaler.boot;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The one gate every {@link StopGated} round passes: the stop closes it before any other stop work (leases
 * released, sessions closed, the embedded database stopped) and waits, bounded, for the rounds inside.
 */
@ApplicationScoped
public class ScheduledRounds {

    /** How long the stop waits for rounds in progress; a round still running after it meets a closing database. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final StopGate gate = new StopGate();

    /** The gate itself (the interceptor enters and leaves it). */
    StopGate gate() {
        return gate;
    }

    void onStop(@Observes @Priority(0) ShutdownEvent ev) {
        gate.closeAndAwait(STOP_WAIT);
    }
}
