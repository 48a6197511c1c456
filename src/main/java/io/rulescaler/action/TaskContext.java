package io.rulescaler.action;

import io.rulescaler.cluster.ClusterSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything an action may know about the task it runs; nothing more. */
public interface TaskContext {

    long operationId();

    long taskId();

    /** Name of the step in its chain. */
    String step();

    ClusterSpec cluster();

    /** The node this task is for, when the step is node-scoped. */
    Optional<TargetNode> node();

    /**
     * The other members of the cluster (for "update the rest of the cluster" steps): active nodes plus
     * nodes being configured whose machine exists (the ones a scale-out is adding); never nodes leaving.
     */
    java.util.List<TargetNode> peers();

    /**
     * Step parameters after templating with cluster, node, zone and operation values; actions read
     * them by their declared types through {@link StepParams}.
     */
    Map<String, String> params();

    /** Outputs of earlier steps of the same operation (and node). */
    Map<String, String> outputs();

    /** Bounded log captured with the task; stdout/stderr of remote commands go here. */
    TaskLog log();

    Duration timeout();

    /** True once the operation was cancelled; long actions should check it and stop. */
    boolean cancelled();

    /** A node as actions see it; {@code profile} is the provider profile its machine lives on (null: the cluster's provider). */
    record TargetNode(long id, String name, int index, String zone, String address, String providerId, String profile) {

        /** A node on the cluster's own provider profile. */
        public TargetNode(long id, String name, int index, String zone, String address, String providerId) {
            this(id, name, index, zone, address, providerId, null);
        }
    }
}
