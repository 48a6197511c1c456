package io.rulescaler.orchestration.operation;

/**
 * Fired synchronously, under the operation lock and inside the transaction that ends an
 * operation, so follow-up work (a redeploy's rollback) starts in the same commit and nothing else
 * can take the cluster's one-operation slot in between. Observers must not throw.
 */
public record OperationEnding(OperationEntity operation) {
}
