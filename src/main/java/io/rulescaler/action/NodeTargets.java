package io.rulescaler.action;

import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.ssh.RemoteFailures;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshFailure;
import io.rulescaler.provider.ssh.SshTarget;

/** Turns a task's node into an {@link SshTarget}, and SSH failures into action failures, the same way for every action. */
public final class NodeTargets {

    private NodeTargets() {
    }

    /** The login user: the step's {@code user} parameter, else the cluster template's login user, else the configured default. */
    public static SshTarget of(SshConnector ssh, TaskContext context, TargetNode node) throws ActionException {
        if (node.address() == null || node.address().isBlank()) {
            throw new ActionException("node " + node.name() + " has no address yet; run the deploy step first", true);
        }
        String user = context.params().get("user");
        if (user == null || user.isBlank()) {
            ClusterSpec.NodeTemplate template = context.cluster().templateFor(context.cluster().profileOr(node.profile()));
            user = template == null ? null : template.loginUser();
        }
        try {
            return ssh.target(node.address(), user);
        } catch (IllegalArgumentException e) {
            throw new ActionException("node " + node.name() + ": " + e.getMessage(), false, e);
        }
    }

    /** The node this task is for, or a clear failure when the chain ran a node step for the whole cluster. */
    public static TargetNode requireNode(TaskContext context, String action) throws ActionException {
        return context.node().orElseThrow(() -> new ActionException(
                action + " is a node step: the chain must run it for a node (step " + context.step() + ")", false));
    }

    /** The host part of a node address (no user, no SSH port), for load balancers, DNS and peer lists. */
    public static String host(TargetNode node) {
        return SshTarget.parse(node.address(), "-", 22).host();
    }

    /** An action failure carrying the SSH failure's message and whether retrying can help. */
    public static ActionException failure(String what, SshFailure e) {
        RemoteFailures.count("ssh", e.kind().name().toLowerCase());
        return new ActionException(what + ": " + e.getMessage(), e.kind().retryable(), e);
    }
}
