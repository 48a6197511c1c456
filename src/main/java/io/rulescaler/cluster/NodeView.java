package io.rulescaler.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/**
 * A node as the API shows it: state, protection, latest vitals and health, and for one node its
 * state history and a short history of vitals; the cluster spec version it runs, and whether that is
 * older than the cluster's; {@code profile} is the provider profile its machine lives on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeView(long id, String cluster, String name, String state, String zone, Integer index,
                       String address, String providerId, boolean protectedNode, String protectionReason, Instant launchedAt,
                       Instant lastHeartbeatAt, Vitals vitals, String healthReason, List<Change> history,
                       List<Vitals> recentVitals, int specVersion, boolean olderSpec, String profile) {

    /** One state change. */
    public record Change(String from, String to, String reason, Instant at) {
    }

    /** Vitals from one heartbeat of the node's agent; {@code units} as the agent sent them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vitals(Instant at, Double cpu, Double memory, Double disk, Double load, Integer unitRestarts,
                         @JsonRawValue String units) {
    }
}
