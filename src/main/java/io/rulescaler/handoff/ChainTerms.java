package io.rulescaler.handoff;

import java.util.Set;

/**
 * What the chain guard needs to know about a chain, told by the orchestrator's chain catalog through
 * {@link ChainDirectory}: who may start it ({@code rule}, {@code manual}, {@code scale}), how long
 * after a run the same chain may run again for the same node, and which {@code ${params.x}} it reads
 * without a default.
 */
public record ChainTerms(String name, String file, Set<String> triggers, long cooldownSeconds, Set<String> requiredParameters) {

    public static final String RULE = "rule";
    public static final String MANUAL = "manual";
    public static final String SCALE = "scale";

    public boolean allows(String trigger) {
        return triggers.contains(trigger);
    }
}
