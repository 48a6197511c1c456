package io.rulescaler.orchestration.redeploy;

import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.RefusedException;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainParameters;
import io.rulescaler.orchestration.chain.ChainParser;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Builds a redeploy's chain from the cluster's own chains, one group of steps per batch named
 * {@code batch-<n>/<step>}: in place, the scale-in chain's drain step, the scale-out chain's
 * configuration steps, a health gate and the drain step's undo (register again); replacing, the
 * replace chain's steps with a health gate before the new node joins the load balancer. Pure.
 */
final class RedeployChains {

    /** Actions that create, remove, (de)register or announce nodes: not part of configuring one in place. */
    static final Set<String> NOT_CONFIGURATION = Set.of("DeployEC2Node", "DestroyNode", "RegisterLoadBalancer",
            "DeregisterLoadBalancer", "DrainLoadBalancer", "RegisterDns", "RemoveDns", "HandOverNodeToken", "Email");
    /** Actions that put a new node into service; the replace strategy's health gate goes before the first of them. */
    static final Set<String> JOINS = Set.of("RegisterLoadBalancer", "RegisterDns");
    /** A chain's forward steps must stay below the undo sequence numbers (1000). */
    static final int MAX_STEPS = 999;
    static final String DRAINING = "DRAINING";
    static final String ACTIVE = "ACTIVE";

    private RedeployChains() {
    }

    /** The pieces of an in-place redeploy: how a node leaves and rejoins service (null: it stays in), and how it is configured. */
    record InPlace(Chain.Step drain, Chain.Step register, List<Chain.Step> configure) {
    }

    /** Takes the drain step (and its undo) from the scale-in chain and the configuration steps from the scale-out chain. */
    static InPlace inPlace(Chain scaleOut, Chain scaleIn) {
        Chain.Step drain = scaleIn.steps().stream()
                .filter(s -> s.scope() == Chain.Scope.NODE && s.nodes() != Chain.NodeFilter.ADDED && s.undo() != null
                        && DRAINING.equalsIgnoreCase(s.nodeStateOnStart()))
                .findFirst().orElse(null);
        Chain.Step register = null;
        if (drain != null) {
            Chain.Undo u = drain.undo();
            register = new Chain.Step("register", u.action(), Chain.Scope.NODE, Chain.NodeFilter.ALL, u.params(),
                    Math.max(30, u.timeoutSeconds()), new Chain.Retry(3, 5000), null, Chain.OnFailure.STOP, 0, null, ACTIVE);
            drain = new Chain.Step("drain", drain.action(), Chain.Scope.NODE, Chain.NodeFilter.ALL, drain.params(),
                    drain.timeoutSeconds(), drain.retry(), new Chain.Undo(u.action(), u.params(), Math.max(30, u.timeoutSeconds()),
                    null, ACTIVE), Chain.OnFailure.STOP, 0, DRAINING, null);
        }
        List<Chain.Step> configure = scaleOut.steps().stream()
                .filter(s -> s.scope() == Chain.Scope.NODE && s.nodes() != Chain.NodeFilter.REMOVED
                        && !NOT_CONFIGURATION.contains(s.action()))
                .map(s -> new Chain.Step("configure/" + s.name(), s.action(), Chain.Scope.NODE, Chain.NodeFilter.ALL, s.params(),
                        s.timeoutSeconds(), s.retry(), null, Chain.OnFailure.STOP, 0, null, null))
                .toList();
        return new InPlace(drain, register, configure);
    }

    /** Every batch: drain, configure, health gate, register again (drain and register only when the cluster drains). */
    static Chain inPlaceChain(InPlace parts, int batches, int gateSeconds, int specVersion) {
        List<Chain.Step> steps = new ArrayList<>();
        for (int b = 1; b <= batches; b++) {
            if (parts.drain() != null) {
                steps.add(named(b, parts.drain()));
            }
            for (Chain.Step s : parts.configure()) {
                steps.add(named(b, s));
            }
            steps.add(named(b, gate(Chain.NodeFilter.ALL, gateSeconds, specVersion)));
            if (parts.register() != null) {
                steps.add(named(b, parts.register()));
            }
        }
        return chain("in place, batch by batch: drain, configure with the new parameters, health gate, register again", steps);
    }

