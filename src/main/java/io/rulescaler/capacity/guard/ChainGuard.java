package io.rulescaler.capacity.guard;

import io.rulescaler.handoff.ChainTerms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The guard for chain runs, pure like {@link Guard}: whether a rule's {@code RunChain} or an
 * operator's call may start a chain now, and why not.
 *
 * <pre>
 *  chain loaded? ─> allowed for this trigger? ─> node exists and active? ─> parameters present?
 *  ─> no run of it pending or running for the node? ─> cooldown since its last run over?
 *  ─> cluster paused? (rules only) ─> accepted (dry run: recorded, not acted on)
 * </pre>
 */
public final class ChainGuard {

    private ChainGuard() {
    }

    /** Everything the judgement reads. {@code nodeState} is null when the named node does not exist. */
    public record Input(String trigger, String chain, ChainTerms terms, String node, String nodeState,
                        Map<String, String> clusterParameters, Map<String, String> runParameters,
                        Long activeRun, Instant lastStarted, Instant now, boolean paused, boolean dryRun) {
    }

    /** The outcome: accepted (acts unless a dry run) or refused, with the reasons in words. */
    public record ChainVerdict(boolean accepted, boolean dryRun, List<String> why) {

        /** Whether a pending run should be handed to the orchestrator. */
        public boolean acts() {
            return accepted && !dryRun;
        }

        public String explanation() {
            return String.join("; ", why);
        }
    }

    public static ChainVerdict judge(Input in) {
        List<String> why = new ArrayList<>();
        ChainTerms t = in.terms();
        if (t == null) {
            return refused(in, "no chain '" + in.chain() + "' is loaded (files under actions/; see GET /api/v1/chains)");
        }
        if (!t.allows(in.trigger())) {
            return refused(in, "chain '" + t.name() + "' (" + t.file() + ") may be started by " + t.triggers()
                    + ", not by " + in.trigger() + "; add " + in.trigger() + " to its 'triggers'");
        }
        if (in.node() != null) {
            if (in.nodeState() == null) {
                return refused(in, "node '" + in.node() + "' is not a node of this cluster");
            }
            if (!"active".equalsIgnoreCase(in.nodeState())) {
                return refused(in, "node '" + in.node() + "' is " + in.nodeState().toLowerCase() + ", not active");
            }
        }
        Set<String> missing = new TreeSet<>(t.requiredParameters());
        missing.removeAll(in.clusterParameters().keySet());
        missing.removeAll(in.runParameters().keySet());
        if (!missing.isEmpty()) {
            return refused(in, "chain '" + t.name() + "' (" + t.file() + ") reads parameter(s) " + missing
                    + " which the cluster does not define and the request does not give");
        }
        String target = in.node() == null ? "the cluster" : "node '" + in.node() + "'";
        if (in.activeRun() != null) {
            return refused(in, "chain '" + t.name() + "' already has run " + in.activeRun() + " pending or running for " + target);
        }
        if (in.lastStarted() != null && t.cooldownSeconds() > 0) {
            Instant until = in.lastStarted().plusSeconds(t.cooldownSeconds());
            if (in.now().isBefore(until)) {
                return refused(in, "chain '" + t.name() + "' cooldown for " + target + " until " + until + " ("
                        + t.cooldownSeconds() + " s after its last run at " + in.lastStarted() + ")");
            }
        }
        if ("rule".equals(in.trigger()) && in.paused()) {
            return refused(in, "cluster is paused: rules keep evaluating but no chain is started");
        }
        why.add("run chain '" + t.name() + "' for " + target);
        if (in.dryRun()) {
            why.add("dry run: recorded, not started");
        }
        return new ChainVerdict(true, in.dryRun(), why);
    }

    private static ChainVerdict refused(Input in, String reason) {
        return new ChainVerdict(false, in.dryRun(), List.of(reason));
    }
}
