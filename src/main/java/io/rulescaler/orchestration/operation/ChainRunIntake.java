package io.rulescaler.orchestration.operation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.error.DomainException;
import io.rulescaler.handoff.ChainRunEntity;
import io.rulescaler.handoff.ChainRuns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The orchestrator's side of chain runs: takes the pending runs of a cluster (woken after the
 * commit, or polled) into RUN_CHAIN operations, and writes back how each operation ended.
 */
@ApplicationScoped
public class ChainRunIntake {

    private static final Logger LOG = Logger.getLogger(ChainRunIntake.class);
    private final ChainRuns runs;
    private final OperationPlanner planner;
    private final OperationProgress progress;
    private final OperationRepository operations;
    private final Event<OperationEvent> events;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ChainRunIntake(ChainRuns runs, OperationPlanner planner, OperationProgress progress, OperationRepository operations,
                          Event<OperationEvent> events, Clock clock) {
        this.runs = runs;
        this.planner = planner;
        this.progress = progress;
        this.operations = operations;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Takes in the pending runs of every cluster (the poll for runs written on other instances), and
     * closes runs whose operation ended without this instance hearing of it (a restart).
     */
    public int intakeAll() {
        for (Long id : QuarkusTransaction.requiringNew().call(runs::runningOperations)) {
            ended(new OperationEvent(id, OperationEvent.Type.ENDED));
        }
        int started = 0;
        for (String cluster : QuarkusTransaction.requiringNew().call(runs::clustersWithPending)) {
            started += intake(cluster);
        }
        return started;
    }

    /** Starts an operation for each pending run of the cluster; returns how many started. */
    public int intake(String cluster) {
        ReentrantLock lock = locks.computeIfAbsent(cluster, k -> new ReentrantLock());
        lock.lock();
        try {
            List<Long> started = QuarkusTransaction.requiringNew().call(() -> {
                Instant now = clock.instant();
                List<Long> ids = new ArrayList<>();
                for (ChainRunEntity r : runs.claimPending(cluster)) {
                    try {
                        OperationEntity op = planner.startRun(new OperationPlanner.RunRequest(cluster, r.chainName, r.node(),
                                parameters(r), r.reason, r.source.name().toLowerCase(), r.requestedBy, null));
                        runs.accept(r, op.id, now);
                        progress.kickOff(op);
                        ids.add(op.id);
                    } catch (DomainException e) {
                        runs.reject(r, e.getMessage(), now);
                    }
                }
                return ids;
            });
            started.forEach(id -> events.fire(new OperationEvent(id, OperationEvent.Type.STARTED)));
            return started.size();
        } catch (RuntimeException e) {
            LOG.debugf("chain run intake deferred cluster=%s problem=%s", cluster, e.toString());
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the run's steps read as {@code ${params.x}} besides the cluster's: the run's own
     * parameters, and who asked — {@code rule.name}, {@code rule.reason} and {@code rule.facts} (the
     * matched facts, one per line) — so a notice can say what the rule saw.
     */
    static String parameters(ChainRunEntity r) {
        Map<String, String> p = new java.util.TreeMap<>(io.rulescaler.orchestration.chain.ChainJson.parameters(r.parametersJson));
        p.putIfAbsent("rule.name", r.ruleName == null ? "" : r.ruleName);
        p.putIfAbsent("rule.reason", r.reason);
        p.putIfAbsent("rule.facts", facts(r.factsJson));
        return io.rulescaler.orchestration.chain.ChainJson.write(p);
    }

    /** The stored matched facts as lines "Type {json}" (the manual marker for an operator's run). */
    static String facts(String json) {
        if (json == null || json.isBlank()) {
            return "";
        }
        try {
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            if (root.has("manual")) {
                return "started by hand: " + root.get("manual");
            }
            StringBuilder sb = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonNode f : root.path("facts")) {
                sb.append(f.path("type").asText()).append(' ').append(f.path("value")).append('\n');
            }
            if (root.path("bindings").size() > 0) {
                sb.append("bindings ").append(root.get("bindings")).append('\n');
            }
            return sb.toString().trim();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    /** A chain run's operation ended: the run says how, and the chain may be asked for again. */
    void ended(@Observes(during = TransactionPhase.AFTER_SUCCESS) OperationEvent e) {
        if (e.type() != OperationEvent.Type.ENDED) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                OperationEntity op = operations.findById(e.operationId());
                if (op == null || op.kind != OperationEntity.Kind.RUN_CHAIN || op.state.isActive()) {
                    return;
                }
                ChainRunEntity.Status outcome = switch (op.state) {
                    case SUCCEEDED -> ChainRunEntity.Status.SUCCEEDED;
                    case CANCELLED -> ChainRunEntity.Status.CANCELLED;
                    default -> ChainRunEntity.Status.FAILED;
                };
                runs.finish(op.id, outcome, "operation " + op.id + " " + op.state.label()
                        + (op.error == null ? "" : ": " + op.error), clock.instant());
            });
        } catch (RuntimeException ex) {
            LOG.warnf("chain run not updated operation=%d problem=%s", e.operationId(), ex.toString());
        }
    }
}
