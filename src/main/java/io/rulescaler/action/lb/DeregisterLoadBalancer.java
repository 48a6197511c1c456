package io.rulescaler.action.lb;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancerException;
import io.rulescaler.provider.lb.LoadBalancers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Removes the task's node from the cluster's load balancer (run after DrainLoadBalancer); absent is fine. */
@ApplicationScoped
public class DeregisterLoadBalancer implements Action {

    private static final Logger LOG = Logger.getLogger(DeregisterLoadBalancer.class);
    public static final List<ActionParameter> PARAMETERS = LoadBalancerStep.PARAMETERS;

    private final LoadBalancers balancers;

    public DeregisterLoadBalancer(LoadBalancers balancers) {
        this.balancers = balancers;
    }

    @Override
    public String type() {
        return "DeregisterLoadBalancer";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        TargetNode node = NodeTargets.requireNode(context, type());
        Optional<LoadBalancer> lb = LoadBalancerStep.balancer(balancers, context);
        if (lb.isEmpty()) {
            return ActionResult.ok("cluster has no load balancer; nothing to deregister");
        }
        LoadBalancer.Member member = LoadBalancerStep.member(context, node, PARAMETERS);
        try {
            lb.get().deregister(member);
        } catch (LoadBalancerException e) {
            throw LoadBalancerStep.failure("deregistering " + node.name(), e);
        }
        context.log().line("load balancer: deregistered " + member.name());
        LOG.infof("lb member deregistered cluster=%s node=%s operation=%d", context.cluster().name(), node.name(),
                context.operationId());
        return ActionResult.ok("deregistered " + member.name() + " from the load balancer");
    }
}
