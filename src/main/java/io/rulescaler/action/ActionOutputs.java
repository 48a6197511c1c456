package io.rulescaler.action;

/**
 * The output keys built-in actions write, in one place, because later steps ({@code ${outputs.KEY}})
 * and the orchestrator (which copies a created machine onto its node record) read them by name.
 */
public final class ActionOutputs {

    /** The machine id a created node got from its provider; copied onto the node record. */
    public static final String NODE_PROVIDER_ID = "node.providerId";
    /** The address of a created node's machine; copied onto the node record. */
    public static final String NODE_ADDRESS = "node.address";
    /** The cluster spec version a node now runs (a redeploy's health gate passed); copied onto the node record. */
    public static final String NODE_SPEC_VERSION = "node.specVersion";
    /** The DNS name a node was given or lost. */
    public static final String DNS_NAME = "dns.name";
    /** The load balancer member name of a registered node. */
    public static final String LB_MEMBER = "lb.member";
    /** host:port the load balancer sends a registered node's traffic to. */
    public static final String LB_ADDRESS = "lb.address";
    /** Whether a drain ended with no open connections. */
    public static final String LB_DRAINED = "lb.drained";
    /** Connections still open when a drain ended. */
    public static final String LB_REMAINING_CONNECTIONS = "lb.remainingConnections";
    /** Puppet's detailed exit code (0: no changes, 2: changes). */
    public static final String PUPPET_EXIT_CODE = "puppet.exitCode";
    /** Whether Puppet changed anything. */
    public static final String PUPPET_CHANGED = "puppet.changed";
    /** How many hosts a distributed script succeeded on. */
    public static final String SCRIPT_SUCCEEDED = "script.succeeded";
    /** The nodes a distributed script failed on, comma-separated. */
    public static final String SCRIPT_FAILED = "script.failed";
    /** The exit code of fab. */
    public static final String FABRIC_EXIT_CODE = "fabric.exitCode";

    private ActionOutputs() {
    }

    /** The exit code of a distributed script on one node. */
    public static String scriptExit(String node) {
        return "script." + node + ".exit";
    }
}
