package io.rulescaler.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A cluster as the API shows it: the spec it runs with ({@code spec}: what it declares laid over its
 * deployable type), what it declares when that differs ({@code declared}), its version for optimistic
 * locking, node counts, the spec version nodes should run and how many run another one (a redeploy brings
 * them up to date), and how many live nodes were deployed from an older recipe than the spec's.
 */
public record ClusterView(String name, long version, ClusterSpec spec, Map<String, Long> nodes,
                          Instant createdAt, Instant updatedAt, int specVersion, long nodesOnOlderSpec,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ClusterSpec declared,
                          long nodesDifferFromSpec,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String deployableProblem) {

    /** A view without deployable details (the spec as declared, every node as specified). */
    public ClusterView(String name, long version, ClusterSpec spec, Map<String, Long> nodes, Instant createdAt, Instant updatedAt) {
        this(name, version, spec, nodes, createdAt, updatedAt, 1, 0, null, 0, null);
    }

    /** The ETag of this version, for If-Match. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
