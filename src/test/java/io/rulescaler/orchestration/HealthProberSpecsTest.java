package io.rulescaler.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterView;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The health prober reads every cluster's spec each second through {@link ClusterService#runningSpecs()} instead of
 * {@link ClusterService#list()} (which counts each cluster's nodes): the specs must be the same the views carry.
 */
@QuarkusTest
class HealthProberSpecsTest {

    @Inject
    ClusterService clusters;

    @Test
    void runningSpecsAreTheViewsSpecsInNameOrder() {
        String checked = Ops.unique("hs");
        String plain = Ops.unique("hp");
        Ops.cluster(checked, "stub", 3, """
                health:
                  http: {path: "/health/{node}", port: 9, host: 127.0.0.1, intervalSeconds: 30, timeoutSeconds: 2,
                         unhealthyAfter: 2, healthyAfter: 1}
                """);
        Ops.cluster(plain, "stub", 3, null);

        List<ClusterSpec> specs = clusters.runningSpecs();
        Map<String, ClusterSpec> byName = specs.stream().collect(Collectors.toMap(ClusterSpec::name, Function.identity()));
        Map<String, ClusterSpec> viewed = clusters.list().stream().collect(Collectors.toMap(ClusterView::name, ClusterView::spec));
        assertEquals(viewed.keySet(), byName.keySet());
        assertEquals(viewed.get(checked), byName.get(checked));
        assertEquals(viewed.get(plain), byName.get(plain));
        assertNotNull(byName.get(checked).health(), "the health block is read");
        assertEquals(30, byName.get(checked).health().http().interval());
        assertNull(byName.get(plain).health());
        assertEquals(specs.stream().map(ClusterSpec::name).sorted().toList(), specs.stream().map(ClusterSpec::name).toList());
    }
}
