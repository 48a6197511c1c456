package io.rulescaler.cluster;

/**
 * A check a cluster spec must pass before it is created or replaced, supplied by a package that
 * knows more than the spec itself (for example that every {@code ${params.x}} its chains read is
 * defined); the cluster package is handed these checks and imports none of their packages.
 */
public interface ClusterSpecCheck {

    /** Throws an {@link io.rulescaler.error.InvalidInputException} naming the problem; returns when the spec passes. */
    void check(ClusterSpec spec);
}
