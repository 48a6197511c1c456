package io.rulescaler.action.email;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.notify.OperationMailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Mails the cluster's recipients about the operation (param {@code template}: operation-succeeded
 * by default, operation-started, operation-failed), or with {@code notice: true} a rule's or
 * operator's notice with its reason and {@code details}, which the {@code notify} chain sends. A resend after a crash sends one more mail,
 * which is the safe side of "at least once".
 */
@ApplicationScoped
public class Email implements Action {

    public static final List<ActionParameter> PARAMETERS = List.of(ActionParameter.string("template", "which mail to send")
            .oneOf("operation-succeeded", "operation-started", "operation-failed").orElse("operation-succeeded"),
            ActionParameter.bool("notice", "send a notice (reason, subject, details) instead of an operation mail"),
            ActionParameter.string("subject", "notice: what the mail is about (default: the operation's reason)"),
            ActionParameter.string("details", "notice: text the mail shows below the reason, e.g. ${params.rule.facts}"));

    private final OperationMailer mailer;
    private final OperationSummaries summaries;

    public Email(OperationMailer mailer, OperationSummaries summaries) {
        this.mailer = mailer;
        this.summaries = summaries;
    }

    @Override
    public String type() {
        return "Email";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        String template = StepParams.of(ctx, PARAMETERS).require("template");
        StepParams p = StepParams.of(ctx, PARAMETERS);
        List<String> to = p.bool("notice")
                ? mailer.sendNotice(summaries.of(ctx.operationId()), p.text("subject").orElse(null), p.text("details").orElse(""))
                : mailer.sendSummary(summaries.of(ctx.operationId()), template);
        ctx.log().line(to.isEmpty() ? "no recipients configured for cluster " + ctx.cluster().name()
                : "mailed " + (p.bool("notice") ? "notice" : template) + " to " + String.join(", ", to));
        return ActionResult.ok(to.isEmpty() ? "no recipients" : "mailed " + to.size() + " recipient(s)");
    }
}
