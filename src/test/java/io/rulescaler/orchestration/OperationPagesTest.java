package io.rulescaler.orchestration;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.rulescaler.orchestration.operation.OperationService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/operations/{id} shows the whole progress but one page of tasks and of node lines, so
 * polling a 10 000-node operation does not load its 20 000 tasks; the runner is off so the tasks
 * stay where planning put them.
 */
@QuarkusTest
@TestProfile(BatchedQueueTest.NoRunner.class)
class OperationPagesTest {

    @Inject
    OperationService operations;

    @Test
    void progressCountsEveryTaskWhileTasksAndNodesComeAPageAtATime() {
        String c = Ops.unique("pages");
        Ops.cluster(c, "stub", 7, "chains: {scaleOut: noop-scale-out}\n");
        OperationService.ScaleOutcome o = operations.requestScale(c, 7, "test", "test");
        assertEquals("ACCEPTED", o.status(), o.detail());
        String path = "/api/v1/operations/" + o.operationId();

        JsonPath first = asAdmin().get(path + "?limit=5").then().statusCode(200).extract().jsonPath();
        assertEquals(14, first.getInt("progress.total"), "progress counts all 14 tasks, not the page");
        assertEquals(14, first.getInt("progress.pending"));
        assertEquals(Map.of("offset", 0, "limit", 5, "tasks", 14, "nodes", 7), first.getMap("page"));
        List<String> steps = first.getList("tasks.step");
        assertEquals(List.of("deploy", "deploy", "deploy", "deploy", "deploy"), steps, "chain order: the deploy step first");
        List<String> nodes = first.getList("nodes.node");
        assertEquals(5, nodes.size());
        assertEquals(List.of(0, 0, 0, 0, 0), first.getList("nodes.done"));
        assertEquals(List.of(2, 2, 2, 2, 2), first.getList("nodes.total"), "each node line counts all of its tasks");

        JsonPath second = asAdmin().get(path + "?offset=5&limit=5").then().statusCode(200).extract().jsonPath();
        assertEquals(2, second.getList("nodes").size(), "the last 2 of 7 nodes");
        assertTrue(second.getList("nodes.node").stream().noneMatch(nodes::contains), "no node on two pages");
        assertEquals(List.of("deploy", "deploy", "configure", "configure", "configure"), second.getList("tasks.step"));

        JsonPath past = asAdmin().get(path + "?offset=12&limit=5").then().statusCode(200).extract().jsonPath();
        assertEquals(2, past.getList("tasks").size());
        assertEquals(0, past.getList("nodes").size());
        assertEquals(7, past.getInt("page.nodes"), "the total is counted when the page is past the last node");

        JsonPath all = asAdmin().get(path).then().statusCode(200).extract().jsonPath();
        assertEquals(14, all.getList("tasks").size(), "the default page holds a small operation whole");
        assertEquals(7, all.getList("nodes").size());

        String problem = asAdmin().get(path + "?limit=0").then().statusCode(400)
                .contentType("application/problem+json").extract().asString();
        assertTrue(problem.contains("limit must be between 1 and"), problem);
    }
}
