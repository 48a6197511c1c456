package io.rulescaler.capacity.fact;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a rule concludes when the answer is not a size: run a chain (a file under {@code actions/})
 * for the cluster or for one of its nodes, with a reason and optional parameters. Like
 * {@link ScaleDecision}, rules insert it and do nothing else; the engine records the rule and the
 * facts that matched, and the chain guard decides whether it becomes an operation.
 */
public final class RunChain {

    private final String chain;
    private final String node;
    private final Map<String, String> parameters;
    private final String reason;

    /** Run {@code chain} for the whole cluster. */
    public RunChain(String chain, String reason) {
        this(chain, null, Map.of(), reason);
    }

    /** Run {@code chain} for one node ({@code null} for the whole cluster). */
    public RunChain(String chain, String node, String reason) {
        this(chain, node, Map.of(), reason);
    }

    /** Run {@code chain} for the whole cluster with parameters that override the cluster's. */
    public RunChain(String chain, Map<String, String> parameters, String reason) {
        this(chain, null, parameters, reason);
    }

    /** Run {@code chain} for one node ({@code null} for the cluster) with parameters that override the cluster's. */
    public RunChain(String chain, String node, Map<String, String> parameters, String reason) {
        if (chain == null || chain.isBlank()) {
            throw new IllegalArgumentException("RunChain needs the name of a chain");
        }
        this.chain = chain;
        this.node = node == null || node.isBlank() ? null : node;
        this.parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        this.reason = reason == null ? "" : reason;
    }

    public String getChain() {
        return chain;
    }

    /** The node it is for, or null for the whole cluster. */
    public String getNode() {
        return node;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    public String getReason() {
        return reason;
    }

    /** What makes two requests the same run: chain, node and parameters (not the reason). */
    public String key() {
        return chain + "/" + (node == null ? "" : node) + "/" + new TreeMap<>(parameters);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunChain r && chain.equals(r.chain) && Objects.equals(node, r.node)
                && parameters.equals(r.parameters) && reason.equals(r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chain, node, parameters, reason);
    }

    @Override
    public String toString() {
        return "RunChain{chain=" + chain + (node == null ? "" : ", node=" + node)
                + (parameters.isEmpty() ? "" : ", parameters=" + new TreeMap<>(parameters)) + ", reason=" + reason + "}";
    }
}
