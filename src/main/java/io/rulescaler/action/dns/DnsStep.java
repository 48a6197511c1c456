package io.rulescaler.action.dns;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.TaskContext;
import io.rulescaler.provider.dns.DnsNames;
import io.rulescaler.provider.dns.DnsRegistrar;
import io.rulescaler.provider.dns.DnsRegistrars;
import java.util.List;
import java.util.Optional;

/** The node's DNS name as both DNS actions compute it (step parameter {@code namePattern} overrides the configured one). */
final class DnsStep {

    /** The parameters of RegisterDns and RemoveDns. */
    static final List<ActionParameter> PARAMETERS = List.of(ActionParameter.string("namePattern",
            "the node's DNS name, e.g. #.zone.basename (default: rulescaler.dns.name-pattern)"));

    private DnsStep() {
    }

    /** The cluster's registrar, or empty when DNS is off; a configuration mistake fails the step for good. */
    static Optional<DnsRegistrar> registrar(DnsRegistrars registrars, TaskContext context) throws ActionException {
        try {
            return registrars.forCluster(context.cluster());
        } catch (IllegalArgumentException e) {
            throw new ActionException(e.getMessage(), false, e);
        }
    }

    static String name(TaskContext context, TargetNode node, String configuredPattern) throws ActionException {
        String pattern = StepParams.of(context, PARAMETERS).text("namePattern").orElse(configuredPattern);
        if (node.index() < 1) {
            throw new ActionException("node " + node.name() + " has no index yet; DNS names need one (#.zone.basename)", false);
        }
        try {
            return DnsNames.nodeName(pattern, node.index(), node.zone(), context.cluster().dnsBaseName());
        } catch (IllegalArgumentException e) {
            throw new ActionException(e.getMessage(), false, e);
        }
    }
}
