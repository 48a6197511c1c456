package io.rulescaler.cli;

import java.util.List;
import java.util.Map;

/**
 * One rule test: a cluster, signals at times after {@code start}, and the decisions expected at
 * each step. With {@code guard}, decisions also go through the guard and the desired size
 * follows the ones it accepts.
 */
public record Scenario(String name, String rules, String ruleSet, String start, ClusterDef cluster, GuardDef guard,
                       List<Step> steps) {

    /** The cluster as the rules see it at the start; {@code parameters} become its {@code ClusterParameters} fact. */
    public record ClusterDef(String name, Integer desired, Integer current, Integer min, Integer max, Boolean paused, Boolean dryRun,
                             Integer maxIdle, Integer idleForMinutes, Map<String, String> parameters) {

        /** Without an idle limit or parameters. */
        public ClusterDef(String name, Integer desired, Integer current, Integer min, Integer max, Boolean paused, Boolean dryRun) {
            this(name, desired, current, min, max, paused, dryRun, null, null, null);
        }
    }

    /** Guard settings (the same names as a cluster spec's guard). */
    public record GuardDef(Integer scaleOutCooldownSeconds, Integer scaleInCooldownSeconds, Integer scaleInStabilisationSeconds,
                           Integer maxStep, Integer maxStepPercent) {
    }

    /** What happens at one time: state changes, signals, then what the rules should conclude. */
    public record Step(String at, ClusterDef cluster, List<SampleDef> samples, List<AlertDef> alerts,
                       List<HeartbeatDef> heartbeats, List<NodeDef> nodes, List<String> stale, List<String> fresh,
                       List<Expect> expect) {
    }

    public record SampleDef(String metric, Double value, Map<String, String> labels, String at) {
    }

    public record AlertDef(String name, String status, String fingerprint, Map<String, String> labels,
                           Map<String, String> annotations) {
    }

    public record HeartbeatDef(String node, Double cpu, Double memory, Double load) {
    }

    /** A node fact; {@code lastHeartbeat} is an offset from start, like {@code at}. */
    public record NodeDef(String id, String state, String zone, String lastHeartbeat, Double load, Boolean remove,
                          Double cpu, Integer idleMinutes) {
    }

    /**
     * An expected decision, or with {@code chain} an expected {@code RunChain} (and its {@code node}):
     * every field given must match ({@code reason} as a substring). Chain runs are checked in the
     * steps that expect at least one. With a guard, a chain run's {@code verdict} is accepted, refused
     * or dry-run, and {@code why} a substring of the chain guard's explanation.
     */
    public record Expect(String rule, Integer target, Integer delta, String reason, String verdict, Integer size, String chain,
                         String node, String why) {
    }
}
