package io.rulescaler.orchestration;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.action.email.OperationSummaries;
import io.rulescaler.notify.OperationMail;
import io.rulescaler.notify.OperationMailer;
import io.rulescaler.orchestration.operation.OperationEvent;
import io.rulescaler.orchestration.operation.OperationService;
import io.rulescaler.orchestration.operation.OperationView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Hands the mailer what an operation mail shows: it queues the started and failed mails when an
 * {@link OperationEvent} fires, and serves the Email step's summaries, so that notify and action never read operations.
 */
@ApplicationScoped
public class OperationMails implements OperationSummaries {

    /** Node lines a mail lists at most (a 10 000-node scale-out would otherwise mail 10 000 lines). */
    static final int MAIL_NODES = 200;
    private final OperationService operations;
    private final OperationMailer mailer;

    public OperationMails(OperationService operations, OperationMailer mailer) {
        this.operations = operations;
        this.mailer = mailer;
    }

    /** The operation is read on the mail thread, never on the request or worker that fired the event. */
    void onOperation(@Observes OperationEvent e) {
        OperationMail.Event event = e.type() == OperationEvent.Type.STARTED ? OperationMail.Event.STARTED : OperationMail.Event.ENDED;
        mailer.queue(e.operationId(), event, () -> of(e.operationId()));
    }

    @Override
    public OperationMail of(long operationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OperationView op = operations.get(operationId, false, 0, MAIL_NODES);
            OperationView.TaskView failing = operations.firstFailed(operationId);
            return new OperationMail(operation(op), failing == null ? null : task(failing),
                    failing == null ? null : operations.log(op.id(), failing.id()));
        });
    }

    private static OperationMail.Operation operation(OperationView op) {
        OperationView.Progress p = op.progress();
        return new OperationMail.Operation(op.id(), op.cluster(), op.kind(), op.chain(), op.state(), op.reason(), op.source(),
                op.targetSize(), op.previousSize(), op.error(),
                new OperationMail.Progress(p.total(), p.succeeded(), p.failed(), p.skipped(), p.cancelled()),
                op.nodes().stream().map(n -> new OperationMail.NodeLine(n.node(), n.role(), n.done(), n.total())).toList());
    }

    private static OperationMail.Task task(OperationView.TaskView t) {
        return new OperationMail.Task(t.id(), t.step(), t.action(), t.node(), t.attempt(), t.maxAttempts(), t.message());
    }
}
