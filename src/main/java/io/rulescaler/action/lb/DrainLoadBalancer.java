package io.rulescaler.action.lb;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionOutputs;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.lb.LoadBalancer;
import io.rulescaler.provider.lb.LoadBalancerException;
import io.rulescaler.provider.lb.LoadBalancers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stops new connections to the task's node and waits until its open connections end, at most
 * {@code drainSeconds} (step parameter, else the spec's loadBalancer.drainSeconds, else rulescaler.lb.drain-timeout).
 * Connections still open then do not fail the step: scale-in goes on, and the message says how many remained.
 */
@ApplicationScoped
public class DrainLoadBalancer implements Action {

    private static final Logger LOG = Logger.getLogger(DrainLoadBalancer.class);
    public static final List<ActionParameter> PARAMETERS = List.of(LoadBalancerStep.PORT,
            ActionParameter.integer("drainSeconds", "longest wait for open connections to end (default: the spec's "
                    + "loadBalancer.drainSeconds, else rulescaler.lb.drain-timeout)").between(0, 86_400));

    private final LoadBalancers balancers;
    private final Clock clock;

    public DrainLoadBalancer(LoadBalancers balancers, Clock clock) {
        this.balancers = balancers;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "DrainLoadBalancer";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        TargetNode node = NodeTargets.requireNode(context, type());
        Optional<LoadBalancer> found = LoadBalancerStep.balancer(balancers, context);
        if (found.isEmpty()) {
            return ActionResult.ok("cluster has no load balancer; nothing to drain");
        }
        LoadBalancer lb = found.get();
        LoadBalancer.Member member = LoadBalancerStep.member(context, node, PARAMETERS);
        Duration limit = drainLimit(context);
        Instant deadline = clock.instant().plus(limit);
        try {
            lb.drain(member);
            context.log().line("load balancer: draining " + member.name() + ", waiting up to " + limit.toSeconds() + "s for connections to end");
            int open = lb.activeConnections(member);
            int lastLogged = -1;
            while (open > 0 && clock.instant().isBefore(deadline) && !context.cancelled()) {
                if (open != lastLogged) {
                    context.log().line("load balancer: " + member.name() + " has " + open + " open connections");
                    lastLogged = open;
                }
                Thread.sleep(balancers.config().drainPoll().toMillis());
                open = lb.activeConnections(member);
            }
            LOG.infof("lb member drained cluster=%s node=%s remaining=%d operation=%d", context.cluster().name(),
                    node.name(), open, context.operationId());
            String message = open == 0 ? "drained " + member.name() + ": no open connections"
                    : "drain of " + member.name() + " timed out after " + limit.toSeconds() + "s with " + open + " connections open";
            context.log().line("load balancer: " + message);
            return ActionResult.ok(message, Map.of(ActionOutputs.LB_DRAINED, String.valueOf(open == 0), ActionOutputs.LB_REMAINING_CONNECTIONS, String.valueOf(open)));
        } catch (LoadBalancerException e) {
            throw LoadBalancerStep.failure("draining " + node.name(), e);
        }
    }

    private Duration drainLimit(TaskContext context) throws ActionException {
        Optional<Integer> param = StepParams.of(context, PARAMETERS).integer("drainSeconds");
        if (param.isPresent()) {
            return Duration.ofSeconds(param.get());
        }
        ClusterSpec.LoadBalancer spec = context.cluster().loadBalancer();
        return spec.drainSeconds() != null ? Duration.ofSeconds(spec.drainSeconds()) : balancers.config().drainTimeout();
    }
}
