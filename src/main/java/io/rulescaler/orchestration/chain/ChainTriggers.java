package io.rulescaler.orchestration.chain;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.handoff.ChainTerms;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;

/**
 * Why a cluster may not run a chain for its scale operations: a chain that lists its {@code triggers}
 * without {@code scale} (a notice, a restart) is not a scale-out, scale-in, replace or teardown chain,
 * and a cluster that names it for one is refused with the chain file's line of {@code triggers:}.
 */
public final class ChainTriggers {

    private ChainTriggers() {
    }

    /** The spec field that names the chain a cluster runs for {@code kind}, as errors name it. */
    public static String field(Kind kind) {
        return switch (kind) {
            case SCALE_OUT -> "chains.scaleOut";
            case SCALE_IN -> "chains.scaleIn";
            case REPLACE -> "chains.replace";
            case TEARDOWN -> "chains.teardown";
            default -> "chains";
        };
    }

    /**
     * The error when {@code spec} uses {@code chain} for {@code kind} and the chain does not allow
     * {@code scale}, at the line of {@code content} that says its triggers; null when it may.
     */
    public static ChainError refusal(Chain chain, String content, ClusterSpec spec, Kind kind) {
        if (chain.triggers().contains(ChainTerms.SCALE)) {
            return null;
        }
        return new ChainError(chain.file(), lineOf(content), "triggers", "cluster '" + spec.name() + "' uses chain '"
                + chain.name() + "' for " + kind.label() + " (" + field(kind) + "), but the chain's triggers "
                + new java.util.TreeSet<>(chain.triggers()) + " leave out scale; add scale to its 'triggers' or name a"
                + " scale chain in the cluster's " + field(kind));
    }

    /** The line of {@code triggers:} in a chain file (1 when it has none). */
    static int lineOf(String content) {
        String[] lines = content == null ? new String[0] : content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("triggers:")) {
                return i + 1;
            }
        }
        return 1;
    }
}
