package io.rulescaler.error;

/**
 * A well-formed request that a policy of the domain refuses: a target outside the cluster's
 * bounds, a chain the cluster names that cannot run. The title names the policy. (A refusal by
 * the guard, which judges decisions, is a {@link GuardRefusedException}.)
 */
public final class RefusedException extends DomainException {

    public RefusedException(String title, String detail, String field) {
        super(title, detail, field);
    }
}
