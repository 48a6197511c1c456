package io.rulescaler.capacity;

import io.rulescaler.capacity.decision.ChainRunService;
import io.rulescaler.capacity.decision.ClusterFacts;
import io.rulescaler.capacity.decision.DecisionView;
import io.rulescaler.capacity.engine.Evaluation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Writes "why" for a cluster: its last evaluation, its decisions and what its session holds, in words. */
final class WhyText {

    private WhyText() {
    }

    /**
     * The last evaluation of {@code cluster} (owner may be null: never evaluated here) in words, and its recent chain
     * runs ({@code runs}, newest first, read from the hand-off table, so any instance shows them).
     */
    static Why of(String cluster, SessionOwner o, ClusterFacts f, List<ChainRunService.RunView> runs) {
        boolean paused = f.spec().isPaused();
        boolean dryRun = f.spec().isDryRun();
        if (o == null || o.last == null) {
            String text = o != null && o.problem != null ? o.problem
                    : "not evaluated since this instance started: no signal or tick has reached the cluster yet";
            return new Why(cluster, text + chainRuns(runs), null, o == null ? null : o.ruleSet, null, null, null, false, paused,
                    dryRun, o == null ? List.of() : List.copyOf(o.stale), o == null ? null : o.problem, List.of(),
                    o == null ? Map.of() : Map.copyOf(o.stopped), runs, null);
        }
        Evaluation e = o.last;
        StringBuilder text = new StringBuilder("At " + e.at() + " the rule set '" + o.ruleSet + "' evaluated: " + e.summary() + ".");
        for (DecisionView d : o.lastDecisions) {
            text.append(" Rule '").append(d.rule()).append("' asked for ")
                    .append(d.requestedTarget() != null ? "size " + d.requestedTarget() : "a change of " + d.requestedDelta())
                    .append(" (").append(d.reason()).append("): ").append(d.verdict()).append(", ").append(d.why()).append('.');
        }
        boolean stopped = !o.stopped.isEmpty();
        if (stopped) {
            text.append(" Rules stopped for this cluster (back when their file changes or an admin enables them): ");
            o.stopped.forEach((rule, cause) -> text.append('\'').append(rule).append("' ").append(cause).append("; "));
            Evaluation r = o.lastRunaway;
            if (!e.runaway() && r != null) {
                text.append("the evaluation at ").append(r.at()).append(" ran away: ").append(r.summary()).append('.');
            }
        }
        if (!o.stale.isEmpty()) {
            text.append(" Metrics stale (hold): ").append(o.stale).append('.');
        }
        if (paused) {
            text.append(" The cluster is paused.");
        }
        if (dryRun) {
            text.append(" The cluster is in dry-run: decisions are recorded, not acted on.");
        }
        if (o.problem != null) {
            text.append(' ').append(o.problem);
        }
        if (o.lastDecisions.isEmpty() && o.previous != null) {
            text.append(" The last evaluation that decided was at ").append(o.previous.at()).append(": ");
            for (DecisionView d : o.previousDecisions) {
                text.append("rule '").append(d.rule()).append("' -> ").append(d.verdict()).append(" (").append(d.why()).append("); ");
            }
        }
        text.append(chainRuns(runs));
        String holds = holdings(o);
        if (holds != null) {
            text.append(" The session holds ").append(holds).append('.');
        }
        // runaway while a rule it stopped stays stopped, not only in the one evaluation that stopped it
        return new Why(cluster, text.toString(), e.at(), o.ruleSet, e.factCount(), e.firings(), e.rulesFired(), e.runaway() || stopped,
                paused, dryRun, List.copyOf(o.stale), o.problem, o.lastDecisions, Map.copyOf(o.stopped), runs, null);
    }

    /** The recent chain runs in words: " Recent chain runs: 'notify' asked by rule '…' at …: refused, cooldown …; …." */
    static String chainRuns(List<ChainRunService.RunView> runs) {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" Recent chain runs (newest first): ");
        for (int i = 0; i < runs.size(); i++) {
            ChainRunService.RunView r = runs.get(i);
            sb.append(i == 0 ? "" : "; ").append('\'').append(r.chain()).append('\'')
                    .append(r.node() == null ? "" : " on node '" + r.node() + "'")
                    .append(r.rule() != null ? " asked by rule '" + r.rule() + "'" : " started by " + r.requestedBy())
                    .append(r.requests() > 1 ? " (" + r.requests() + " times)" : "")
                    .append(" at ").append(r.createdAt()).append(": ").append(r.verdict()).append(", ").append(r.why())
                    .append(" [").append(r.status()).append(r.operationId() == null ? "" : ", operation " + r.operationId())
                    .append(']');
        }
        return sb.append('.').toString();
    }

    /** What a session holds, by kind ("1 ClusterView, 12 Sample (cpu 9, queue_depth 3)"), read on its thread. */
    private static String holdings(SessionOwner o) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                if (o.session == null) {
                    return null;
                }
                Map<String, Integer> kinds = new java.util.TreeMap<>();
                Map<String, Integer> metrics = new java.util.TreeMap<>();
                for (Object f : o.session.facts()) {
                    kinds.merge(f.getClass().getSimpleName(), 1, Integer::sum);
                    if (f instanceof io.rulescaler.capacity.fact.Sample smp) {
                        metrics.merge(smp.getMetric(), 1, Integer::sum);
                    }
                }
                StringBuilder sb = new StringBuilder();
                kinds.forEach((k, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(k)
                        .append("Sample".equals(k) ? " " + metrics : ""));
                return sb.isEmpty() ? "no facts" : sb.toString();
            }, o.exec).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

}
