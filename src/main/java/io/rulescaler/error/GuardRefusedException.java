package io.rulescaler.error;

import java.util.Map;

/**
 * The guard refused a decision (cooldown, stabilisation, step); the decision is stored all the
 * same and travels with the refusal so the caller sees the verdict and when to try again.
 */
public final class GuardRefusedException extends DomainException {

    /** {@code decision} is the stored decision as the API shows it. */
    public GuardRefusedException(String why, Object decision) {
        super(null, why, null, Map.of("decision", decision));
    }
}
