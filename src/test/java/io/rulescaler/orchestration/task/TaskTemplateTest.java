package io.rulescaler.orchestration.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step parameter filled in when its task runs: variables, and ${params.x} from the run, the cluster or the default. */
class TaskTemplateTest {

    @Test
    void parametersAndVariablesAreFilledIn() {
        String v = TaskContexts.template("${params.app.warUrl} on ${node.name} v${params.app.version:-latest} ${params.none}",
                Map.of("node.name", "web-1"), Map.of(), Map.of("app.warUrl", "https://repo/app.war"));
        assertEquals("https://repo/app.war on web-1 vlatest ", v);
        assertEquals("v2", TaskContexts.template("v${params.app.version:-latest}", Map.of(), Map.of("app.version", "2"),
                Map.of("app.version", "1")));
    }
}
