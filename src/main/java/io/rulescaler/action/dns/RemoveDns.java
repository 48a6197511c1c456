package io.rulescaler.action.dns;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionOutputs;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.dns.DnsException;
import io.rulescaler.provider.dns.DnsRegistrar;
import io.rulescaler.provider.dns.DnsRegistrars;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Removes the task's node's DNS name on scale-in, so the index can be reused; an absent name is fine. */
@ApplicationScoped
public class RemoveDns implements Action {

    private static final Logger LOG = Logger.getLogger(RemoveDns.class);
    public static final List<ActionParameter> PARAMETERS = DnsStep.PARAMETERS;

    private final DnsRegistrars registrars;

    public RemoveDns(DnsRegistrars registrars) {
        this.registrars = registrars;
    }

    @Override
    public String type() {
        return "RemoveDns";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        TargetNode node = NodeTargets.requireNode(context, type());
        Optional<DnsRegistrar> dns = DnsStep.registrar(registrars, context);
        if (dns.isEmpty()) {
            return ActionResult.ok("DNS not configured (rulescaler.dns.server) or cluster has no dnsBaseName; nothing to remove");
        }
        String name = DnsStep.name(context, node, registrars.config().namePattern());
        try {
            dns.get().remove(name);
        } catch (DnsException e) {
            io.rulescaler.provider.ssh.RemoteFailures.count("dns", e.retryable() ? "unavailable" : "refused");
            throw new io.rulescaler.action.ActionException("DNS for " + node.name() + ": " + e.getMessage(), e.retryable(), e);
        }
        context.log().line("dns: removed " + name);
        LOG.infof("dns removed cluster=%s node=%s name=%s operation=%d", context.cluster().name(), node.name(), name,
                context.operationId());
        return ActionResult.ok("removed " + name, Map.of(ActionOutputs.DNS_NAME, name));
    }
}
