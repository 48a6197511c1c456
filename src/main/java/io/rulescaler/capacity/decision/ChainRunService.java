package io.rulescaler.capacity.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.decision.ClusterStateQuery.ClusterRow;
import io.rulescaler.capacity.engine.FiredChain;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.guard.ChainGuard;
import io.rulescaler.capacity.guard.ChainGuard.ChainVerdict;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.handoff.ChainDirectory;
import io.rulescaler.handoff.ChainRunEntity;
import io.rulescaler.handoff.ChainRuns;
import io.rulescaler.handoff.ChainTerms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The decision stage for chain runs: judges a rule's {@code RunChain} (or an operator's call) with
 * the {@link ChainGuard} under the cluster's {@link DecisionLock}, and stores every verdict in the
 * hand-off table; an accepted run is the PENDING row the orchestrator takes.
 */
@ApplicationScoped
public class ChainRunService {

    private static final Logger LOG = Logger.getLogger(ChainRunService.class);
    private final EntityManager em;
    private final Clock clock;
    private final DecisionLock lock;
    private final ClusterStateQuery state;
    private final ChainRuns runs;
    private final ChainDirectory chains;

    public ChainRunService(EntityManager em, Clock clock, DecisionLock lock, ClusterStateQuery state, ChainRuns runs,
                           ChainDirectory chains) {
        this.em = em;
        this.clock = clock;
        this.lock = lock;
        this.state = state;
        this.runs = runs;
        this.chains = chains;
    }

    /** What one judged run is, as the API and "why" show it. */
    public record RunView(long id, String cluster, String chain, String node, Map<String, String> parameters, String reason,
                          String source, String rule, String ruleSet, String requestedBy, int requests, String verdict,
                          String why, boolean dryRun, String status, Long operationId, String statusDetail,
                          Instant createdAt, Instant updatedAt) {

        public static RunView of(ChainRunEntity r) {
            return new RunView(r.id, r.clusterName, r.chainName, r.node(), Params.read(r.parametersJson), r.reason,
                    r.source.name().toLowerCase(), r.ruleName, r.ruleSet, r.requestedBy, r.requests, r.verdict,
                    r.verdictReason, r.dryRun, r.status.label(), r.operationId, r.statusDetail, r.createdAt, r.updatedAt);
        }
    }

    /** Judges and stores the chain requests of one evaluation in one transaction (none when there are none). */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<RunView> judge(String cluster, String ruleSet, List<FiredChain> fired) {
        if (fired.isEmpty()) {
            return List.of();
        }
        lock.ensure(cluster);
        return QuarkusTransaction.requiringNew().call(() -> {
            lock.acquire(cluster);
            em.clear();
            List<RunView> out = new ArrayList<>();
            for (FiredChain f : fired) {
                ChainRunEntity r = newRun(cluster, f.run().getChain(), f.run().getNode(), f.run().getParameters(),
                        f.run().getReason(), ChainRunEntity.Source.RULE);
                r.ruleName = cut(f.rule(), 255);
                r.ruleSet = ruleSet;
                r.requests = f.requests();
                r.factsJson = FactJson.of(f.matched(), f.bindings());
                if (!judgeAndStore(r, ChainTerms.RULE)) {
                    return out;
                }
                out.add(RunView.of(r));
            }
            return out;
        });
    }

    /** Judges and stores an operator's request to run a chain; the caller answers a refusal. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public RunView manual(String cluster, String chain, String node, Map<String, String> parameters, String reason, String user) {
        lock.ensure(cluster);
        return QuarkusTransaction.requiringNew().call(() -> {
            lock.acquire(cluster);
            ChainRunEntity r = newRun(cluster, chain, node, parameters, reason, ChainRunEntity.Source.MANUAL);
            r.requestedBy = user;
            r.factsJson = FactJson.MAPPER.createObjectNode().set("manual", FactJson.MAPPER.createObjectNode()
                    .put("by", user).put("chain", chain).put("node", node)).toString();
            if (!judgeAndStore(r, ChainTerms.MANUAL)) {
                throw NotFoundException.of("cluster", cluster);
            }
            return RunView.of(r);
        });
    }

    /** Runs of a cluster (optionally of one chain), newest first. */
    public List<RunView> list(String cluster, String chain, int limit) {
        return runs.list(cluster, chain, limit).stream().map(RunView::of).toList();
    }

    /** Judges {@code r} against the cluster's state now and stores it; false when the cluster is gone. */
    private boolean judgeAndStore(ChainRunEntity r, String trigger) {
        ClusterRow row = state.load(r.clusterName).orElse(null);
        if (row == null) {
            return false;
        }
        ClusterFacts f = state.factsOf(row, null);
        String nodeState = r.node() == null ? null : f.nodes().stream().filter(n -> n.getId().equals(r.node()))
                .map(NodeView::getState).findFirst().orElse(null);
        Instant now = clock.instant();
        ChainVerdict v = ChainGuard.judge(new ChainGuard.Input(trigger, r.chainName, chains.terms(r.chainName).orElse(null),
                r.node(), nodeState, f.spec().parametersOrEmpty(), Params.read(r.parametersJson),
                runs.active(r.clusterName, r.chainName, r.node()).map(a -> a.id).orElse(null),
                runs.lastStarted(r.clusterName, r.chainName, r.node()).orElse(null), now, f.spec().isPaused(), f.spec().isDryRun()));
        r.verdict = v.accepted() ? "accepted" : "refused";
        r.verdictReason = cut(v.explanation(), 2048);
        r.dryRun = v.dryRun();
        r.status = v.acts() ? ChainRunEntity.Status.PENDING : v.accepted() ? ChainRunEntity.Status.DRY_RUN : ChainRunEntity.Status.REFUSED;
        r.createdAt = now;
        r.updatedAt = now;
        runs.record(r);
        LOG.infof("chain run judged cluster=%s id=%d chain=%s node=%s source=%s rule=\"%s\" requests=%d verdict=%s status=%s why=\"%s\"",
                r.clusterName, r.id, r.chainName, r.node(), r.source, r.ruleName, r.requests, r.verdict, r.status, r.verdictReason);
        return true;
    }

    private static ChainRunEntity newRun(String cluster, String chain, String node, Map<String, String> parameters, String reason,
                                         ChainRunEntity.Source source) {
        ChainRunEntity r = new ChainRunEntity();
        r.clusterName = cluster;
        r.chainName = cut(chain, 64);
        r.nodeName = node == null ? "" : cut(node, 128);
        r.parametersJson = parameters == null || parameters.isEmpty() ? null : Params.write(parameters);
        r.reason = cut(reason == null ? "" : reason, 1024);
        r.source = source;
        return r;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Run parameters as stored JSON. */
    static final class Params {
        private Params() {
        }

        static String write(Map<String, String> p) {
            try {
                return FactJson.MAPPER.writeValueAsString(new java.util.TreeMap<>(p));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        static Map<String, String> read(String json) {
            if (json == null || json.isBlank()) {
                return Map.of();
            }
            try {
                return FactJson.MAPPER.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, String>>() { });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return Map.of();
            }
        }
    }
}
