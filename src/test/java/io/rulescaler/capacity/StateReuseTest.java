package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rulescaler.capacity.fact.ClusterView;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.cluster.NodeService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An evaluation reuses the cluster state a recent one read (here for an hour, so nothing but the
 * invalidation rules decides), and reads it again at once after the capacity planner wrote a
 * scale request or the cluster's spec changed.
 */
@QuarkusTest
@TestProfile(StateReuseTest.LongReuse.class)
class StateReuseTest {

    /** State is reused for an hour unless something invalidates it. */
    public static class LongReuse implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.capacity.facts-max-age", "1h", "rulescaler.orchestration.enabled", "false");
        }
    }

    @Inject
    ClusterSessions sessions;

    @Inject
    CapacityMetrics metrics;

    @Inject
    ClusterRepository clusters;

    @Inject
    NodeService nodes;

    @Test
    void evaluationsReuseTheStateUntilTheyAreToldItChanged() throws Exception {
        String c = unique("reuse");
        cluster(c, 1, 10, 2, "");
        evaluate(c);
        double readsBefore = reads(c, "database");
        double viewsBefore = reads(c, "view");
        double reusedBefore = reads(c, "reused");
        for (int i = 0; i < 10; i++) {
            evaluate(c);
        }
        assertEquals(readsBefore, reads(c, "database"), "ten evaluations in a row read nothing from the database");
        assertEquals(reusedBefore + 10, reads(c, "reused"), "each of them reused the state read before");

        // two nodes appear (the orchestrator is off here, so nothing else adds any): node changes are
        // seen once the reused read is older than facts-max-age (an hour here), not at once
        long clusterId = QuarkusTransaction.requiringNew().call(() -> clusters.findByName(c).orElseThrow().id);
        nodes.requestAll(clusterId, List.of(new NodeService.NewNode(c + "-a", "z1", 1), new NodeService.NewNode(c + "-b", "z1", 2)),
                "state reuse test");
        evaluate(c);
        assertEquals(0, view(c).getPending(), "the reused state does not count the new nodes yet");

        // an operator's decision writes a scale request: the next evaluation sees the new size at once
        assertEquals(202, as(token("operator")).contentType("application/json")
                .body("{\"target\":5,\"reason\":\"state reuse test\"}").post("/api/v1/clusters/" + c + "/scale").statusCode());
        evaluate(c);
        assertEquals(viewsBefore + 1, reads(c, "view"), "the scale request made the next evaluation read the spec and sizes again");
        assertEquals(readsBefore, reads(c, "database"), "... but not the node views, which are still recent");
        assertEquals(5, view(c).getDesired(), "the session's ClusterView has the size the operator asked for");
        assertEquals(2, view(c).getPending(), "the sizes read again count the requested nodes");
        assertEquals(0, nodeViews(c), "the node views are the recent read's (no NodeView yet), not read again");
        evaluate(c);
        assertEquals(viewsBefore + 1, reads(c, "view"), "once read again, the state is reused whole");

        // a spec change (pause) is seen at once too
        assertEquals(200, asAdmin().post("/api/v1/clusters/" + c + "/pause").statusCode());
        evaluate(c);
        assertEquals(true, view(c).isPaused(), "the session's ClusterView is paused right after the pause");
    }

    private void evaluate(String c) throws Exception {
        sessions.submit(c, null).get(30, TimeUnit.SECONDS);
    }

    private ClusterView view(String c) throws Exception {
        return sessions.facts(c).get(30, TimeUnit.SECONDS).stream().filter(ClusterView.class::isInstance)
                .map(ClusterView.class::cast).findFirst().orElseThrow();
    }

    private long nodeViews(String c) throws Exception {
        return sessions.facts(c).get(30, TimeUnit.SECONDS).stream().filter(NodeView.class::isInstance).count();
    }

    private double reads(String c, String source) {
        Counter counter = metrics.registry().find("rulescaler.session.state.reads").tags("cluster", c, "source", source).counter();
        return counter == null ? 0 : counter.count();
    }
}