    /**
     * Every batch: the replace chain's steps (new nodes deployed and configured, health gate, joined;
     * then the old ones drained and destroyed). Mails are left to the operation; undo steps are kept
     * only for draining old nodes (a cancel puts them back), so a cancel never destroys new nodes
     * whose predecessors are gone.
     */
    static Chain replaceChain(Chain replace, int batches, int gateSeconds, int specVersion) {
        List<Chain.Step> perBatch = new ArrayList<>();
        boolean gated = false;
        for (Chain.Step s : replace.steps()) {
            if ("Email".equals(s.action())) {
                continue;
            }
            boolean joins = s.scope() == Chain.Scope.NODE && s.nodes() != Chain.NodeFilter.REMOVED && JOINS.contains(s.action());
            boolean leaves = s.scope() == Chain.Scope.NODE && s.nodes() == Chain.NodeFilter.REMOVED;
            if (!gated && (joins || leaves || s.scope() == Chain.Scope.CLUSTER)) {
                perBatch.add(gate(Chain.NodeFilter.ADDED, gateSeconds, specVersion));
                gated = true;
            }
            boolean keepUndo = leaves && DRAINING.equalsIgnoreCase(s.nodeStateOnStart());
            perBatch.add(new Chain.Step(s.name(), s.action(), s.scope(), s.nodes(), s.params(), s.timeoutSeconds(), s.retry(),
                    keepUndo ? s.undo() : null, s.onFailure() == Chain.OnFailure.ROLLBACK ? Chain.OnFailure.STOP : s.onFailure(),
                    s.parallelism(), s.nodeStateOnStart(), s.nodeStateOnSuccess()));
        }
        if (!gated) {
            perBatch.add(gate(Chain.NodeFilter.ADDED, gateSeconds, specVersion));
        }
        List<Chain.Step> steps = new ArrayList<>();
        for (int b = 1; b <= batches; b++) {
            for (Chain.Step s : perBatch) {
                steps.add(named(b, s));
            }
        }
        return chain("replacing, batch by batch: new nodes with the new parameters, health gate, old nodes retired ("
                + replace.name() + ")", steps);
    }

    /** Refuses a plan whose chain would be longer than the task sequence allows, saying which batch size would fit. */
    static void checkLength(int stepsPerBatch, int batches, int nodes) {
        // nodes: how many the plan covers, to say which batchSize would fit
        if ((long) stepsPerBatch * batches > MAX_STEPS) {
            int maxBatches = Math.max(1, MAX_STEPS / Math.max(1, stepsPerBatch));
            throw new InvalidInputException("Too many batches", batches + " batches of " + stepsPerBatch + " steps exceed "
                    + MAX_STEPS + " steps; use a batchSize of at least " + (nodes + maxBatches - 1) / maxBatches, "batchSize");
        }
    }

    /** Steps one batch of the plan has. */
    static int stepsPerBatch(Chain chain, int batches) {
        return chain.steps().size() / Math.max(1, batches);
    }

    /** Every parameter name the chains read, with or without a default. */
    static Set<String> parametersRead(List<Chain> chains) {
        Set<String> names = new TreeSet<>();
        for (Chain c : chains) {
            for (Chain.Step s : c.steps()) {
                s.params().values().forEach(v -> read(v, names));
                if (s.undo() != null) {
                    s.undo().params().values().forEach(v -> read(v, names));
                }
            }
        }
        return names;
    }

    private static void read(String value, Set<String> into) {
        Matcher m = ChainParser.VARIABLE_PATTERN.matcher(value);
        while (m.find()) {
            ChainParameters.Reference r = ChainParameters.parse(m.group(1));
            if (r != null) {
                into.add(r.name());
            }
        }
    }

    /** A refusal when a chain lacks what the strategy needs. */
    static void requireConfiguration(InPlace parts, String scaleOutName) {
        if (parts.configure().isEmpty()) {
            throw new RefusedException("Nothing to reconfigure", "the cluster's scale-out chain '" + scaleOutName
                    + "' has no configuration step to run in place (only deploy/register/notify steps); use strategy "
                    + "\"replace\"", "strategy");
        }
    }

    private static Chain.Step gate(Chain.NodeFilter nodes, int gateSeconds, int specVersion) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("seconds", Integer.toString(gateSeconds));
        params.put("specVersion", Integer.toString(specVersion));
        return new Chain.Step("health-gate", "HealthGate", Chain.Scope.NODE, nodes, params, gateSeconds + 60L, Chain.Retry.NONE,
                null, Chain.OnFailure.STOP, 0, null, null);
    }

    private static Chain.Step named(int batch, Chain.Step s) {
        return new Chain.Step(Kind.BATCH_PREFIX + batch + "/" + s.name(), s.action(), s.scope(), s.nodes(), s.params(),
                s.timeoutSeconds(), s.retry(), s.undo(), s.onFailure(), s.parallelism(), s.nodeStateOnStart(), s.nodeStateOnSuccess());
    }

    private static Chain chain(String description, List<Chain.Step> steps) {
        return new Chain("redeploy", description, "(built from the cluster's chains)", List.copyOf(steps), Set.of("manual"), 0);
    }
}
