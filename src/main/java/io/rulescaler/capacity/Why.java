package io.rulescaler.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.handoff.HealthReports;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The last evaluation of a cluster in words and in numbers: what the rules saw, did, and why nothing happened;
 * {@code stoppedRules}: the rules its session stopped for reaching a cap, and why ({@code runaway} stays true while
 * any is stopped); {@code chainRuns}: the cluster's recent chain runs with the chain guard's verdicts, newest first;
 * {@code health}: the latest round of the health checks where this instance runs them (probes per node,
 * unhealthy nodes, the replacement caps and why replacing stopped).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Why(String cluster, String text, Instant evaluatedAt, String ruleSet, Long sessionFacts, Integer firings,
                  Map<String, Integer> rulesFired, boolean runaway, boolean paused, boolean dryRun,
                  List<String> staleQueries, String problem, List<DecisionView> decisions, Map<String, String> stoppedRules,
                  List<ChainRunService.RunView> chainRuns, HealthReports.Report health) {

    /** This "why" with the health round added, its text ending with the round in words. */
    public Why withHealth(HealthReports.Report report) {
        if (report == null) {
            return this;
        }
        return new Why(cluster, text + " " + report.sentence(), evaluatedAt, ruleSet, sessionFacts, firings, rulesFired, runaway,
                paused, dryRun, staleQueries, problem, decisions, stoppedRules, chainRuns, report);
    }
}
