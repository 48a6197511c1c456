package io.rulescaler.action;

/**
 * The step parameters shared by the actions that work on nodes over SSH (OSConfiguration,
 * DistributeScript, FabricTask), declared once so they read and check the same everywhere.
 */
public final class NodeParameters {

    /** File prefix on the node; {@code {node}} becomes the node's name (several test nodes on one machine). */
    public static final ActionParameter ROOT = ActionParameter.string("root",
            "file prefix on the node, {node} becomes the node's name (default: none)");
    /** {@code false}: leave system services and packages alone (scratch runs). */
    public static final ActionParameter MANAGE_SYSTEM = ActionParameter.bool("manageSystem",
            "false: leave system services and packages alone").orElse("true");
    /** The SSH login; read on the SSH side for every node the step connects to. */
    public static final ActionParameter USER = ActionParameter.string("user", "SSH login (default: rulescaler.ssh.default-user)");
    /** Run through {@code sudo -n} when the login is not root. */
    public static final ActionParameter SUDO = ActionParameter.bool("sudo", "true: run through sudo -n when the login is not root")
            .orElse("false");

    private NodeParameters() {
    }
}
