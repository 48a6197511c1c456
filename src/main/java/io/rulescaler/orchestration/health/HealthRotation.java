package io.rulescaler.orchestration.health;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.lb.LoadBalancerMembership;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps unhealthy nodes out of their load balancer: a node the prober marked {@code unhealthy} is drained
 * at once (before its replacement runs), and put back when it turns {@code active} again before its
 * replacement started (whichever instance took it out: registering is idempotent). Which nodes this
 * instance holds out is kept in memory; a call that fails is tried again next round, and every move is
 * a line in the node's history.
 */
@ApplicationScoped
public class HealthRotation {

    private static final Logger LOG = Logger.getLogger(HealthRotation.class);
    private final LoadBalancerMembership membership;
    private final HealthStore store;
    private final Set<Long> takenOut = ConcurrentHashMap.newKeySet();

    public HealthRotation(LoadBalancerMembership membership, HealthStore store) {
        this.membership = membership;
        this.store = store;
    }

    /** Whether this instance holds the node out of its load balancer. */
    boolean isOut(long nodeId) {
        return takenOut.contains(nodeId);
    }

    /**
     * Brings the load balancer in line with the nodes' states after a round ({@code nodes}: the active and
     * unhealthy ones; {@code recovered}: those the round moved back to active).
     */
    void follow(ClusterSpec spec, List<HealthStore.Target> nodes, Set<Long> probedHere, Set<Long> recovered) {
        if (!membership.has(spec)) {
            nodes.forEach(t -> takenOut.remove(t.id()));
            return;
        }
        Map<Long, String> history = new LinkedHashMap<>();
        takenOut.addAll(recovered); // out on this or an earlier owner; kept until the put-back succeeds
        for (HealthStore.Target t : nodes) {
            boolean out = takenOut.contains(t.id());
            if (t.state() == NodeState.UNHEALTHY && !out) {
                move(spec, t, false).ifPresent(member -> {
                    takenOut.add(t.id());
                    history.put(t.id(), "health: taken out of the load balancer (" + member + ") until it is healthy or replaced");
                });
            } else if (t.state() == NodeState.ACTIVE && out) {
                move(spec, t, true).ifPresent(member -> {
                    takenOut.remove(t.id());
                    history.put(t.id(), "health: put back into the load balancer (" + member + "), healthy again");
                });
            }
        }
        takenOut.removeIf(id -> probedHere.contains(id) && nodes.stream().noneMatch(t -> t.id() == id));
        store.note(history);
    }

    /** The member moved, or empty when there is no load balancer or the call failed (tried again next round). */
    private Optional<String> move(ClusterSpec spec, HealthStore.Target t, boolean in) {
        LoadBalancerMembership.Node node = new LoadBalancerMembership.Node(t.name(), t.address(), t.providerId());
        try {
            return in ? membership.putBack(spec, node) : membership.takeOut(spec, node);
        } catch (ActionException e) {
            LOG.warnf("health load balancer move failed cluster=%s node=%s in=%s problem=%s", spec.name(), t.name(), in,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
