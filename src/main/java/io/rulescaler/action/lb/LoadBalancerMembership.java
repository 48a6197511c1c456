package io.rulescaler.action.lb;

import io.rulescaler.action.ActionException;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancerException;
import io.rulescaler.provider.lb.LoadBalancers;
import io.rulescaler.provider.ssh.SshTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes a node out of its cluster's load balancer, or puts it back, outside a chain: the health prober
 * does this the moment a node turns unhealthy (and back when it recovers before its replacement starts),
 * with the same member naming and port as the chain's load balancer steps.
 */
@ApplicationScoped
public class LoadBalancerMembership {

    private static final Logger LOG = Logger.getLogger(LoadBalancerMembership.class);
    private final LoadBalancers balancers;

    public LoadBalancerMembership(LoadBalancers balancers) {
        this.balancers = balancers;
    }

    /** A node as the prober knows it: its name, address (an SSH port is dropped) and provider id. */
    public record Node(String name, String address, String providerId) {
    }

    /** Whether the cluster's spec names a load balancer at all (no adapter is built). */
    public boolean has(ClusterSpec spec) {
        ClusterSpec.LoadBalancer lb = spec.loadBalancer();
        return lb != null && lb.type() != null && !lb.type().equals("none");
    }

    /**
     * Stops traffic to the node (drain: no new connections); the member's description, or empty when the
     * cluster has no load balancer.
     */
    public Optional<String> takeOut(ClusterSpec spec, Node node) throws ActionException {
        return change(spec, node, false);
    }

    /** Registers the node again and lets it take traffic; empty when the cluster has no load balancer. */
    public Optional<String> putBack(ClusterSpec spec, Node node) throws ActionException {
        return change(spec, node, true);
    }

    private Optional<String> change(ClusterSpec spec, Node node, boolean in) throws ActionException {
        Optional<LoadBalancer> lb;
        try {
            lb = balancers.forSpec(spec.loadBalancer());
        } catch (IllegalArgumentException e) {
            throw new ActionException("cluster " + spec.name() + ": " + e.getMessage(), false, e);
        }
        if (lb.isEmpty()) {
            return Optional.empty();
        }
        ClusterSpec.LoadBalancer lbSpec = spec.loadBalancer();
        String host;
        try {
            host = SshTarget.parse(node.address(), "-", 22).host();
        } catch (IllegalArgumentException e) {
            throw new ActionException(node.name() + ": " + e.getMessage(), false, e);
        }
        LoadBalancer.Member member = LoadBalancerStep.member(lbSpec, lbSpec.port() != null ? lbSpec.port() : 80,
                node.name(), node.providerId(), host);
        try {
            if (in) {
                lb.get().register(member);
            } else {
                lb.get().drain(member);
            }
        } catch (LoadBalancerException e) {
            throw LoadBalancerStep.failure((in ? "putting back " : "taking out ") + node.name(), e);
        }
        LOG.infof("lb member %s by health cluster=%s node=%s", in ? "put back" : "taken out", spec.name(), node.name());
        return Optional.of(member.name() + " at " + member.host() + ":" + member.port());
    }
}
