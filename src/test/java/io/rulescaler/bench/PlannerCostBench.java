package io.rulescaler.bench;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.cluster.NodeService;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.orchestration.PlannerFixtures;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.operation.OperationPlanner;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: what planning a scale-out by 2 costs the planning thread (CPU time and bytes allocated, both
 * independent of the machine's load) on clusters with a growing node history, the planner's own flush and three more
 * flushes (as the intake's accept, kick-off and lease statements each flush) included; the transaction is rolled back,
 * so every round plans against the same nodes. Run: ./mvnw test -Dtest=PlannerCostBench -Dbench.rounds=60
 */
@QuarkusTest
class PlannerCostBench {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 60);

    @Inject
    OperationPlanner planner;

    @Inject
    NodeService nodeService;

    @Inject
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Test
    void planningCostByClusterHistory() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int size : new int[] {0, 80, 600}) {
            String c = unique("plan-cost");
            cluster(c, 0, 10_000, 0, null);
            long clusterId = PlannerFixtures.clusterId(em, c);
            if (size > 0) {
                PlannerFixtures.requestNodes(nodeService, clusterId, c, size);
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE node SET state = ?1 WHERE cluster_id = ?2")
                        .setParameter(1, NodeState.ACTIVE.name()).setParameter(2, clusterId).executeUpdate());
            }
            List<Double> cpu = new ArrayList<>();
            List<Double> bytes = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                tx.begin();
                try {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long b0 = threads.getCurrentThreadAllocatedBytes();
                    planner.start(new OperationPlanner.Request(c, Kind.SCALE_OUT, size + 2, null, "bench", "manual", "bench", null, null));
                    for (int f = 0; f < 3; f++) {
                        em.flush();
                    }
                    long c1 = threads.getCurrentThreadCpuTime();
                    long b1 = threads.getCurrentThreadAllocatedBytes();
                    assertEquals(size + 2, nodesOf(clusterId), "the round planned a scale-out by 2 (nodes=" + size + ")");
                    if (r >= ROUNDS / 3) { // the first third warms the path up
                        cpu.add((c1 - c0) / 1e6);
                        bytes.add((b1 - b0) / 1024.0);
                    }
                } finally {
                    tx.rollback();
                }
            }
            assertEquals(size, nodesOf(clusterId), "every round was rolled back, so each planned against the same nodes");
            Collections.sort(cpu);
            Collections.sort(bytes);
            System.out.printf("BENCH-PLANNER nodes=%d rounds=%d cpu_ms p50=%.2f p90=%.2f allocated_kb p50=%.0f p90=%.0f%n", size,
                    cpu.size(), cpu.get(cpu.size() / 2), cpu.get(cpu.size() * 9 / 10), bytes.get(bytes.size() / 2),
                    bytes.get(bytes.size() * 9 / 10));
        }
    }

    private long nodesOf(long clusterId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM node WHERE cluster_id = ?1").setParameter(1, clusterId)
                .getSingleResult()).longValue();
    }
}
