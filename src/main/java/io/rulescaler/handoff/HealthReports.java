package io.rulescaler.handoff;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The latest round of a cluster's health checks, so that "why" can say what the probes found and why
 * unhealthy nodes are (not) being replaced: orchestration's health prober implements it, capacity's
 * {@code /why} reads it, and neither imports the other.
 */
public interface HealthReports {

    /** The latest round on this instance; empty when it does not probe the cluster (no health block, or not the session owner). */
    Optional<Report> latest(String cluster);

    /**
     * One round: each probed node, the unhealthy ones, the nodes a replacement is taking out now, the
     * per-hour cap ({@code replacedLastHour} of {@code maxReplacementsPerHour}), how many one replacement
     * may take ({@code maxReplacing}), and, when unhealthy nodes wait, why ({@code replacingStopped}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(Instant at, List<NodeHealth> nodes, List<String> unhealthy, List<String> replacing, int replacedLastHour,
                  int maxReplacementsPerHour, int maxReplacing, String replacingStopped) {

        /** The report in one or two sentences for the text of "why". */
        public String sentence() {
            StringBuilder sb = new StringBuilder("Health at " + at + ": " + nodes.size() + " node(s) checked, "
                    + (unhealthy.isEmpty() ? "none unhealthy" : "unhealthy: " + String.join(", ", unhealthy)) + "; "
                    + replacedLastHour + " of at most " + maxReplacementsPerHour + " replacement(s) in the last hour"
                    + (replacing.isEmpty() ? "" : "; replacing now: " + String.join(", ", replacing)) + ".");
            if (replacingStopped != null) {
                sb.append(" Unhealthy nodes wait: ").append(replacingStopped).append('.');
            }
            return sb.toString();
        }
    }

    /**
     * A probed node: its state, the last HTTP probe ({@code passed}, what failed, or null without an HTTP
     * check), failed and passed probes in a row, its last heartbeat, whether the prober took it out of the
     * load balancer, and the health reason the node carries.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NodeHealth(String node, String state, String lastProbe, int failedInARow, int passedInARow, Instant lastHeartbeat,
                      boolean outOfLoadBalancer, String healthReason) {
    }
}
