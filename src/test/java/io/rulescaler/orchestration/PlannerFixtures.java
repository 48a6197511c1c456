package io.rulescaler.orchestration;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.cluster.NodeService;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;

/** A cluster's node history written straight to the database, for tests and benchmarks of the planner. */
public final class PlannerFixtures {

    private PlannerFixtures() {
    }

    /** The id of the cluster named {@code cluster} (created before through the API). */
    public static long clusterId(EntityManager em, String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select c.id from ClusterEntity c where c.name = ?1",
                Long.class).setParameter(1, cluster).getSingleResult());
    }

    /** Requests nodes {@code <cluster>-1 … <cluster>-count} with indexes 1 … count, in one transaction. */
    public static void requestNodes(NodeService nodes, long clusterId, String cluster, int count) {
        List<NodeService.NewNode> wanted = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            wanted.add(new NodeService.NewNode(cluster + "-" + i, null, i, null, null));
        }
        QuarkusTransaction.requiringNew().run(() -> nodes.requestAll(clusterId, wanted, "fixture"));
    }
}
