package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.ClusterStateReader;
import io.rulescaler.capacity.engine.Evaluation;
import io.rulescaler.capacity.engine.RuleSession;
import io.rulescaler.capacity.engine.SessionLimits;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.rules.RulesReloaded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs a throwaway session of each rule set once it compiled (at start and after a reload), and
 * reads one cluster state, so the first real signal after a restart does not wait for what a
 * fresh JVM does once: Drools' first session, its first firing, the evaluators of the constraints a cluster, a
 * node, an alert and samples of each metric the rules match on reach (see docs/scaling.md, "MVEL"), Hibernate's
 * first evaluation query.
 * Nothing is stored and nothing is decided: the session is closed and its conclusions dropped.
 */
@ApplicationScoped
class SessionWarmUp {

    private static final Logger LOG = Logger.getLogger(SessionWarmUp.class);
    /** No cluster has this name (names are lowercase letters, digits and '-'). */
    static final String NAME = "_warm-up_";
    /** Samples of each metric: enough for a window's count check (cpu.drl wants 3) to let its rule's next constraint run. */
    static final int SAMPLES_PER_METRIC = 3;

    private final ClusterStateReader states;
    private final CapacityConfig config;
    private final Clock clock;
    private final Set<String> warmed = ConcurrentHashMap.newKeySet();
    private final ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-warm-up");
        t.setDaemon(true);
        return t;
    });

    SessionWarmUp(ClusterStateReader states, CapacityConfig config, Clock clock) {
        this.states = states;
        this.config = config;
        this.clock = clock;
    }

    void onRulesReloaded(@Observes RulesReloaded reloaded) {
        if (!exec.isShutdown()) {
            exec.execute(() -> warm(reloaded));
        }
    }

    /** A warm-up still queued when the service stops is dropped; one running may finish (its queries are short). */
    void onStop(@Observes io.quarkus.runtime.ShutdownEvent ev) {
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rule sets whose compiled rules ran a warm-up session (tests). */
    Set<String> warmed() {
        return Set.copyOf(warmed);
    }

    private void warm(RulesReloaded reloaded) {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        try {
            RuleSession s = new RuleSession(NAME, reloaded.rules(),
                    new SessionLimits(config.maxFactsPerSession(), config.maxFiringsPerEvaluation()), now);
            try {
                s.setCluster(new ClusterView(NAME, 2, 2, 0, 0, 1, 3, false, true, null, null));
                s.putNode(new NodeView(NAME + "-1", NAME, "active", "warm-up", now, now, 0.5));
                s.alert(new Alert("WarmUp", NAME, "firing", NAME, now, Map.of("alertname", "WarmUp"), Map.of()));
                // samples of every metric the rules match on: Drools creates a constraint's evaluator at its first
                // evaluation, without a lock, so sessions reaching a constraint first together would each compile it
                for (String metric : reloaded.rules().sampleMetrics()) {
                    for (int i = 0; i < SAMPLES_PER_METRIC; i++) {
                        s.event(new Sample(NAME, metric, Map.of("node", NAME + "-1"), 0.5 + i, now));
                    }
                }
                s.advanceTo(now.plusSeconds(1));
                Evaluation e = s.evaluate();
                LOG.debugf("session warmed up rule_set=%s firings=%d ms=%d", reloaded.ruleSet(), e.firings(),
                        (System.nanoTime() - t0) / 1_000_000);
            } finally {
                s.close();
            }
            states.stored(NAME); // the evaluation's read queries, on a cluster that does not exist
            warmed.add(reloaded.ruleSet());
        } catch (RuntimeException e) {
            // only a head start: the real evaluation reports whatever is wrong with the rules or the database
            LOG.debugf(e, "session warm-up failed rule_set=%s", reloaded.ruleSet());
        }
    }
}
