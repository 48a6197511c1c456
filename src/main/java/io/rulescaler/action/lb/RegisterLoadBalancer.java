package io.rulescaler.action.lb;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionOutputs;
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
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Adds the task's node to the cluster's load balancer so it takes traffic (step parameter: {@code port}). */
@ApplicationScoped
public class RegisterLoadBalancer implements Action {

    private static final Logger LOG = Logger.getLogger(RegisterLoadBalancer.class);
    public static final List<ActionParameter> PARAMETERS = LoadBalancerStep.PARAMETERS;

    private final LoadBalancers balancers;

    public RegisterLoadBalancer(LoadBalancers balancers) {
        this.balancers = balancers;
    }

    @Override
    public String type() {
        return "RegisterLoadBalancer";
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
            return ActionResult.ok("cluster has no load balancer; nothing to register");
        }
        LoadBalancer.Member member = LoadBalancerStep.member(context, node, PARAMETERS);
        try {
            lb.get().register(member);
        } catch (LoadBalancerException e) {
            throw LoadBalancerStep.failure("registering " + node.name(), e);
        }
        context.log().line("load balancer: registered " + member.name() + " at " + member.host() + ":" + member.port());
        LOG.infof("lb member registered cluster=%s node=%s member=%s:%d operation=%d", context.cluster().name(),
                node.name(), member.host(), member.port(), context.operationId());
        return ActionResult.ok("registered " + member.name() + " with the load balancer",
                Map.of(ActionOutputs.LB_MEMBER, member.name(), ActionOutputs.LB_ADDRESS, member.host() + ":" + member.port()));
    }
}
