package io.rulescaler.capacity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the capacity planner: where rules come from and the bounds on rule sessions. */
@ConfigMapping(prefix = "rulescaler.capacity")
public interface CapacityConfig {

    /**
     * Folder of operator rule sets: one sub-folder per rule set ({@code rules/default/*.drl}). A
     * file here replaces the shipped file of the same name in the same set; new files add rules.
     */
    @WithDefault("rules")
    String rulesDirectory();

    /** Rule set for clusters whose spec names none. */
    @WithDefault("default")
    String defaultRuleSet();

    /**
     * Whether start waits for the first rule compile: {@code background} (HTTP listens at once;
     * signals are stored and evaluated once the rules are ready) or {@code wait} (the service is
     * ready only with compiled rules, a few seconds later).
     */
    @WithDefault("background")
    RulesAtStart rulesAtStart();

    /** See {@link #rulesAtStart()}. */
    enum RulesAtStart {
        BACKGROUND, WAIT
    }

    /** Watch the rules folder and reload when a file changes. */
    @WithDefault("true")
    boolean watch();

    /** How often the rules folder is checked for changes. */
    @WithDefault("2s")
    Duration watchInterval();

    /**
     * Most facts one cluster session may hold, signals and rule-inserted facts alike; further samples and
     * heartbeats are dropped and counted, and a rule whose inserts pass it is stopped for the cluster.
     */
    @WithDefault("100000")
    int maxFactsPerSession();

    /** Most rule firings per evaluation; reaching it stops the runaway rule for the cluster and discards its decisions. */
    @WithDefault("10000")
    int maxFiringsPerEvaluation();

    /** Period of the tick that moves session clocks forward (cron timers, windows) with no signal arriving. */
    @WithDefault("10s")
    Duration tickInterval();

    /**
     * Keep every cluster within its bounds without waiting for a rule: a new cluster is brought to
     * its {@code size.desired} (or {@code min}), a cluster below {@code min} (failed nodes) or above
     * {@code max} (max lowered) gets a scale request of source HEALTH. Paused and dry-run clusters are left alone.
     */
    @WithDefault("true")
    boolean keepBounds();

    /**
     * How long an evaluation may reuse the cluster state (ClusterView, NodeViews) the previous
     * evaluation read, instead of reading it again: a burst of signals costs one read, not one per
     * signal. Anything the capacity planner itself writes (a decision, a manual request, the bounds
     * keeper) or a spec change is seen at once; node and operation changes at most this late.
     * Decisions are always judged against state read under the cluster's decision lock. 0 reads every time.
     */
    @WithDefault("250ms")
    Duration factsMaxAge();

    /**
     * Least time between the starts of two evaluations of one cluster: signals that arrive sooner after an
     * evaluation began wait on the cluster's rules thread and are taken together into one evaluation. A signal
     * after a quiet spell is evaluated at once; under a burst a cluster evaluates at most once per gap. 0 evaluates
     * as soon as the previous evaluation ended.
     */
    @WithDefault("10ms")
    Duration evaluationGap();

    /** How often the bounds are checked. */
    @WithDefault("15s")
    Duration keepBoundsInterval();
}
