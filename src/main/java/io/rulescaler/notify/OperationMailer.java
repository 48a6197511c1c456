package io.rulescaler.notify;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Sends the operation and rule mails (Qute templates) to a cluster's recipients through Quarkus
 * Mailer; with {@code quarkus.mailer.mock=true} (the default) mails are logged, not sent. It is handed
 * what it renders ({@link OperationMail}, rule errors) and reads nothing of the flow itself.
 */
@ApplicationScoped
public class OperationMailer {

    private static final Logger LOG = Logger.getLogger(OperationMailer.class);
    private final Mailer mailer;
    private final ClusterService clusters;
    private final NotifyConfig config;
    private final Template started;
    private final Template succeeded;
    private final Template failed;
    private final Template ruleErrors;
    private final Template notice;
    private final Template ruleStopped;
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mail-sender");
        t.setDaemon(true);
        return t;
    });

    public OperationMailer(Mailer mailer, ClusterService clusters, NotifyConfig config,
                           @Location("mail/operation-started.txt") Template started,
                           @Location("mail/operation-succeeded.txt") Template succeeded,
                           @Location("mail/operation-failed.txt") Template failed,
                           @Location("mail/rule-errors.txt") Template ruleErrors,
                           @Location("mail/chain-notice.txt") Template notice,
                           @Location("mail/rule-stopped.txt") Template ruleStopped) {
        this.notice = notice;
        this.mailer = mailer;
        this.clusters = clusters;
        this.config = config;
        this.started = started;
        this.succeeded = succeeded;
        this.failed = failed;
        this.ruleErrors = ruleErrors;
        this.ruleStopped = ruleStopped;
    }

    /**
     * Queues the started / failed mail; never blocks the request or worker that fired the event: {@code mail} is
     * read on the mail thread.
     */
    public void queue(long operationId, OperationMail.Event event, Supplier<OperationMail> mail) {
        sender.execute(() -> {
            try {
                OperationMail m = mail.get();
                String state = m.op().state();
                // a chain run mails through its own Email steps (the notify chain is one mail, not two)
                if (event == OperationMail.Event.STARTED && config.onStart() && !"run-chain".equals(m.op().kind())) {
                    send(m, "started", started);
                } else if (event == OperationMail.Event.ENDED && config.onFailure()
                        && ("failed".equals(state) || "cancelled".equals(state))) {
                    send(m, state, failed);
                }
            } catch (RuntimeException ex) {
                LOG.warnf("operation mail not sent operation=%d event=%s problem=%s", operationId, event, ex.toString());
            }
        });
    }

    /** The "operation succeeded" mail, sent by the chain's Email step; returns the recipients. */
    public List<String> sendSummary(OperationMail mail, String template) throws Exception {
        Template t = switch (template) {
            case "operation-started" -> started;
            case "operation-failed" -> failed;
            default -> succeeded;
        };
        String what = "operation-failed".equals(template) ? "failed" : "operation-started".equals(template) ? "started" : "succeeded";
        return onSender(() -> send(mail, what, t));
    }

    /** A chain's notice (template chain-notice): the subject, the operation's reason and {@code details}; returns the recipients. */
    public List<String> sendNotice(OperationMail mail, String subject, String details) throws Exception {
        return onSender(() -> {
            OperationMail.Operation op = mail.op();
            List<String> to = QuarkusTransaction.requiringNew().call(() -> recipients(op.cluster()));
            if (!to.isEmpty()) {
                String what = subject == null || subject.isBlank() ? op.reason() : subject;
                deliver(to, config.subjectPrefix() + " " + op.cluster() + ": " + what,
                        notice.data("op", op).data("details", details == null ? "" : details).render());
            }
            return to;
        });
    }

    /** Mails a cluster's recipients that its rules do not compile or failed to run. */
    public List<String> sendRuleErrors(String cluster, List<String> errors) throws Exception {
        return onSender(() -> {
            List<String> to = QuarkusTransaction.requiringNew().call(() -> recipients(cluster));
            if (!to.isEmpty()) {
                String body = ruleErrors.data("cluster", cluster).data("errors", errors).render();
                deliver(to, config.subjectPrefix() + " " + cluster + ": rule errors (" + errors.size() + ")", body);
            }
            return to;
        });
    }

    /** Mails a cluster's recipients a notice the caller wrote (the health prober stopping replacements); returns the recipients. */
    public List<String> sendClusterNotice(String cluster, String subject, String text) throws Exception {
        return onSender(() -> {
            List<String> to = QuarkusTransaction.requiringNew().call(() -> recipients(cluster));
            if (!to.isEmpty()) {
                deliver(to, config.subjectPrefix() + " " + cluster + ": " + subject, text);
            }
            return to;
        });
    }

    /** Mails a cluster's recipients that its session stopped a rule (it reached a cap); returns the recipients. */
    public List<String> sendRuleStopped(String cluster, String ruleSet, String rule, String file, String cause) throws Exception {
        return onSender(() -> {
            List<String> to = QuarkusTransaction.requiringNew().call(() -> recipients(cluster));
            if (!to.isEmpty()) {
                String body = ruleStopped.data("cluster", cluster).data("ruleSet", ruleSet).data("rule", rule)
                        .data("file", file).data("cause", cause).render();
                deliver(to, config.subjectPrefix() + " " + cluster + ": rule '" + rule + "' stopped", body);
            }
            return to;
        });
    }

    /** All mail goes through one thread: sends never pile up on workers, and never run concurrently. */
    private <T> T onSender(java.util.concurrent.Callable<T> job) throws Exception {
        try {
            return sender.submit(job).get(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @jakarta.annotation.PreDestroy
    void close() {
        sender.shutdown();
    }

    private List<String> send(OperationMail mail, String what, Template template) {
        OperationMail.Operation op = mail.op();
        List<String> to = QuarkusTransaction.requiringNew().call(() -> recipients(op.cluster()));
        if (to.isEmpty()) {
            LOG.infof("no recipients for cluster=%s operation=%d event=%s: mail skipped", op.cluster(), op.id(), what);
            return to;
        }
        OperationMail.Task failing = mail.failing();
        String tail = failing == null ? "" : tail(mail.failingLog() == null ? "" : mail.failingLog(), config.logTailLines());
        String subject = config.subjectPrefix() + " " + op.cluster() + ": " + op.kind() + " " + op.id() + " " + what
                + (failing != null && !"started".equals(what) ? " at step " + failing.step()
                + (failing.node() == null ? "" : " (" + failing.node() + ")") : "");
        String body = template.data("op", op).data("failing", failing).data("tail", tail).data("what", what).render();
        deliver(to, subject, body);
        return to;
    }

    private void deliver(List<String> to, String subject, String body) {
        Mail mail = new Mail().setTo(to).setSubject(subject).setText(body);
        try {
            mailer.send(mail);
        } catch (RuntimeException first) {
            // a pooled SMTP connection the server closed fails once; a fresh one usually works
            LOG.infof("mail failed once, retrying subject=%s problem=%s", subject, first.getMessage());
            mailer.send(mail);
        }
        LOG.infof("mail sent to=%s subject=%s", to, subject);
    }

    private List<String> recipients(String cluster) {
        ClusterSpec spec = clusters.find(cluster).map(v -> v.spec()).orElse(null);
        return spec == null || spec.recipients() == null ? List.of() : spec.recipients();
    }

    static String tail(String log, int lines) {
        List<String> all = Arrays.asList(log.split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
