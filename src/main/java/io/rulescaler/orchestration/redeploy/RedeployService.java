package io.rulescaler.orchestration.redeploy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.cluster.ClusterEntity;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterSpecParser;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeRepository;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainJson;
import io.rulescaler.orchestration.operation.OperationEntity;
import io.rulescaler.orchestration.operation.OperationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Starts a rolling redeploy: checks the request against the cluster and its chains, gives the
 * spec the new parameters (and a new spec version), and writes one operation of kind redeploy
 * that walks the cluster's nodes batch by batch, all in one transaction; lists a cluster's redeploys.
 */
@ApplicationScoped
@Transactional
public class RedeployService {

    private final ClusterRepository clusters;
    private final ClusterService clusterService;
    private final NodeRepository nodes;
    private final RedeployRepository redeploys;
    private final RedeployPlanner planner;
    private final Event<OperationEvent> events;
    private final Clock clock;

    public RedeployService(ClusterRepository clusters, ClusterService clusterService, NodeRepository nodes,
                           RedeployRepository redeploys, RedeployPlanner planner, Event<OperationEvent> events, Clock clock) {
        this.clusters = clusters;
        this.clusterService = clusterService;
        this.nodes = nodes;
        this.redeploys = redeploys;
        this.planner = planner;
        this.events = events;
        this.clock = clock;
    }

    /** Starts the redeploy; 404 unknown cluster, 400 bad input, 409 when an operation or redeploy is in flight. */
    @Transactional(Transactional.TxType.NEVER)
    public RedeployView start(String cluster, RedeployInput in, String by) {
        RedeployEntity r = QuarkusTransaction.requiringNew().call(() -> startInTx(cluster, in, by));
        events.fire(new OperationEvent(r.operationId, OperationEvent.Type.STARTED));
        return RedeployView.of(r);
    }

    private RedeployEntity startInTx(String cluster, RedeployInput in, String by) {
        ClusterEntity c = clusters.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
        ClusterSpec spec = ClusterSpecParser.fromJson(c.specJson);
        if (in.deployable() != null) {
            // an unknown deployable, or one without a variant for the cluster's profiles: 400 before anything is written
            clusterService.effective(ClusterSpecParser.withFields(spec, Map.of("deployable", in.deployable())));
        }
        checkKeys(spec, in.parameters());
        redeploys.activeFor(cluster).ifPresent(running -> {
            throw new ConflictException("cluster '" + cluster + "' already has redeploy " + running.id + " "
                    + running.state.label() + " (operation " + (running.rollbackOperationId != null ? running.rollbackOperationId
                    : running.operationId) + "); wait for it or cancel that operation");
        });
        Map<String, String> previous = new LinkedHashMap<>(spec.parametersOrEmpty());
        Map<String, String> merged = new LinkedHashMap<>(previous);
        merged.putAll(in.parameters());
        boolean changes = !merged.equals(previous) || in.deployable() != null;
        int from = c.specVersion;
        int to = changes ? from + 1 : from;
        List<NodeEntity> running = nodes.ofClusterInStates(c.id, List.copyOf(NodeService.RUNNING)).stream()
                .sorted(Comparator.comparing((NodeEntity n) -> n.index == null ? Integer.MAX_VALUE : n.index)
                        .thenComparing(n -> n.name)).toList();
        List<NodeEntity> targets = changes ? running : running.stream().filter(n -> n.specVersion != to).toList();
        if (targets.isEmpty()) {
            targets = running; // everything is up to date: roll the current spec out again
        }
        if (targets.isEmpty()) {
            throw new ConflictException("cluster '" + cluster + "' has no active node to redeploy; scale it out instead");
        }
        int batchSize = in.batchFor(targets.size());
        int maxUnavailable = in.maxUnavailable() == null ? batchSize : in.maxUnavailable();
        if (RedeployInput.IN_PLACE.equals(in.strategy())) {
            batchSize = Math.min(batchSize, maxUnavailable); // in place, every node of a batch is out of service at once
        }
        List<RedeployPlanner.Batch> batches = batches(targets, batchSize, in.strategy());
        Chain chain = planner.chainFor(spec, in.strategy(), batches.size(), targets.size(), in.gateSeconds(), to);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("parameters", merged);
        if (in.deployable() != null) {
            fields.put("deployable", in.deployable());
        }
        clusterService.rollOut(cluster, s -> ClusterSpecParser.withFields(s, fields), to);
        String reason = in.reason() == null || in.reason().isBlank()
                ? "redeploy requested by " + by + (changes ? " (spec version " + from + " -> " + to + ")" : "") : in.reason();
        OperationEntity op = planner.start(new RedeployPlanner.Plan(cluster, chain, batches, merged, reason, "manual", by));
        Instant now = clock.instant();
        RedeployEntity r = new RedeployEntity();
        r.clusterName = cluster;
        r.operationId = op.id;
        r.state = RedeployEntity.State.RUNNING;
        r.strategy = in.strategy();
        r.batchSize = batchSize;
        r.batches = batches.size();
        r.maxUnavailable = maxUnavailable;
        r.healthGateSeconds = in.gateSeconds();
        r.onFailure = in.onFailure();
        r.fromSpecVersion = from;
        r.toSpecVersion = to;
        r.previousParametersJson = ChainJson.write(previous);
        r.parametersJson = ChainJson.write(merged);
        r.reason = op.reason;
        r.requestedBy = by;
        r.createdAt = now;
        r.updatedAt = now;
        redeploys.persist(r);
        return r;
    }

    /** Splits the nodes into batches of {@code size}, in order. */
    static List<RedeployPlanner.Batch> batches(List<NodeEntity> targets, int size, String strategy) {
        List<RedeployPlanner.Batch> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += size) {
            List<NodeEntity> part = List.copyOf(targets.subList(i, Math.min(targets.size(), i + size)));
            out.add(RedeployInput.REPLACE.equals(strategy) ? RedeployPlanner.Batch.replacing(part) : RedeployPlanner.Batch.inPlace(part));
        }
        return out;
    }

    /** A key is known when the cluster defines it or one of its chains reads it as ${params.<key>}. */
    private void checkKeys(ClusterSpec spec, Map<String, String> parameters) {
        Set<String> known = new TreeSet<>(planner.parametersRead(spec));
        known.addAll(spec.parametersOrEmpty().keySet());
        for (String key : parameters.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidInputException("Unknown parameter", "unknown parameter '" + key + "': cluster '" + spec.name()
                        + "' does not define it and none of its chains reads ${params." + key + "}; known: " + known
                        + " (add a new parameter to the cluster's spec first)", "parameters." + key);
            }
        }
    }

    /** The cluster's redeploys, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RedeployView> list(String cluster, int limit) {
        clusters.findByName(cluster).orElseThrow(() -> NotFoundException.of("cluster", cluster));
        return redeploys.ofCluster(cluster, limit).stream().map(RedeployView::of).toList();
    }
}
