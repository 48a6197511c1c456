package io.rulescaler.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A node as the API shows it, with its state history when asked for one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeView(long id, String cluster, String name, String state, String zone, Integer index,
                       String address, String providerId, boolean protectedNode, Instant launchedAt,
                       Instant lastHeartbeatAt, List<Change> history) {

    /** One state change. */
    public record Change(String from, String to, String reason, Instant at) {
    }
}
