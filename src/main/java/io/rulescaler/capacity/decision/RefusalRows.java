package io.rulescaler.capacity.decision;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps the decision history from repeating itself: while the same rule keeps asking and the guard refuses it
 * for the same kind of reason, the newest row of that rule is updated (its count, last time, the rule's latest
 * reason and facts) instead of a new row being added. What makes a new row is a change of outcome:
 *
 * <pre>
 *  new refusal ─> newest row of the cluster that is this rule's, or any decision that was not refused
 *     same source, rule, rule set, verdict "refused", kind of reason, recommended and target size, dry run?
 *        yes ─> that row: repeats + 1, decided_at = now, reason and facts = the latest
 *        no  ─> a new row (so does every accepted or clamped decision, and every manual request)
 * </pre>
 *
 * The "kind of reason" is the guard's explanation with its numbers and times taken out, so "scale-out cooldown
 * until 10:00:05 (12 s left)" and "… (2 s left)" are one kind; a cooldown and a stabilisation hold are two. Generic
 * on purpose: it knows nothing of what asked (a rule, a chain trigger), only of the stored columns. Runs under the
 * cluster's {@link DecisionLock}, so the read and the update of a cluster's rows never interleave.
 */
@ApplicationScoped
public class RefusalRows {

    static final String REFUSED = "refused";
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final DecisionRepository decisions;

    public RefusalRows(DecisionRepository decisions) {
        this.decisions = decisions;
    }

    /** The kind of a guard explanation: its words without the numbers and times. */
    public static String kindOf(String explanation) {
        if (explanation == null) {
            return "";
        }
        return NUMBER.matcher(TIME.matcher(explanation).replaceAll("<time>")).replaceAll("#");
    }

    /**
     * Folds {@code fresh} (not yet persisted) into the row it repeats and returns that row, or empty when it starts a
     * new row. Only refusals fold; the caller persists {@code fresh} when this returns empty.
     */
    public Optional<DecisionEntity> fold(DecisionEntity fresh) {
        if (!REFUSED.equals(fresh.verdict)) {
            return Optional.empty();
        }
        DecisionEntity row = decisions.find("from DecisionEntity d where d.clusterName = :c"
                        + " and ((d.ruleName = :r and d.source = :s) or d.verdict <> :refused)"
                        + " order by d.decidedAt desc, d.id desc", Parameters.with("c", fresh.clusterName).and("r", fresh.ruleName)
                        .and("s", fresh.source).and("refused", REFUSED)).firstResult();
        if (row == null || !repeats(row, fresh)) {
            return Optional.empty();
        }
        if (row.firstDecidedAt == null) {
            row.firstDecidedAt = row.decidedAt;
        }
        row.repeats++;
        row.decidedAt = fresh.decidedAt;
        row.verdictReason = fresh.verdictReason;
        row.reason = fresh.reason;
        row.factsJson = fresh.factsJson;
        row.requestedTarget = fresh.requestedTarget;
        row.requestedDelta = fresh.requestedDelta;
        // the decision stage reads read-only: the row is written with one statement, not by dirty checking
        decisions.update("repeats = :n, decidedAt = :t, firstDecidedAt = :first, verdictReason = :why, reason = :reason,"
                        + " factsJson = :facts, requestedTarget = :target, requestedDelta = :delta where id = :id",
                Parameters.with("n", row.repeats).and("t", row.decidedAt).and("first", row.firstDecidedAt)
                        .and("why", row.verdictReason).and("reason", row.reason).and("facts", row.factsJson)
                        .and("target", row.requestedTarget).and("delta", row.requestedDelta).and("id", row.id));
        return Optional.of(row);
    }

    /** Whether {@code fresh} is the same refusal as {@code row}: same asker, same outcome, same kind of reason. */
    static boolean repeats(DecisionEntity row, DecisionEntity fresh) {
        return REFUSED.equals(row.verdict)
                && row.source.equals(fresh.source)
                && row.ruleName.equals(fresh.ruleName)
                && Objects.equals(row.ruleSet, fresh.ruleSet)
                && Objects.equals(row.requestedBy, fresh.requestedBy)
                && row.recommendedSize == fresh.recommendedSize
                && row.targetSize == fresh.targetSize
                && row.baselineSize == fresh.baselineSize
                && row.dryRun == fresh.dryRun
                && row.force == fresh.force
                && kindOf(row.verdictReason).equals(kindOf(fresh.verdictReason))
                && !fresh.decidedAt.isBefore(row.decidedAt);
    }
}
