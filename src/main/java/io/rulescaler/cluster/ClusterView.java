package io.rulescaler.cluster;

import java.time.Instant;
import java.util.Map;

/**
 * A cluster as the API shows it: its spec, its version for optimistic locking, node counts, the
 * spec version nodes should run and how many nodes run another one (a redeploy brings them up to date).
 */
public record ClusterView(String name, long version, ClusterSpec spec, Map<String, Long> nodes,
                          Instant createdAt, Instant updatedAt, int specVersion, long nodesOnOlderSpec) {

    /** The ETag of this version, for If-Match. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
