package io.rulescaler.orchestration;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.operation.OperationPlanner;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * Planning a scale-out reads the cluster's existing nodes as values, not entities: the persistence context then holds
 * only the new nodes, so the planner's and the intake's later flushes do not dirty-check a whole node history (which
 * only grows); names and indexes go on as before (next sequence number, lowest index no live node holds).
 */
@QuarkusTest
class PlannerNodeLoadTest {

    @Inject
    OperationPlanner planner;

    @Inject
    NodeService nodeService;

    @Inject
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Test
    void scaleOutLoadsOnlyTheNewNodes() throws Exception {
        String c = unique("plan-load");
        cluster(c, 0, 50, 0, null);
        long clusterId = PlannerFixtures.clusterId(em, c);
        PlannerFixtures.requestNodes(nodeService, clusterId, c, 12);
        // 1-8 live, 9-12 terminated (their indexes are free again, their names are not)
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE node SET state = CASE WHEN node_index <= 8"
                + " THEN ?1 ELSE ?2 END WHERE cluster_id = ?3").setParameter(1, NodeState.ACTIVE.name())
                .setParameter(2, NodeState.TERMINATED.name()).setParameter(3, clusterId).executeUpdate());

        List<String> added = new ArrayList<>();
        long[] managedNodes = new long[1];
        tx.begin();
        try {
            planner.start(new OperationPlanner.Request(c, Kind.SCALE_OUT, 10, null, "test", "manual", "test", null, null));
            Session s = em.unwrap(Session.class);
            managedNodes[0] = s.getStatistics().getEntityKeys().stream()
                    .filter(k -> ((org.hibernate.engine.spi.EntityKey) k).getEntityName().equals(NodeEntity.class.getName())).count();
            em.createQuery("select n from NodeEntity n where n.clusterId = ?1 and n.state = ?2 order by n.id", NodeEntity.class)
                    .setParameter(1, clusterId).setParameter(2, NodeState.REQUESTED).getResultList()
                    .forEach(n -> added.add(n.name + "#" + n.index));
        } finally {
            tx.rollback(); // nothing is started: the runner never sees the operation
        }

        assertEquals(List.of(c + "-13#9", c + "-14#10"), added, "next names after the highest ever, lowest free indexes");
        assertEquals(2, managedNodes[0], "the persistence context holds the two new nodes only, not the 12 existing ones");
    }
}
