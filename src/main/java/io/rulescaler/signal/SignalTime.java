package io.rulescaler.signal;

import io.rulescaler.error.InvalidInputException;
import java.time.Duration;
import java.time.Instant;

/** Keeps pushed signals in the present: a time far in the future or past is a broken clock, not a signal. */
final class SignalTime {

    private SignalTime() {
    }

    /** {@code at} when it lies within [now - maxAge, now + skew]; otherwise a 400 naming the field and the bounds. */
    static Instant within(Instant at, Instant now, SignalConfig config, String field) {
        Duration skew = config.maxClockSkew();
        Duration age = config.maxSignalAge();
        if (at.isAfter(now.plus(skew))) {
            throw new InvalidInputException(field + " " + at + " is more than " + skew.toMinutes()
                    + " min in the future (the service's clock says " + now + "); check the sender's clock", field);
        }
        if (at.isBefore(now.minus(age))) {
            throw new InvalidInputException(field + " " + at + " is more than " + age.toMinutes()
                    + " min in the past (rulescaler.signal.max-signal-age); send current values", field);
        }
        return at;
    }
}
