package io.rulescaler.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.DecisionView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The last evaluation of a cluster in words and in numbers: what the rules saw, did, and why nothing happened;
 * {@code stoppedRules}: the rules its session stopped for reaching a cap, and why ({@code runaway} stays true while
 * any is stopped); {@code chainRuns}: the cluster's recent chain runs with the chain guard's verdicts, newest first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Why(String cluster, String text, Instant evaluatedAt, String ruleSet, Long sessionFacts, Integer firings,
                  Map<String, Integer> rulesFired, boolean runaway, boolean paused, boolean dryRun,
                  List<String> staleQueries, String problem, List<DecisionView> decisions, Map<String, String> stoppedRules,
                  List<ChainRunService.RunView> chainRuns) {
}
