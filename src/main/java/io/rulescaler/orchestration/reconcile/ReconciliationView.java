package io.rulescaler.orchestration.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * The last reconciliation of a cluster as the API shows it: outcome ({@code ok}, {@code busy},
 * {@code provider-unreachable}, {@code never}), nodes failed because their machine vanished,
 * machines adopted, machines of ours no node accounts for (reported, never destroyed), how many
 * machines carry the cluster's name but belong to another installation, and the replace operation started.
 */
public record ReconciliationView(String cluster, String profile, String outcome, String detail, Instant checkedAt,
                                 String checkedBy, int matchedNodes, List<Reconciliation.Vanished> failedNodes,
                                 List<Reconciliation.Adoptable> adoptedMachines,
                                 List<Reconciliation.Unknown> unknownMachines, int foreignMachines,
                                 Long replaceOperationId) {
}
