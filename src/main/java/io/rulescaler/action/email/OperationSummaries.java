package io.rulescaler.action.email;

import io.rulescaler.notify.OperationMail;

/**
 * The operation as the {@link Email} step mails it. Orchestration implements it, so the action layer never reads
 * operations itself and the mailer is handed the data it renders.
 */
public interface OperationSummaries {

    /** The mail model of the operation, read in a transaction of its own. */
    OperationMail of(long operationId);
}
