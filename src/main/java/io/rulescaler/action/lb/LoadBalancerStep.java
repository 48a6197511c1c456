package io.rulescaler.action.lb;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancerException;
import io.rulescaler.provider.lb.LoadBalancers;
import java.util.List;
import java.util.Optional;

/** What the three load balancer actions share: the cluster's adapter and the node as a member. */
final class LoadBalancerStep {

    /** The member port: the step's, else the spec's loadBalancer.port, else 80. */
    static final ActionParameter PORT = ActionParameter.integer("port",
            "port the load balancer sends the node's traffic to (default: the spec's loadBalancer.port, else 80)").between(1, 65535);
    /** The parameters of RegisterLoadBalancer and DeregisterLoadBalancer. */
    static final List<ActionParameter> PARAMETERS = List.of(PORT);

    private LoadBalancerStep() {
    }

    static Optional<LoadBalancer> balancer(LoadBalancers balancers, TaskContext context) throws ActionException {
        try {
            return balancers.forSpec(context.cluster().loadBalancer());
        } catch (IllegalArgumentException e) {
            throw new ActionException("cluster " + context.cluster().name() + ": " + e.getMessage(), false, e);
        }
    }

    /**
     * The node as a member: name = the node's name (HAProxy) or provider id (AWS, which needs the
     * instance id); host = the node's address without SSH port; port = step {@code port}, else the spec's port, else 80.
     */
    static LoadBalancer.Member member(TaskContext context, TargetNode node, List<ActionParameter> declared) throws ActionException {
        ClusterSpec.LoadBalancer spec = context.cluster().loadBalancer();
        int port = StepParams.of(context, declared).integer("port", spec.port() != null ? spec.port() : 80);
        return member(spec, port, node.name(), node.providerId(), NodeTargets.host(node));
    }

    /** The same naming outside a chain (the health prober): {@code host} is the node's address without SSH port. */
    static LoadBalancer.Member member(ClusterSpec.LoadBalancer spec, int port, String nodeName, String providerId, String host) {
        boolean aws = "aws-elbv2".equals(spec.type());
        String name = aws ? (providerId == null ? host : providerId) : nodeName;
        return new LoadBalancer.Member(name, host, port);
    }

    static ActionException failure(String what, LoadBalancerException e) {
        io.rulescaler.provider.ssh.RemoteFailures.count("lb", e.retryable() ? "unavailable" : "refused");
        return new ActionException(what + ": " + e.getMessage(), e.retryable(), e);
    }
}
