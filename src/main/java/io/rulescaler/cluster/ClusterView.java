package io.rulescaler.cluster;

import java.time.Instant;
import java.util.Map;

/** A cluster as the API shows it: its spec, its version for optimistic locking and node counts. */
public record ClusterView(String name, long version, ClusterSpec spec, Map<String, Long> nodes,
                          Instant createdAt, Instant updatedAt) {

    /** The ETag of this version, for If-Match. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
