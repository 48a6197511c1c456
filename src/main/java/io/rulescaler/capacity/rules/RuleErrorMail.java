package io.rulescaler.capacity.rules;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.CapacityConfig;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterView;
import io.rulescaler.notify.OperationMailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells the people of every cluster using a rule set that it no longer compiles (the old rules
 * keep deciding meanwhile). The same errors are mailed once, not at every watch tick. It lives with the rules, which
 * know which clusters use a set, and hands the mailer only the cluster and the errors. A rule a cluster's session
 * stopped for reaching a cap is mailed once too ({@link RuleStopped} fires only when the stop is first recorded).
 */
@ApplicationScoped
public class RuleErrorMail {

    private static final Logger LOG = Logger.getLogger(RuleErrorMail.class);
    private final OperationMailer mailer;
    private final ClusterService clusters;
    private final CapacityConfig capacity;
    private final Map<String, List<String>> lastMailed = new ConcurrentHashMap<>();

    public RuleErrorMail(OperationMailer mailer, ClusterService clusters, CapacityConfig capacity) {
        this.mailer = mailer;
        this.clusters = clusters;
        this.capacity = capacity;
    }

    void onStopped(@ObservesAsync RuleStopped stopped) {
        try {
            List<String> to = mailer.sendRuleStopped(stopped.cluster(), stopped.ruleSet(), stopped.rule(), stopped.file(), stopped.cause());
            LOG.infof("rule stop mailed cluster=%s rule=\"%s\" to=%s", stopped.cluster(), stopped.rule(), to);
        } catch (Exception e) {
            LOG.warnf("rule stop not mailed cluster=%s rule=\"%s\" error=%s", stopped.cluster(), stopped.rule(), e.toString());
        }
    }

    void onFailure(@ObservesAsync RuleSetFailed failure) {
        List<ClusterView> all = QuarkusTransaction.requiringNew().call(clusters::list);
        for (ClusterView c : all) {
            String set = c.spec().ruleSet() == null ? capacity.defaultRuleSet() : c.spec().ruleSet();
            if (!set.equals(failure.ruleSet()) || failure.errors().equals(lastMailed.get(c.name()))) {
                continue;
            }
            try {
                List<String> to = mailer.sendRuleErrors(c.name(), failure.errors());
                lastMailed.put(c.name(), failure.errors());
                LOG.infof("rule errors mailed cluster=%s rule_set=%s errors=%d to=%s", c.name(), set, failure.errors().size(), to);
            } catch (Exception e) {
                LOG.warnf("rule errors not mailed cluster=%s rule_set=%s error=%s", c.name(), set, e.toString());
            }
        }
    }
}
